"""Plans, records and problem reports on chosen days, for the home page's dashboards."""

import itertools
from datetime import datetime, timedelta

from django.utils import timezone

from elevators.models import ProblemReport
from maintenance.models import Cycle, GroupAssignment, MaintenanceGroup, MaintenancePlan, PlanStatus
from records.models import MaintenanceRecord
from tests.factories import make_elevator

_positions = itertools.count(1)


def today():
    return timezone.localdate()


def elevator_of(world, company=None, **kwargs):
    company = company or world.company_a
    a = company == world.company_a
    kwargs.setdefault("use_unit", world.use_unit_a if a else world.use_unit_b)
    kwargs.setdefault("region_code", "500112" if a else "500107")
    return make_elevator(world, company=company, **kwargs)


def plan(world, offset: int, *, elevator=None, company=None, done_offset=None, status=None, group=None):
    """A plan due `offset` days from today; `done_offset`: done that many days from today (status done)."""
    elevator = elevator or elevator_of(world, company)
    if group is not None:
        GroupAssignment.objects.update_or_create(elevator=elevator, defaults={"group": group})
    due = today() + timedelta(days=offset)
    done_at = None
    if done_offset is not None:
        done_at = timezone.make_aware(datetime.combine(today() + timedelta(days=done_offset), datetime.min.time()))
        done_at += timedelta(hours=15)
        status = PlanStatus.DONE
    return MaintenancePlan.objects.create(
        organization=elevator.maintenance_company,
        elevator=elevator,
        year_start=due - timedelta(days=30),
        position=next(_positions) % 30000,
        cycle=Cycle.HALF_MONTH,
        due_date=due,
        original_date=due,
        status=status or PlanStatus.PLANNED,
        done_at=done_at,
    )


def record(world, *, elevator=None, company=None, hours_ago=2, status="finished", flags=(), corrects=None):
    elevator = elevator or elevator_of(world, company)
    started = timezone.now() - timedelta(hours=hours_ago)
    return MaintenanceRecord.objects.create(
        organization=elevator.maintenance_company,
        elevator=elevator,
        cycle="half_month",
        work_type="HM",
        status=status,
        started_at=started,
        finished_at=started + timedelta(minutes=45),
        duration_minutes=45,
        hazard_codes=["S0"],
        flags=list(flags),
        corrects=corrects,
    )


def problem(world, *, elevator=None, company=None, status="new"):
    elevator = elevator or elevator_of(world, company)
    return ProblemReport.objects.create(elevator=elevator, category="noise", description="异响", status=status)


def group_of_a(world, worker):
    group, _created = MaintenanceGroup.objects.get_or_create(
        organization=world.company_a, name="看板一组", defaults={"leader": world.admin_a}
    )
    group.members.add(worker)
    return group
