from django.conf import settings

from .permissions import can
from .tenancy import scope_for


def platform(request):
    user = getattr(request, "user", None)
    menu = {}
    if user is not None and user.is_authenticated:
        from elevators.services import can_create_elevators

        menu = {
            "imports": can_create_elevators(user),
            "accounts": can(user, "accounts.manage"),
            "regions": True,
            "is_operator": scope_for(user).is_operator,
            "problems": scope_for(user).kind in ("maintenance_company", "use_unit") or scope_for(user).is_operator,
        }
    return {"PLATFORM_NAME": settings.PLATFORM_NAME, "menu": menu}
