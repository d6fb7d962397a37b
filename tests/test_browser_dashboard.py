"""Browser: each role's home page shows its own figures; the weekly chart (server-drawn SVG) fits a 390 px phone
without a horizontal scroll, under the Content-Security-Policy."""

import pytest

from conftest import browser_login, screenshot, watch_csp
from maintenance.models import PlanStatus
from portal.tests.dashboard_world import group_of_a, plan, problem, record
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def _figure(page, key):
    return page.locator(f"[data-figure={key}]").inner_text().strip()


def test_each_role_sees_its_own_home_page_on_a_phone(browser_page, world):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    violations = watch_csp(page)
    group = group_of_a(world, world.worker_a)
    plan(world, -3, group=group)
    plan(world, 0, group=group)
    plan(world, -10, done_offset=-10)
    plan(world, -6, status=PlanStatus.CLOSED)
    plan(world, -1, company=world.company_b)
    for hours in (30, 24 * 8, 24 * 8 + 1, 24 * 20):
        record(world, hours_ago=hours)
    record(world, company=world.company_b, hours_ago=30)
    problem(world)

    def home_as(username):
        page.context.clear_cookies()
        browser_login(page, username, TEST_PASSWORD)
        page.goto(page.base_url + "/")
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{username}: the page scrolls sideways at 390 px"

    home_as("admin_a")
    assert _figure(page, "maintenance_overdue") == "1" and _figure(page, "due_today") == "1"
    # the seed's colours: overdue is red, near is yellow, nothing is grey
    red = page.locator("[data-figure=maintenance_overdue]").evaluate("el => getComputedStyle(el).backgroundColor")
    assert red == "rgb(220, 53, 69)"
    yellow = page.locator("[data-figure=maintenance_near]").evaluate("el => getComputedStyle(el).backgroundColor")
    assert yellow == "rgb(255, 193, 7)" and _figure(page, "maintenance_near") == "1"  # due today
    plain = page.locator("[data-figure=inspection_overdue]").evaluate("el => getComputedStyle(el).backgroundColor")
    assert plain == "rgb(248, 249, 250)" and _figure(page, "inspection_overdue") == "0"
    assert _figure(page, "records_waiting") == "4" and _figure(page, "problems_new") == "1"
    assert _figure(page, "on_time_rate") == "50.0%"  # the -10 done on time, the -3 not yet
    chart = page.get_by_test_id("visits-chart")
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box and 300 <= box["width"] <= 390 and box["height"] > 120
    assert page.locator("[data-testid=visits-chart] rect.chart-bar").count() == 12
    fill = page.locator("rect.chart-bar").first.evaluate("el => getComputedStyle(el).fill")
    assert fill == "rgb(13, 110, 253)"  # from app.css, no inline style
    heights = page.locator("rect.chart-bar").evaluate_all("bars => bars.map(b => b.getBBox().height)")
    assert sum(1 for h in heights if h > 0) >= 2  # this week and the weeks before
    screenshot(page, "dashboard-company-390")

    home_as("worker_a")
    assert _figure(page, "worker_overdue") == "1" and _figure(page, "worker_today") == "1"
    assert page.get_by_test_id("worker-visits").locator("li").count() == 2
    assert page.get_by_test_id("dashboard-company").count() == 0

    home_as("use_a")
    assert _figure(page, "records_to_sign") == "4" and _figure(page, "maintenance_overdue") == "1"

    home_as("yubei")
    table = page.get_by_test_id("compliance-table")
    assert table.locator("tbody tr").count() == 1 and "甲维保公司" in table.inner_text()
    assert page.locator(f"tr[data-company='{world.company_a.pk}'] [data-col=grade]").inner_text().strip() == "D"
    assert page.get_by_test_id("grade-rules").is_visible()
    grades = page.get_by_test_id("grade-chart")
    grades.scroll_into_view_if_needed()
    assert grades.bounding_box()["width"] <= 390
    d_bar = grades.locator("[data-bar=D] rect")
    assert d_bar.evaluate("el => getComputedStyle(el).fill") == "rgb(220, 53, 69)"

    home_as("city")
    assert page.get_by_test_id("compliance-table").locator("tbody tr").count() == 2
    assert page.get_by_test_id("district-table").locator("tbody tr").count() == 2
    districts = page.get_by_test_id("district-chart")
    assert districts.locator("g[data-bar]").count() == 2 and "渝北区" in districts.inner_html()
    screenshot(page, "dashboard-city-390")

    home_as("admin_b")
    assert _figure(page, "maintenance_overdue") == "1" and _figure(page, "records_waiting") == "1"
    assert _figure(page, "due_today") == "0" and _figure(page, "problems_new") == "0"
    assert violations == []


def test_a_red_warning_reaches_the_bell_and_leads_to_its_elevator(browser_page, world):
    """The daily job (manage.py send_alerts) tells an overdue inspection: the use unit's bell counts it, the
    notification names it in red words, and its link opens the elevator."""
    from django.core.management import call_command

    from alerts.tests.helpers import inspection_due
    from elevators.models import Elevator

    page = browser_page
    late = inspection_due(world, -2)
    Elevator.objects.filter(pk=late.pk).update(next_governor_calibration=None)  # its governor is not the point here
    browser_login(page, "use_a", TEST_PASSWORD)
    page.goto(page.base_url + "/")
    assert page.get_by_test_id("notification-count").count() == 0
    assert _figure(page, "inspection_overdue") == "1"
    call_command("send_alerts", "--date", late.next_inspection_date.isoformat(), stdout=None)  # due that day: yellow
    call_command("send_alerts")  # today: two days overdue, red
    page.reload()
    bell = page.get_by_test_id("notification-count")
    assert bell.get_attribute("data-count") == "2"
    assert bell.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(220, 53, 69)"
    page.get_by_test_id("notification-bell").click()
    title = f"定期检验逾期：{late.register_code}"
    notice = page.get_by_role("button", name=title)
    assert notice.is_visible()
    notice.click()
    page.wait_for_url(f"**/elevators/{late.pk}/**")
    assert late.register_code in page.content()
