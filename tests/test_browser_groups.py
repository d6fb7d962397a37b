"""Browser journey: 维保小组管理 — a company administrator creates a group, assigns elevators by the ledger's filter,
sees them on the group's page and takes one out again."""

import pytest

from conftest import browser_login, screenshot, watch_csp
from maintenance.models import GroupAssignment, MaintenanceGroup
from tests.factories import TEST_PASSWORD, make_elevator, qualify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_a_group_assign_by_filter_and_unassign(browser_page, world):
    qualify(world.worker_a)
    sunny = [make_elevator(world, building="阳光花园") for _i in range(3)]
    make_elevator(world, building="月亮湾")
    page = browser_page
    violations = watch_csp(page)
    browser_login(page, "admin_a", TEST_PASSWORD)

    page.click("nav >> text=维保小组管理")
    page.wait_for_url("**/maintenance/groups/")
    page.click("[data-testid=group-create]")
    page.fill("#id_name", "渝北一组")
    page.select_option("#id_leader", str(world.admin_a.pk))
    page.select_option("#id_members", [str(world.worker_a.pk)])
    screenshot(page, "groups-01-create")
    with page.expect_navigation():
        page.click("button:has-text('提交')")
    assert page.locator("h1", has_text="渝北一组").is_visible()
    members = page.locator("[data-testid=members]")
    assert members.locator(f"text={world.worker_a.display_name}").is_visible()
    group = MaintenanceGroup.objects.get(name="渝北一组")
    assert set(group.members.all()) == {world.admin_a, world.worker_a}

    page.click("[data-testid=assign]")
    page.fill("#id_building", "阳光花园")
    page.click("[data-testid=assign-search]")
    assert page.locator("[data-testid=match-count]").inner_text().startswith("符合条件的电梯 3 台")
    screenshot(page, "groups-02-assign-by-filter")
    with page.expect_navigation():
        page.click("[data-testid=assign-all]")
    assert page.locator("[data-testid=elevator-count]").inner_text() == "3"
    table = page.locator("#group-elevator-table")
    for elevator in sunny:
        assert table.locator(f"text={elevator.register_code}").is_visible()

    table.locator(f"input[aria-label='{sunny[0].register_code}']").check()
    with page.expect_navigation():
        page.click("[data-testid=unassign]")
    assert page.locator(".alert", has_text="已将 1 台电梯移出小组。").is_visible()
    assert page.locator("[data-testid=elevator-count]").inner_text() == "2"
    assert not page.locator(f"#group-elevator-table >> text={sunny[0].register_code}").count()
    screenshot(page, "groups-03-detail")
    assert set(GroupAssignment.objects.values_list("elevator_id", flat=True)) == {e.pk for e in sunny[1:]}
    assert not violations, "\n".join(violations)
