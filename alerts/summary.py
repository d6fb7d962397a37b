"""预警概览: each warning kind's near (yellow) and overdue (red) counts for a person (home page and API).

The kinds a person sees are the warning pages of the side menu's 电梯维保预警 section that the person sees (the
menu decides who reads which warnings, once); each page's counter is registered in `COUNTERS` by its URL name,
with the API's kind. A counter is one aggregate query over the same rows the page lists. A bureau's or the
operator's counts span a district or a city, so they are cached five minutes per unit; a company's and a use
unit's are counted on each request (their rows are few and indexed).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from core.tenancy import scope_for

from . import services
from .rules import NEAR, OVERDUE

__all__ = ["COUNTERS", "Counter", "by_due_date", "warning_summary"]

CACHE_SECONDS = 300


@dataclass(frozen=True)
class Counter:
    """The API's name of a kind and its counts: counts(user, today) -> (near, overdue)."""

    kind: str
    counts: Callable[..., tuple[int, int]]


def by_due_date(warnings: Callable, field: str) -> Callable[..., tuple[int, int]]:
    """The counts of a kind whose rows are a queryset with a due-date field (`warnings(user, today=…)`)."""

    def counts(user, today: date) -> tuple[int, int]:
        row = warnings(user, today=today).aggregate(
            near=Count("pk", filter=Q(**{f"{field}__gte": today})),
            overdue=Count("pk", filter=Q(**{f"{field}__lt": today})),
        )
        return row["near"], row["overdue"]

    return counts


def _certificate_counts(user, today: date) -> tuple[int, int]:
    """Workers' certificates (a missing one is red) and the companies' own qualifications, as the page lists them."""
    people = services.certificate_warnings(user, today=today).aggregate(
        near=Count("pk", filter=Q(certificate_until__gte=today)),
        overdue=Count("pk", filter=Q(certificate_until__lt=today) | Q(certificate_until__isnull=True)),
    )
    companies = by_due_date(services.company_qualification_warnings, "valid_until")(user, today)
    return people["near"] + companies[0], people["overdue"] + companies[1]


def _confirmation_counts(user, today: date) -> tuple[int, int]:
    """Records waiting for the use unit: yellow within 24 hours of their submission, red beyond."""
    from records.services import CONFIRMATION_DUE

    late = timezone.now() - CONFIRMATION_DUE
    row = services.confirmation_warnings(user).aggregate(
        near=Count("pk", filter=Q(submitted_at__gte=late)), overdue=Count("pk", filter=Q(submitted_at__lt=late))
    )
    return row["near"], row["overdue"]


def _drill_counts(user, today: date) -> tuple[int, int]:
    """应急演练预警's rows are computed (a company × a category): counted by level."""
    rows = services.drill_warnings(user, today=today)
    return sum(1 for r in rows if r.level == NEAR), sum(1 for r in rows if r.level == OVERDUE)


COUNTERS: dict[str, Counter] = {
    "alerts:maintenance": Counter("maintenance", by_due_date(services.maintenance_warnings, "due_date")),
    "alerts:inspection": Counter("inspection", by_due_date(services.inspection_warnings, "next_inspection_date")),
    "alerts:selfcheck": Counter("selfcheck", by_due_date(services.selfcheck_warnings, "next_inspection_date")),
    "alerts:governor": Counter("governor", by_due_date(services.governor_warnings, "next_governor_calibration")),
    "alerts:component": Counter("component", by_due_date(services.component_warnings, "expires_on")),
    "alerts:drill": Counter("drill", _drill_counts),
    "alerts:contract": Counter("contract", by_due_date(services.contract_warnings, "ends_on")),
    "alerts:certificate": Counter("certificate", _certificate_counts),
    "alerts:confirmation": Counter("confirmation", _confirmation_counts),
}


def _pages(user):
    """The warning pages of the menu's 电梯维保预警 section that `user` sees, in the menu's order."""
    from portal.menu import declared_items

    from .apps import ALERTS

    items = [item for item in declared_items() if item.section == ALERTS and item.url_name in COUNTERS]
    return [item for item in sorted(items, key=lambda i: i.order) if item.visible is None or item.visible(user)]


def _counts(user, pages, today: date, refresh: bool = False) -> dict[str, tuple[int, int]]:
    scope = scope_for(user)
    wide = scope.is_operator or scope.kind == "regulator"
    key = f"alerts:summary:{'operator' if scope.is_operator else scope.organization_id}:{today.isoformat()}"
    cached = cache.get(key) if wide and not refresh else None
    if cached is None:
        cached = {item.url_name: COUNTERS[item.url_name].counts(user, today) for item in pages}
        if wide:
            cache.set(key, cached, CACHE_SECONDS)
    return cached


def warning_summary(user, today: date | None = None, *, refresh: bool = False) -> list[dict]:
    """[{kind, label, near, overdue, url, near_url, overdue_url}] for the warning kinds `user` reads (`refresh`: a
    bureau's cached counts computed again)."""
    today = today or timezone.localdate()
    pages = _pages(user)
    counts = _counts(user, pages, today, refresh)
    rows = []
    for item in pages:
        near, overdue = counts.get(item.url_name) or COUNTERS[item.url_name].counts(user, today)
        url = reverse(item.url_name)
        rows.append(
            {
                "kind": COUNTERS[item.url_name].kind,
                "label": str(item.label),
                "near": near,
                "overdue": overdue,
                "url": url,
                "near_url": f"{url}?level={NEAR}",
                "overdue_url": f"{url}?level={OVERDUE}",
            }
        )
    return rows
