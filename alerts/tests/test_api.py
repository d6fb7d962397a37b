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


# --- kind=certificate and kind=confirmation -------------------------------------------------------------------------


def test_the_api_answers_the_certificate_kind(world, api):
    from datetime import date, timedelta

    from tests.factories import UserFactory, qualify

    soon = qualify(world.worker_a, date.today() + timedelta(days=12))
    qualify(world.worker_b, date.today() - timedelta(days=1))
    rows = items(api(world.admin_a)("GET", "/warnings?kind=certificate"))
    assert rows == [
        {
            **rows[0],
            "id": world.worker_a.pk,
            "kind": "certificate",
            "worker": world.worker_a.pk,
            "worker_name": world.worker_a.display_name,
            "organization": world.company_a.pk,
            "organization_name": world.company_a.name,
            "certificate_number": soon.certificate_number,
            "valid_until": soon.valid_until.isoformat(),
            "due_date": soon.valid_until.isoformat(),
            "level": "near",
            "days": 12,
            "elevator": None,
            "register_code": None,
            "building": None,
        }
    ]
    theirs = items(api(world.admin_b)("GET", "/warnings?kind=certificate&level=overdue"))
    assert [(row["id"], row["level"], row["days"]) for row in theirs] == [(world.worker_b.pk, "overdue", -1)]
    assert items(api(world.admin_b)("GET", "/warnings?kind=certificate&level=near")) == []
    assert items(api(world.yubei_admin)("GET", "/warnings?kind=certificate")) == []  # never another unit's people
    own = items(api(world.worker_a)("GET", "/warnings?kind=certificate"))  # not an administrator: his own row
    assert [row["id"] for row in own] == [world.worker_a.pk]
    colleague = UserFactory(organization=world.company_a, category="maintenance_worker", role="staff")
    assert [row["id"] for row in items(api(world.worker_a)("GET", "/warnings?kind=certificate"))] == [world.worker_a.pk]
    assert colleague.pk in {row["id"] for row in items(api(world.admin_a)("GET", "/warnings?kind=certificate"))}
    everyone = items(api(world.operator)("GET", "/warnings?kind=certificate"))
    pair = (world.worker_a.pk, world.worker_b.pk)
    assert [row["id"] for row in everyone if row["id"] in pair] == [world.worker_b.pk, world.worker_a.pk]  # by date


def test_a_worker_without_a_qualification_has_no_date(world, api):
    rows = items(api(world.admin_a)("GET", "/warnings?kind=certificate"))
    assert [(r["id"], r["level"], r["due_date"], r["days"], r["certificate_number"]) for r in rows] == [
        (world.worker_a.pk, "overdue", None, None, None)
    ]


def test_the_api_answers_the_confirmation_kind(world, api):
    from datetime import timedelta

    from django.utils import timezone

    from records.models import MaintenanceRecord
    from records.tests.builders import simple_record

    late, fresh = simple_record(world), simple_record(world)
    MaintenanceRecord.objects.filter(pk=fresh.pk).update(finished_at=timezone.now() - timedelta(hours=3, minutes=5))
    theirs = {"use_unit": world.use_unit_b, "region_code": "500107"}
    simple_record(world, company=world.company_b, worker=world.worker_b, **theirs)
    rows = items(api(world.use_admin_a)("GET", "/warnings?kind=confirmation"))
    assert [row["id"] for row in rows] == [late.pk, fresh.pk]  # the longest waiting first
    assert rows[1] == {
        **rows[1],
        "kind": "confirmation",
        "elevator": fresh.elevator_id,
        "register_code": fresh.elevator.register_code,
        "use_unit": world.use_unit_a.pk,
        "use_unit_name": world.use_unit_a.name,
        "organization": world.company_a.pk,
        "level": "near",
        "hours_waiting": 3,
        "due_date": None,
        "days": None,
    }
    assert rows[0]["level"] == "overdue" and rows[0]["submitted_at"].startswith("2026-11-20T")
    overdue = items(api(world.admin_a)("GET", "/warnings?kind=confirmation&level=overdue"))
    assert [row["id"] for row in overdue] == [late.pk]


def test_the_older_kinds_still_fill_the_elevator_fields(world, api):
    plan = plan_due(world, -1)
    row = items(api(world.admin_a)("GET", "/warnings"))[0]
    assert (row["elevator"], row["register_code"], row["days"]) == (plan.elevator_id, plan.elevator.register_code, -1)
    assert row["worker"] is None and row["submitted_at"] is None
