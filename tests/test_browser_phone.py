"""The platform at a phone's width (390 px): workers and inspectors use phones."""

import pytest

from conftest import browser_login, screenshot
from tests.factories import TEST_PASSWORD, make_elevator

pytestmark = pytest.mark.django_db(transaction=True)


def no_page_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_phone_width_menu_tables_and_language(browser_page, world):
    page = browser_page
    for n in range(3):
        make_elevator(world, building=f"手机测试花园{n}栋")
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, "admin_a", TEST_PASSWORD)

    # the menu waits behind its button
    menu = page.locator("[data-testid=side-menu]")
    assert not menu.is_visible() or menu.bounding_box()["x"] < 0
    language = page.locator(".language-select")
    assert language.is_visible() and language.bounding_box()["width"] >= 100  # "简体中文" is readable
    assert no_page_overflow(page)
    page.click("[data-testid=menu-toggle]")
    page.wait_for_selector("#side-menu.show")
    # a function, not an expression: Playwright would eval an expression, which the Content-Security-Policy forbids
    page.wait_for_function("() => document.querySelector('#side-menu').getBoundingClientRect().x >= 0")
    screenshot(page, "phone-01-menu")
    page.click("#side-menu a:has-text('电梯台账')")
    page.wait_for_url("**/elevators/")

    # the ledger's wide table scrolls inside its card; the page itself does not scroll sideways
    assert page.locator("text=手机测试花园0栋").is_visible()
    wrapper = page.locator(".table-responsive").first
    assert wrapper.evaluate("el => el.scrollWidth > el.clientWidth")
    assert no_page_overflow(page)
    screenshot(page, "phone-02-ledger")

    # the filters fold behind a button
    assert not page.locator("[data-testid=list-filters]").is_visible()
    page.click("[data-testid=filters-toggle]")
    page.locator("[data-testid=list-filters]").wait_for()
    # an object's page too
    page.locator("#elevator-table a").first.click()
    page.wait_for_url("**/elevators/*/")
    assert no_page_overflow(page)
    screenshot(page, "phone-03-detail")
