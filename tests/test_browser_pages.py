"""Browser: the pages the other journeys do not reach — a unit's detail, edit and qualification review,
an account's edit, the regions with the operator's pilot flag, the import history, the error pages."""

from pathlib import Path

import pytest
from axes.models import AccessAttempt

from conftest import browser_login, screenshot
from organizations.models import Region
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FACES = Path(__file__).resolve().parents[1].parent / "shared" / "testdata" / "faces"


def test_company_edits_its_unit_and_the_district_bureau_reviews_its_qualification(browser_page, world, tmp_path):
    page = browser_page
    browser_login(page, "admin_a", TEST_PASSWORD)
    page.click("nav >> text=本单位信息")
    assert page.locator("h1", has_text=world.company_a.name).is_visible()
    page.click("a:has-text('编辑')")
    page.fill("#id_contact_name", "新的联系人")
    page.locator("#map-picker").click(position={"x": 120, "y": 90})
    with page.expect_navigation():
        page.click("button:has-text('提交')")
    assert page.locator("dd", has_text="新的联系人").first.is_visible()
    assert page.locator("[data-testid=audit-trail]", has_text="新的联系人").is_visible()

    page.click("a:has-text('资质认证')")
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.fill("#id_certificate_number", "TS3150123-2028")
    page.fill("#id_valid_from", "2025-01-01")
    page.fill("#id_valid_until", "2028-12-31")
    page.set_input_files("#id_business_licence", str(licence))
    page.set_input_files("#id_qualification_certificate", str(licence))
    page.set_input_files("#id_self_declaration", str(FACES / "obama3.jpg"))
    with page.expect_navigation():
        page.click("button:has-text('提交')")
    assert page.locator("[data-testid=qualification-status]").inner_text() == "待审核"
    screenshot(page, "pages-01-unit-detail")

    # the Yubei bureau returns it with a reason; the company sees the reason
    page.context.clear_cookies()
    browser_login(page, "yubei", TEST_PASSWORD)
    page.goto(page.base_url + f"/organizations/units/{world.company_a.pk}/")
    page.select_option("select[name=decision]", "reject")
    page.fill("input[name=note]", "资质证书不清晰")
    with page.expect_navigation():
        page.click("button:has-text('审核')")
    assert page.locator("[data-testid=qualification-status]").inner_text() == "已退回"
    assert page.locator("text=资质证书不清晰").is_visible()


def test_account_edit_and_password_reset(browser_page, world):
    page = browser_page
    browser_login(page, "admin_a", TEST_PASSWORD)
    page.click("nav >> text=账号维护")
    page.locator("#user-table tr", has_text="worker_a").locator("input[name=selection]").check()
    page.click("button:has-text('编辑')")
    page.fill("#id_full_name", "改名师傅")
    with page.expect_navigation():
        page.click("button:has-text('提交')")
    assert page.locator("h1", has_text="改名师傅").is_visible()
    # five wrong passwords somewhere locked the worker there: the administrator lifts it with a reason
    AccessAttempt.objects.create(username="worker_a", ip_address="203.0.113.5", user_agent="x", failures_since_start=5)
    page.reload()
    page.click("[data-testid=unlock]")
    page.fill("#id_reason", "本人来电确认")
    with page.expect_navigation():
        page.click("button:has-text('确定')")
    assert page.locator("text=已解除锁定").is_visible()
    assert not page.locator("[data-testid=locked-badge]").count()
    page.fill("#reset-reason", "忘记密码")
    with page.expect_navigation():
        page.click("button:has-text('重置为初始密码')")
    assert page.locator("text=尚未修改初始密码").is_visible()
    world.worker_a.refresh_from_db()
    assert world.worker_a.check_password("111111")


def test_operator_flags_a_pilot_district_and_others_only_read(browser_page, world):
    page = browser_page
    browser_login(page, "operator", TEST_PASSWORD)
    page.click("nav >> text=行政区域")
    page.goto(page.base_url + "/organizations/regions/?sort=code")
    button = page.locator("[data-testid=pilot-500105]")
    assert button.inner_text() == "非试点"
    with page.expect_navigation():
        button.click()
    assert page.locator("[data-testid=pilot-500105]").inner_text() == "试点"
    assert Region.objects.get(code="500105").in_pilot
    screenshot(page, "pages-02-regions")
    page.context.clear_cookies()
    browser_login(page, "city", TEST_PASSWORD)
    page.goto(page.base_url + "/organizations/regions/?sort=code")
    assert page.locator("[data-testid=pilot-500105]").count() == 0


def test_import_history_and_error_pages(browser_page, world):
    page = browser_page
    browser_login(page, "admin_a", TEST_PASSWORD)
    page.click("nav >> text=导入记录")
    assert page.locator("h1").is_visible()
    response = page.goto(page.base_url + "/elevators/999999/")
    assert response.status == 404 and page.locator("h1").inner_text() == "页面不存在"
    page.context.clear_cookies()
    browser_login(page, "worker_a", TEST_PASSWORD)
    response = page.goto(page.base_url + "/accounts/users/")
    assert response.status == 403 and page.locator("h1").inner_text() == "没有权限"


def test_operator_picks_a_use_unit_by_searching(browser_page, world, settings):
    settings.UNIT_PICKER_THRESHOLD = 1
    page = browser_page
    browser_login(page, "operator", TEST_PASSWORD)
    page.goto(page.base_url + "/elevators/new/")
    assert page.locator("#id_use_unit option").count() == 1  # only the empty choice until a search
    page.fill("[data-unit-search=use_unit]", "乙物")
    # a locator, not a wait_for_function expression: Playwright evals an expression, which the CSP forbids
    page.wait_for_selector("#id_use_unit option >> nth=1", state="attached")
    assert page.locator("#id_use_unit").input_value() == str(world.use_unit_b.pk)
    screenshot(page, "pages-03-unit-picker")
