"""Browser: a company administrator records a contract with its PDF and finds it on 维保合同到期预警."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from conftest import browser_login, watch_csp
from contracts.models import MaintenanceContract
from tests.factories import TEST_PASSWORD, make_elevator

from .builders import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_contract_recorded_in_the_browser_warns_before_its_end(browser_page, world, tmp_path):
    page = browser_page
    violations = watch_csp(page)
    elevator = make_elevator(world)
    contract_pdf = tmp_path / "维保合同.pdf"
    contract_pdf.write_bytes(PDF)
    today = date.today()
    browser_login(page, "admin_a", TEST_PASSWORD)
    page.goto(page.base_url + reverse("contracts:list"))
    page.get_by_test_id("contract-create").click()
    page.wait_for_url(page.base_url + reverse("contracts:create"))
    page.select_option("#id_use_unit", str(world.use_unit_a.pk))
    page.fill("#id_number", "WB-浏览器-001")
    page.fill("#id_signed_on", (today - timedelta(days=350)).isoformat())
    page.fill("#id_starts_on", (today - timedelta(days=345)).isoformat())
    page.fill("#id_ends_on", (today + timedelta(days=20)).isoformat())
    page.select_option("#id_elevators", [str(elevator.pk)])
    page.set_input_files("#id_contract_file", str(contract_pdf))
    page.get_by_test_id("form-save").click()

    contract = MaintenanceContract.objects.get(number="WB-浏览器-001")
    page.wait_for_url(page.base_url + reverse("contracts:detail", args=[contract.pk]))
    assert page.get_by_test_id("contract-status").inner_text() == "生效中"
    assert page.get_by_test_id("contract-file").inner_text() == "维保合同.pdf"
    assert elevator.register_code in page.get_by_test_id("contract-elevators").inner_text()

    page.goto(page.base_url + reverse("alerts:contract"))
    row = page.locator("#warning-table tr", has_text="WB-浏览器-001")
    badge = row.locator("[data-level]")
    assert badge.inner_text() == "临期"
    assert badge.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 193, 7)"
    assert "30 天内 · 还有 20 天" in row.inner_text()
    row.get_by_test_id("renew").click()
    page.wait_for_url(page.base_url + reverse("contracts:create") + f"?renew={contract.pk}")
    assert page.input_value("#id_starts_on") == (today + timedelta(days=21)).isoformat()
    assert violations == []
