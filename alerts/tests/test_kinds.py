"""年检预警 and 组件寿命预警: pages, the 更换 action and /api/v1/warnings?kind=inspection|component."""

from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse

from alerts.services import component_warnings, inspection_warnings
from core.models import AuditEvent
from elevators.models import Component, Elevator
from records.models import Repair, RepairStatus

from .helpers import component_due, group_of_a, inspection_due

pytestmark = pytest.mark.django_db

INSPECTION = reverse("alerts:inspection")
COMPONENT = reverse("alerts:component")


def listed(response) -> set[int]:
    assert response.status_code == 200
    return {row.pk for row in response.context["object_list"]}


def csv_of(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


# --- 年检预警 ---------------------------------------------------------------------------------------------------


def test_inspections_within_sixty_days_or_past_are_listed_with_their_tier(world, client_for):
    rows = {offset: inspection_due(world, offset) for offset in (61, 60, 31, 30, 8, 7, 0, -1)}
    undated = inspection_due(world, None)
    response = client_for(world.admin_a).get(INSPECTION)
    assert listed(response) == {rows[o].pk for o in (60, 31, 30, 8, 7, 0, -1)}
    assert undated.pk not in listed(response) and rows[61].pk not in listed(response)
    # sorted by date: the overdue first
    assert [row.pk for row in response.context["object_list"]][:2] == [rows[-1].pk, rows[0].pk]
    html = response.content.decode()
    assert 'data-level="near">临期</span> <span class="small">60 天内 · 还有 60 天' in html
    assert "60 天内 · 还有 31 天" in html and "30 天内 · 还有 30 天" in html
    assert "30 天内 · 还有 8 天" in html and "7 天内 · 还有 7 天" in html and "7 天内 · 今天到期" in html
    assert 'data-level="overdue">逾期</span> <span class="small">逾期 1 天' in html
    assert "没有下次检验日期的电梯不在此列出" in html
    assert reverse("elevators:inspection_create", args=[rows[7].pk]) in html  # 录入检验结果
    assert "定期检验" in html or "自行检测" in html


def test_suspended_and_scrapped_elevators_raise_no_inspection_warning(world, client_for):
    kept = inspection_due(world, 3)
    inspection_due(world, 3, status="suspended")
    inspection_due(world, -3, status="scrapped")
    assert listed(client_for(world.admin_a).get(INSPECTION)) == {kept.pk}


def test_inspection_warnings_stay_inside_each_reader(world, client_for):
    mine = inspection_due(world, 10)
    theirs = inspection_due(world, -5, company=world.company_b, region_code="500107")
    assert listed(client_for(world.admin_a).get(INSPECTION)) == {mine.pk}
    assert listed(client_for(world.use_admin_a).get(INSPECTION)) == {mine.pk}
    assert listed(client_for(world.yubei_admin).get(INSPECTION)) == {mine.pk}
    assert listed(client_for(world.jlp_admin).get(INSPECTION)) == {theirs.pk}
    assert listed(client_for(world.city_admin).get(INSPECTION)) == {mine.pk, theirs.pk}
    export = csv_of(client_for(world.admin_a).get(INSPECTION, {"export": "csv"}))
    assert mine.register_code in export and theirs.register_code not in export
    assert "临期 30 天内 · 还有 10 天" in export and "下次检验日期" in export


def test_inspection_filters_and_service_levels(world, client_for):
    near, overdue = inspection_due(world, 20), inspection_due(world, -2)
    client = client_for(world.admin_a)
    assert listed(client.get(INSPECTION, {"level": "near"})) == {near.pk}
    assert listed(client.get(INSPECTION, {"level": "overdue"})) == {overdue.pk}
    assert listed(client.get(INSPECTION, {"due_after": date.today().isoformat()})) == {near.pk}
    assert set(inspection_warnings(world.admin_a, level="near")) == {near}
    assert set(inspection_warnings(world.city_admin, level="overdue")) == {overdue}


@pytest.mark.parametrize("rows", [1, 20])
def test_inspection_queries_are_bounded(world, client_for, django_assert_max_num_queries, rows):
    for i in range(rows):
        inspection_due(world, (i % 9) * 7 - 5)
    for user in (world.admin_a, world.city_admin):
        client = client_for(user)
        client.get(INSPECTION)
        with django_assert_max_num_queries(8):
            assert len(listed(client.get(INSPECTION))) == rows


# --- 组件寿命预警 ---------------------------------------------------------------------------------------------------


def test_components_within_thirty_days_or_past_are_listed(world, client_for):
    near = component_due(world, 30)
    today = component_due(world, 0, elevator=near.elevator)
    overdue = component_due(world, -4, elevator=near.elevator)
    later = component_due(world, 31, elevator=near.elevator)
    response = client_for(world.admin_a).get(COMPONENT)
    assert listed(response) == {near.pk, today.pk, overdue.pk}
    assert later.pk not in listed(response)
    html = response.content.decode()
    assert 'data-level="near">临期</span> <span class="small">还有 30 天' in html
    assert 'data-level="overdue">逾期</span> <span class="small">逾期 4 天' in html
    assert reverse("alerts:component_replace", args=[overdue.pk]) in html  # 更换, for the company's administrator
    worker = client_for(world.worker_a).get(COMPONENT).content.decode()
    assert reverse("alerts:component_replace", args=[overdue.pk]) not in worker


def test_component_warnings_exclude_silent_elevators_and_other_tenants(world, client_for):
    kept = component_due(world, -1)
    suspended = component_due(world, -1)
    Elevator.objects.filter(pk=suspended.elevator_id).update(status="scrapped")
    theirs = component_due(world, -1, company=world.company_b, region_code="500107")
    assert listed(client_for(world.admin_a).get(COMPONENT)) == {kept.pk}
    assert listed(client_for(world.admin_b).get(COMPONENT)) == {theirs.pk}
    assert listed(client_for(world.yubei_admin).get(COMPONENT)) == {kept.pk}
    export = csv_of(client_for(world.admin_a).get(COMPONENT, {"export": "csv"}))
    assert kept.elevator.register_code in export and theirs.elevator.register_code not in export
    assert set(component_warnings(world.jlp_admin)) == {theirs}


def test_component_filters(world, client_for):
    group = group_of_a(world)
    near = component_due(world, 5)
    from maintenance.models import GroupAssignment

    GroupAssignment.objects.create(elevator=near.elevator, group=group)
    overdue = component_due(world, -5)
    client = client_for(world.admin_a)
    assert listed(client.get(COMPONENT, {"level": "near"})) == {near.pk}
    assert listed(client.get(COMPONENT, {"level": "overdue"})) == {overdue.pk}
    assert listed(client.get(COMPONENT, {"group": group.pk})) == {near.pk}
    assert listed(client.get(COMPONENT, {"region": near.elevator.region_id})) == {near.pk, overdue.pk}


@pytest.mark.parametrize("rows", [1, 20])
def test_component_queries_are_bounded(world, client_for, django_assert_max_num_queries, rows):
    first = component_due(world, -3)
    for i in range(rows - 1):
        component_due(world, (i % 6) * 5 - 3, elevator=first.elevator)
    for user in (world.admin_a, world.city_admin):
        client = client_for(user)
        client.get(COMPONENT)
        with django_assert_max_num_queries(8):
            assert len(listed(client.get(COMPONENT))) == rows


def test_replacing_a_component_resets_its_dates_and_writes_a_repair(world, client_for):
    component = component_due(world, -10)
    url = reverse("alerts:component_replace", args=[component.pk])
    client = client_for(world.admin_a)
    page = client.get(url)
    assert page.status_code == 200 and component.elevator.register_code in page.content.decode()
    day = date.today() - timedelta(days=1)
    response = client.post(url, {"replaced_on": day.isoformat(), "note": "新钢丝绳 编号 X1"})
    assert response.status_code == 302 and response["Location"] == COMPONENT
    component.refresh_from_db()
    assert component.installed_on == day and component.expires_on > date.today() + timedelta(days=30)
    assert component.pk not in listed(client.get(COMPONENT))
    repair = Repair.objects.get(elevator=component.elevator)
    assert repair.status == RepairStatus.RESTORED and repair.parts_replaced == component.name
    assert "新钢丝绳" in repair.work_done and list(repair.workers.all()) == [world.admin_a]
    event = AuditEvent.objects.filter(action="components", target_id=str(component.elevator_id)).get()
    assert component.name in event.changes and "新钢丝绳" in event.reason


def test_replacement_is_checked_and_refused_to_others(world, client_for):
    component = component_due(world, -10)
    url = reverse("alerts:component_replace", args=[component.pk])
    client = client_for(world.admin_a)
    future = (date.today() + timedelta(days=1)).isoformat()
    assert client.post(url, {"replaced_on": future}).status_code == 200
    assert client.post(url, {"replaced_on": "2000-01-01"}).status_code == 200
    assert client.post(url, {"replaced_on": ""}).status_code == 200
    assert Component.objects.get(pk=component.pk).expires_on == component.expires_on
    assert not Repair.objects.exists()
    assert client_for(world.worker_a).post(url, {"replaced_on": date.today().isoformat()}).status_code == 403
    assert client_for(world.use_admin_a).get(url).status_code == 403
    assert client_for(world.admin_b).get(url).status_code == 404
    operator = client_for(world.operator).post(url, {"replaced_on": date.today().isoformat()})
    assert operator.status_code == 302 and not Repair.objects.exists()  # the dates only: no repair of its own
    assert Component.objects.get(pk=component.pk).installed_on == date.today()


# --- API ----------------------------------------------------------------------------------------------------------


def items(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["items"]


def test_the_api_answers_the_inspection_and_component_kinds(world, api):
    soon, late = inspection_due(world, 25), inspection_due(world, -2)
    inspection_due(world, 90)
    part = component_due(world, 3)
    inspection_due(world, 5, company=world.company_b, region_code="500107")
    client = api(world.admin_a)
    rows = items(client("GET", "/warnings?kind=inspection"))
    assert [row["id"] for row in rows] == [late.pk, soon.pk]
    assert rows[1] == {
        **rows[1],
        "kind": "inspection",
        "elevator": soon.pk,
        "register_code": soon.register_code,
        "level": "near",
        "days": 25,
        "tier": 30,
        "escalation_step": None,
    }
    assert rows[1]["inspection_kind"] in ("periodic", "self")
    assert (rows[0]["level"], rows[0]["days"], rows[0]["tier"]) == ("overdue", -2, None)
    assert [row["id"] for row in items(client("GET", "/warnings?kind=inspection&level=overdue"))] == [late.pk]
    parts = items(client("GET", "/warnings?kind=component&level=near"))
    assert [(row["id"], row["component"], row["days"]) for row in parts] == [(part.pk, part.name, 3)]
    assert parts[0]["register_code"] == part.elevator.register_code


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the ledger's indexes are PostgreSQL's question")
def test_a_company_reads_its_inspection_warnings_from_the_index(world):
    for offset in range(-5, 5):
        inspection_due(world, offset * 10)
    queryset = inspection_warnings(world.admin_a).order_by("next_inspection_date", "id")[:51]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "elev_company_next_insp" in plan or "elev_next_inspection" in plan, plan
