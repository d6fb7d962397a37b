"""Plans due on a chosen day, for the warnings' tests."""

import itertools
from datetime import date, timedelta

from elevators.models import Component, Elevator
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


def inspection_due(world, offset: int | None, *, company=None, region_code="500112", status=None):
    """A new elevator (company A's by default) whose ledger's next inspection date is `offset` days from today
    (None: no date)."""
    company = company or world.company_a
    elevator = make_elevator(
        world,
        company=company,
        use_unit=world.use_unit_a if company == world.company_a else world.use_unit_b,
        region_code=region_code,
    )
    day = None if offset is None else date.today() + timedelta(days=offset)
    Elevator.objects.filter(pk=elevator.pk).update(next_inspection_date=day, **({"status": status} if status else {}))
    elevator.refresh_from_db()
    return elevator


def component_due(world, offset: int, *, company=None, region_code="500112", elevator=None):
    """A component whose end of life is `offset` days from today: the first of a new elevator (company A's by
    default) whose other components are far from theirs, or a new 门机 on `elevator`."""
    if elevator is None:
        company = company or world.company_a
        elevator = make_elevator(
            world,
            company=company,
            use_unit=world.use_unit_a if company == world.company_a else world.use_unit_b,
            region_code=region_code,
        )
        Component.objects.filter(elevator=elevator).update(expires_on=date.today() + timedelta(days=3650))
        component = Component.objects.filter(elevator=elevator).order_by("id").first()
    else:
        component = Component(elevator=elevator, name="门机", installed_on=elevator.installation_date)
        component.save()
    Component.objects.filter(pk=component.pk).update(expires_on=date.today() + timedelta(days=offset))
    component.refresh_from_db()
    return component


# --- 限速器检验预警 ------------------------------------------------------------------------------------------------


def governor_due(world, offset: int | None, *, company=None, region_code="500112", status=None, category="3110"):
    """A new elevator (company A's by default) whose next governor calibration is `offset` days from today (None:
    no date, as an escalator's)."""
    company = company or world.company_a
    elevator = make_elevator(
        world,
        company=company,
        use_unit=world.use_unit_a if company == world.company_a else world.use_unit_b,
        region_code=region_code,
        category=category,
    )
    day = None if offset is None else date.today() + timedelta(days=offset)
    values = {"next_governor_calibration": day, **({"status": status} if status else {})}
    Elevator.objects.filter(pk=elevator.pk).update(**values)
    elevator.refresh_from_db()
    return elevator
