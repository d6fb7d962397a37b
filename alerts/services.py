"""预警: the thresholds a company sets and the warnings a person may read.

The warnings are open maintenance plans; the level and the days are `rules.py` applied to the due date. For a
bureau or a use unit the window is each company's own, worked out in SQL (the company's `AlertSettings` or the
default) rather than per row in Python.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.tenancy import scope_for
from elevators.models import ElevatorStatus
from maintenance.models import MaintenancePlan, PlanStatus

from .models import AlertSettings
from .rules import NEAR, NEAR_DAYS_DEFAULT, NEAR_DAYS_MAX, NEAR_DAYS_MIN, OVERDUE

__all__ = ["SILENT_STATUSES", "maintenance_warnings", "near_days_of", "save_alert_settings"]

SILENT_STATUSES = (ElevatorStatus.SUSPENDED, ElevatorStatus.SCRAPPED)  # raise no warnings


@transaction.atomic
def save_alert_settings(organization, *, maintenance_near_days, actor, reason: str = "", request=None) -> AlertSettings:
    """Set a company's thresholds; the row is created on the first save."""
    if getattr(organization, "kind", "maintenance_company") != "maintenance_company":
        raise ValidationError(_("只有维保单位有预警设置。"))
    if (
        not isinstance(maintenance_near_days, int)
        or isinstance(maintenance_near_days, bool)
        or not NEAR_DAYS_MIN <= maintenance_near_days <= NEAR_DAYS_MAX
    ):
        raise ValidationError(
            {
                "maintenance_near_days": _("临期提前天数应在 %(low)s 到 %(high)s 天之间。")
                % {"low": NEAR_DAYS_MIN, "high": NEAR_DAYS_MAX}
            }
        )
    settings, created = AlertSettings.objects.select_for_update().get_or_create(
        organization=organization, defaults={"maintenance_near_days": maintenance_near_days}
    )
    if created:
        audit.record(
            actor,
            "create",
            settings,
            changes={"maintenance_near_days": [None, maintenance_near_days]},
            reason=reason,
            request=request,
        )
        return settings
    if settings.maintenance_near_days != maintenance_near_days:
        old = settings.maintenance_near_days
        settings.maintenance_near_days = maintenance_near_days
        settings.save(update_fields=["maintenance_near_days", "updated_at"])
        audit.record(
            actor,
            "update",
            settings,
            changes={"maintenance_near_days": [old, maintenance_near_days]},
            reason=reason,
            request=request,
        )
    return settings


def near_days_of(organization_id) -> int:
    """A company's 临期 threshold (the default when it has set none)."""
    value = (
        AlertSettings.objects.filter(organization_id=organization_id)
        .values_list("maintenance_near_days", flat=True)
        .first()
    )
    return value if value is not None else NEAR_DAYS_DEFAULT


def _company_threshold():
    """Each plan's company's threshold in SQL: its AlertSettings row, or the default without one."""
    own = AlertSettings.objects.filter(organization_id=OuterRef("organization_id")).values("maintenance_near_days")
    return Coalesce(Subquery(own[:1]), Value(NEAR_DAYS_DEFAULT), output_field=IntegerField())


def _days_left(today: date):
    """Days from today to the due date for plans due within the widest window (NULL otherwise): a CASE over the
    due date, the same on SQLite and PostgreSQL, so the threshold's sub-select appears once."""
    return Case(
        *[When(due_date=today + timedelta(days=n), then=Value(n)) for n in range(NEAR_DAYS_MAX + 1)],
        default=Value(None),
        output_field=IntegerField(),
    )


def maintenance_warnings(user, *, today: date | None = None, level: str | None = None, near_days: int | None = None):
    """The open plans `user` may read that are near or overdue, on elevators neither suspended nor scrapped.

    A maintenance company's people get their company's threshold as a constant (one range of the plan index); a
    use unit, a bureau or the operator get each company's own through SQL. `near_days`: the company's threshold
    when the caller has read it already."""
    today = today or timezone.localdate()
    scope = scope_for(user)
    plans = MaintenancePlan.objects.visible_to(user).filter(status=PlanStatus.PLANNED)
    plans = plans.exclude(elevator__status__in=SILENT_STATUSES)
    if level == OVERDUE:
        return plans.filter(due_date__lt=today)
    if scope.kind == "maintenance_company":
        own = near_days if near_days is not None else near_days_of(scope.organization_id)
        end = today + timedelta(days=own)
        plans = plans.filter(due_date__lte=end)
    else:
        plans = (
            plans.filter(due_date__lte=today + timedelta(days=NEAR_DAYS_MAX))  # the index's range
            .alias(near_days=_company_threshold(), days_left=_days_left(today))
            .filter(Q(due_date__lt=today) | Q(near_days__gte=F("days_left")))
        )
    if level == NEAR:
        plans = plans.filter(due_date__gte=today)
    return plans
