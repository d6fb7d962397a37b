from django.utils.functional import SimpleLazyObject

from .menu import menu_for


def menu(request):
    """The side menu of the current user, built only when a template shows it (partials never do)."""
    user = getattr(request, "user", None)
    return {"menu": SimpleLazyObject(lambda: menu_for(user, request.path))}
