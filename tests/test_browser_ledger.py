"""Browser journey: add an elevator in three steps with its map location, open its sign and its public page."""

import pypdfium2
import pytest

from conftest import browser_login, screenshot
from elevators.models import Elevator, ProblemReport
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def press(page, value: str) -> None:
    """Click the wizard's visible button (next / back / submit) and wait for the page it returns."""
    with page.expect_navigation():
        page.click(f"button[value={value}]:visible")


def test_add_an_elevator_print_its_sign_and_open_its_public_page(browser_page, world):
    page = browser_page
    browser_login(page, "admin_a", TEST_PASSWORD)
    page.click("nav >> text=电梯台账")
    page.click("a:has-text('新增')")

    # step 1: required information (a missing field keeps us here with its message)
    page.fill("#id_register_code", "31105001122025010001")
    page.fill("#id_rescue_code", "880001")
    page.select_option("#id_device_category", "3110")
    page.select_option("#id_use_unit", label=world.use_unit_a.name)
    page.select_option("#id_manufacturer", label=world.manufacturer.name)
    page.fill("#id_product_model", "3300AP")
    page.fill("#id_factory_number", "NO-2025-01")
    page.fill("#id_installation_date", "2025-01-10")
    page.select_option("#id_region", label="重庆市 渝北区")
    page.fill("#id_address", "重庆市渝北区金开大道99号")
    press(page, "next")
    assert page.locator("[data-field-error=building]").is_visible()
    page.fill("#id_building", "金开花园2栋")
    press(page, "next")
    assert "active" in page.locator(".wizard-steps [data-step='2']").get_attribute("class")

    # step 2: parameters
    page.fill("#id_rated_load", "1050")
    page.fill("#id_rated_speed", "1.75")
    page.fill("#id_floors", "11")
    page.fill("#id_stops", "11")
    page.fill("#id_doors", "11")
    page.select_option("#id_drive_type", "traction")
    screenshot(page, "ledger-01-parameters")
    press(page, "next")

    # step 3: the location on the map
    assert "active" in page.locator(".wizard-steps [data-step='3']").get_attribute("class")
    page.locator("#map-picker").click(position={"x": 300, "y": 160})
    assert page.input_value("#id_latitude") and page.input_value("#id_longitude")
    screenshot(page, "ledger-02-map")
    press(page, "submit")

    # created: the QR sign is shown at once, as in the seed
    page.wait_for_url("**/elevators/*/?created=1")
    modal = page.locator("#sign-modal")
    modal.wait_for(state="visible")
    assert "880001" in modal.inner_text()
    screenshot(page, "ledger-03-sign-modal")
    elevator = Elevator.objects.get(register_code="31105001122025010001")
    assert elevator.status == "pending_registration" and elevator.latitude is not None
    assert elevator.landing_doors.count() == 11

    sign_href = modal.locator("[data-testid=sign-pdf]").get_attribute("href")
    pdf = page.request.get(page.base_url + sign_href)
    assert pdf.headers["content-type"] == "application/pdf"
    text = pypdfium2.PdfDocument(pdf.body())[0].get_textpage().get_text_range()
    assert "880001" in text and "金开花园2栋" in text
    modal.locator("button:has-text('关闭')").last.click()

    # the public page behind the QR, on a phone, without login
    public_url = page.locator("[data-testid=public-link]").inner_text()
    phone = page.context.browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    passenger = phone.new_page()
    passenger.goto(public_url)
    assert passenger.locator("[data-testid=public-rescue-code]").inner_text() == "880001"
    assert passenger.locator("[data-testid=call-96333]").is_visible()
    passenger.select_option("#id_category", "door")
    passenger.fill("#id_description", "三楼层门关不上")
    passenger.fill("#id_captcha_1", "PASSED")
    passenger.click("button:has-text('提交')")
    assert passenger.locator("[data-testid=report-thanks]").is_visible()
    screenshot(passenger, "ledger-04-public-page")
    phone.close()
    assert ProblemReport.objects.get().description == "三楼层门关不上"

    # the report reaches the company's 问题上报 page
    page.click("nav >> text=问题上报")
    assert page.locator("#problem-table", has_text="三楼层门关不上").is_visible()


def test_components_and_landing_doors_pages(browser_page, world):
    from tests.factories import make_elevator

    elevator = make_elevator(world)
    page = browser_page
    browser_login(page, "admin_a", TEST_PASSWORD)
    page.goto(page.base_url + "/elevators/")
    page.locator("#elevator-table tr", has_text=elevator.register_code).locator("input[name=selection]").check()
    page.click("button:has-text('组件')")
    page.wait_for_url(f"**/elevators/{elevator.pk}/components/")
    page.fill("#id_components-0-lifespan_months", "36")
    page.click("button:has-text('保存')")
    assert page.locator(".alert-success").is_visible()
    assert page.input_value("#id_components-0-lifespan_months") == "36"
    page.goto(page.base_url + f"/elevators/{elevator.pk}/landing-doors/")
    page.fill("#id_doors-0-floor_label", "B1")
    page.click("button:has-text('保存')")
    assert page.input_value("#id_doors-0-floor_label") == "B1"
    screenshot(page, "ledger-05-landing-doors")


def test_the_bureau_corrects_a_code_and_the_company_deletes_a_mistake(browser_page, world):
    from tests.factories import make_elevator

    right, mistake = make_elevator(world), make_elevator(world)
    page = browser_page
    browser_login(page, "yubei", TEST_PASSWORD)
    page.goto(page.base_url + f"/elevators/{right.pk}/")
    assert not page.locator("[data-testid=delete]").count()  # a bureau does not delete the ledger's rows
    page.click("[data-testid=correct-code]")
    page.fill("#id_register_code", "31105001122019110042")
    page.fill("#id_reason", "录入时顺序号写错")
    with page.expect_navigation():
        page.click("button:has-text('确定')")
    assert page.locator("h1", has_text="31105001122019110042").is_visible()
    assert page.locator("text=更正注册代码").first.is_visible()  # in the operation record
    screenshot(page, "ledger-06-code-corrected")

    page.context.clear_cookies()
    browser_login(page, "admin_a", TEST_PASSWORD)
    page.goto(page.base_url + f"/elevators/{mistake.pk}/")
    assert not page.locator("[data-testid=correct-code]").count()
    page.click("[data-testid=delete]")
    page.fill("#id_reason", "重复录入")
    with page.expect_navigation():
        page.click("button:has-text('删除')")
    page.wait_for_url("**/elevators/")
    assert page.locator("text=电梯已删除").is_visible()
    assert not Elevator.objects.filter(pk=mistake.pk).exists()
