"""Browser: a bureau opens an administrator account in a company; the company's own administrator sees who opened
it on the home page, acknowledges it there, and still sees the opener in the account list."""

import pytest

from accounts.models import User
from conftest import browser_login, screenshot
from core.models import AuditEvent
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_company_admin_is_told_of_an_account_a_bureau_opened_and_acknowledges_it(browser_page, world):
    page = browser_page
    # the Yubei bureau opens an administrator account in company A (its district)
    browser_login(page, "yubei", TEST_PASSWORD)
    page.goto(page.base_url + "/accounts/users/new/")
    page.fill("#id_username", "bureau_made")
    page.fill("#id_full_name", "区局代开")
    page.fill("#id_phone", "13800005555")
    page.select_option("#id_organization", label=world.company_a.name)
    page.select_option("#id_category", value="maintenance_manager")
    page.select_option("#id_role", value="admin")
    with page.expect_navigation():
        page.click("button:has-text('提交')")
    assert page.locator("text=初始密码为 111111").is_visible()
    opened = User.objects.get(username="bureau_made")
    assert opened.created_by_organization == world.yubei_bureau

    # company A's administrator is told on the home page who opened it
    page.context.clear_cookies()
    browser_login(page, "admin_a", TEST_PASSWORD)
    notice = page.locator("[data-testid=opened-elsewhere]")
    assert notice.is_visible()
    entry = notice.locator("[data-account=bureau_made]")
    assert "渝北区局" in entry.inner_text() and "区局代开" in entry.inner_text()
    screenshot(page, "access-01-notice")
    with page.expect_navigation():
        entry.locator("button:has-text('确认')").click()
    assert page.url == page.base_url + "/"
    assert page.locator("text=已确认该账号").is_visible()
    assert page.locator("[data-testid=opened-elsewhere]").count() == 0
    assert AuditEvent.objects.filter(action="acknowledge", actor=world.admin_a, target_id=str(opened.pk)).exists()

    # the account list still says who opened it, and so does the account's page
    page.click("nav >> text=账号维护")
    row = page.locator("#user-table tr", has_text="bureau_made")
    assert "渝北区局" in row.locator("[data-testid=opened-by]").inner_text()
    assert page.locator("[data-testid=opened-elsewhere]").count() == 0
    with page.expect_navigation():
        row.locator("a", has_text="bureau_made").click()
    assert "渝北区局" in page.locator("dd[data-testid=opened-by]").inner_text()
    assert page.locator("[data-testid=audit-trail]", has_text="确认外单位开设的账号").is_visible()
    screenshot(page, "access-02-account")
