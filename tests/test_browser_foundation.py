"""Browser journey: first login, forced password change, a use unit on the map, a worker with a qualification."""

from pathlib import Path

import pytest

from accounts.models import User
from accounts.services import create_account
from conftest import screenshot
from organizations.models import Organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FACES = Path(__file__).resolve().parents[1].parent / "shared" / "testdata" / "faces"


def test_company_admin_first_day(browser_page, world, tmp_path):
    page = browser_page
    create_account(
        actor=world.operator,
        organization=world.company_a,
        username="first_admin",
        category="maintenance_manager",
        role="admin",
        full_name="首任管理员",
        phone="13811112222",
    )

    # 1. first login with the initial password and the captcha
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", "first_admin")
    page.fill("#id_password", "111111")
    page.fill("#id_captcha_1", "PASSED")
    page.click("button[type=submit]")

    # 2. forced to change the initial password before anything else
    page.wait_for_url("**/accounts/password/")
    assert page.locator("[data-testid=must-change]").is_visible()
    page.goto(page.base_url + "/accounts/users/")
    page.wait_for_url("**/accounts/password/")
    page.fill("#id_old_password", "111111")
    page.fill("#id_new_password1", "weak")
    page.fill("#id_new_password2", "weak")
    page.click("button[type=submit]")
    assert page.locator("[data-field-error=new_password1]").first.is_visible()
    page.fill("#id_old_password", "111111")
    page.fill("#id_new_password1", "Lift2026safe")
    page.fill("#id_new_password2", "Lift2026safe")
    page.click("button[type=submit]")
    page.wait_for_url(page.base_url + "/")
    assert "首任管理员" in page.locator("[data-testid=current-user]").inner_text()
    screenshot(page, "foundation-01-home")

    # 3. a use unit with its location picked on the map
    page.click("text=电梯使用单位")
    page.click("text=新增")
    page.fill("#id_name", "浏览器物业有限公司")
    from tests.factories import credit_code

    page.fill("#id_credit_code", credit_code("500112"))
    page.select_option("#id_region", label="重庆市 渝北区")
    page.fill("#id_address", "重庆市渝北区浏览器路8号")
    page.fill("#id_legal_representative", "钱七")
    page.fill("#id_legal_representative_phone", "13922223333")
    page.fill("#id_contact_name", "孙八")
    page.fill("#id_contact_phone", "023-67778888")
    page.locator("#map-picker").click(position={"x": 200, "y": 150})
    assert page.input_value("#id_latitude") != "" and page.input_value("#id_longitude") != ""
    assert page.locator("#map-picker .leaflet-marker-icon").count() == 1
    screenshot(page, "foundation-02-use-unit-form")
    page.click("button[type=submit]")
    page.wait_for_url("**/organizations/use_unit/")
    assert page.locator("#organization-table", has_text="浏览器物业有限公司").is_visible()
    unit = Organization.objects.get(name="浏览器物业有限公司")
    assert unit.latitude is not None and unit.longitude is not None

    # 4. a worker account
    page.click("text=账号维护")
    page.click("a:has-text('新增')")
    page.fill("#id_username", "browser_worker")
    page.fill("#id_full_name", "浏览器师傅")
    page.fill("#id_phone", "13733334444")
    page.select_option("#id_organization", label=world.company_a.name)
    page.select_option("#id_category", value="maintenance_worker")
    page.select_option("#id_role", value="staff")
    page.select_option("#id_emergency_role", value="rescuer")
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/users/")
    row = page.locator("#user-table tr", has_text="browser_worker")
    assert row.is_visible()

    # 5. the toolbar asks for a checked row, then opens 资质认证 for it
    page.click("button:has-text('资质认证')")
    assert page.locator("[data-toolbar-feedback]").is_visible()
    row.locator("input[name=selection]").check()
    page.click("button:has-text('资质认证')")
    page.wait_for_url("**/qualification/")
    certificate = tmp_path / "资质证书.pdf"
    certificate.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.fill("#id_certificate_number", "TS-2026-0001")
    page.fill("#id_valid_from", "2026-01-01")
    page.fill("#id_valid_until", "2030-12-31")
    page.set_input_files("#id_certificate", str(certificate))
    page.set_input_files("#id_self_declaration", str(FACES / "obama2.jpg"))
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/users/*/")
    assert page.locator("[data-testid=qualifications]", has_text="TS-2026-0001").is_visible()

    # 6. 维保验证: the face photo shows on the account page
    page.click("a:has-text('维保验证')")
    page.set_input_files("#id_image", str(FACES / "obama.jpg"))
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/users/*/")
    photo = page.locator("[data-testid=face-photo]")
    assert photo.evaluate("img => img.naturalWidth") > 0
    screenshot(page, "foundation-03-worker")
    worker = User.objects.get(username="browser_worker")
    assert worker.qualifications.count() == 1 and worker.face_photos.count() == 1

    # 7. both appear in the lists
    page.goto(page.base_url + "/accounts/users/")
    assert page.locator("#user-table", has_text="浏览器师傅").is_visible()


def test_english_ui_through_the_language_switch(browser_page, world):
    page = browser_page
    page.goto(page.base_url + "/accounts/login/")
    with page.expect_navigation():
        page.select_option("[data-testid=language-switch] select", "en")
    assert page.locator("button[type=submit]").inner_text() == "Log in"
    page.fill("#id_username", "admin_a")
    from tests.factories import TEST_PASSWORD

    page.fill("#id_password", TEST_PASSWORD)
    page.fill("#id_captcha_1", "PASSED")
    page.click("button[type=submit]")
    page.wait_for_url(page.base_url + "/")
    assert page.locator("h1").inner_text() == "Home"
    page.click("text=Elevator use units")
    assert page.locator("h1").inner_text().startswith("Organizations")
    screenshot(page, "foundation-04-english")
