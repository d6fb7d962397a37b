"""预警概览 (alerts.summary): each kind a person reads, with its red and yellow counts, on the home page."""

import pytest
from django.core.cache import cache

from alerts.summary import warning_summary
from organizations.models import Organization
from tests.factories import UserFactory

from .helpers import component_due, inspection_due, plan_due

pytestmark = pytest.mark.django_db


def counts(user):
    return {row["kind"]: (row["near"], row["overdue"]) for row in warning_summary(user)}


def a_and_b(world):
    plan_due(world, 1)
    plan_due(world, -2)
    plan_due(world, -9)
    inspection_due(world, 40)
    component_due(world, -1)
    plan_due(world, -1, company=world.company_b, region_code="500107")
    inspection_due(world, -3, company=world.company_b, region_code="500107")


def test_a_company_counts_its_own_warnings_by_level(world):
    a_and_b(world)
    mine = counts(world.admin_a)
    assert mine["maintenance"] == (1, 2) and mine["inspection"] == (1, 0)
    # the factories' components are six months old (the seed's default): past their end of life, like the one made
    assert mine["component"][1] > 0 and mine["component"][0] == 0
    assert counts(world.admin_b)["maintenance"] == (0, 1) and counts(world.admin_b)["inspection"] == (0, 1)
    assert counts(world.use_admin_a)["maintenance"] == (1, 2)


def test_rows_link_to_the_filtered_pages_in_the_menus_order(world):
    rows = warning_summary(world.admin_a)
    assert [row["kind"] for row in rows] == [
        "maintenance",
        "inspection",
        "selfcheck",
        "governor",
        "component",
        "drill",
        "contract",
        "certificate",
        "confirmation",
    ]
    assert rows[0]["overdue_url"] == "/alerts/maintenance/?level=overdue"
    assert rows[1]["near_url"] == "/alerts/inspection/?level=near"


def test_an_inspection_institute_reads_inspections_and_governors_only(world):
    institute = Organization.objects.create(kind="inspection_institute", name="某检验院", region=world.company_a.region)
    person = UserFactory(organization=institute, category="inspector")
    inspection_due(world, 10)
    assert [row["kind"] for row in warning_summary(person)] == ["inspection", "governor"]


def test_a_bureau_sees_its_area_cached_for_five_minutes(world):
    a_and_b(world)
    assert counts(world.yubei_admin)["maintenance"] == (1, 2)
    assert counts(world.jlp_admin)["inspection"] == (0, 1)
    plan_due(world, -4)
    assert counts(world.yubei_admin)["maintenance"] == (1, 2)  # the cached counts
    assert counts(world.city_admin)["maintenance"] == (1, 4)
    cache.clear()
    assert counts(world.yubei_admin)["maintenance"] == (1, 3)


def test_the_home_page_shows_the_summary_in_red_and_yellow(world, client_for):
    a_and_b(world)
    page = client_for(world.admin_a).get("/").content.decode()
    assert 'data-testid="warning-summary"' in page
    assert 'text-bg-danger" data-level="overdue" data-figure="maintenance_overdue">2<' in page
    assert 'text-bg-warning" data-level="near" data-figure="maintenance_near">1<' in page
    assert 'text-bg-light" data-level="overdue" data-figure="inspection_overdue">0<' in page
    assert 'data-testid="warning-summary"' not in client_for(world.worker_a).get("/").content.decode()


def test_certificates_and_records_waiting_are_counted(world):
    from portal.tests.dashboard_world import record

    from .test_certificates import company_qualification, worker

    worker(world, 30)
    worker(world, -3)
    worker(world, None)
    company_qualification(world, world.company_a, 20)
    record(world, hours_ago=2)
    record(world, hours_ago=30)
    record(world, company=world.company_b, hours_ago=30)
    mine = counts(world.admin_a)
    # red: the ended one, the one without a certificate and the world's worker_a (none either)
    assert mine["certificate"] == (2, 3) and mine["confirmation"] == (1, 1)
    assert counts(world.use_admin_a)["confirmation"] == (1, 1) and "certificate" not in counts(world.use_admin_a)
    assert counts(world.yubei_admin)["certificate"] == (1, 0)  # the company's qualification, not its people
