"""Browser: 维保预警查询 shows the seed's colours (near yellow, overdue red) under the Content-Security-Policy."""

import pytest
from django.urls import reverse

from conftest import browser_login, watch_csp
from tests.factories import TEST_PASSWORD

from .helpers import plan_due

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_near_is_yellow_and_overdue_is_red(browser_page, world):
    page = browser_page
    violations = watch_csp(page)
    near = plan_due(world, 2)
    overdue = plan_due(world, -3)
    browser_login(page, "admin_a", TEST_PASSWORD)
    page.goto(page.base_url + reverse("alerts:maintenance"))

    rows = page.locator("#warning-table tbody tr")
    assert rows.count() == 2
    red = page.locator("#warning-table tr", has_text=overdue.elevator.register_code).locator("[data-level]")
    yellow = page.locator("#warning-table tr", has_text=near.elevator.register_code).locator("[data-level]")
    assert red.inner_text() == "逾期" and yellow.inner_text() == "临期"
    colour = "el => getComputedStyle(el).backgroundColor"
    assert red.evaluate(colour) == "rgb(220, 53, 69)"  # Bootstrap's danger
    assert yellow.evaluate(colour) == "rgb(255, 193, 7)"  # Bootstrap's warning
    assert "逾期 3 天" in page.locator("#warning-table").inner_text()
    assert "还有 2 天" in page.locator("#warning-table").inner_text()
    page.get_by_test_id("warning-settings-link").click()
    page.wait_for_url(page.base_url + reverse("alerts:settings"))
    page.fill("#id_maintenance_near_days", "6")
    page.get_by_test_id("submit").click()
    page.wait_for_url(page.base_url + reverse("alerts:settings"))
    assert violations == []


def test_inspection_warnings_show_yellow_and_red_with_the_tier(browser_page, world):
    from .helpers import inspection_due

    page = browser_page
    violations = watch_csp(page)
    near = inspection_due(world, 20)
    overdue = inspection_due(world, -3)
    browser_login(page, "admin_a", TEST_PASSWORD)
    page.goto(page.base_url + reverse("alerts:inspection"))

    red = page.locator("#warning-table tr", has_text=overdue.register_code).locator("[data-level]")
    yellow = page.locator("#warning-table tr", has_text=near.register_code).locator("[data-level]")
    assert red.inner_text() == "逾期" and yellow.inner_text() == "临期"
    colour = "el => getComputedStyle(el).backgroundColor"
    assert red.evaluate(colour) == "rgb(220, 53, 69)"
    assert yellow.evaluate(colour) == "rgb(255, 193, 7)"
    table = page.locator("#warning-table").inner_text()
    assert "30 天内 · 还有 20 天" in table and "逾期 3 天" in table
    page.locator("#warning-table tr", has_text=near.register_code).get_by_role("link", name="录入检验结果").click()
    page.wait_for_url(page.base_url + reverse("elevators:inspection_create", args=[near.pk]))
    assert violations == []


# --- 维保记录待确认预警 and 人员证书到期预警 ------------------------------------------------------------------------


def test_the_use_unit_confirms_a_red_record_from_its_warning(browser_page, world):
    from datetime import timedelta

    from django.utils import timezone

    from records.models import MaintenanceRecord
    from records.tests.builders import visit_record
    from tests.test_browser_records_web import draw_signature

    page = browser_page
    violations = watch_csp(page)
    late = visit_record(world, confirm=False)  # finished weeks ago: red
    fresh = visit_record(world, confirm=False)
    MaintenanceRecord.objects.filter(pk=fresh.pk).update(finished_at=timezone.now() - timedelta(hours=2))
    browser_login(page, "use_a", TEST_PASSWORD)
    page.goto(page.base_url + "/")
    page.get_by_test_id("side-menu").get_by_role("link", name="维保记录待确认预警").click()
    page.wait_for_url(page.base_url + reverse("alerts:confirmation"))

    red = page.locator("#warning-table tr", has_text=late.elevator.register_code)
    yellow = page.locator("#warning-table tr", has_text=fresh.elevator.register_code)
    assert red.locator("[data-level]").inner_text() == "超时未确认"
    assert yellow.locator("[data-level]").inner_text() == "待确认"
    colour = "el => getComputedStyle(el).backgroundColor"
    assert red.locator("[data-level]").evaluate(colour) == "rgb(220, 53, 69)"
    assert yellow.locator("[data-level]").evaluate(colour) == "rgb(255, 193, 7)"

    red.get_by_role("link", name="确认").click()
    page.wait_for_url(page.base_url + reverse("records:confirm", args=[late.pk]))
    page.locator("form[data-signature-form][data-signature-ready='1']").wait_for()
    draw_signature(page)
    with page.expect_navigation():
        page.click("[data-testid=confirm-submit]")
    assert page.locator("[data-testid=record-status]").inner_text() == "已确认"

    page.goto(page.base_url + reverse("alerts:confirmation"))
    rows = page.locator("#warning-table tbody tr")
    assert rows.count() == 1 and fresh.elevator.register_code in rows.inner_text()
    assert late.elevator.register_code not in page.locator("#warning-table").inner_text()
    assert violations == []


def test_a_company_administrator_sees_an_expiring_certificate_and_renews_it(browser_page, world):
    from datetime import date, timedelta

    from tests.factories import qualify

    page = browser_page
    violations = watch_csp(page)
    qualify(world.worker_a, date.today() + timedelta(days=20))
    browser_login(page, "admin_a", TEST_PASSWORD)
    page.goto(page.base_url + reverse("alerts:certificate"))
    row = page.locator("#warning-table tr", has_text="worker_a")
    assert row.locator("[data-level]").inner_text() == "临期" and "还有 20 天" in row.inner_text()
    assert row.locator("[data-level]").evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 193, 7)"
    row.get_by_role("link", name="更新资质").click()
    page.wait_for_url(page.base_url + reverse("accounts:user_qualification", args=[world.worker_a.pk]))
    assert violations == []
