"""预警: the thresholds a company sets and the warnings a person may read.

The warnings are open maintenance plans; the level and the days are `rules.py` applied to the due date. For a
bureau or a use unit the window is each company's own, worked out in SQL (the company's `AlertSettings` or the
default) rather than per row in Python.
"""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tenancy import scope_for
from elevators.models import Component, Elevator, ElevatorStatus
from maintenance.models import MaintenancePlan, PlanStatus
from maintenance.services.calendar import save_company_setting

from .models import AlertSettings
from .rules import (
    COMPONENT_NEAR_DAYS,
    INSPECTION_NEAR_DAYS,
    NEAR,
    NEAR_DAYS_DEFAULT,
    NEAR_DAYS_MAX,
    NEAR_DAYS_MIN,
    OVERDUE,
)

__all__ = [
    "SILENT_STATUSES",
    "component_warnings",
    "inspection_warnings",
    "maintenance_warnings",
    "near_days_of",
    "replace_component",
    "save_alert_settings",
]

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
    return save_company_setting(
        AlertSettings,
        organization,
        "maintenance_near_days",
        maintenance_near_days,
        actor=actor,
        reason=reason,
        request=request,
    )


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
    plans = plans.exclude(elevator_id__in=silent_elevators(user))
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


def _window(queryset, field: str, today: date, near_days: int, level: str | None):
    """The rows whose `field` is past (overdue) or within `near_days` days (near), by level."""
    if level == OVERDUE:
        return queryset.filter(**{f"{field}__lt": today})
    queryset = queryset.filter(**{f"{field}__lte": today + timedelta(days=near_days)})
    if level == NEAR:
        queryset = queryset.filter(**{f"{field}__gte": today})
    return queryset


def inspection_warnings(user, *, today: date | None = None, level: str | None = None):
    """年检预警: the elevators `user` may read, neither suspended nor scrapped, whose 下次检验日期 (the ledger's, kept
    by `record_inspection`) is past or within 60 days. Elevators without a date are not listed."""
    today = today or timezone.localdate()
    elevators = Elevator.objects.visible_to(user).exclude(status__in=SILENT_STATUSES)
    return _window(elevators, "next_inspection_date", today, INSPECTION_NEAR_DAYS, level)


def component_warnings(user, *, today: date | None = None, level: str | None = None):
    """组件寿命预警: the components `user` may read, of elevators neither suspended nor scrapped, whose end of life
    (install date + lifespan) is past or within 30 days."""
    today = today or timezone.localdate()
    components = Component.objects.visible_to(user).exclude(elevator_id__in=silent_elevators(user))
    return _window(components, "expires_on", today, COMPONENT_NEAR_DAYS, level)


def _repair_time(day: date):
    """The repair's times for a replacement on `day`: noon of that day, or now when that is still to come."""
    moment = timezone.make_aware(datetime.combine(day, time(12, 0)))
    return min(moment, timezone.now())


@transaction.atomic
def replace_component(component, *, actor, replaced_on: date, note: str = "", request=None):
    """更换 from 组件寿命预警: the ledger resets the component's dates (audited on the elevator) and, when the actor
    belongs to the company that maintains the elevator, a restored 维修纪录 records the replacement.
    Returns (component, repair or None: the operator resets the dates without a repair of its own)."""
    from elevators.services import replace_component as reset_component
    from records.repairs import create_repair

    old_expiry = component.expires_on
    component = reset_component(component, actor=actor, replaced_on=replaced_on, note=note, request=request)
    elevator = component.elevator
    if scope_for(actor).organization_id != elevator.maintenance_company_id:
        return component, None
    moment = _repair_time(replaced_on)
    repair = create_repair(
        actor=actor,
        data={
            "elevator": elevator,
            "fault": (_("组件寿命到期：%(name)s（到期日 %(date)s）") % {"name": component.name, "date": old_expiry})[
                :300
            ],
            "cause": _("组件达到使用寿命"),
            "work_done": (_("更换%(name)s") % {"name": component.name} + (f"：{note}" if note else ""))[:500],
            "parts_replaced": component.name[:300],
            "reported_at": moment,
            "arrived_at": moment,
            "restored_at": moment,
            "workers": [actor] if getattr(actor, "organization_id", None) == elevator.maintenance_company_id else [],
        },
        request=request,
    )
    return component, repair


# --- City scale (issue 17's performance requirement, bench/warning_bench.py) ------------------------------------


def silent_elevators(user):
    """The suspended and scrapped elevators among those `user` may read, as a sub-select to exclude (`NOT IN`, a
    hashed list of a few hundred or thousand ids). Excluding them through a join on the elevator's status made
    PostgreSQL hash every elevator of the city for a company's 8,000 open plans (300 ms at 300,000 elevators)."""
    return Elevator.objects.visible_to(user).filter(status__in=SILENT_STATUSES).values("id")
