"""Browser journeys: 节假日安排 (the operator adds a 2027 调休 working day) and 排期设置 (a company avoids days off)."""

from datetime import date

import pytest

from conftest import browser_login, screenshot, watch_csp
from maintenance.days_off import days_off
from maintenance.models import AvoidDays, Holiday, PlanningSettings
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_operator_adds_a_working_day_for_next_year(browser_page, world):
    page = browser_page
    violations = watch_csp(page)
    browser_login(page, "operator", TEST_PASSWORD)
    page.click("nav >> text=节假日安排")
    page.wait_for_url("**/maintenance/holidays/")
    page.select_option("#id_year", "2027")
    with page.expect_navigation():
        page.click("[data-testid=year-form] button")
    assert page.locator("[data-testid=year-heading]").inner_text() == "2027"
    assert page.locator("tr[data-date='2027-02-20']").count() == 0  # the package knows no 2027 substitutions

    page.click("[data-testid=add-holiday]")
    page.fill("#id_date", "2027-02-20")
    page.check("#id_is_workday")
    page.fill("#id_name", "春节调休上班")
    page.fill("#id_reason", "国办发明电〔2026〕7号")
    with page.expect_navigation():
        page.click("[data-testid=submit]")
    page.wait_for_function("() => document.querySelector(\"tr[data-date='2027-02-20']\") !== null")
    row = page.locator("tr[data-date='2027-02-20']")
    assert row.locator("[data-kind=work]").is_visible()
    assert row.locator("[data-source=operator]").is_visible()
    assert "春节调休上班" in row.inner_text()
    screenshot(page, "calendar-01-holidays-2027")

    holiday = Holiday.objects.get(date=date(2027, 2, 20))
    assert holiday.is_workday and holiday.created_by == world.operator
    assert date(2027, 2, 20) not in days_off(date(2027, 2, 1), date(2027, 2, 28), AvoidDays.DAYS_OFF)
    assert not violations, "\n".join(violations)


def test_a_company_admin_avoids_holidays_and_weekends(browser_page, world):
    page = browser_page
    violations = watch_csp(page)
    browser_login(page, "admin_a", TEST_PASSWORD)
    page.click("nav >> text=排期设置")
    page.wait_for_url("**/maintenance/planning/")
    page.select_option("#id_avoid", AvoidDays.DAYS_OFF)
    with page.expect_navigation():
        page.click("[data-testid=submit]")
    page.wait_for_function("() => document.querySelector('.alert-success') !== null")
    assert page.locator("#id_avoid").input_value() == AvoidDays.DAYS_OFF
    screenshot(page, "calendar-02-planning-settings")

    settings = PlanningSettings.objects.get(organization=world.company_a)
    assert settings.avoid == AvoidDays.DAYS_OFF
    assert not violations, "\n".join(violations)


def test_the_operator_puts_an_elevator_on_demand_and_edits_it(browser_page, world):
    from maintenance.models import OnDemandMaintenance
    from tests.factories import make_elevator

    elevator = make_elevator(world)
    page = browser_page
    violations = watch_csp(page)
    browser_login(page, "operator", TEST_PASSWORD)
    page.click("nav >> text=按需维保")
    page.wait_for_url("**/maintenance/on-demand/")
    page.click("[data-testid=add]")
    page.fill("#id_register_code", elevator.register_code)
    page.fill("#id_interval_days", "75")
    page.fill("#id_starts_on", "2027-01-01")
    page.fill("#id_note", "渝市监特〔2026〕12号")
    with page.expect_navigation():
        page.click("[data-testid=submit]")
    assert "不能超过 60 天" in page.locator("[data-field-error=interval_days]").inner_text()
    page.fill("#id_interval_days", "45")
    with page.expect_navigation():
        page.click("[data-testid=submit]")
    page.wait_for_function("() => document.querySelector('#on-demand-table tbody input[type=checkbox]') !== null")
    assert elevator.register_code in page.locator("#on-demand-table").inner_text()

    page.check("#on-demand-table tbody input[type=checkbox]")
    with page.expect_navigation():
        page.click("button[data-row-action*='/edit/']")
    page.fill("#id_interval_days", "30")
    page.fill("#id_reason", "复核后缩短间隔")
    with page.expect_navigation():
        page.click("[data-testid=submit]")
    screenshot(page, "calendar-03-on-demand")
    record = OnDemandMaintenance.objects.get(elevator=elevator)
    assert record.interval_days == 30 and record.set_by == world.operator
    assert not violations, "\n".join(violations)
