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


# --- 维保合同到期预警 ------------------------------------------------------------------------------------------


def _renewals():
    """The later contracts of the same company and use unit that renew the outer one (not terminated, starting no
    later than the day after its end and ending later: `contracts.rules.is_renewal` in SQL)."""
    from django.db.models import DateField, ExpressionWrapper

    from contracts.models import MaintenanceContract

    day_after = ExpressionWrapper(OuterRef("ends_on") + timedelta(days=1), output_field=DateField())
    return (
        MaintenanceContract.objects.filter(
            maintenance_company_id=OuterRef("maintenance_company_id"),
            use_unit_id=OuterRef("use_unit_id"),
            terminated_on__isnull=True,
            ends_on__gt=OuterRef("ends_on"),
            starts_on__lte=day_after,
        )
        .exclude(pk=OuterRef("pk"))
        .values("pk")
    )


def contract_warnings(user, *, today: date | None = None, level: str | None = None):
    """维保合同到期预警: the contracts `user` may read whose end is within 90 days or past, neither terminated nor
    renewed, with at least one elevator neither suspended nor scrapped."""
    from contracts.models import MaintenanceContract

    from .rules import CONTRACT_NEAR_DAYS

    today = today or timezone.localdate()
    return _window(
        _live_contracts(MaintenanceContract.objects.visible_to(user)), "ends_on", today, CONTRACT_NEAR_DAYS, level
    )


def _live_contracts(contracts):
    """Of `contracts`, those that can warn: not terminated, not renewed, with an elevator neither suspended nor
    scrapped (the daily job's notices start from every contract, the pages from those the person reads)."""
    from django.db.models import Exists

    from contracts.models import MaintenanceContract

    through = MaintenanceContract.elevators.through
    live = through.objects.filter(maintenancecontract_id=OuterRef("pk")).exclude(elevator__status__in=SILENT_STATUSES)
    return contracts.filter(terminated_on__isnull=True).filter(Exists(live)).exclude(Exists(_renewals()))


# --- 人员证书到期预警 -----------------------------------------------------------------------------------------------

from .rules import CERTIFICATE_NEAR_DAYS, CONFIRMATION_DUE  # noqa: E402 - this block is appended on its own


def _latest_qualification(field: str):
    """A worker's current qualification's `field` in SQL (WorkerQualification.CURRENT_FIRST: the one that ends
    last), or NULL without one."""
    from accounts.models import WorkerQualification

    latest = WorkerQualification.objects.filter(user_id=OuterRef("pk")).order_by(*WorkerQualification.CURRENT_FIRST)
    return Subquery(latest.values(field)[:1])


def certificate_warnings(user, *, today: date | None = None, level: str | None = None):
    """人员证书到期预警: the active maintenance workers `user` may reach through the accounts pages (his own unit's
    people; everyone for the operator) whose current certificate (the 资质认证 that ends last) ends within 60 days
    or has ended, annotated with `certificate_number` and `certificate_until`.

    Workers with no qualification at all are listed too, as overdue (red, 无资质): a person without a valid
    特种设备作业人员证 may not maintain elevators, so the company must see him before he is put in a group.
    Bureaus see none of them: the accounts pages never show a bureau another unit's people (accounts.policies);
    a person who may not list accounts (a worker) gets his own row at most."""
    from accounts.models import User
    from core.policies import can

    today = today or timezone.localdate()
    people = User.objects.visible_to(user)
    if not can(user, "list", User):  # not an administrator: his own certificate only, as on his account page
        people = people.filter(pk=user.pk)
    return _worker_certificates(people, today, level)


def _worker_certificates(people, today: date, level: str | None = None):
    """Of `people`, the active maintenance workers whose current certificate ends within 60 days, has ended or is
    missing (by level), annotated with `certificate_number` and `certificate_until`."""
    from accounts.models import UserCategory

    people = people.filter(
        is_active=True, category=UserCategory.MAINTENANCE_WORKER, organization__kind="maintenance_company"
    ).annotate(
        certificate_number=_latest_qualification("certificate_number"),
        certificate_until=_latest_qualification("valid_until"),
    )
    missing = Q(certificate_until__isnull=True)
    if level == OVERDUE:
        return people.filter(missing | Q(certificate_until__lt=today))
    end = today + timedelta(days=CERTIFICATE_NEAR_DAYS)
    if level == NEAR:
        return people.filter(certificate_until__gte=today, certificate_until__lte=end)
    return people.filter(missing | Q(certificate_until__lte=end))


def company_qualification_warnings(user, *, today: date | None = None, level: str | None = None):
    """The maintenance companies' own 资质 (their current, i.e. latest not returned, OrganizationQualification) that
    ends within 60 days or has ended, among the qualifications `user` may read (a company its own, a bureau those
    of the companies working in its area, the operator all). A company with no qualification is not listed here:
    the unit's page and its review already ask for one."""
    from organizations.models import OrganizationQualification

    today = today or timezone.localdate()
    qualifications = _current_qualifications(OrganizationQualification.objects.visible_to(user))
    return _window(qualifications, "valid_until", today, CERTIFICATE_NEAR_DAYS, level)


def _current_qualifications(qualifications):
    """Of `qualifications`, the maintenance companies' current ones (the latest not returned)."""
    from organizations.models import OrganizationQualification, QualificationStatus

    kept = OrganizationQualification.objects.exclude(status=QualificationStatus.REJECTED)
    current = kept.filter(organization_id=OuterRef("organization_id")).order_by("-submitted_at", "-id")
    return (
        qualifications.filter(organization__kind="maintenance_company")
        .exclude(status=QualificationStatus.REJECTED)
        .filter(pk=Subquery(current.values("pk")[:1]))
    )


# --- 维保记录待确认预警 -------------------------------------------------------------------------------------------


def confirmation_warnings(user, *, now: datetime | None = None, level: str | None = None):
    """维保记录待确认预警: the records `user` may read that the workers have finished and signed and the use unit has
    not confirmed yet (status 待确认), on elevators neither suspended nor scrapped, annotated with `submitted_at`:
    when the record reached the use unit — the end of the visit, or for a correction its approval by the company
    (a correction not approved yet waits for the company, not the use unit, and is not listed).
    Yellow up to 24 hours after submission, red beyond (rules.confirmation_level)."""
    from records.models import MaintenanceRecord, RecordStatus

    now = now or timezone.now()
    records = (
        MaintenanceRecord.objects.visible_to(user)
        .filter(status=RecordStatus.FINISHED)
        .exclude(corrects__isnull=False, correction_approved_at__isnull=True)
        .exclude(elevator__status__in=SILENT_STATUSES)
        .annotate(submitted_at=Coalesce("correction_approved_at", "finished_at"))
        .filter(submitted_at__isnull=False)  # a finished record has its end; a row written without one is skipped
    )
    if level == OVERDUE:
        return records.filter(submitted_at__lt=now - CONFIRMATION_DUE)
    if level == NEAR:
        return records.filter(submitted_at__gte=now - CONFIRMATION_DUE)
    return records


__all__ += ["certificate_warnings", "company_qualification_warnings", "confirmation_warnings"]
# --- 限速器检验预警 ------------------------------------------------------------------------------------------------

from .rules import GOVERNOR_NEAR_DAYS  # noqa: E402  (kept with its kind's block)

__all__ += ["governor_warnings"]


def governor_warnings(user, *, today: date | None = None, level: str | None = None):
    """限速器检验预警: the elevators `user` may read, neither suspended nor scrapped, whose next governor calibration
    (the ledger's, kept by elevators.services from the governor's start of use and its last calibration) is past or
    within 30 days. Escalators and moving walks have no date, so never appear."""
    today = today or timezone.localdate()
    elevators = Elevator.objects.visible_to(user).exclude(status__in=SILENT_STATUSES)
    return _window(elevators, "next_governor_calibration", today, GOVERNOR_NEAR_DAYS, level)


# --- 应急演练预警 --------------------------------------------------------------------------------------------------

from dataclasses import dataclass  # noqa: E402

from django.db.models import Count, Exists, Max, Min  # noqa: E402
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear  # noqa: E402

from drills.categories import CATEGORIES, category_expression, codes_of, label_of  # noqa: E402
from drills.models import EmergencyDrill  # noqa: E402
from elevators.inspection import PERIODIC_YEARS, YEARLY_AFTER  # noqa: E402
from maintenance.models import Cycle  # noqa: E402
from records.models import MaintenanceRecord, RecordStatus  # noqa: E402

from . import rules  # noqa: E402


@dataclass
class DrillWarning:
    """One (maintenance company, elevator category) row of 应急演练预警."""

    organization_id: int
    organization_name: str
    category: str
    elevator_count: int
    first_in_ledger: date
    last_drill: date | None
    due_date: date
    level: str | None
    days: int
    last_drill_id: int | None = None

    @property
    def pk(self) -> str:
        return f"{self.organization_id}-{self.category}"

    @property
    def category_label(self) -> str:
        return label_of(self.category)


def _reads_drill_warnings(scope) -> bool:
    return scope.is_operator or scope.kind in ("maintenance_company", "use_unit", "regulator")


def drill_warnings(
    user, *, today: date | None = None, level: str | None = None, category: str | None = None, every: bool = False
) -> list[DrillWarning]:
    """应急演练预警: for each maintenance company and category of the elevators `user` may read (a company: those it
    maintains; a use unit: its own; a bureau: its area's; suspended and scrapped ones do not count), the company's
    last drill that covered an elevator of that category (any of its drills, wherever), the due date and the level.
    Two aggregate queries, whatever the number of elevators. `every`: the rows not yet near too."""
    today = today or timezone.localdate()
    scope = scope_for(user)
    if not _reads_drill_warnings(scope):
        return []
    elevators = Elevator.objects.visible_to(user).exclude(status__in=SILENT_STATUSES)
    if scope.kind == "maintenance_company":
        elevators = elevators.filter(maintenance_company_id=scope.organization_id)
    return drill_rows(elevators, today, level=level, category=category, every=every)


def drill_rows(elevators, today: date, *, level=None, category=None, every=False) -> list[DrillWarning]:
    """应急演练预警's rows for `elevators` (neither suspended nor scrapped, with a maintenance company): the daily
    job's notices start from every elevator, the page from those the person reads."""
    elevators = elevators.filter(maintenance_company__isnull=False)
    if category:
        elevators = elevators.filter(device_category__in=codes_of(category))
    groups = (
        elevators.annotate(category=category_expression())
        .values("maintenance_company_id", "maintenance_company__name", "category")
        .annotate(n=Count("id"), first=Min("created_at"))
        .order_by()
    )
    drilled = (
        EmergencyDrill.elevators.through.objects.filter(
            emergencydrill__organization_id__in=elevators.values("maintenance_company_id"),
            emergencydrill__held_on__lte=today,
        )
        .annotate(category=category_expression("elevator__"))
        .values("emergencydrill__organization_id", "category")
        .annotate(last=Max("emergencydrill__held_on"))
        .order_by()
    )
    last = {(row["emergencydrill__organization_id"], row["category"]): row["last"] for row in drilled}
    order = {value: index for index, value in enumerate(CATEGORIES.values)}
    rows = []
    for group in groups:
        key = (group["maintenance_company_id"], group["category"])
        first = timezone.localdate(group["first"]) if timezone.is_aware(group["first"]) else group["first"].date()
        due = rules.drill_due(last.get(key), first)
        found = rules.drill_level(due, today)
        if not every and found is None:
            continue
        if level and found != level:
            continue
        rows.append(
            DrillWarning(
                organization_id=key[0],
                organization_name=group["maintenance_company__name"],
                category=key[1],
                elevator_count=group["n"],
                first_in_ledger=first,
                last_drill=last.get(key),
                due_date=due,
                level=found,
                days=rules.days_left(due, today),
            )
        )
    rows.sort(key=lambda row: (row.due_date, row.organization_name, row.organization_id, order.get(row.category, 9)))
    return rows


def attach_last_drill_ids(rows: list[DrillWarning]) -> list[DrillWarning]:
    """Each row's last drill (the latest one on its date), for the rows of one page: one query."""
    wanted = [row for row in rows if row.last_drill is not None]
    if not wanted:
        return rows
    found = (
        EmergencyDrill.elevators.through.objects.filter(
            emergencydrill__organization_id__in={row.organization_id for row in wanted},
            emergencydrill__held_on__in={row.last_drill for row in wanted},
        )
        .annotate(category=category_expression("elevator__"))
        .values_list("emergencydrill__organization_id", "category", "emergencydrill__held_on", "emergencydrill_id")
    )
    best = {}
    for organization_id, category, held_on, drill_id in found:
        key = (organization_id, category, held_on)
        best[key] = max(best.get(key, 0), drill_id)
    for row in wanted:
        row.last_drill_id = best.get((row.organization_id, row.category, row.last_drill))
    return rows


# --- 年度自行检查预警 ----------------------------------------------------------------------------------------------


def _periodic_year():
    """The n of the inspection calendar's year that the ledger's next inspection date falls in (elevators.
    inspection._year_of in SQL): max(Δyear, 1), plus one when the date lies after the base month of its year."""
    base = Coalesce("supervision_inspection_date", "installation_date")
    gap = ExtractYear("next_inspection_date") - ExtractYear(base)
    later_month = Q(next_inspection_date__month__gt=ExtractMonth(base))
    return Case(
        When(Q(_gap__gte=1) & later_month, then=F("_gap") + 1),
        When(_gap__gte=1, then=F("_gap")),
        default=Value(1),
        output_field=IntegerField(),
    ), gap


def _day_key(field: str):
    """A date as the integer yyyymmdd (years, months and days compare the same on SQLite and PostgreSQL)."""
    return ExtractYear(field) * 10000 + ExtractMonth(field) * 100 + ExtractDay(field)


def annual_records():
    """Completed (finished or confirmed) 年度 maintenance records."""
    return MaintenanceRecord.objects.filter(
        cycle=Cycle.ANNUAL, status__in=[RecordStatus.FINISHED, RecordStatus.CONFIRMED]
    )


def selfcheck_warnings(user, *, today: date | None = None, level: str | None = None):
    """年度自行检查预警: the elevators `user` may read, neither suspended nor scrapped, whose next inspection (the
    ledger's date) is a 定期检验 within 60 days or past, without a completed 年度 maintenance record since 12 months
    before that date. Annotated with `last_annual` (the latest completed annual record's start, any date)."""
    today = today or timezone.localdate()
    return selfcheck_rows(Elevator.objects.visible_to(user).exclude(status__in=SILENT_STATUSES), today, level)


def selfcheck_rows(elevators, today: date, level: str | None = None):
    """年度自行检查预警's rows among `elevators` (the daily job's notices start from every elevator)."""
    elevators = _window(elevators, "next_inspection_date", today, rules.SELFCHECK_NEAR_DAYS, level)
    year, gap = _periodic_year()
    elevators = elevators.alias(_gap=gap).alias(_year=year)
    elevators = elevators.filter(Q(_year__in=sorted(PERIODIC_YEARS)) | Q(_year__gt=YEARLY_AFTER))
    since = (
        (ExtractYear("next_inspection_date") - 1) * 10000
        + ExtractMonth("next_inspection_date") * 100
        + ExtractDay("next_inspection_date")
    )
    recent = (
        annual_records()
        .filter(elevator_id=OuterRef("pk"))
        .alias(_day=_day_key("started_at"))
        .filter(_day__gte=OuterRef("_since"))
    )
    elevators = elevators.alias(_since=since).exclude(Exists(recent))
    latest = annual_records().filter(elevator_id=OuterRef("pk")).order_by("-started_at").values("started_at")[:1]
    return elevators.annotate(last_annual=Subquery(latest))


# --- City scale (issue 17's performance requirement, bench/warning_bench.py) ------------------------------------


def silent_elevators(user):
    """The suspended and scrapped elevators among those `user` may read, as a sub-select to exclude (`NOT IN`, a
    hashed list of a few hundred or thousand ids). Excluding them through a join on the elevator's status made
    PostgreSQL hash every elevator of the city for a company's 8,000 open plans (300 ms at 300,000 elevators)."""
    return Elevator.objects.visible_to(user).filter(status__in=SILENT_STATUSES).values("id")
