"""维保计划: generate a year of visits, follow the visits actually made, move one with a reason, close them.

The dates come from `maintenance.schedule` (pure arithmetic); this module reads and writes the rows. A
generation replaces the elevator's open plans from today on (so generating again never duplicates a visit),
keeps what was done, and writes the rows in bulk: COPY on PostgreSQL, multi-row INSERTs elsewhere.
"""

import io
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit

from .. import schedule
from ..models import CYCLE_OF_QUARTER, MaintenancePlan, OnDemandMaintenance, PlanStatus

__all__ = [
    "PLANNABLE_STATUSES",
    "interval_for",
    "avoid_for",
    "generate_year",
    "plan_rows",
    "replace_future_plans",
    "complete_plan",
    "move_plan",
    "close_open_plans",
    "hand_over",
    "resume_plans",
    "neighbours",
    "move_window",
    "next_year_start",
]

# 停用 and 报废 elevators get no plans
PLANNABLE_STATUSES = ("pending_registration", "in_use")
EARLIEST_START_MONTHS = 12  # a start date over a year back has no visit left to plan


def interval_for(elevator, on: date | None = None) -> int:
    """The longest gap allowed between two visits of the elevator: 15 days, or its approved on-demand
    interval once that has started."""
    on = on or timezone.localdate()
    try:
        setting = elevator.on_demand
    except OnDemandMaintenance.DoesNotExist:
        return schedule.LEGAL_INTERVAL
    return setting.interval_days if setting.starts_on <= on else schedule.LEGAL_INTERVAL


def avoid_for(organization_id, first: date, last: date) -> frozenset:
    """The days a company's plans avoid (its 排期设置 and the holiday calendar)."""
    from ..days_off import avoid_for as company_avoid

    return company_avoid(organization_id, first, last)


def _today() -> date:
    return timezone.localdate()


def check_start(start: date, today: date | None = None) -> None:
    today = today or _today()
    if start <= schedule.add_months(today, -EARLIEST_START_MONTHS):
        raise ValidationError({"start_date": _("起始日期早于一年前：这一年的计划都已过去。请填写最近一年内的日期。")})
    if start > schedule.add_months(today, 12):
        raise ValidationError({"start_date": _("起始日期不能晚于一年以后。")})


def refusal(elevator) -> str:
    """Why an elevator gets no plans, or ''."""
    if elevator.status not in PLANNABLE_STATUSES:
        return _("电梯状态为“%(status)s”，不能制定维保计划。") % {"status": elevator.get_status_display()}
    return ""


@dataclass(frozen=True)
class Row:
    """A plan row to write (the columns COPY sends)."""

    organization_id: int
    elevator_id: int
    year_start: date
    position: int
    quarter: int
    due_date: date


def plan_rows(elevator, start: date, *, today: date, avoid, last_done: date | None = None) -> list[Row]:
    """The rows of the year that starts on `start`, from today on. When a visit was made this year after the
    start, the remaining visits follow it (no gap from it over the interval)."""
    interval = interval_for(elevator, max(start, today))
    visits = schedule.plan_year(start, interval=interval, avoid=avoid)
    numbered = [(n, v) for n, v in enumerate(visits, 1) if v.date >= today]
    if numbered and last_done and last_done >= start and (numbered[0][1].date - last_done).days > interval:
        pending = {v.quarter for _n, v in numbered if v.quarter}
        placed = schedule.reanchor(
            start=start, last_visit=last_done, pending=pending, count=len(numbered), interval=interval, avoid=avoid
        )
        first = numbered[0][0]
        numbered = [(first + i, v) for i, v in enumerate(placed or []) if v.date >= today]
    return [Row(elevator.maintenance_company_id, elevator.pk, start, n, v.quarter, v.date) for n, v in numbered]


def last_done_dates(elevator_ids) -> dict[int, date]:
    """Each elevator's last visit actually made (one grouped query)."""
    rows = (
        MaintenancePlan.objects.filter(elevator_id__in=elevator_ids, status=PlanStatus.DONE)
        .values_list("elevator_id")
        .annotate(last=Max("done_at"))
        .order_by()
    )
    return {elevator_id: timezone.localtime(last).date() for elevator_id, last in rows if last}


def replace_future_plans(elevator_ids, rows: list[Row], *, today: date) -> int:
    """The elevators' open plans from today on give way to `rows` (in one transaction)."""
    with transaction.atomic():
        MaintenancePlan.objects.filter(
            elevator_id__in=elevator_ids, status=PlanStatus.PLANNED, due_date__gte=today
        ).delete()
        insert_rows(rows)
    return len(rows)


_COLUMNS = (
    "organization_id",
    "elevator_id",
    "year_start",
    "position",
    "quarter",
    "cycle",
    "due_date",
    "original_date",
    "status",
    "closed_reason",
    "created_at",
)


def insert_rows(rows: list[Row]) -> None:
    """Write plan rows: PostgreSQL's COPY (the fastest way in), bulk INSERTs on SQLite."""
    if not rows:
        return
    now = timezone.now()
    if connection.vendor == "postgresql":
        table = MaintenancePlan._meta.db_table
        buffer = io.StringIO()
        for r in rows:
            buffer.write(
                f"{r.organization_id}\t{r.elevator_id}\t{r.year_start}\t{r.position}\t{r.quarter}\t"
                f"{CYCLE_OF_QUARTER[r.quarter]}\t{r.due_date}\t{r.due_date}\t{PlanStatus.PLANNED}\t\t{now}\n"
            )
        with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
            copy.write(buffer.getvalue())
        return
    MaintenancePlan.objects.bulk_create(
        (
            MaintenancePlan(
                organization_id=r.organization_id,
                elevator_id=r.elevator_id,
                year_start=r.year_start,
                position=r.position,
                quarter=r.quarter,
                cycle=CYCLE_OF_QUARTER[r.quarter],
                due_date=r.due_date,
                original_date=r.due_date,
            )
            for r in rows
        ),
        batch_size=2000,
    )


def generate_year(elevator, start: date, *, actor, avoid=None, request=None, today: date | None = None) -> int:
    """新增维保计划 for one elevator: the year from `start`, its visits from today on. Returns how many."""
    today = today or _today()
    check_start(start, today)
    reason = refusal(elevator)
    if reason:
        raise ValidationError(reason)
    if avoid is None:
        avoid = avoid_for(elevator.maintenance_company_id, start, schedule.year_end(start))
    with transaction.atomic():
        locked = type(elevator).objects.select_for_update().get(pk=elevator.pk)
        rows = plan_rows(locked, start, today=today, avoid=avoid, last_done=last_done_dates([locked.pk]).get(locked.pk))
        if not rows:
            raise ValidationError(
                {"start_date": _("从这个起始日期算，这一年的维保都已过去。请填写更近的日期（年度维保到期前一年内）。")}
            )
        created = replace_future_plans([locked.pk], rows, today=today)
        audit.record(
            actor,
            "plan",
            locked,
            changes={"start_date": [None, start.isoformat()], "plans": [None, created]},
            request=request,
        )
    return created


def _effective(plan) -> date:
    return timezone.localtime(plan.done_at).date() if plan.status == PlanStatus.DONE and plan.done_at else plan.due_date


@transaction.atomic
def complete_plan(plan, done_at, *, actor=None, avoid=None) -> MaintenancePlan:
    """A visit made on `done_at` (the record's time): the plan is done and the rest of its year follows the
    visit actually made, so that no gap from it exceeds the interval and the quarters stay in place."""
    plan = MaintenancePlan.objects.select_for_update().select_related("elevator").get(pk=plan.pk)
    if plan.status != PlanStatus.PLANNED:
        raise ValidationError(_("这条维保计划已是“%(status)s”。") % {"status": plan.get_status_display()})
    plan.status, plan.done_at = PlanStatus.DONE, done_at
    plan.save(update_fields=["status", "done_at"])
    done_on = timezone.localtime(done_at).date() if timezone.is_aware(done_at) else done_at.date()
    following = list(
        MaintenancePlan.objects.select_for_update()
        .filter(elevator_id=plan.elevator_id, status=PlanStatus.PLANNED, due_date__gte=min(plan.due_date, done_on))
        .order_by("year_start", "due_date")
    )
    _follow(plan.elevator, following, done_on, plan=plan, avoid=avoid)
    if actor is not None:
        audit.record(actor, "complete", plan, changes={"done_at": [None, done_at.isoformat()]})
    return plan


def _follow(elevator, following, done_on: date, *, plan, avoid) -> None:
    """Re-place the open plans after a visit made on `done_on`, year by year, starting with the visit's own year
    (even when none of its plans is left: an annual visit made early may need one more visit before the next
    year begins). The first year that still has days after the visit takes them; a year already over closes
    its leftovers (the visit made covers them)."""
    interval = interval_for(elevator, done_on)
    years = {plan.year_start: []}
    for row in following:
        years.setdefault(row.year_start, []).append(row)
    for year_start in sorted(years):
        rows = years[year_start]
        end = schedule.year_end(year_start)
        year_avoid = avoid if avoid is not None else avoid_for(plan.organization_id, done_on, end)
        pending = {p.quarter for p in rows if p.quarter}
        placed = schedule.reanchor(
            start=year_start, last_visit=done_on, pending=pending, count=len(rows), interval=interval, avoid=year_avoid
        )
        if placed is None:
            _close(rows, _("计划年度已结束，由 %(date)s 的维保接续。") % {"date": done_on.isoformat()})
            continue
        _rewrite(year_start, rows, placed, plan)
        return


def _rewrite(year_start, rows, placed, plan) -> None:
    """Give the year's open rows the new dates (delete and insert: the partial unique index never sees two
    open plans on one day in between); rows without a place are closed as merged."""
    keep = rows[: len(placed)]
    _close(rows[len(placed) :], _("已并入相邻的维保计划。"))
    first_position = min((p.position for p in rows), default=plan.position + 1)
    MaintenancePlan.objects.filter(pk__in=[p.pk for p in keep]).delete()
    insert_rows(
        [
            Row(plan.organization_id, plan.elevator_id, year_start, first_position + i, v.quarter, v.date)
            for i, v in enumerate(placed)
        ]
    )


def _close(rows, reason: str) -> None:
    if rows:
        MaintenancePlan.objects.filter(pk__in=[p.pk for p in rows]).update(
            status=PlanStatus.CLOSED, closed_reason=reason[:200]
        )


def neighbours(plan) -> tuple[date | None, date | None, date]:
    """The visit before the plan (made or planned), the open plan after it, and the plan year's end."""
    others = MaintenancePlan.objects.filter(elevator_id=plan.elevator_id).exclude(pk=plan.pk)
    before = (
        others.filter(status__in=(PlanStatus.PLANNED, PlanStatus.DONE), due_date__lte=plan.due_date)
        .order_by("-due_date", "-id")
        .first()
    )
    after = others.filter(status=PlanStatus.PLANNED, due_date__gt=plan.due_date).order_by("due_date").first()
    return (
        _effective(before) if before else None,
        after.due_date if after else None,
        schedule.year_end(plan.year_start),
    )


def move_window(plan, today: date | None = None) -> tuple[date, date] | None:
    """The first and last day the plan may move to (None when no other day keeps every bound)."""
    today = today or _today()
    interval = interval_for(plan.elevator, plan.due_date)
    previous, following, end = neighbours(plan)
    first = max(today, previous + timedelta(days=1) if previous else today)
    last = end - timedelta(days=1)
    if previous:
        last = min(last, previous + timedelta(days=interval))
    nxt = following or end
    first = max(first, nxt - timedelta(days=interval))
    if following:
        last = min(last, following - timedelta(days=1))
    if plan.quarter:
        bounds = schedule.quarter_bounds(plan.year_start)
        first = max(first, plan.year_start if plan.quarter == 1 else bounds[plan.quarter - 2])
        last = min(last, bounds[plan.quarter - 1] - timedelta(days=1))
    if first > last or (first == last == plan.due_date):
        return None
    return first, last


def next_year_start(elevator) -> date | None:
    """The day after the elevator's latest plan year (where the next year of visits begins), if it has one."""
    latest = MaintenancePlan.objects.filter(elevator=elevator).aggregate(start=Max("year_start"))["start"]
    return schedule.year_end(latest) if latest else None


def move_plan(plan, new_date: date | None, *, actor, reason: str, request=None, today: date | None = None):
    """调整 one plan to another day, with a reason; refused (saying by how many days) when the new day would
    make a gap longer than the interval, pass a neighbour, leave the visit's quarter or lie in the past."""
    today = today or _today()
    if new_date is None:
        raise ValidationError({"due_date": _("请填写新的计划日期。")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写调整原因。")})
    with transaction.atomic():
        plan = MaintenancePlan.objects.select_for_update().select_related("elevator").get(pk=plan.pk)
        if plan.status != PlanStatus.PLANNED:
            raise ValidationError(_("只有待维保的计划可以调整。"))
        _check_move(plan, new_date, today)
        before = plan.due_date
        plan.due_date = new_date
        plan.save(update_fields=["due_date"])
        audit.record(
            actor,
            "move",
            plan,
            changes={"due_date": [before.isoformat(), new_date.isoformat()]},
            reason=reason.strip(),
            request=request,
        )
    return plan


def _check_move(plan, new_date: date, today: date) -> None:
    interval = interval_for(plan.elevator, new_date)
    previous, following, end = neighbours(plan)
    if new_date < today:
        raise ValidationError({"due_date": _("不能调整到今天以前。")})
    if new_date == plan.due_date:
        raise ValidationError({"due_date": _("新的日期与原计划日期相同。")})
    if previous and new_date <= previous:
        raise ValidationError(
            {"due_date": _("不能调整到上一次维保（%(date)s）当天或之前。") % {"date": previous.isoformat()}}
        )
    if following and new_date >= following:
        raise ValidationError(
            {"due_date": _("不能调整到下一次计划（%(date)s）当天或之后。") % {"date": following.isoformat()}}
        )
    if plan.quarter:
        bounds = schedule.quarter_bounds(plan.year_start)
        first = plan.year_start if plan.quarter == 1 else bounds[plan.quarter - 2]
        if not first <= new_date < bounds[plan.quarter - 1]:
            raise ValidationError(
                {
                    "due_date": _("%(cycle)s维保须在 %(first)s 至 %(last)s 之间。")
                    % {
                        "cycle": plan.get_cycle_display(),
                        "first": first.isoformat(),
                        "last": (bounds[plan.quarter - 1] - timedelta(days=1)).isoformat(),
                    }
                }
            )
    if previous and (new_date - previous).days > interval:
        over = (new_date - previous).days - interval
        raise ValidationError(
            {
                "due_date": _("调整后距上一次维保（%(date)s）%(gap)s 天，超过规定的 %(interval)s 天 %(over)s 天。")
                % {"date": previous.isoformat(), "gap": (new_date - previous).days, "interval": interval, "over": over}
            }
        )
    nxt = following or (end if new_date < end else None)
    if nxt and (nxt - new_date).days > interval:
        over = (nxt - new_date).days - interval
        raise ValidationError(
            {
                "due_date": _("调整后距下一次维保（%(date)s）%(gap)s 天，超过规定的 %(interval)s 天 %(over)s 天。")
                % {"date": nxt.isoformat(), "gap": (nxt - new_date).days, "interval": interval, "over": over}
            }
        )
    if new_date >= end:
        raise ValidationError({"due_date": _("不能调整到本计划年度（至 %(date)s）之外。") % {"date": end.isoformat()}})


def close_open_plans(elevator, *, reason: str, actor=None, request=None) -> int:
    """停用 or 报废: the elevator's open plans close with the reason (the applications' approval calls this)."""
    with transaction.atomic():
        closed = MaintenancePlan.objects.filter(elevator_id=elevator.pk, status=PlanStatus.PLANNED).update(
            status=PlanStatus.CLOSED, closed_reason=reason[:200]
        )
        if actor is not None and closed:
            audit.record(actor, "close_plans", elevator, changes={"plans": [closed, 0]}, reason=reason, request=request)
    return closed


def hand_over(elevator, company_id: int, *, actor=None, reason: str = "", request=None) -> int:
    """维保单位变更 approved: the elevator's open plans pass to the new company (same days: the legal interval
    runs on) and it leaves the old company's group. Returns how many plans moved."""
    from ..models import GroupAssignment

    with transaction.atomic():
        moved = MaintenancePlan.objects.filter(elevator_id=elevator.pk, status=PlanStatus.PLANNED).update(
            organization_id=company_id
        )
        GroupAssignment.objects.filter(elevator_id=elevator.pk).exclude(group__organization_id=company_id).delete()
        if actor is not None and moved:
            audit.record(
                actor, "hand_over_plans", elevator, changes={"plans": [None, moved]}, reason=reason, request=request
            )
    return moved


def resume_plans(elevator, start: date, *, actor, request=None, today: date | None = None) -> int:
    """停用后启用 approved: a new plan year from the reactivation day (or today, when that is past), if the
    elevator had plans before its suspension. Returns how many visits were planned."""
    today = today or _today()
    if not MaintenancePlan.objects.filter(elevator_id=elevator.pk).exists():
        return 0
    return generate_year(elevator, max(start, today), actor=actor, request=request, today=today)


# --- 新增维保计划 for a selection: a background job ------------------------------------------------------

JOB_BATCH = 1000


def start_plan_job(*, actor, elevator_ids, start: date, description: str = "", request=None):
    """A year of plans for many elevators (up to a whole company), generated in the background."""
    from core import background

    from ..models import PlanJob
    from ..tasks import run_plan_job

    check_start(start)
    if not elevator_ids:
        raise ValidationError(_("没有符合条件、可以制定计划的电梯。"))
    with transaction.atomic():
        job = PlanJob.objects.create(
            organization_id=actor.organization_id,
            created_by=actor,
            start_date=start,
            elevator_ids=list(elevator_ids),
            description=description[:300],
            total=len(elevator_ids),
        )
        audit.record(
            actor,
            "plan",
            job,
            changes={"start_date": [None, start.isoformat()], "elevators": [None, len(elevator_ids)]},
            request=request,
        )
        transaction.on_commit(
            lambda: background.launch(job.pk, runner=run_job, task=run_plan_job, fail=_could_not_start)
        )
    return job


def _could_not_start(job_id, exc) -> None:
    from ..models import PlanJob

    PlanJob.objects.filter(pk=job_id).update(
        status=PlanJob.Status.FAILED,
        error=_("无法启动后台任务（%(error)s），请稍后重试。") % {"error": exc},
        finished_at=timezone.now(),
    )


def run_job(job_id: int, *, today: date | None = None) -> None:
    """Generate the job's elevators batch by batch, each batch in one transaction, the progress saved after
    each; an elevator that cannot be planned any more (transferred, suspended meanwhile) is listed, not fatal."""
    from elevators.models import Elevator

    from ..models import PlanJob

    job = PlanJob.objects.filter(pk=job_id, status=PlanJob.Status.QUEUED).first()
    if job is None:
        return
    today = today or _today()
    PlanJob.objects.filter(pk=job.pk).update(status=PlanJob.Status.RUNNING)
    try:
        avoid = avoid_for(job.organization_id, job.start_date, schedule.year_end(job.start_date))
        ids = job.elevator_ids
        for first in range(0, len(ids), JOB_BATCH):
            batch = list(
                Elevator.objects.filter(pk__in=ids[first : first + JOB_BATCH])
                .select_related("on_demand")
                .only("id", "status", "maintenance_company_id", "register_code", "on_demand")
            )
            found = {e.pk for e in batch}
            skipped = [[pk, "", _("电梯已不存在。")] for pk in ids[first : first + JOB_BATCH] if pk not in found]
            plannable = []
            for elevator in batch:
                reason = refusal(elevator)
                if not reason and elevator.maintenance_company_id != job.organization_id:
                    reason = _("电梯已不由本单位维保。")
                if reason:
                    skipped.append([elevator.pk, elevator.register_code, reason])
                else:
                    plannable.append(elevator)
            done = last_done_dates([e.pk for e in plannable])
            rows = [
                row
                for elevator in plannable
                for row in plan_rows(
                    elevator, job.start_date, today=today, avoid=avoid, last_done=done.get(elevator.pk)
                )
            ]
            created = replace_future_plans([e.pk for e in plannable], rows, today=today)
            job.processed += len(ids[first : first + JOB_BATCH])
            job.created_plans += created
            job.skipped += skipped
            PlanJob.objects.filter(pk=job.pk).update(
                processed=job.processed, created_plans=job.created_plans, skipped=job.skipped
            )
        PlanJob.objects.filter(pk=job.pk).update(status=PlanJob.Status.DONE, finished_at=timezone.now())
    except Exception as exc:  # the job says what went wrong; the batches written so far stay (each is whole)
        PlanJob.objects.filter(pk=job.pk).update(
            status=PlanJob.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
