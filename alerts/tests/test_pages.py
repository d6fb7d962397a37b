"""维保预警查询 and 预警设置 as pages."""

from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse

from alerts.models import AlertSettings
from alerts.services import maintenance_warnings, save_alert_settings
from elevators.models import Elevator
from maintenance.models import PlanStatus

from .helpers import group_of_a, plan_due

pytestmark = pytest.mark.django_db

URL = reverse("alerts:maintenance")


def listed(response) -> set[int]:
    assert response.status_code == 200
    return {row.pk for row in response.context["object_list"]}


def test_near_and_overdue_visits_are_listed_with_their_colours(world, client_for):
    near = plan_due(world, 2)
    today = plan_due(world, 0)
    overdue = plan_due(world, -3)
    later = plan_due(world, 4)  # outside the default 3 days
    response = client_for(world.admin_a).get(URL)
    assert listed(response) == {near.pk, today.pk, overdue.pk}
    assert later.pk not in listed(response)
    html = response.content.decode()
    assert 'class="badge text-bg-warning" data-level="near">临期</span> <span class="small">还有 2 天' in html
    assert "今天到期" in html
    assert 'class="badge text-bg-danger" data-level="overdue">逾期</span> <span class="small">逾期 3 天' in html
    assert 'data-testid="warning-legend"' in html and "本单位计划日期前 3 天起显示为临期" in html
    assert reverse("alerts:settings") in html
    # sorted by due date: the overdue first
    assert [row.pk for row in response.context["object_list"]] == [overdue.pk, today.pk, near.pk]


def test_the_company_threshold_widens_the_window(world, client_for):
    later = plan_due(world, 5)
    save_alert_settings(world.company_a, maintenance_near_days=5, actor=world.admin_a)
    response = client_for(world.admin_a).get(URL)
    assert later.pk in listed(response)
    assert "本单位计划日期前 5 天起显示为临期" in response.content.decode()


def test_done_closed_suspended_and_scrapped_raise_no_warning(world, client_for):
    done = plan_due(world, -2)
    done.status = PlanStatus.DONE
    done.save()
    closed = plan_due(world, -2)
    closed.status = PlanStatus.CLOSED
    closed.save()
    suspended = plan_due(world, -2)
    Elevator.objects.filter(pk=suspended.elevator_id).update(status="suspended")
    scrapped = plan_due(world, 1)
    Elevator.objects.filter(pk=scrapped.elevator_id).update(status="scrapped")
    kept = plan_due(world, -2)
    assert listed(client_for(world.admin_a).get(URL)) == {kept.pk}


def test_filters_level_group_district_and_dates(world, client_for):
    group = group_of_a(world)
    near = plan_due(world, 1, group=group)
    overdue = plan_due(world, -8)
    client = client_for(world.admin_a)
    assert listed(client.get(URL, {"level": "near"})) == {near.pk}
    assert listed(client.get(URL, {"level": "overdue"})) == {overdue.pk}
    assert listed(client.get(URL, {"group": group.pk})) == {near.pk}
    yubei = near.elevator.region_id
    assert listed(client.get(URL, {"region": yubei})) == {near.pk, overdue.pk}
    since = (date.today() - timedelta(days=1)).isoformat()
    assert listed(client.get(URL, {"due_after": since})) == {near.pk}


def test_another_company_never_sees_the_plans(world, client_for):
    mine = plan_due(world, -1)
    theirs = plan_due(world, -1, company=world.company_b, region_code="500107")
    assert listed(client_for(world.admin_a).get(URL)) == {mine.pk}
    response = client_for(world.admin_b).get(URL)
    assert listed(response) == {theirs.pk}
    assert mine.elevator.register_code not in response.content.decode()
    export = client_for(world.admin_b).get(URL, {"export": "csv"})
    assert mine.elevator.register_code not in b"".join(export.streaming_content).decode("utf-8-sig")


def test_a_bureau_sees_its_district_with_each_company_threshold(world, client_for):
    save_alert_settings(world.company_a, maintenance_near_days=6, actor=world.admin_a)
    a_near = plan_due(world, 6)  # 渝北, company A: near within 6 days
    b_near = plan_due(world, 3, company=world.company_b, region_code="500107")  # 九龙坡, company B: default 3
    b_later = plan_due(world, 6, company=world.company_b, region_code="500107")  # outside B's 3 days
    assert listed(client_for(world.yubei_admin).get(URL)) == {a_near.pk}
    assert listed(client_for(world.jlp_admin).get(URL)) == {b_near.pk}
    city = client_for(world.city_admin).get(URL)
    assert listed(city) == {a_near.pk, b_near.pk}
    assert b_later.pk not in listed(city)
    assert "未设置的为 3 天" in city.content.decode()
    assert 'data-testid="warning-settings-link"' not in city.content.decode()


def test_a_use_unit_sees_its_elevators(world, client_for):
    mine = plan_due(world, 0)
    plan_due(world, 0, company=world.company_b, region_code="500107")
    assert listed(client_for(world.use_admin_a).get(URL)) == {mine.pk}


def test_a_worker_sees_his_groups_plans(world, client_for):
    group = group_of_a(world)
    group.members.add(world.worker_a)
    his = plan_due(world, -1, group=group)
    plan_due(world, -1)
    assert listed(client_for(world.worker_a).get(URL)) == {his.pk}


@pytest.mark.parametrize("rows", [1, 20])
def test_queries_are_bounded(world, client_for, django_assert_max_num_queries, rows):
    group = group_of_a(world)
    for i in range(rows):
        plan_due(world, (i % 7) - 4, group=group)
    for user in (world.admin_a, world.city_admin):
        client = client_for(user)
        client.get(URL)  # session and translations cached as in real use
        with django_assert_max_num_queries(9):
            assert len(listed(client.get(URL))) == rows


def test_export_has_the_level_in_words(world, client_for):
    plan = plan_due(world, -3)
    response = client_for(world.admin_a).get(URL, {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert plan.elevator.register_code in text and "逾期 逾期 3 天" in text
    assert "预警级别" in text and "维保小组" in text and "使用单位" in text


def test_the_services_level_argument(world):
    near, overdue = plan_due(world, 1), plan_due(world, -1)
    assert set(maintenance_warnings(world.admin_a, level="near")) == {near}
    assert set(maintenance_warnings(world.admin_a, level="overdue")) == {overdue}
    assert set(maintenance_warnings(world.city_admin, level="near")) == {near}


# --- 预警设置 ---------------------------------------------------------------------------------------------------


def test_an_administrator_sets_the_threshold_audited(world, client_for):
    client = client_for(world.admin_a)
    assert client.get(reverse("alerts:settings")).status_code == 200
    response = client.post(reverse("alerts:settings"), {"maintenance_near_days": "7"})
    assert response.status_code == 302
    settings = AlertSettings.objects.get(organization=world.company_a)
    assert settings.maintenance_near_days == 7
    assert settings.history.count() == 1


@pytest.mark.parametrize("value", ["0", "15", "abc", ""])
def test_the_threshold_stays_within_one_to_fourteen(world, client_for, value):
    response = client_for(world.admin_a).post(reverse("alerts:settings"), {"maintenance_near_days": value})
    assert response.status_code == 200
    assert not AlertSettings.objects.exists()


def test_a_worker_reads_the_threshold_and_others_have_none(world, client_for):
    response = client_for(world.worker_a).get(reverse("alerts:settings"))
    assert response.status_code == 200 and 'data-testid="alert-settings-readonly"' in response.content.decode()
    worker = client_for(world.worker_a)
    assert worker.post(reverse("alerts:settings"), {"maintenance_near_days": "5"}).status_code == 403
    assert client_for(world.use_admin_a).get(reverse("alerts:settings")).status_code == 403
    assert client_for(world.operator).get(reverse("alerts:settings")).status_code == 404


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan indexes are PostgreSQL's question")
def test_the_warning_queries_read_the_plan_indexes(world):
    from alerts.views import MaintenanceWarningListView

    for offset in range(-5, 5):
        plan_due(world, offset)
    for user in (world.admin_a, world.city_admin):
        view = MaintenanceWarningListView()
        view.request = type("R", (), {"user": user})()
        queryset = view.get_queryset().order_by("due_date", "id")[:51]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            sql, params = queryset.query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "plan_org_status_due" in plan or "plan_open_due" in plan, plan
