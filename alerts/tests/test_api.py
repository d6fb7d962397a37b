"""/api/v1/warnings?kind=maintenance&level=near|overdue."""

import pytest

from alerts.services import save_alert_settings
from maintenance.models import PlanStatus

from .helpers import plan_due

pytestmark = pytest.mark.django_db


def items(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["items"]


def test_warnings_carry_level_days_and_escalation(world, api):
    near = plan_due(world, 2)
    today = plan_due(world, 0)
    one = plan_due(world, -1)
    three = plan_due(world, -3)
    seven = plan_due(world, -7)
    plan_due(world, 5)
    rows = items(api(world.admin_a)("GET", "/warnings?kind=maintenance"))
    by_id = {row["id"]: row for row in rows}
    assert [row["id"] for row in rows] == [seven.pk, three.pk, one.pk, today.pk, near.pk]
    assert by_id[near.pk] == {
        **by_id[near.pk],
        "kind": "maintenance",
        "register_code": near.elevator.register_code,
        "due_date": near.due_date.isoformat(),
        "level": "near",
        "days": 2,
        "escalation_step": 0,
    }
    assert (by_id[today.pk]["level"], by_id[today.pk]["days"]) == ("near", 0)
    assert [by_id[p.pk]["escalation_step"] for p in (one, three, seven)] == [1, 2, 3]
    assert [by_id[p.pk]["days"] for p in (one, three, seven)] == [-1, -3, -7]


def test_kind_defaults_to_maintenance_and_level_filters(world, api):
    near, overdue = plan_due(world, 1), plan_due(world, -2)
    client = api(world.admin_a)
    assert {row["id"] for row in items(client("GET", "/warnings"))} == {near.pk, overdue.pk}
    assert [row["id"] for row in items(client("GET", "/warnings?level=near"))] == [near.pk]
    assert [row["id"] for row in items(client("GET", "/warnings?level=overdue"))] == [overdue.pk]


def test_only_the_kinds_the_schema_lists_are_accepted(world, api):
    client = api(world.admin_a)
    assert client("GET", "/warnings?kind=governor").status_code == 200  # 限速器检验预警 (test_governor.py)
    assert client("GET", "/warnings?kind=speed").status_code == 422
    assert client("GET", "/warnings?level=soon").status_code == 422


def test_each_reader_sees_only_its_own(world, api):
    save_alert_settings(world.company_b, maintenance_near_days=10, actor=world.admin_b)
    mine = plan_due(world, -1)
    theirs = plan_due(world, 9, company=world.company_b, region_code="500107")
    done = plan_due(world, -1)
    done.status = PlanStatus.DONE
    done.save()
    assert {row["id"] for row in items(api(world.admin_a)("GET", "/warnings"))} == {mine.pk}
    assert {row["id"] for row in items(api(world.admin_b)("GET", "/warnings"))} == {theirs.pk}
    assert {row["id"] for row in items(api(world.jlp_admin)("GET", "/warnings"))} == {theirs.pk}
    assert {row["id"] for row in items(api(world.yubei_admin)("GET", "/warnings"))} == {mine.pk}
    assert items(api(world.admin_a)("GET", "/warnings?kind=maintenance"))[0]["register_code"] == (
        mine.elevator.register_code
    )
