"""限速器检验预警: the page, its levels at the edges, isolation, 录入校验报告 and /api/v1/warnings?kind=governor."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection, transaction
from django.urls import reverse

from alerts.services import governor_warnings
from elevators.models import Elevator
from maintenance.models import GroupAssignment

from .helpers import governor_due, group_of_a
from .test_kinds import csv_of, items, listed

pytestmark = pytest.mark.django_db

GOVERNOR = reverse("alerts:governor")


def test_calibrations_within_thirty_days_or_past_are_listed_with_their_level(world, client_for):
    rows = {offset: governor_due(world, offset) for offset in (31, 30, 1, 0, -1, -400)}
    escalator = governor_due(world, None, category="3310")
    response = client_for(world.admin_a).get(GOVERNOR)
    assert listed(response) == {rows[o].pk for o in (30, 1, 0, -1, -400)}
    assert escalator.pk not in listed(response) and rows[31].pk not in listed(response)
    assert [row.pk for row in response.context["object_list"]][:2] == [rows[-400].pk, rows[-1].pk]
    html = response.content.decode()
    assert 'data-level="near">临期</span> <span class="small">还有 30 天' in html
    assert 'data-level="near">临期</span> <span class="small">今天到期' in html
    assert 'data-level="overdue">逾期</span> <span class="small">逾期 1 天' in html
    assert "曳引驱动" in html and "2020-01-15" in html  # drive type, governor since
    link = reverse("elevators:inspection_create", args=[rows[0].pk]) + "?kind=governor&amp;next=%2Falerts%2Fgovernor%2F"
    assert link in html and "录入校验报告" in html


def test_suspended_and_scrapped_elevators_raise_no_governor_warning(world, client_for):
    kept = governor_due(world, 3)
    governor_due(world, 3, status="suspended")
    governor_due(world, -3, status="scrapped")
    assert listed(client_for(world.admin_a).get(GOVERNOR)) == {kept.pk}


def test_governor_warnings_stay_inside_each_reader(world, client_for):
    mine = governor_due(world, 10)
    theirs = governor_due(world, -5, company=world.company_b, region_code="500107")
    assert listed(client_for(world.admin_a).get(GOVERNOR)) == {mine.pk}
    assert listed(client_for(world.admin_b).get(GOVERNOR)) == {theirs.pk}
    assert listed(client_for(world.use_admin_a).get(GOVERNOR)) == {mine.pk}
    assert listed(client_for(world.yubei_admin).get(GOVERNOR)) == {mine.pk}
    assert listed(client_for(world.city_admin).get(GOVERNOR)) == {mine.pk, theirs.pk}
    export = csv_of(client_for(world.admin_a).get(GOVERNOR, {"export": "csv"}))
    assert mine.register_code in export and theirs.register_code not in export
    assert "临期 还有 10 天" in export and "下次校验日期" in export and "录入校验报告" not in export
    # the worker reads the warning but does not record reports: no link
    assert "录入校验报告</a>" not in client_for(world.worker_a).get(GOVERNOR).content.decode()


def test_governor_filters_and_service_levels(world, client_for):
    group = group_of_a(world)
    near, overdue = governor_due(world, 20), governor_due(world, -2)
    GroupAssignment.objects.create(elevator=near, group=group)
    client = client_for(world.admin_a)
    assert listed(client.get(GOVERNOR, {"level": "near"})) == {near.pk}
    assert listed(client.get(GOVERNOR, {"level": "overdue"})) == {overdue.pk}
    assert listed(client.get(GOVERNOR, {"group": group.pk})) == {near.pk}
    assert listed(client.get(GOVERNOR, {"due_after": date.today().isoformat()})) == {near.pk}
    assert listed(client.get(GOVERNOR, {"region": near.region_id})) == {near.pk, overdue.pk}
    assert set(governor_warnings(world.admin_a, level="near")) == {near}
    assert set(governor_warnings(world.city_admin, level="overdue")) == {overdue}


@pytest.mark.parametrize("rows", [1, 20])
def test_governor_queries_are_bounded(world, client_for, django_assert_max_num_queries, rows):
    for i in range(rows):
        governor_due(world, (i % 7) * 5 - 5)
    for user in (world.admin_a, world.city_admin):
        client = client_for(user)
        client.get(GOVERNOR)
        with django_assert_max_num_queries(8):
            assert len(listed(client.get(GOVERNOR))) == rows


def test_a_calibration_report_from_the_warning_clears_it(world, client_for):
    from elevators.tests.test_inspections import pdf

    elevator = governor_due(world, -3)
    client = client_for(world.admin_a)
    url = reverse("elevators:inspection_create", args=[elevator.pk]) + f"?kind=governor&next={GOVERNOR}"
    form = client.get(url)
    assert form.context["form"]["kind"].value() == "governor"
    done = date.today() - timedelta(days=1)
    posted = {"kind": "governor", "date": done.isoformat(), "result": "passed", "number": "XS-9", "next_date": ""}
    response = client.post(url, {**posted, "report_file": pdf()})
    assert response.status_code == 302 and response["Location"] == GOVERNOR
    elevator.refresh_from_db()
    assert elevator.governor_calibrated_on == done
    assert elevator.next_governor_calibration == done + relativedelta(years=2)
    assert elevator.pk not in listed(client.get(GOVERNOR))
    # another site is not a place to come back to
    elsewhere = reverse("elevators:inspection_create", args=[elevator.pk]) + "?next=https://evil.example/"
    again = client.post(elsewhere, {**posted, "number": "XS-10", "report_file": pdf()})
    assert again.status_code == 302 and again["Location"].startswith(reverse("elevators:detail", args=[elevator.pk]))


def test_the_warning_is_closed_to_outsiders_of_the_report_page(world, client_for):
    elevator = governor_due(world, -3)
    url = reverse("elevators:inspection_create", args=[elevator.pk]) + "?kind=governor"
    assert client_for(world.admin_b).get(url).status_code == 404


# --- API ----------------------------------------------------------------------------------------------------------


def test_the_api_answers_the_governor_kind(world, api):
    soon, late = governor_due(world, 25), governor_due(world, -2)
    governor_due(world, 90)
    governor_due(world, 5, company=world.company_b, region_code="500107")
    Elevator.objects.filter(pk=late.pk).update(governor_calibrated_on=date(2022, 6, 1))
    client = api(world.admin_a)
    rows = items(client("GET", "/warnings?kind=governor"))
    assert [row["id"] for row in rows] == [late.pk, soon.pk]
    assert rows[1] == {
        **rows[1],
        "kind": "governor",
        "elevator": soon.pk,
        "register_code": soon.register_code,
        "level": "near",
        "days": 25,
        "escalation_step": None,
        "governor_since": "2020-01-15",
        "governor_calibrated_on": None,
    }
    assert (rows[0]["level"], rows[0]["days"], rows[0]["governor_calibrated_on"]) == ("overdue", -2, "2022-06-01")
    assert [row["id"] for row in items(client("GET", "/warnings?kind=governor&level=overdue"))] == [late.pk]
    assert items(api(world.admin_b)("GET", "/warnings?kind=governor"))[0]["id"] not in (soon.pk, late.pk)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the ledger's indexes are PostgreSQL's question")
def test_a_company_reads_its_governor_warnings_from_the_index(world):
    for offset in range(-5, 5):
        governor_due(world, offset * 10)
    queryset = governor_warnings(world.admin_a).order_by("next_governor_calibration", "id")[:51]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # the order must come from an index: otherwise statistics left by earlier tests may make the planner pick
        # the company's foreign-key index and sort (a cheap plan on a tiny table, not the one a city gets)
        cursor.execute("SET LOCAL enable_sort = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "elev_company_next_governor" in plan or "elev_next_governor" in plan, plan
