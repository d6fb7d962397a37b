"""首页看板 (issue 17): each role's figures, other tenants' data never counted, bounded queries, the credit grade."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from elevators.models import Elevator
from maintenance.models import PlanStatus
from portal import dashboard

from .dashboard_world import elevator_of, group_of_a, plan, problem, record, today

pytestmark = pytest.mark.django_db


def figure(page: str, key: str) -> str:
    match = re.search(rf'data-figure="{key}">([^<]*)<', page)
    assert match, f"no figure {key}"
    return match.group(1)


def company_a_world(world):
    """Company A's visits, records and reports in 渝北区; company B's few in 九龙坡区."""
    plan(world, -3)
    plan(world, -20)  # overdue more than 7 days
    plan(world, 2)
    plan(world, 0)
    plan(world, -10, done_offset=-10)  # on time
    plan(world, -5, done_offset=-3)  # late
    plan(world, -8, status=PlanStatus.CLOSED)  # closed: not due any more
    plan(world, -100, done_offset=-100)  # before the 90 days
    plan(world, -2, company=world.company_b)
    record(world, hours_ago=2)  # waiting for confirmation
    record(world, hours_ago=30)  # waiting more than 24 hours
    flagged = record(world, hours_ago=21 * 24, status="confirmed", flags=["too_short"])
    record(world, elevator=flagged.elevator, hours_ago=1, status="confirmed", corrects=flagged)  # a correction
    record(world, company=world.company_b, hours_ago=30)
    problem(world)
    problem(world, status="acknowledged")
    problem(world, status="closed")
    problem(world, company=world.company_b)


def test_a_company_sees_its_warnings_visits_records_and_reports(world, client_for):
    company_a_world(world)
    page = client_for(world.admin_a).get("/").content.decode()
    assert figure(page, "maintenance_overdue") == "2" and figure(page, "maintenance_near") == "2"
    assert figure(page, "due_today") == "1"
    assert figure(page, "due_week") == str(1 + (today().weekday() <= 4))  # +2 days is still this week?
    assert figure(page, "records_waiting") == "2" and "超过 24 小时：1" in page
    assert figure(page, "problems_new") == "1" and "未关闭：2" in page
    assert figure(page, "on_time_rate") == "25.0%" and "到期 4 次，按期完成 1 次" in page
    assert 'href="/alerts/maintenance/?level=overdue"' in page
    assert f'href="/maintenance/plans/?status=planned&amp;due_after={today()}&amp;due_before={today()}"' in page
    assert 'href="/records/?status=finished"' in page and 'href="/elevators/problems/?status=new"' in page
    chart = dashboard.weekly_visits(world.admin_a)
    assert len(chart) == 12 and sum(w["count"] for w in chart) == 3  # the correction is not a visit
    assert chart[-1]["week"] == today() - timedelta(days=today().weekday())
    assert 'data-testid="visits-chart"' in page and page.count('class="chart-bar"') == 12


def test_another_company_sees_none_of_it(world, client_for):
    company_a_world(world)
    page = client_for(world.admin_b).get("/").content.decode()
    assert figure(page, "maintenance_overdue") == "1" and figure(page, "maintenance_near") == "0"
    assert figure(page, "due_today") == "0" and figure(page, "due_week") == "0"
    assert figure(page, "records_waiting") == "1" and figure(page, "problems_new") == "1"
    assert figure(page, "on_time_rate") == "0.0%"
    assert sum(w["count"] for w in dashboard.weekly_visits(world.admin_b)) == 1


def test_a_company_without_visits_due_has_no_rate(world, client_for):
    page = client_for(world.admin_a).get("/").content.decode()
    assert figure(page, "on_time_rate") == "—" and figure(page, "maintenance_overdue") == "0"


def test_a_worker_sees_his_day(world, client_for):
    group = group_of_a(world, world.worker_a)
    overdue = plan(world, -2, group=group)
    due = plan(world, 0, group=group)
    plan(world, 3, group=group)
    plan(world, 0)  # not his group's
    plan(world, 0, company=world.company_b)
    page = client_for(world.worker_a).get("/").content.decode()
    assert figure(page, "worker_overdue") == "1" and figure(page, "worker_today") == "1"
    assert figure(page, "worker_ahead") == "1"
    assert overdue.elevator.register_code in page and due.elevator.register_code in page
    assert "逾期 2 天" in page and 'href="/m/"' in page
    assert 'data-testid="dashboard-company"' not in page
    other = client_for(world.worker_b).get("/").content.decode()
    assert figure(other, "worker_today") == "0" and "今天没有待做的维保。" in other


def test_a_use_unit_sees_its_elevators_and_the_records_to_sign(world, client_for):
    company_a_world(world)
    page = client_for(world.use_admin_a).get("/").content.decode()
    mine = Elevator.objects.filter(use_unit=world.use_unit_a)
    for status in ("pending_registration", "in_use", "suspended", "scrapped"):
        assert figure(page, f"status_{status}") == str(mine.filter(status=status).count())
    assert sum(int(figure(page, f"status_{s}")) for s in ("pending_registration", "in_use")) == mine.count()
    assert figure(page, "records_to_sign") == "2" and 'href="/records/?status=finished"' in page
    assert figure(page, "maintenance_overdue") == "2"
    other = client_for(world.use_admin_b).get("/").content.decode()
    assert figure(other, "records_to_sign") == "1" and figure(other, "maintenance_overdue") == "1"


def test_a_district_bureau_sees_the_companies_of_its_district(world, client_for):
    company_a_world(world)
    table = dashboard.compliance(world.yubei_admin)
    assert [row["name"] for row in table["rows"]] == ["甲维保公司"]
    row = table["rows"][0]
    elevators_a = Elevator.objects.filter(maintenance_company=world.company_a).count()
    assert row["elevators"] == elevators_a
    assert (row["due"], row["on_time"], row["rate"], row["overdue"], row["long_overdue"]) == (4, 1, 25.0, 2, 1)
    assert (row["visits"], row["flagged"], row["problems"], row["grade"]) == (3, 1, 2, "D")
    assert table["districts"] == []
    page = client_for(world.yubei_admin).get("/").content.decode()
    assert f'data-company="{world.company_a.pk}"' in page and f'data-company="{world.company_b.pk}"' not in page
    assert 'data-testid="grade-rules"' in page and "A：按时维保率 ≥ 95%" in page
    jlp = dashboard.compliance(world.jlp_admin)
    assert [(r["name"], r["grade"], r["problems"], r["overdue"]) for r in jlp["rows"]] == [("乙维保公司", "D", 1, 1)]
    assert dashboard.compliance(world.sz_admin)["rows"] == []
    assert "辖区内暂无维保单位的电梯。" in client_for(world.sz_admin).get("/").content.decode()


def test_the_city_bureau_sees_every_company_and_the_district_totals(world, client_for):
    company_a_world(world)
    elevator_of(world, company=world.company_a, region_code="500107")  # company A in 九龙坡区 too
    table = dashboard.compliance(world.city_admin)
    assert {row["name"] for row in table["rows"]} == {"甲维保公司", "乙维保公司"}
    assert table["rows"][0]["grade"] == "D"  # the worst first
    districts = {row["code"]: row for row in table["districts"]}
    assert set(districts) == {"500112", "500107"}
    assert districts["500107"]["elevators"] == Elevator.objects.filter(region__code="500107").count()
    assert districts["500112"]["overdue"] == 2 and districts["500107"]["overdue"] == 1
    assert table["totals"]["elevators"] == Elevator.objects.count()
    page = client_for(world.city_admin).get("/").content.decode()
    assert 'data-testid="district-table"' in page and 'data-district="500107"' in page


def test_bureaus_see_the_grades_and_the_city_each_districts_rate_as_charts(world, client_for):
    company_a_world(world)
    plan(world, -30, company=world.company_b, done_offset=-30)  # B: one of two visits on time
    district = client_for(world.yubei_admin).get("/").content.decode()
    assert 'data-testid="grade-chart"' in district and 'data-testid="district-chart"' not in district
    assert re.search(r'data-bar="D" data-value="1"', district) and 'data-bar="A" data-value="0"' in district
    table = dashboard.compliance(world.city_admin)
    assert table["grades"] == {"A": 0, "B": 0, "C": 0, "D": 2, "": 0}
    city = client_for(world.city_admin).get("/").content.decode()
    assert 'data-bar="500112" data-value="25.0"' in city and 'data-bar="500107" data-value="50.0"' in city
    assert "<title>渝北区：25.0%</title>" in city
    bars = {bar["key"]: bar for bar in table["charts"]["districts"]["bars"]}
    assert float(bars["500107"]["width"]) == 2 * float(bars["500112"]["width"])  # the bar's length is the rate


def test_the_compliance_numbers_are_cached_per_bureau(world, client_for):
    plan(world, -3)
    assert dashboard.compliance(world.yubei_admin)["rows"][0]["overdue"] == 1
    plan(world, -4)
    assert dashboard.compliance(world.yubei_admin)["rows"][0]["overdue"] == 1  # five minutes old at most
    assert dashboard.compliance(world.city_admin)["rows"][0]["overdue"] == 2  # another bureau, its own numbers
    cache.clear()
    assert dashboard.compliance(world.yubei_admin)["rows"][0]["overdue"] == 2


G = dict(elevators=100, visits=100, flagged=0)


@pytest.mark.parametrize(
    "due, on_time, long_overdue, extra, grade",
    [
        (0, 0, 0, {}, ""),  # nothing due: no grade
        (100, 95, 0, {}, "A"),
        (100, 94, 0, {}, "B"),
        (100, 100, 1, {}, "B"),  # one visit overdue > 7 days: never A
        (100, 85, 1, {}, "B"),  # 1 per 100 elevators
        (100, 85, 2, {}, "C"),
        (100, 84, 0, {}, "C"),
        (100, 70, 5, {}, "C"),
        (100, 69, 0, {}, "D"),
        (20, 19, 0, {}, "A"),  # 95 % exactly
        (21, 19, 0, {}, "B"),  # 90.5 %
        (100, 95, 0, {"flagged": 5}, "A"),  # 5 % flagged: no step down
        (100, 95, 0, {"flagged": 6}, "B"),  # above 5 %: one grade lower
        (100, 70, 0, {"flagged": 50}, "D"),
        (100, 10, 0, {"flagged": 50}, "D"),  # D stays D
        (100, 95, 0, {"visits": 0, "flagged": 0}, "A"),
    ],
)
def test_the_credit_grade_at_its_edges(due, on_time, long_overdue, extra, grade):
    kwargs = {**G, **extra}
    assert dashboard.credit_grade(due=due, on_time=on_time, long_overdue=long_overdue, **kwargs) == grade


def _grow(world, n):
    group = group_of_a(world, world.worker_a)
    for i in range(n):
        for company in (world.company_a, world.company_b):
            elevator = elevator_of(world, company=company)
            plan(world, -(i % 9) - 1, elevator=elevator, group=group if company == world.company_a else None)
            plan(world, 0, elevator=elevator)
            plan(world, -12, elevator=elevator, done_offset=-12)
            record(world, elevator=elevator, hours_ago=30 + i, flags=["too_short"] if i % 2 else [])
            problem(world, elevator=elevator)


def test_the_home_page_costs_the_same_queries_with_1_or_many_rows(world, client_for):
    users = (world.admin_a, world.worker_a, world.use_admin_a, world.yubei_admin, world.city_admin)

    def queries(user):
        client = client_for(user)
        client.get("/")  # the session and translations, as in real use
        cache.clear()  # the cached counts computed again
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    _grow(world, 1)
    one = {user.username: queries(user) for user in users}
    _grow(world, 12)
    many = {user.username: queries(user) for user in users}
    assert one == many
    # 预警概览 adds about one aggregate per warning kind the person reads (nine for a company administrator)
    assert max(many.values()) <= 30, many


@pytest.mark.parametrize("rows", [1, 8])
def test_the_figures_are_bounded(world, django_assert_max_num_queries, rows):
    _grow(world, rows)
    with django_assert_max_num_queries(8):
        dashboard.company_figures(world.admin_a)
    with django_assert_max_num_queries(3):  # the plans' two and his own certificate
        dashboard.worker_figures(world.worker_a)
    with django_assert_max_num_queries(3):
        dashboard.use_unit_figures(world.use_admin_a)
    with django_assert_max_num_queries(7):
        assert len(dashboard.compliance(world.city_admin)["rows"]) == 2
    with django_assert_max_num_queries(2):  # cached: the companies' and the districts' names only
        dashboard.compliance(world.city_admin)


def test_a_worker_sees_his_own_certificate_warning(world, client_for):
    from datetime import date, timedelta

    from tests.factories import qualify

    page = client_for(world.worker_a).get("/").content.decode()
    assert 'data-testid="own-certificate" data-level="overdue"' in page and "您还没有资质认证" in page
    qualify(world.worker_a, date.today() + timedelta(days=30))
    page = client_for(world.worker_a).get("/").content.decode()
    assert 'data-level="near"' in page and "还有 30 天" in page
    qualify(world.worker_a, date.today() + timedelta(days=61))  # renewed: no warning
    assert 'data-testid="own-certificate"' not in client_for(world.worker_a).get("/").content.decode()
    qualify(world.worker_a, date.today() + timedelta(days=5))  # an older one entered late: the renewal still holds
    assert 'data-testid="own-certificate"' not in client_for(world.worker_a).get("/").content.decode()
    qualify(world.worker_b, date.today() - timedelta(days=1))
    assert "已于" in client_for(world.worker_b).get("/").content.decode()


def test_the_bureaus_figures_are_computed_ahead_of_their_readers(world, client_for, settings):
    from io import StringIO

    from django.core.management import call_command

    from portal.tasks import refresh_dashboards

    plan(world, -3)
    out = StringIO()
    call_command("refresh_dashboards", stdout=out)
    bureaus = {world.city_bureau.pk, world.yubei_bureau.pk, world.jlp_bureau.pk, world.sz_bureau.pk}
    assert out.getvalue().strip() == f"{len(bureaus)} bureau(s) refreshed"
    plan(world, -4)  # not counted until the next refresh: the readers get the refreshed numbers
    assert dashboard.compliance(world.yubei_admin)["rows"][0]["overdue"] == 1
    with CaptureQueriesContext(connection) as captured:
        dashboard.compliance(world.yubei_admin)
    assert len(captured) == 1  # the names; the numbers come from the cache
    assert refresh_dashboards.apply().get() == len(bureaus)
    assert dashboard.compliance(world.yubei_admin)["rows"][0]["overdue"] == 2
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "portal.refresh_dashboards" in scheduled
