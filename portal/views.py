"""The home page (平台首页): who you are and what you may see, counted."""

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count
from django.shortcuts import render

from accounts.models import User
from accounts.services import accounts_to_acknowledge
from core.policies import can
from core.tenancy import scope_for
from elevators.models import Elevator
from organizations.models import Organization, OrganizationKind


@login_required
def home(request):
    user = request.user
    visible_orgs = Organization.objects.visible_to(user)
    counts = {row["kind"]: row["n"] for row in _count_by_kind(visible_orgs)}
    cards = [
        {"label": label, "count": counts.get(kind, 0), "kind": kind}
        for kind, label in OrganizationKind.choices
        if kind != OrganizationKind.OPERATOR
    ]
    show_users = can(user, "list", "accounts.User")
    context = {
        "elevator_count": _cached_elevator_count(user),
        "scope": scope_for(user),
        "organization": user.organization,
        "org_cards": cards,
        "show_users": show_users,
        "user_count": User.objects.visible_to(user).count(),
        # accounts of the user's unit that another unit opened, until an administrator acknowledges them
        "to_acknowledge": accounts_to_acknowledge(user) if show_users else [],
    }
    return render(request, "portal/home.html", context)


def _cached_elevator_count(user) -> int:
    """Counting a city's 300,000 elevators on every home page is waste: five minutes of cache per tenant."""
    scope = scope_for(user)
    key = f"home:elevators:{'operator' if scope.is_operator else scope.organization_id}"
    count = cache.get(key)
    if count is None:
        count = Elevator.objects.visible_to(user).count()
        cache.set(key, count, 300)
    return count


def _count_by_kind(queryset):
    return queryset.order_by().values("kind").annotate(n=Count("pk"))
