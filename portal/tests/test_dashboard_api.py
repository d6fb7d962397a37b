"""/api/v1/dashboard: each role's home-page figures, the same numbers as the page, nobody else's."""

import pytest

from .dashboard_world import elevator_of, group_of_a, plan, record
from .test_dashboard import company_a_world

pytestmark = pytest.mark.django_db


def figures(api, user) -> dict:
    response = api(user)("GET", "/dashboard")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_company_gets_its_figures_and_warning_counts(world, api):
    company_a_world(world)
    out = figures(api, world.admin_a)
    assert out["role"] == "company" and out["worker"] is None and out["compliance"] is None
    company = out["company"]
    assert (company["warnings_overdue"], company["warnings_near"]) == (2, 2)
    assert (company["records_waiting"], company["records_late"], company["problems_open"]) == (2, 1, 2)
    assert company["on_time_rate"] == 25.0 and len(company["weekly_visits"]) == 12
    assert {"kind": "maintenance", "label": "维保预警查询", "near": 2, "overdue": 2} in out["warnings"]
    other = figures(api, world.admin_b)["company"]
    assert (other["warnings_overdue"], other["records_waiting"]) == (1, 1)


def test_a_worker_gets_his_day(world, api):
    group = group_of_a(world, world.worker_a)
    late = plan(world, -2, group=group)
    plan(world, 3, group=group)
    plan(world, -1)  # not his group's
    out = figures(api, world.worker_a)
    assert out["role"] == "worker" and out["warnings"] == []
    assert (out["worker"]["overdue"], out["worker"]["today"], out["worker"]["ahead"]) == (1, 0, 1)
    assert out["worker"]["visits"] == [
        {
            "plan": late.pk,
            "elevator": late.elevator_id,
            "register_code": late.elevator.register_code,
            "building": late.elevator.building,
            "due_date": late.due_date.isoformat(),
            "days_overdue": 2,
        }
    ]


def test_a_use_unit_gets_its_elevators_and_records_to_sign(world, api):
    record(world, hours_ago=3)
    record(world, company=world.company_b, hours_ago=3)
    out = figures(api, world.use_admin_a)
    assert out["role"] == "use_unit" and out["use_unit"]["to_sign"] == 1
    assert sum(row["count"] for row in out["use_unit"]["statuses"]) == 1


def test_bureaus_get_the_compliance_of_their_area(world, api):
    company_a_world(world)
    elevator_of(world, company=world.company_a, region_code="500107")
    district = figures(api, world.yubei_admin)["compliance"]
    assert [row["company"] for row in district["rows"]] == [world.company_a.pk] and district["districts"] == []
    assert district["rows"][0]["grade"] == "D" and district["totals"]["overdue"] == 2
    city = figures(api, world.city_admin)["compliance"]
    assert {row["district"] for row in city["districts"]} == {"500112", "500107"}
    assert city["grades"] == {"A": 0, "B": 0, "C": 0, "D": 2, "": 0}
    assert figures(api, world.sz_admin)["compliance"]["rows"] == []


def test_the_dashboard_needs_a_token(client):
    assert client.get("/api/v1/dashboard").status_code == 401
