"""Browser journey: 维保计划 — a company administrator makes a group, assigns elevators by filter, generates a
year from a date nine months back, reads the calendar, moves a plan and is refused past the legal bound."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import browser_login, screenshot, watch_csp
from maintenance import schedule
from maintenance.models import MaintenanceGroup, MaintenancePlan, PlanJob
from maintenance.services import plans
from tests.factories import TEST_PASSWORD, make_elevator, qualify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_group_then_a_year_of_plans_then_calendar_and_moves(browser_page, world):
    qualify(world.worker_a)
    elevators = [make_elevator(world, building="星光天地") for _i in range(3)]
    page = browser_page
    violations = watch_csp(page)
    browser_login(page, "admin_a", TEST_PASSWORD)

    # 维保小组: create, assign by the ledger's filter
    page.goto(f"{page.base_url}/maintenance/groups/new/")
    page.fill("#id_name", "星光组")
    page.select_option("#id_leader", str(world.admin_a.pk))
    page.select_option("#id_members", [str(world.worker_a.pk)])
    with page.expect_navigation():
        page.click("button:has-text('提交')")
    page.click("[data-testid=assign]")
    page.fill("#id_building", "星光天地")
    page.click("[data-testid=assign-search]")
    with page.expect_navigation():
        page.click("[data-testid=assign-all]")
    assert page.locator("[data-testid=elevator-count]").inner_text() == "3"

    # 新增维保计划 from the group's page: a start nine months back, preview, then the job
    page.click("[data-testid=group-plan]")
    start = schedule.add_months(timezone.localdate(), -9)
    page.fill("#id_start_date", start.isoformat())
    with page.expect_navigation():
        page.click("[data-testid=plan-preview]")
    preview = page.locator("[data-testid=plan-preview-result]")
    assert "符合条件的电梯 3 台" in preview.inner_text()
    assert preview.locator("li").last.locator(".badge").inner_text() == "年度"
    screenshot(page, "plans-01-preview")
    with page.expect_navigation():
        page.click("[data-testid=plan-confirm]")
    page.wait_for_selector("[data-testid=plan-job-done]", timeout=20000)
    job = PlanJob.objects.get()
    assert job.processed == 3 and job.created_plans == MaintenancePlan.objects.count() > 3
    screenshot(page, "plans-02-job")

    # the calendar of the group, this month
    group = MaintenanceGroup.objects.get(name="星光组")
    page.goto(f"{page.base_url}/maintenance/plans/calendar/?group={group.pk}")
    chips = page.locator("[data-testid=calendar-plan]")
    assert chips.count() >= 3
    screenshot(page, "plans-03-calendar")

    # move a plan: past the bound is refused with the days over, inside the window it is kept
    rows = list(MaintenancePlan.objects.filter(elevator=elevators[0]).order_by("due_date"))
    plan = rows[1]
    page.goto(f"{page.base_url}/maintenance/plans/{plan.pk}/")
    page.click("[data-testid=move]")
    page.fill("#id_due_date", (rows[0].due_date + timedelta(days=17)).isoformat())
    page.fill("#id_reason", "业主要求改期")
    with page.expect_navigation():
        page.click("[data-testid=confirm-action]")
    error = page.locator(".invalid-feedback").first.inner_text()
    assert "超过规定的 15 天" in error or "下一次计划" in error, error
    screenshot(page, "plans-04-refused")
    plan.refresh_from_db()
    assert plan.due_date == plan.original_date
    window = plans.move_window(plan)
    if window:
        day = window[0] if window[0] != plan.due_date else window[1]
        page.fill("#id_due_date", day.isoformat())
        page.fill("#id_reason", "业主要求改期")
        with page.expect_navigation():
            page.click("[data-testid=confirm-action]")
        assert page.locator(".alert", has_text="维保计划已调整。").is_visible()
        plan.refresh_from_db()
        assert plan.due_date == day
    assert not violations, "\n".join(violations)
