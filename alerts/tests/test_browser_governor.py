"""Browser: 限速器检验预警 → 录入校验报告 (preset to 限速器校验) → upload the PDF → back on the warning, row gone."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from conftest import browser_login, watch_csp
from elevators.models import Elevator, InspectionReport
from tests.factories import TEST_PASSWORD

from .helpers import governor_due

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_a_calibration_report_uploaded_from_the_warning_clears_it(browser_page, world, tmp_path):
    page = browser_page
    violations = watch_csp(page)
    near = governor_due(world, 12)
    overdue = governor_due(world, -3)
    browser_login(page, "admin_a", TEST_PASSWORD)
    page.goto(page.base_url + reverse("alerts:governor"))

    red = page.locator("#warning-table tr", has_text=overdue.register_code).locator("[data-level]")
    yellow = page.locator("#warning-table tr", has_text=near.register_code).locator("[data-level]")
    assert red.inner_text() == "逾期" and yellow.inner_text() == "临期"
    colour = "el => getComputedStyle(el).backgroundColor"
    assert red.evaluate(colour) == "rgb(220, 53, 69)" and yellow.evaluate(colour) == "rgb(255, 193, 7)"
    table = page.locator("#warning-table").inner_text()
    assert "逾期 3 天" in table and "还有 12 天" in table

    page.locator("#warning-table tr", has_text=overdue.register_code).get_by_role("link", name="录入校验报告").click()
    page.wait_for_url("**" + reverse("elevators:inspection_create", args=[overdue.pk]) + "?*")
    assert page.locator("#id_kind").input_value() == "governor"  # preset: 限速器校验
    done = date.today() - timedelta(days=1)
    page.fill("#id_date", done.isoformat())
    page.select_option("#id_result", "passed")
    page.fill("#id_number", "XS-2026-0042")
    report = tmp_path / "限速器校验报告.pdf"
    report.write_bytes(PDF)
    page.set_input_files("#id_report_file", str(report))
    page.get_by_test_id("inspection-save").click()

    page.wait_for_url(page.base_url + reverse("alerts:governor"))
    assert "检验结果已录入：限速器校验 XS-2026-0042" in page.content()
    assert page.locator("#warning-table tr", has_text=overdue.register_code).count() == 0
    assert page.locator("#warning-table tr", has_text=near.register_code).count() == 1
    saved = InspectionReport.objects.get(elevator=overdue)
    assert saved.kind == "governor" and saved.report_file.original_name == "限速器校验报告.pdf"
    assert Elevator.objects.get(pk=overdue.pk).governor_calibrated_on == done
    assert violations == []
