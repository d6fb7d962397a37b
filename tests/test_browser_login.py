"""Browser: the login page shows its captcha, refuses a wrong password, and lets a user in."""

import pytest

from conftest import screenshot
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_with_captcha_lets_a_user_in(browser_page):
    page = browser_page
    UserFactory(username="zhangsan", full_name="张三", is_superuser=True, category="operator_staff")
    page.goto(page.base_url + "/accounts/login/")
    assert page.locator("h1").inner_text() == "电梯维保管理平台"
    captcha = page.locator("img.captcha")
    assert captcha.is_visible()
    assert captcha.evaluate("img => img.naturalWidth") > 0  # the captcha image really rendered
    screenshot(page, "login-page")

    page.fill("#id_username", "zhangsan")
    page.fill("#id_password", "wrong-password1")
    page.fill("#id_captcha_1", "PASSED")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.locator("[data-testid=form-errors]").inner_text()

    page.fill("#id_password", TEST_PASSWORD)
    page.fill("#id_captcha_1", "PASSED")
    page.click("button[type=submit]")
    page.wait_for_url(page.base_url + "/")
    assert "张三" in page.locator("[data-testid=current-user]").inner_text()
    assert page.locator("h1").inner_text() == "平台首页"
