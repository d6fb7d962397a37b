"""Browser journey: the web side of maintenance records — the use unit's safety manager signs a record with the
mouse and it is sealed; a worker corrects it (one item changed through its row, then 完成更正), the company's
administrator approves, the use unit confirms the correction. Then the signature page at a phone's width."""

import io

import pytest
from PIL import Image

from conftest import browser_login, screenshot, watch_csp
from records.models import MaintenanceRecord
from records.tests.builders import visit_record
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def draw_signature(page) -> None:
    """A name-like scrawl across the pad, drawn with the mouse (pointer events, as a finger or a pen gives)."""
    canvas = page.locator("[data-testid=signature-canvas]")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + w * 0.1, y + h * 0.7)
    page.mouse.down()
    for fx, fy in ((0.25, 0.25), (0.35, 0.75), (0.5, 0.3), (0.62, 0.7), (0.8, 0.35), (0.9, 0.6)):
        page.mouse.move(x + w * fx, y + h * fy, steps=6)
    page.mouse.up()


def log_in_as(page, username: str) -> None:
    page.context.clear_cookies()
    browser_login(page, username, TEST_PASSWORD)


def confirm_with_signature(page, record) -> None:
    page.goto(page.base_url + record.get_absolute_url())
    page.click("[data-testid=record-confirm]")
    page.wait_for_url(f"**/records/{record.pk}/confirm/")
    page.locator("form[data-signature-form][data-signature-ready='1']").wait_for()
    draw_signature(page)
    with page.expect_navigation():
        page.click("[data-testid=confirm-submit]")
    assert page.url.endswith(record.get_absolute_url())
    assert page.locator("[data-testid=record-status]").inner_text() == "已确认"
    assert page.locator("[data-testid=record-seal]").is_visible()


def assert_inked(record) -> None:
    """The stored signature holds the strokes (not an empty pad)."""
    record.refresh_from_db()
    with record.signature.file.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read())).convert("RGBA")
    assert image.getchannel("A").getbbox() is not None


def test_confirm_correct_approve_confirm_in_the_browser(browser_page, world):
    record = visit_record(world, confirm=False)
    page = browser_page
    violations = watch_csp(page)

    # 1. the use unit's safety manager: an empty pad is refused in the page, a drawn signature confirms and seals
    log_in_as(page, "use_a")
    page.goto(page.base_url + record.get_absolute_url())
    page.click("[data-testid=record-confirm]")
    page.locator("form[data-signature-form][data-signature-ready='1']").wait_for()
    assert page.locator("[data-testid=record-summary]").inner_text().count(record.elevator.register_code) == 1
    page.click("[data-testid=confirm-submit]")
    assert page.locator("[data-testid=signature-empty]").is_visible()
    assert "请先在签字框内签字" in page.locator("[data-testid=signature-empty]").inner_text()
    draw_signature(page)
    page.click("[data-testid=signature-clear]")  # a second go
    draw_signature(page)
    screenshot(page, "records-web-01-signature")
    with page.expect_navigation():
        page.click("[data-testid=confirm-submit]")
    assert page.locator("[data-testid=record-status]").inner_text() == "已确认"
    record.refresh_from_db()
    assert record.status == "confirmed" and len(record.seal) == 64
    assert page.locator("[data-testid=record-seal-value]").inner_text() == record.seal
    page.locator("[data-testid=record-signature]").wait_for()
    assert page.locator("[data-testid=record-signature]").evaluate("img => img.complete && img.naturalWidth > 0")
    assert_inked(record)
    assert page.locator("[data-testid=record-correct]").count() == 0  # the use unit does not correct
    screenshot(page, "records-web-02-sealed")

    # 2. a worker of the visit corrects it: the reason, one item changed in its row, then 完成更正
    log_in_as(page, "worker_a")
    page.goto(page.base_url + record.get_absolute_url())
    page.click("[data-testid=record-correct]")
    page.fill("#id_reason", "A-1-29 测量值录错")
    with page.expect_navigation():
        page.click("[data-testid=confirm-action]")
    correction = MaintenanceRecord.objects.get(corrects=record)
    assert page.url.endswith(correction.get_absolute_url())
    assert page.locator("[data-testid=link-original]").is_visible()
    page.click("[data-testid=record-edit-correction]")
    row = page.locator("[data-testid=correction-item][data-code='A-1-29']")
    entry = correction.items.get(code="A-1-29")
    row.locator(f"[name='item-{entry.pk}-result']").select_option("adjusted")
    row.locator(f"[name='item-{entry.pk}-measured_value']").fill("abc")
    row.locator("[data-testid=item-save]").click()
    row = page.locator("[data-testid=correction-item][data-code='A-1-29']")
    row.locator("[data-testid=item-error]").wait_for()
    assert "测量值应为数字" in row.inner_text()
    row.locator(f"[name='item-{entry.pk}-measured_value']").fill("7.5")
    row.locator("[data-testid=item-save]").click()
    page.locator("[data-testid=correction-item][data-code='A-1-29'] [data-testid=item-saved]").wait_for()
    entry.refresh_from_db()
    assert entry.result == "adjusted" and str(entry.measured_value.normalize()) == "7.5"
    screenshot(page, "records-web-03-correction-items")
    assert page.locator("#hazard-S0").is_checked()
    with page.expect_navigation():
        page.click("[data-testid=correction-finish]")
    assert page.locator("[data-testid=record-status]").inner_text() == "待确认"
    assert page.locator("[data-testid=record-approve]").count() == 0  # a worker does not approve

    # 3. the company's administrator reads what changed and approves
    log_in_as(page, "admin_a")
    page.goto(page.base_url + correction.get_absolute_url())
    page.click("[data-testid=record-approve]")
    assert "7.5" in page.locator("[data-testid=correction-changes]").inner_text()
    page.check("#id_checked")
    with page.expect_navigation():
        page.click("[data-testid=confirm-action]")
    assert page.locator(".alert", has_text="已批准更正").is_visible()

    # 4. the use unit confirms the correction: sealed after the original in the company's chain
    log_in_as(page, "use_a")
    confirm_with_signature(page, correction)
    correction.refresh_from_db()
    assert correction.status == "confirmed" and correction.chain_index == record.chain_index + 1
    assert_inked(correction)
    page.goto(page.base_url + record.get_absolute_url())
    assert page.locator("[data-testid=link-correction]").count() == 1
    screenshot(page, "records-web-04-original-with-correction")
    assert not violations, "\n".join(violations)


def test_the_signature_pad_at_a_phones_width(browser, live_server, world):
    """390 px, devicePixelRatio 3: the pad fills the width, draws at the screen's resolution, and confirms."""
    record = visit_record(world, confirm=False)
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    violations = watch_csp(page)
    try:
        browser_login(page, "use_a", TEST_PASSWORD)
        page.goto(f"{page.base_url}/records/{record.pk}/confirm/")
        page.locator("form[data-signature-form][data-signature-ready='1']").wait_for()
        canvas = page.locator("[data-testid=signature-canvas]")
        width, height, css_width, css_height = canvas.evaluate(
            "el => [el.width, el.height, el.offsetWidth, el.offsetHeight]"
        )
        assert 300 <= css_width <= 390 and css_height > 150
        assert (width, height) == (css_width * 3, css_height * 3)
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
        draw_signature(page)
        screenshot(page, "records-web-05-phone-signature")
        with page.expect_navigation():
            page.click("[data-testid=confirm-submit]")
        assert page.locator("[data-testid=record-status]").inner_text() == "已确认"
        assert_inked(record)
        # the strokes were drawn at 3×: the stored PNG is the canvas's own size
        with record.signature.file.open("rb") as handle:
            assert Image.open(io.BytesIO(handle.read())).size == (width, height)
        assert not violations, "\n".join(violations)
    finally:
        context.close()
