"""Browser: a company administrator sees a category red on 应急演练预警, records a drill with a photo from its
登记演练 button and the warning clears."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import browser_login, screenshot, watch_csp
from drills.models import EmergencyDrill
from elevators.models import Elevator
from tests.factories import TEST_PASSWORD, make_elevator

from .helpers import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_recording_a_drill_clears_its_warning(browser_page, world):
    page = browser_page
    violations = watch_csp(page)
    escalator = make_elevator(world, category="3310")
    Elevator.objects.filter(pk=escalator.pk).update(created_at=timezone.now() - timedelta(days=300))
    browser_login(page, "admin_a", TEST_PASSWORD)
    page.goto(page.base_url + reverse("alerts:drill"))

    row = page.locator("#warning-table tr", has_text="自动扶梯与自动人行道")
    badge = row.locator("[data-level]")
    assert badge.inner_text() == "逾期"
    assert badge.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(220, 53, 69)"
    assert "未演练" in row.inner_text()
    screenshot(page, "drill_warning")
    row.get_by_test_id("drill-record").click()
    page.wait_for_url(page.base_url + reverse("drills:create") + "?category=escalator")

    chosen = page.eval_on_selector_all("#id_elevators option:checked", "options => options.map(o => o.value)")
    assert chosen == [str(escalator.pk)]
    assert page.get_by_test_id("option-count").inner_text() == "已选 1 台"
    page.get_by_test_id("option-filter").fill("没有这个小区")
    assert page.locator("#id_elevators option:not([hidden])").count() == 1  # the chosen one stays in sight
    page.fill("#id_held_on", (date.today() - timedelta(days=1)).isoformat())
    page.fill("#id_subject", "自动扶梯紧急停止与夹人救援")
    page.fill("#id_location", "甲物业商业街 1 号自动扶梯")
    page.select_option("#id_participants", [str(world.admin_a.pk), str(world.worker_a.pk)])
    page.fill("#id_other_participants", "物业保安 2 人")
    page.fill("#id_summary", "急停、疏散、拆卸梳齿板救出被夹物，用时 12 分钟。")
    page.set_input_files("#id_photos", files=[{"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}])
    screenshot(page, "drill_form")
    page.get_by_test_id("form-save").click()

    drill = EmergencyDrill.objects.get()
    page.wait_for_url(page.base_url + reverse("drills:detail", args=[drill.pk]))
    thumbnail = page.get_by_test_id("drill-photo").locator("img")
    # loading="lazy": the page's load event does not wait for it
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
    assert thumbnail.evaluate("img => img.complete && img.naturalWidth") == 320
    screenshot(page, "drill_detail")

    page.goto(page.base_url + reverse("alerts:drill"))
    assert page.locator("#warning-table [data-level]").count() == 0
    assert "没有临期或逾期的应急演练" in page.locator("#warning-table").inner_text()
    assert violations == []
