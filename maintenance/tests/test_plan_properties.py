"""Property tests of the plan services on the database: any start date, days off and on-demand interval —
generating twice never duplicates a plan, and a visit made early or late re-places the rest within the bound."""

from datetime import date, datetime, timedelta

from django.utils import timezone
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from maintenance import schedule
from maintenance.models import MaintenancePlan, OnDemandMaintenance, PlanStatus
from maintenance.services import plans
from tests.factories import make_elevator, make_world

TODAY = date(2026, 11, 25)


def days_off(seed: int) -> frozenset:
    """Blocks of up to 8 days off every 20 to 60 days, from the seed."""
    off, day, step = set(), date(2025, 10, 1), seed
    while day < date(2028, 3, 1):
        length = 1 + step % 8
        off.update(day + timedelta(days=i) for i in range(length))
        step = (step * 7 + 3) % 97
        day += timedelta(days=length + 20 + step % 40)
    return frozenset(off)


class PlanServiceProperties(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        start=st.dates(min_value=date(2025, 12, 1), max_value=date(2027, 6, 30)),
        interval=st.sampled_from([15, 15, 20, 30, 45]),
        seed=st.integers(min_value=0, max_value=96),
        done_offset=st.integers(min_value=-12, max_value=14),
        which=st.integers(min_value=0, max_value=20),
    )
    def test_regeneration_and_completion(self, start, interval, seed, done_offset, which):
        elevator = make_elevator(self.world)
        if interval != 15:
            OnDemandMaintenance.objects.create(elevator=elevator, interval_days=interval, starts_on=date(2025, 1, 1))
            elevator.refresh_from_db()
        avoid = days_off(seed)
        assume(schedule.plan_year(start, interval=interval, avoid=avoid)[-1].date >= TODAY)
        first = plans.generate_year(elevator, start, actor=self.world.admin_a, avoid=avoid, today=TODAY)
        again = plans.generate_year(elevator, start, actor=self.world.admin_a, avoid=avoid, today=TODAY)
        rows = list(MaintenancePlan.objects.filter(elevator=elevator).order_by("due_date"))
        dates = [p.due_date for p in rows]
        assert first == again == len(rows) and len(set(dates)) == len(dates)
        end = schedule.year_end(start)
        assert max(schedule.gaps([*dates, end])) <= interval and rows[-1].cycle == "annual"

        plan = rows[min(which, len(rows) - 1)]
        previous = rows[rows.index(plan) - 1].due_date if rows.index(plan) else plan.due_date - timedelta(days=1)
        made = max(previous + timedelta(days=1), plan.due_date + timedelta(days=done_offset))
        at = timezone.make_aware(datetime.combine(made, datetime.min.time()).replace(hour=9))
        plans.complete_plan(plan, at, avoid=avoid)
        following = list(
            MaintenancePlan.objects.filter(elevator=elevator, status=PlanStatus.PLANNED, due_date__gt=made)
            .order_by("due_date")
            .values_list("due_date", "cycle")
        )
        if made < end - timedelta(days=1):
            assert max(schedule.gaps([made, *[d for d, _c in following], end])) <= interval
            if plan.cycle != "annual":
                assert following[-1][1] == "annual"
        # what stays open on or before the visit made: the plans before the one done (overdue), nothing after it
        earlier = {p.pk for p in rows[: rows.index(plan)]}
        left = MaintenancePlan.objects.filter(elevator=elevator, status=PlanStatus.PLANNED, due_date__lte=made)
        assert set(left.values_list("pk", flat=True)) <= earlier
