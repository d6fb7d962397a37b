"""维保计划 services: a year from a start date, regeneration, visits made early and late, moves, closing."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import AuditEvent
from maintenance import schedule
from maintenance.models import MaintenancePlan, OnDemandMaintenance, PlanStatus
from maintenance.services import plans
from tests.factories import make_elevator, make_world

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)
NONE = frozenset()


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def elevator(world):
    return make_elevator(world)


def open_dates(elevator):
    return list(
        MaintenancePlan.objects.filter(elevator=elevator, status=PlanStatus.PLANNED)
        .order_by("due_date")
        .values_list("due_date", flat=True)
    )


def generate(world, elevator, start, **kwargs):
    return plans.generate_year(elevator, start, actor=world.admin_a, avoid=NONE, today=TODAY, **kwargs)


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=10))


def test_the_seeds_example_annual_in_three_months_start_nine_months_back(world, elevator):
    start = schedule.add_months(TODAY, -9)  # 2026-02-25: the annual visit falls due in February 2027
    created = generate(world, elevator, start)
    dates = open_dates(elevator)
    assert created == len(dates) and dates[0] >= TODAY
    full_year = schedule.plan_year(start)
    assert dates == [v.date for v in full_year if v.date >= TODAY]  # only plans from today on
    last = MaintenancePlan.objects.filter(elevator=elevator).order_by("due_date").last()
    assert last.cycle == "annual" and last.due_date.month in (1, 2) and last.due_date.year == 2027
    assert schedule.gaps(dates) and max(schedule.gaps(dates)) <= 15
    assert AuditEvent.objects.filter(action="plan", target_id=elevator.pk).count() == 1


def test_generating_again_never_duplicates_a_plan(world, elevator):
    start = date(2026, 6, 1)
    first = generate(world, elevator, start)
    again = generate(world, elevator, start)
    assert first == again == MaintenancePlan.objects.filter(elevator=elevator).count()
    assert len(open_dates(elevator)) == len(set(open_dates(elevator)))


def test_a_new_start_replaces_the_open_plans_and_keeps_what_was_done(world, elevator):
    generate(world, elevator, date(2026, 6, 1))
    first = MaintenancePlan.objects.filter(elevator=elevator).order_by("due_date").first()
    plans.complete_plan(first, at(first.due_date), avoid=NONE)
    generate(world, elevator, date(2026, 11, 1))
    assert MaintenancePlan.objects.get(pk=first.pk).status == PlanStatus.DONE
    assert open_dates(elevator)[-1] < date(2027, 11, 1)


def test_the_first_plan_follows_the_last_visit_made(world, elevator):
    """A visit made 12 days ago: the new year's first plan comes within 15 days of it, not 15 days of today."""
    generate(world, elevator, date(2026, 6, 1))
    done = MaintenancePlan.objects.filter(elevator=elevator).order_by("due_date").first()
    MaintenancePlan.objects.filter(pk=done.pk).update(status=PlanStatus.DONE, done_at=at(TODAY - timedelta(days=12)))
    generate(world, elevator, date(2026, 6, 1))
    assert (open_dates(elevator)[0] - (TODAY - timedelta(days=12))).days <= 15


@pytest.mark.parametrize("days", [-9, -3, 0, 4, 11])
def test_a_visit_made_early_or_late_shifts_the_following_ones(world, elevator, days):
    start = date(2026, 11, 20)
    generate(world, elevator, start)
    plan = MaintenancePlan.objects.filter(elevator=elevator, status=PlanStatus.PLANNED).order_by("due_date")[1]
    made = plan.due_date + timedelta(days=days)
    plans.complete_plan(plan, at(made), avoid=NONE)
    following = [d for d in open_dates(elevator) if d > made]
    end = schedule.year_end(start)
    assert max(schedule.gaps([made, *following, end])) <= 15
    annual = MaintenancePlan.objects.get(elevator=elevator, status=PlanStatus.PLANNED, cycle="annual")
    assert annual.due_date == following[-1] and (end - annual.due_date).days <= 15
    assert MaintenancePlan.objects.filter(elevator=elevator, status=PlanStatus.PLANNED, cycle="half_year").count() == 1


def test_completing_twice_is_refused(world, elevator):
    generate(world, elevator, date(2026, 11, 20))
    plan = MaintenancePlan.objects.filter(elevator=elevator).first()
    plans.complete_plan(plan, at(plan.due_date), avoid=NONE)
    with pytest.raises(ValidationError):
        plans.complete_plan(plan, at(plan.due_date), avoid=NONE)


def test_a_move_within_the_bound_is_kept_with_its_reason(world, elevator):
    generate(world, elevator, date(2026, 11, 20))
    rows = list(MaintenancePlan.objects.filter(elevator=elevator).order_by("due_date"))
    # a visit 14 days before the next one may come a day earlier: 15 days to the next, 13 from the last
    plan = next(p for p, n in zip(rows[1:], rows[2:], strict=False) if (n.due_date - p.due_date).days == 14)
    plans.move_plan(plan, plan.due_date - timedelta(days=1), actor=world.admin_a, reason="业主要求", today=TODAY)
    plan.refresh_from_db()
    assert plan.due_date == plan.original_date - timedelta(days=1)
    event = AuditEvent.objects.get(action="move", target_id=plan.pk)
    assert event.reason == "业主要求"


def test_a_move_past_the_bound_says_by_how_many_days(world, elevator):
    generate(world, elevator, date(2026, 11, 20))
    rows = list(MaintenancePlan.objects.filter(elevator=elevator).order_by("due_date"))
    plan, previous = rows[2], rows[1].due_date
    with pytest.raises(ValidationError) as refused:
        plans.move_plan(plan, previous + timedelta(days=18), actor=world.admin_a, reason="x", today=TODAY)
    message = " ".join(refused.value.messages)
    assert "超过规定的 15 天" in message or "下一次计划" in message
    with pytest.raises(ValidationError) as refused:
        plans.move_plan(rows[-1], rows[-2].due_date + timedelta(days=1), actor=world.admin_a, reason="x", today=TODAY)
    gap = (schedule.year_end(date(2026, 11, 20)) - rows[-2].due_date).days - 1
    assert f"{gap} 天，超过规定的 15 天 {gap - 15} 天" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):
        plans.move_plan(plan, plan.due_date + timedelta(days=1), actor=world.admin_a, reason="", today=TODAY)


def test_a_quarter_visit_stays_in_its_quarter(world, elevator):
    start = date(2026, 11, 20)
    generate(world, elevator, start)
    quarter = MaintenancePlan.objects.get(elevator=elevator, quarter=1)
    bound = schedule.quarter_bounds(start)[0]
    following = MaintenancePlan.objects.filter(elevator=elevator, due_date__gt=quarter.due_date).first()
    if following.due_date > bound:
        with pytest.raises(ValidationError, match="季度维保须在"):
            plans.move_plan(quarter, bound, actor=world.admin_a, reason="x", today=TODAY)


def test_suspended_and_scrapped_elevators_get_no_plans_and_close_theirs(world, elevator):
    generate(world, elevator, date(2026, 11, 20))
    closed = plans.close_open_plans(elevator, reason="停用登记已批准", actor=world.yubei_admin)
    assert closed == MaintenancePlan.objects.filter(elevator=elevator, status=PlanStatus.CLOSED).count() > 20
    assert not open_dates(elevator)
    for status in ("suspended", "scrapped"):
        type(elevator).objects.filter(pk=elevator.pk).update(status=status)
        elevator.refresh_from_db()
        with pytest.raises(ValidationError):
            generate(world, elevator, date(2026, 11, 20))


def test_start_dates_over_a_year_back_or_ahead_are_refused(world, elevator):
    for start in (date(2025, 11, 25), date(2027, 12, 1)):
        with pytest.raises(ValidationError) as refused:
            generate(world, elevator, start)
        assert "start_date" in refused.value.message_dict


def test_an_on_demand_elevator_keeps_its_approved_interval(world, elevator):
    OnDemandMaintenance.objects.create(elevator=elevator, interval_days=30, starts_on=date(2026, 1, 1), note="试点批复")
    elevator.refresh_from_db()
    generate(world, elevator, date(2026, 11, 20))
    rows = list(MaintenancePlan.objects.filter(elevator=elevator).order_by("due_date"))
    dates = [p.due_date for p in rows]
    assert max(schedule.gaps([*dates, date(2027, 11, 20)])) <= 30 and len(rows) in (12, 13)
    assert [p.cycle for p in rows if p.quarter] == ["quarter", "half_year", "quarter", "annual"]


def test_the_move_window_keeps_every_bound(world, elevator):
    generate(world, elevator, date(2026, 11, 20))
    rows = list(MaintenancePlan.objects.filter(elevator=elevator).order_by("due_date"))
    for plan in rows[1:-1]:
        window = plans.move_window(plan, today=TODAY)
        if window is None:
            continue
        for day in (window[0], window[1]):
            if day != plan.due_date:
                plans.move_plan(plan, day, actor=world.admin_a, reason="试算", today=TODAY)
                plans.move_plan(plan, plan.original_date, actor=world.admin_a, reason="还原", today=TODAY)
        with pytest.raises(ValidationError):
            plans.move_plan(plan, window[1] + timedelta(days=1), actor=world.admin_a, reason="x", today=TODAY)
    assert plans.next_year_start(elevator) == date(2027, 11, 20)
