"""The city generator: counts, valid rows, unique codes, components and doors, visibility, a second run."""

import io
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from elevators.catalogue import COMPONENT_CATALOGUE, group_of
from elevators.models import Component, Elevator, LandingDoor
from elevators.services import apply_governor
from organizations.models import Region, ServiceRelation
from portal.citygen import generate_city, generated_organizations
from tests.factories import UserFactory, make_world

pytestmark = pytest.mark.django_db

N = 60


def quiet(_message):
    pass


@pytest.fixture
def city():
    make_world()  # loads the regions if a transactional test flushed them, and adds unrelated tenants
    return Region.objects.get(code="500000")


def test_generated_city_is_complete_valid_and_visible(city):
    before = Elevator.objects.count()
    result = generate_city(N, city_code="500000", seed=7, batch=25, log=quiet)

    elevators = Elevator.objects.filter(city=city).select_related("region", "city")
    assert Elevator.objects.count() - before == N == result.created_elevators
    assert generated_organizations("maintenance_company", city).count() == 2  # at least two, ~1 per 300
    assert generated_organizations("use_unit", city).count() == round(N / 25)
    assert generated_organizations("manufacturer", city).count() == 12
    for org in generated_organizations("maintenance_company", city):
        org.full_clean()

    codes = list(elevators.values_list("register_code", flat=True))
    assert len(set(codes)) == len(codes)
    assert all(len(c) == 20 and c.isdigit() for c in codes)
    rescue = list(elevators.values_list("rescue_code", flat=True))
    assert len(set(rescue)) == len(rescue)

    for elevator in elevators.order_by("?")[:15]:
        elevator.full_clean()
        assert elevator.region.parent_id == city.pk and elevator.city_id == city.pk
        assert elevator.register_code[:4] == elevator.device_category
        assert elevator.register_code[4:10] == elevator.region.code
        assert elevator.register_code[10:16] == elevator.installation_date.strftime("%Y%m")

    assert Component.objects.filter(elevator__city=city).count() == result.created_components
    for elevator in elevators:
        names = list(elevator.components.values_list("name", flat=True))
        assert sorted(names) == sorted(COMPONENT_CATALOGUE[group_of(elevator.device_category)])
        parts = elevator.components.values_list("installed_on", "lifespan_months", "expires_on")
        for installed, months, expires in parts:
            # realistic lifespans (5-20 years): the original part, or a replacement since
            assert months in (60, 96, 120, 240)
            assert expires == installed + relativedelta(months=months)
            assert installed >= elevator.installation_date
        assert elevator.supervision_inspection_date >= elevator.installation_date
        if elevator.status == "in_use":
            assert elevator.next_inspection_date is not None
        doors = list(elevator.landing_doors.order_by("position").values_list("position", "floor_label"))
        if elevator.is_escalator:
            assert doors == [] and elevator.floors is None and elevator.inclination is not None
        else:
            assert doors == [(n, str(n)) for n in range(1, elevator.stops + 1)]
            assert elevator.stops <= elevator.floors and elevator.doors >= elevator.stops
    assert LandingDoor.objects.filter(elevator__city=city).count() == result.created_landing_doors

    # the governor's dates are the rule's (elevators.governor), from the installation; escalators have none
    for elevator in elevators:
        due = elevator.next_governor_calibration
        copy = Elevator(
            device_category=elevator.device_category,
            drive_type=elevator.drive_type,
            installation_date=elevator.installation_date,
            governor_since=elevator.governor_since,
            governor_calibrated_on=elevator.governor_calibrated_on,
        )
        assert due == apply_governor(copy).next_governor_calibration
        assert (due is None) == elevator.is_escalator
        assert elevator.is_escalator or elevator.governor_since == elevator.installation_date
    assert elevators.filter(next_governor_calibration__gt=timezone.localdate() + timedelta(days=30)).exists()

    # every (use unit, company) pair is a service relation; a company admin sees exactly its elevators
    pairs = set(elevators.values_list("use_unit_id", "maintenance_company_id"))
    assert pairs <= set(ServiceRelation.objects.values_list("use_unit_id", "maintenance_company_id"))
    busiest = elevators.values("maintenance_company").annotate(n=Count("id")).order_by("-n").first()
    admin = UserFactory(organization_id=busiest["maintenance_company"])
    visible = Elevator.objects.visible_to(admin)
    assert visible.count() == busiest["n"]
    assert set(visible.values_list("pk", flat=True)) == set(
        elevators.filter(maintenance_company_id=busiest["maintenance_company"]).values_list("pk", flat=True)
    )


def test_warnings_of_a_generated_city_are_a_few_not_all(city):
    """Components live 5-20 years and inspections fall due through the year: only a few percent of the parts are
    near or past their end of life, and about one in-use elevator in 6 to 12 is within 60 days of its inspection."""
    from django.utils import timezone

    generate_city(600, city_code="500000", seed=3, batch=200, log=quiet)
    today = timezone.localdate()
    components = Component.objects.filter(elevator__city=city)
    near_or_past = components.filter(expires_on__lte=today + relativedelta(days=30)).count()
    assert 0 < near_or_past < 0.06 * components.count()
    in_use = Elevator.objects.filter(city=city, status="in_use")
    window = in_use.filter(next_inspection_date__lte=today + relativedelta(days=60)).count()
    assert in_use.count() / 12 <= window <= in_use.count() / 6
    assert in_use.filter(next_inspection_date__lt=today).exists()


def test_a_second_run_adds_elevators_without_clashes(city):
    generate_city(N, city_code="500000", seed=1, batch=40, log=quiet)
    call_command("generate_city", elevators=N, city="500000", seed=1, batch=40, stdout=io.StringIO())

    elevators = Elevator.objects.filter(city=city)
    assert elevators.count() == 2 * N
    codes = list(elevators.values_list("register_code", flat=True))
    assert len(set(codes)) == 2 * N
    rescue = list(elevators.values_list("rescue_code", flat=True))
    assert len(set(rescue)) == 2 * N
    assert generated_organizations("manufacturer", city).count() == 12  # not duplicated
    assert generated_organizations("use_unit", city).count() == round(2 * N / 25)
    credit_codes = list(generated_organizations("use_unit", city).values_list("credit_code", flat=True))
    assert len(set(credit_codes)) == len(credit_codes)
    for elevator in elevators.order_by("-id")[:5]:
        elevator.full_clean()
