"""Browser journey: 维保项目管理 — the TSG T5002 items by cycle (cumulative tabs) and a company's own item."""

import pytest

from conftest import browser_login, screenshot, watch_csp
from maintenance.models import MaintenanceItem
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_items_by_cycle_and_a_company_item(browser_page, world):
    page = browser_page
    violations = watch_csp(page)
    browser_login(page, "admin_a", TEST_PASSWORD)
    page.click("nav >> text=维保项目管理")
    page.wait_for_url("**/maintenance/items/")
    assert "31" in page.locator("[data-testid=cycle-half_month]").inner_text()
    page.click("[data-testid=cycle-quarter]")
    assert page.locator("[data-testid=row-count]").inner_text() == "共 44 条"
    assert page.locator("#item-table >> text=层门锁紧元件啮合长度").is_visible()  # a half-month item, cumulative
    screenshot(page, "maintenance-01-items")

    page.click("a:has-text('新增本单位项目')")
    page.select_option("#id_annex", "A")
    page.select_option("#id_cycle", "quarter")
    page.fill("#id_part", "无机房主机散热风扇")
    page.fill("#id_requirement", "运转正常，滤网清洁")
    with page.expect_navigation():
        page.click("button:has-text('提交')")
    assert page.locator("h1", has_text="A-2-Q1").is_visible()
    page.goto(page.base_url + "/maintenance/items/?annex=A&cycle=quarter")
    assert page.locator("[data-testid=row-count]").inner_text() == "共 45 条"
    assert MaintenanceItem.objects.filter(organization=world.company_a).count() == 1
    assert not violations, "\n".join(violations)
