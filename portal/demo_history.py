"""The demo's last fourteen weeks of maintenance: the visits each company made before the demo's day, so that the
on-time rates, the credit grades, the weekly chart and the compliance tables have something to say.

重庆渝安 (mc1) keeps to its plans; 重庆山城 (mc2) is late every few visits and has missed 隆鑫·盛世普天3栋's last
visits (red in 维保预警查询, escalated to the use unit and 九龙坡区局). Each visit is a done plan with its record:
two workers on site, every item answered 正常, the use unit's signature, sealed into the company's chain like any
confirmed record (`records.seal.seal_confirmed`). They are written in bulk (the loader runs in the tests too); the
five visits of `portal.demo._demo_records` go through the records services instead and complete the plans left open
for them.

An elevator has history only while it was in use: not before the date its (pending) registration names, not after
an approved suspension or scrapping, not before an approved reactivation.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

HISTORY_DAYS = 98  # fourteen weeks: the 90-day on-time window and the 12-week chart are full
AFTERNOON = time(14, 0)  # history visits start after lunch: the morning belongs to the records-service visits
TRAVEL = timedelta(minutes=20)
MINUTES = {"half_month": 48, "quarter": 75, "half_year": 105, "annual": 150}
MISSED = {"隆鑫·盛世普天3栋"}  # mc2 missed this elevator's visits of the last days (long overdue)
LATE_EVERY = {"mc2": 6}  # about one visit in six of mc2 is made a few days late


@dataclass
class _Visit:
    elevator: object
    plan: object
    day: date


def in_service(elevator, today: date) -> tuple[date, date]:
    """[from, until) of the history window during which `elevator` was in use, by its applications."""
    from applications.models import ApplicationKind as K
    from applications.models import ApplicationStatus as S

    start, end = today - timedelta(days=HISTORY_DAYS), today
    applications = elevator.applications.exclude(effective_date=None).order_by("effective_date", "pk")
    for kind, status, effective in applications.values_list("kind", "status", "effective_date"):
        if kind == K.REGISTRATION:  # put into use on the date it names (approved ones are years old)
            start = max(start, effective)
        elif kind in (K.SUSPENSION, K.SCRAPPING) and status == S.APPROVED:
            end = min(end, effective)
        elif kind == K.REACTIVATION and status == S.APPROVED:
            start, end = max(start, effective), today
    return start, end


def load_history(orgs, kept_open: dict[int, date]) -> None:
    """Plans and records of the history window, unsealed (the caller seals them in confirmation order).
    `kept_open` {elevator id: day}: from that day on, the elevator's plans stay open for a visit made through the
    services."""
    from django.db.models import Min

    from elevators.models import Elevator
    from maintenance import schedule
    from maintenance.models import CYCLE_OF_QUARTER, MaintenancePlan, PlanStatus
    from maintenance.services.plans import avoid_for

    today = timezone.localdate()
    companies = {orgs[key].pk: key for key in ("mc1", "mc2")}
    elevators = Elevator.objects.filter(maintenance_company_id__in=companies).select_related("on_demand").order_by("pk")
    first_years = dict(
        MaintenancePlan.objects.filter(elevator__in=elevators)
        .values_list("elevator_id")
        .annotate(first=Min("year_start"))
        .order_by()
    )
    plans, visits = [], []
    serials = {}
    for elevator in elevators:
        serial = serials[elevator.maintenance_company_id] = serials.get(elevator.maintenance_company_id, -1) + 1
        first_year = first_years.get(elevator.pk)
        if first_year is None:
            continue
        start, end = in_service(elevator, today)
        avoid = avoid_for(elevator.maintenance_company_id, first_year, schedule.year_end(first_year))
        rows = [
            (n, v)
            for n, v in enumerate(schedule.plan_year(first_year, avoid=avoid), 1)
            if start <= v.date < end and v.date < today
        ]
        key = companies[elevator.maintenance_company_id]
        missed_from = _missed_from(elevator, rows, today)
        for n, v in rows:
            plan = MaintenancePlan(
                organization_id=elevator.maintenance_company_id,
                elevator=elevator,
                year_start=first_year,
                position=n,
                quarter=v.quarter,
                cycle=CYCLE_OF_QUARTER[v.quarter],
                due_date=v.date,
                original_date=v.date,
            )
            plans.append(plan)
            open_from = kept_open.get(elevator.pk)
            if (open_from is not None and v.date >= open_from) or (missed_from and v.date >= missed_from):
                continue  # stays open (planned)
            done = _done_day(key, serial, n, v.date, today)
            plan.status = PlanStatus.DONE
            visits.append(_Visit(elevator, plan, done))
    _write_records(orgs, plans, visits)


def _missed_from(elevator, rows, today: date) -> date | None:
    """The due date from which a missed elevator's plans stay open: the last one at least eight days back."""
    if elevator.building not in MISSED:
        return None
    old = [v.date for _n, v in rows if v.date <= today - timedelta(days=8)]
    return old[-1] if old else None


def _done_day(key: str, serial: int, position: int, due: date, today: date) -> date:
    """On the due day; for a late company, every few visits two to five days after it (never today or later).
    `serial`: the elevator's place among its company's (ids differ from one database to the next)."""
    every = LATE_EVERY.get(key)
    if every and (serial + position) % every == 0:
        late = due + timedelta(days=2 + position % 4)
        if late < today:
            return late
    return due


def _write_records(orgs, plans: list, visits: list[_Visit]) -> None:
    """The plans (the visits' done at their records' end), then one record per visit with its two workers and its
    items, confirmed by the use unit (bulk inserts)."""
    from accounts.models import User
    from core.uploads import IMAGE, save_attachment, validate_upload
    from maintenance.models import MaintenancePlan
    from records import services
    from records.models import ItemResult, MaintenanceRecord, RecordItem, RecordStatus, RecordWorker

    from .demo import DEMO_GROUPS, _demo_signature

    crews = {}
    for key, _name, leader, members in DEMO_GROUPS:
        people = {u.username: u for u in User.objects.filter(username__in=members)}
        second = next(u for name, u in sorted(people.items()) if name != leader)
        crews[orgs[key].pk] = (people[leader], second)
    managers = {
        use_unit: User.objects.filter(organization_id=use_unit, role="admin").order_by("pk").first()
        for use_unit in {v.elevator.use_unit_id for v in visits}
    }
    # each crew's day: one visit after the other from the afternoon on
    visits.sort(key=lambda v: (v.elevator.maintenance_company_id, v.day, v.elevator.pk))
    clock, records = {}, []
    for visit in visits:
        elevator, plan = visit.elevator, visit.plan
        slot = (elevator.maintenance_company_id, visit.day)
        started = clock.get(slot) or timezone.make_aware(datetime.combine(visit.day, AFTERNOON))
        finished = started + timedelta(minutes=MINUTES[plan.cycle] + elevator.pk % 7)
        clock[slot] = finished + TRAVEL
        plan.done_at = finished
        records.append(
            MaintenanceRecord(
                organization_id=elevator.maintenance_company_id,
                elevator=elevator,
                plan=plan,
                cycle=plan.cycle,
                work_type=services.work_type_for(elevator, plan.cycle, visit.day),
                status=RecordStatus.CONFIRMED,
                started_at=started,
                finished_at=finished,
                finish_received_at=finished + timedelta(seconds=4),
                duration_minutes=int((finished - started).total_seconds() // 60),
                latitude=elevator.latitude,
                longitude=elevator.longitude,
                accuracy_m=8 + elevator.pk % 5,
                distance_m=12 + elevator.pk % 9,
                hazard_codes=["S0"],
                confirmed_at=finished + timedelta(hours=1, minutes=10 + elevator.pk % 40),
                confirmed_name=managers[elevator.use_unit_id].display_name,
                confirmed_by=managers[elevator.use_unit_id],
            )
        )
    MaintenancePlan.objects.bulk_create(plans, batch_size=500)
    MaintenanceRecord.objects.bulk_create(records, batch_size=200)
    # the server received each record as it was finished (auto_now_add wrote the loader's time)
    for record in records:
        record.received_at = record.started_at + timedelta(seconds=3)
    MaintenanceRecord.objects.bulk_update(records, ["received_at"], batch_size=200)

    workers, items, cache = [], [], {}
    for record in records:
        first, second = crews[record.organization_id]
        workers += crew(record, first, second, distance_m=record.distance_m, face_distance=0.31 + record.pk % 9 / 100)
        day = timezone.localdate(record.started_at)
        key = (record.elevator.device_category, record.organization_id, record.cycle, day.month)
        if key not in cache:
            cache[key] = list(services.items_due(record.elevator, record.cycle, day))
        due = cache[key]
        step = (record.duration_minutes - 6) / max(len(due), 1)
        for n, item in enumerate(due):
            value, out = services._measured(item, "8") if item.judgement == services.NUMERIC else (None, False)
            items.append(
                RecordItem(
                    record=record,
                    item=item,
                    code=item.code,
                    part=item.part,
                    requirement=item.requirement,
                    result=ItemResult.NORMAL,
                    measured_value=value,
                    out_of_limit=out,
                    answered_at=record.started_at + timedelta(minutes=3 + n * step),
                    answered_by=first,
                )
            )
    RecordWorker.objects.bulk_create(workers, batch_size=500)
    RecordItem.objects.bulk_create(items, batch_size=1000)
    signature = validate_upload(SimpleUploadedFile("signature.png", _demo_signature(), "image/png"), kinds=IMAGE)
    for record in records:
        signature.file.seek(0)
        record.signature = save_attachment(signature, record, "signature", record.confirmed_by)
    MaintenanceRecord.objects.bulk_update(records, ["signature"], batch_size=200)


def crew(record, first, second, *, distance_m: int, face_distance: float) -> list:
    """The two workers of a demo visit (unsaved): the second joins two minutes after the first, faces matched."""
    from records.models import RecordWorker

    return [
        RecordWorker(
            record=record,
            user=person,
            role=role,
            joined_at=record.started_at + timedelta(minutes=delay),
            latitude=record.latitude,
            longitude=record.longitude,
            distance_m=distance_m,
            face_matched=True,
            face_distance=face_distance,
        )
        for person, role, delay in ((first, "first", 0), (second, "second", 2))
    ]


__all__ = ["HISTORY_DAYS", "crew", "in_service", "load_history"]
