"""Browser journey: a maintenance company downloads the template, imports its ledger, reads the report."""

import pytest
from openpyxl import load_workbook

from conftest import browser_login, screenshot
from elevators.models import Elevator
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username):
    browser_login(page, username, TEST_PASSWORD)


def ledger_row(world, n, **over):
    values = {
        "注册代码": f"3110500112202105{n:04d}",
        "96333 应急救援识别码": f"{610000 + n}",
        "设备品种": "3110",
        "使用单位": world.use_unit_a.name,
        "生产单位": world.manufacturer.name,
        "型号": "GeN2-MRL",
        "出厂编号": f"BR-{n}",
        "安装日期": "2021-05-18",
        "小区/大厦": "浏览器花园",
        "所在区县": "渝北区",
        "安装地址": f"重庆市渝北区浏览器路{n}号",
        "额定载重量（kg）": 1000,
        "额定速度（m/s）": 1.75,
        "层数": 12,
        "站数": 12,
        "门数": 12,
    }
    values.update(over)
    return values


def test_company_imports_its_ledger(browser_page, world, tmp_path):
    page = browser_page
    log_in(page, "admin_a")

    # 1. the start page explains the steps and offers the template
    page.goto(page.base_url + "/imports/elevators/")
    assert page.locator("[data-testid=import-steps] li").count() >= 3
    with page.expect_download() as download_info:
        page.click("[data-testid=download-template]")
    template = tmp_path / "template.xlsx"
    download_info.value.save_as(template)

    # 2. fill it in: two good rows and one whose use unit does not exist
    workbook = load_workbook(template)
    assert workbook.sheetnames == ["电梯台账", "说明"]
    sheet = workbook["电梯台账"]
    header = [str(c.value).rstrip("*") for c in sheet[1]]
    rows = [ledger_row(world, 1), ledger_row(world, 2, 使用单位="不存在的物业公司"), ledger_row(world, 3)]
    for index, values in enumerate(rows, start=2):
        for column, name in enumerate(header, start=1):
            sheet.cell(row=index, column=column).value = values.get(name)
    filled = tmp_path / "甲维保公司电梯台账.xlsx"
    workbook.save(filled)

    # 3. upload: the page answers at once and shows the progress bar
    page.set_input_files("#id_file", str(filled))
    page.click("[data-testid=import-form] button[type=submit]")
    page.wait_for_url("**/imports/*/")
    assert page.locator("[data-testid=import-progress-bar]").is_visible()

    # 4. the report: counts and the rejected row with its reason
    page.wait_for_selector("[data-testid=import-progress][data-status=done]", timeout=30000)
    assert page.locator("[data-testid=accepted-rows]").inner_text() == "2"
    assert page.locator("[data-testid=rejected-rows]").inner_text() == "1"
    rejected = page.locator("#rejected-table tr[data-row='3']")
    assert rejected.is_visible()
    assert "31105001122021050002" in rejected.inner_text()
    assert "使用单位" in rejected.inner_text() and "不存在的物业公司" in rejected.inner_text()
    assert page.locator("[data-testid=download-rejected]").is_visible()
    screenshot(page, "import-report")

    # 5. the imported elevators are in the ledger; the rejected one is not
    page.click("[data-testid=back-to-list]")
    page.wait_for_url("**/elevators/")
    table = page.locator("#elevator-table")
    assert table.locator("text=31105001122021050001").is_visible()
    assert table.locator("text=31105001122021050003").is_visible()
    assert table.locator("text=31105001122021050002").count() == 0
    assert Elevator.objects.filter(register_code__startswith="3110500112202105").count() == 2


def test_the_progress_bar_follows_a_running_job_and_stops_polling(browser_page, world):
    from imports.models import ImportJob, ImportStatus

    page = browser_page
    job = ImportJob.objects.create(
        kind="elevators",
        organization=world.company_a,
        created_by=world.admin_a,
        status=ImportStatus.RUNNING,
        total_rows=10,
        processed_rows=2,
    )
    log_in(page, "admin_a")
    polls = []
    page.on("request", lambda request: polls.append(request.url) if "/progress/" in request.url else None)
    page.goto(page.base_url + f"/imports/{job.pk}/")
    bar = page.locator("[data-testid=import-progress-bar]")
    assert bar.get_attribute("aria-valuenow") == "20"

    ImportJob.objects.filter(pk=job.pk).update(processed_rows=6)
    page.wait_for_selector("[data-testid=import-progress-bar][aria-valuenow='60']")
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.DONE, processed_rows=10, accepted_rows=10, rejected_rows=0
    )
    page.wait_for_selector("[data-testid=import-progress][data-status=done]")
    assert page.locator("[data-testid=accepted-rows]").inner_text() == "10"
    seen = len(polls)
    page.wait_for_timeout(2500)
    assert len(polls) == seen  # the final partial carries no trigger: polling has stopped
