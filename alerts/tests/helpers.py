"""Plans due on a chosen day, for the warnings' tests."""

import itertools
from datetime import date, timedelta

from maintenance.models import Cycle, GroupAssignment, MaintenanceGroup, MaintenancePlan
from tests.factories import make_elevator

_positions = itertools.count(1)


def plan_due(world, offset: int, *, company=None, use_unit=None, region_code="500112", elevator=None, group=None):
    """An open plan due `offset` days from today (negative: overdue) on a new elevator (company A's by default)."""
    company = company or world.company_a
    if elevator is None:
        elevator = make_elevator(
            world,
            company=company,
            use_unit=use_unit or (world.use_unit_a if company == world.company_a else world.use_unit_b),
            region_code=region_code,
        )
    if group is not None:
        GroupAssignment.objects.update_or_create(elevator=elevator, defaults={"group": group})
    due = date.today() + timedelta(days=offset)
    return MaintenancePlan.objects.create(
        organization=company,
        elevator=elevator,
        year_start=due - timedelta(days=30),
        position=next(_positions) % 30000,
        cycle=Cycle.HALF_MONTH,
        due_date=due,
        original_date=due,
    )


def group_of_a(world, name="预警一组"):
    group, _created = MaintenanceGroup.objects.get_or_create(
        organization=world.company_a, name=name, defaults={"leader": world.admin_a}
    )
    return group
