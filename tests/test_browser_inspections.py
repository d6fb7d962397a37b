"""Browser journey: 录入检验结果 on the elevator's page with a PDF report; the next inspection date changes, the
history lists the report with a link to its file. A bad form first shows its errors in Chinese. No CSP violation."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from conftest import browser_login, screenshot, watch_csp
from elevators.models import InspectionReport
from tests.factories import TEST_PASSWORD, make_elevator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_record_an_inspection_report_with_its_pdf(browser_page, world):
    page = browser_page
    seen = watch_csp(page)
    page.on("response", lambda r: seen.append(f"{r.url}: {r.status}") if r.status >= 500 else None)
    done = timezone.localdate() - timedelta(days=5)
    elevator = make_elevator(world)
    elevator.supervision_inspection_date = done - relativedelta(years=4)  # the 4th year: a periodic inspection
    elevator.save(update_fields=["supervision_inspection_date"])
    stated = done + relativedelta(years=1)

    browser_login(page, "admin_a", TEST_PASSWORD)
    page.goto(f"{page.base_url}/elevators/{elevator.pk}/")
    assert page.locator("[data-testid=next-inspection-date]").inner_text() == "—"
    assert page.locator("[data-testid=inspection-next-kind]").inner_text() == "定期检验"
    assert page.locator("[data-testid=inspection-empty]").is_visible()
    with page.expect_navigation():
        page.click("[data-testid=inspection-create]")

    # nothing filled in: the errors, in Chinese, and nothing saved
    with page.expect_navigation():
        page.click("[data-testid=inspection-save]")
    assert page.locator("[data-testid=form-errors]").is_visible()
    assert page.locator("[data-field-error=report_file]").inner_text() == "请上传检验报告（PDF 或 JPEG/PNG 图片）。"
    assert not InspectionReport.objects.exists()

    page.select_option("#id_kind", "periodic")
    page.fill("#id_date", done.isoformat())
    page.select_option("#id_result", "passed")
    page.fill("#id_number", "渝特检-2026-000123")
    page.fill("#id_next_date", stated.isoformat())
    page.set_input_files("#id_report_file", {"name": "定期检验报告.pdf", "mimeType": "application/pdf", "buffer": PDF})
    screenshot(page, "inspection-01-form")
    with page.expect_navigation():
        page.click("[data-testid=inspection-save]")

    assert page.locator(".alert-success", has_text="检验结果已录入").is_visible()
    assert page.locator("[data-testid=next-inspection-date]").inner_text() == stated.isoformat()
    assert page.locator("[data-testid=inspection-next]").inner_text() == stated.isoformat()
    history = page.locator("[data-testid=inspection-history]")
    assert "渝特检-2026-000123" in history.inner_text() and "合格" in history.inner_text()
    link = page.locator("[data-testid=inspection-file]")
    assert link.inner_text() == "定期检验报告.pdf"
    response = page.request.get(page.base_url + link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF-")
    screenshot(page, "inspection-02-recorded")
    assert not seen, seen
