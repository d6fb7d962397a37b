"""Browser journey: a maintenance company downloads the template, imports its ledger, reads the report."""

import pytest
from openpyxl import load_workbook

from conftest import browser_login, screenshot, watch_csp
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


def _sheet(path, header, rows, title=None):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return str(path)


def test_a_sheet_from_another_system_is_mapped_previewed_and_imported(browser_page, world, tmp_path):
    """Upload an inspection-network export: fix the one column the synonyms miss, preview, run, read the report."""
    page = browser_page
    violations = watch_csp(page)  # the mapping page and the report under the Content-Security-Policy
    log_in(page, "admin_a")
    ours = {"设备注册号码": "注册代码", "96333识别码": "96333 应急救援识别码", "新设备类别": "设备品种"}
    ours |= {"使用单位": "使用单位", "制造单位": "生产单位", "规格型号": "型号", "出厂编号": "出厂编号"}
    ours |= {"安装日期": "安装日期", "项目名": "小区/大厦", "区域": "所在区县", "使用地点": "安装地址"}
    ours |= {"额定载重量": "额定载重量（kg）", "额定速度": "额定速度（m/s）", "层数": "层数", "站数": "站数"}
    ours |= {"门数": "门数", "检验结论": None}
    rows = [[ledger_row(world, n).get(name) if name else "合格" for name in ours.values()] for n in (21, 22)]
    path = _sheet(tmp_path / "检验网导出.xlsx", list(ours), rows, title="某区电梯检验台账")

    page.goto(page.base_url + "/imports/elevators/")
    page.set_input_files("#id_file", path)
    page.click("[data-testid=import-form] button[type=submit]")
    page.wait_for_url("**/imports/*/mapping/")
    assert "第 2 行是表头" in page.locator("[data-testid=mapping-intro]").inner_text()
    assert page.locator("#map-rescue_code").input_value() == "1"  # 96333识别码, by the synonyms
    assert page.locator("#map-register_code").input_value() == ""  # 设备注册号码: nobody knows it yet

    # confirming without the register code says what is missing
    page.click("[data-testid=confirm-mapping]")
    assert "缺少必填列" in page.locator("[data-testid=mapping-problem]").inner_text()

    # choose it, see the preview read it, then run
    page.select_option("#map-register_code", "0")
    page.click("[data-testid=refresh-preview]")
    preview = page.locator("#preview-table")
    assert preview.locator("td[data-field=register_code]", has_text="31105001122021050021").is_visible()
    screenshot(page, "import-mapping")
    page.click("[data-testid=confirm-mapping]")
    page.wait_for_selector("[data-testid=import-progress][data-status=done]", timeout=30000)
    assert page.locator("[data-testid=accepted-rows]").inner_text() == "2"
    assert Elevator.objects.filter(register_code__in=["31105001122021050021", "31105001122021050022"]).count() == 2

    # the next export with the same headers comes with the unit's choice
    page.goto(page.base_url + "/imports/elevators/")
    page.set_input_files("#id_file", _sheet(tmp_path / "第二次.xlsx", list(ours), rows[:1]))
    page.click("[data-testid=import-form] button[type=submit]")
    page.wait_for_url("**/imports/*/mapping/")
    assert page.locator("#map-register_code").input_value() == "0"
    assert not violations, "\n".join(violations)


def test_an_update_shows_old_and_new_values_then_applies_them(browser_page, world, tmp_path):
    from tests.importing import existing_elevator

    elevator = existing_elevator(world, code="31105001122019010077", rescue="499977")
    page = browser_page
    violations = watch_csp(page)
    log_in(page, "admin_a")
    header = ["注册代码", "型号", "层数", "站数", "门数", "维保单位"]
    rows = [
        ["31105001122019010077", "NEW-9", 7, 7, 7, world.company_b.name],
        ["31105001122019019998", "NEW-1", None, None, None, None],
    ]
    page.goto(page.base_url + "/imports/elevators/")
    page.set_input_files("#id_file", _sheet(tmp_path / "台账更新.xlsx", header, rows))
    page.check("input[name=mode][value=update]")
    page.click("[data-testid=import-form] button[type=submit]")
    page.wait_for_url("**/imports/*/mapping/")
    assert page.locator("#map-product_model").input_value() == "1"
    page.click("[data-testid=confirm-mapping]")

    # the changes, before anything is written
    page.wait_for_selector("[data-testid=import-progress][data-status=review]", timeout=30000)
    changes = page.locator("#changes-table")
    model_row = changes.locator("tr[data-field=product_model]")
    assert model_row.locator("[data-testid=old-value]").inner_text() == "X1"
    assert model_row.locator("[data-testid=new-value]").inner_text() == "NEW-9"
    assert "维保单位变更" in changes.locator("[data-testid=refused-cell]").inner_text()
    assert "不新增电梯" in page.locator("#rejected-table").inner_text()
    screenshot(page, "import-update-preview")
    elevator.refresh_from_db()
    assert elevator.product_model == "X1"

    page.click("[data-testid=apply-changes]")
    page.wait_for_selector("[data-testid=import-progress][data-status=done]", timeout=30000)
    assert page.locator("[data-testid=accepted-rows]").inner_text() == "1"
    elevator.refresh_from_db()
    assert (elevator.product_model, elevator.floors) == ("NEW-9", 7)
    assert elevator.maintenance_company == world.company_a
    assert not violations, "\n".join(violations)


def test_a_waiting_import_is_cancelled_from_its_mapping_page(browser_page, world, tmp_path):
    from imports.models import ImportJob, ImportStatus

    page = browser_page
    log_in(page, "admin_a")
    header = ["设备注册号码", "项目名", "检验结论"]
    page.goto(page.base_url + "/imports/elevators/")
    page.set_input_files(
        "#id_file", _sheet(tmp_path / "别的系统.xlsx", header, [["31105001122021050001", "某小区", "合格"]])
    )
    page.click("[data-testid=import-form] button[type=submit]")
    page.wait_for_url("**/imports/*/mapping/")
    with page.expect_navigation():
        page.click("[data-testid=cancel-import]")
    page.wait_for_url("**/imports/")
    assert page.locator("text=已取消这次导入").is_visible()
    assert ImportJob.objects.get().status == ImportStatus.FAILED
