"""Browser: a use unit gets its unit account from the login page (获取登录账号), logs in with its credit code, is made
to change the password and lands on the home page; the public top menus lead to 区县局 and 办事指南."""

import pytest

from conftest import screenshot, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_unit_obtains_its_account_and_logs_in_with_its_credit_code(browser_page, world):
    page = browser_page
    errors = watch_csp(page)
    code = world.use_unit_a.credit_code
    page.goto(page.base_url + "/accounts/login/")
    page.click("[data-testid=obtain-account-link]")
    page.wait_for_url("**/accounts/obtain/")

    # a wrong phone: the one answer, with the bureaus' page to call
    page.fill("#id_credit_code", code)
    page.fill("#id_name", "甲物业")
    page.fill("#id_phone", "13911112222")
    page.fill("#id_captcha_1", "PASSED")
    with page.expect_navigation():
        page.click("[data-testid=obtain-submit]")
    assert "请致电对应区县局处理" in page.locator("[data-testid=obtain-refused]").inner_text()

    page.fill("#id_credit_code", code.lower())
    page.fill("#id_name", " 甲物业 ")
    page.fill("#id_phone", "023 6389 1234")
    page.fill("#id_captcha_1", "PASSED")
    with page.expect_navigation():
        page.click("[data-testid=obtain-submit]")
    assert page.locator("[data-testid=unit-username]").inner_text() == code
    assert "初始密码为本单位的统一社会信用代码" in page.locator("[data-testid=obtain-result]").inner_text()
    screenshot(page, "unit-account-01-obtained")

    page.click("[data-testid=go-login]")
    assert page.input_value("#id_username") == code
    page.fill("#id_password", code)
    page.fill("#id_captcha_1", "PASSED")
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/password/")
    assert page.locator("[data-testid=must-change]").is_visible()
    page.fill("#id_old_password", code)
    page.fill("#id_new_password1", "Unit2026safe")
    page.fill("#id_new_password2", "Unit2026safe")
    page.click("button[type=submit]")
    page.wait_for_url(page.base_url + "/")
    assert page.locator("h1").inner_text() == "平台首页"
    assert "单位帐户 · 甲物业" in page.locator("[data-testid=current-user]").inner_text()
    screenshot(page, "unit-account-02-home")
    assert not errors, errors


def test_the_public_top_menus_lead_to_the_bureaus_and_the_guide(browser_page, world):
    page = browser_page
    errors = watch_csp(page)
    page.goto(page.base_url + "/accounts/login/")
    nav = page.locator("[data-testid=public-nav]")
    nav.locator("[data-testid=nav-bureaus]").click()
    page.wait_for_url("**/bureaus/")
    assert page.locator("[data-testid=bureau-500112]", has_text="渝北区局").is_visible()
    screenshot(page, "unit-account-03-bureaus")

    nav.locator("[data-testid=nav-guide]").click()
    nav.locator("[data-testid=nav-pilot-guide]").click()
    page.wait_for_url("**/guide/pilot/")
    assert page.locator("h1").inner_text() == "改进电梯维护保养模式试点申请指南"
    assert page.locator("[data-testid=pilot-requirements]", has_text="近三年未发生电梯安全责任事故").is_visible()
    assert page.locator("[data-testid=batch-rule]").is_visible()
    screenshot(page, "unit-account-04-guide")

    nav.locator("[data-testid=nav-contact]").click()
    nav.locator("[data-testid=nav-contact-operator]").click()
    page.wait_for_url("**/bureaus/#operator")
    assert page.locator("[data-testid=operator-contact]").is_visible()

    nav.locator("[data-testid=nav-business]").click()
    nav.locator("[data-testid=nav-pilot]").click()
    page.wait_for_url("**/accounts/login/?next=/pilot/")
    assert page.locator("h1").inner_text() == "电梯维保管理平台"

    # at a phone's width the menus fold behind the toggler
    page.set_viewport_size({"width": 390, "height": 800})
    assert not nav.locator("[data-testid=nav-guide]").is_visible()
    nav.locator(".navbar-toggler").click()
    nav.locator("[data-testid=nav-guide]").click()
    nav.locator("[data-testid=nav-pilot-guide]").click()
    page.wait_for_url("**/guide/pilot/")
    screenshot(page, "unit-account-05-guide-phone")
    assert not errors, errors
