"""The mapping step of the ledger import: another system's headers, suggested, corrected, remembered, previewed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEvent
from elevators import importer
from elevators.models import Elevator
from imports import mapping
from imports import services as job_services
from imports.models import ColumnMapping, ImportJob, ImportStatus
from tests.importing import HEADER, good, template_row, xlsx

pytestmark = pytest.mark.django_db

# a regulator inspection-network export (chongqing-platform.md §4) with the register code under a header we do
# not know, and the 39-column template's multi-line header
FOREIGN = {
    "设备注册号码": "注册代码",  # unknown to the synonyms: the person maps it
    "96333识别码": "96333 应急救援识别码",
    "新设备类别": "设备品种",
    "规格型号": "型号",
    "使用单位": "使用单位",
    "使用地点": "安装地址",
    "出厂编号": "出厂编号",
    "制造单位": "生产单位",
    "安装日期": "安装日期",
    "项目名": "小区/大厦",
    "区域": "所在区县",
    "额定速度": "额定速度（m/s）",
    "额定载重量": "额定载重量（kg）",
    "层数": "层数",
    "站数": "站数",
    "门数": "门数",
    "检验结论": None,  # nothing of ours
}


def foreign_sheet(world, numbers, **over) -> bytes:
    header = list(FOREIGN)
    rows = []
    for n in numbers:
        values = good(world, n, **over)
        rows.append([values.get(ours) if ours else "合格" for ours in FOREIGN.values()])
    return xlsx(header, rows, title_rows=[["某区电梯检验台账导出"]])


def upload(client, content, name="检验网导出.xlsx"):
    return client.post(reverse("imports:start", args=["elevators"]), {"file": SimpleUploadedFile(name, content)})


def test_synonyms_know_the_chongqing_headers():
    mapped, ignored, _dup = importer.COLUMNS.map_header(
        ["电梯注册代码\n电梯注册代码小于20位请上传登记证编号", "电梯使用登记证编号", "下次检验日期\n（格式yyyy-mm-dd）"]
        + ["拖动方式", "电梯地址", "项目名", "区", "救援识别码", "96333识别码", "新设备类别", "制造单位", "到期日期"]
    )
    assert list(mapped.values()) == [
        "register_code",
        "use_registration_number",
        "next_inspection_date",
        "drive_type",
        "address",
        "building",
        "region",
        "rescue_code",
    ] + ["device_category", "manufacturer"]
    assert ignored == [] and _dup == ["96333识别码", "到期日期"]


def test_a_remembered_choice_wins_over_the_synonyms_and_blank_means_not_imported():
    columns = importer.COLUMNS
    cells = ["设备注册号码", "使用单位", "安装日期"]
    assert columns.map_header(cells)[0] == {1: "use_unit", 2: "installation_date"}
    remembered = {"设备注册号码": "register_code", "安装日期": "", "使用单位": "no_such_field"}
    mapped, ignored, _dup = columns.map_header(cells, remembered)
    assert mapped == {0: "register_code"} and ignored == ["使用单位", "安装日期"]


def test_the_header_of_a_foreign_sheet_is_guessed_below_its_title(world):
    rows = [("某区电梯检验台账导出",), ("设备注册号码", "使用单位", "制造单位", "层数"), ("x", "y", "z", 3)]
    header = importer.COLUMNS.guess_header(rows)
    assert header.index == 1 and header.mapping == {1: "use_unit", 2: "manufacturer", 3: "floors"}
    rows = [("甲", "乙", "丙"), ("1", "2", "3")]
    header = importer.COLUMNS.guess_header(rows)
    assert header.index == 0 and header.mapping == {} and header.ignored == ["甲", "乙", "丙"]


def test_remember_keeps_one_answer_per_header_for_the_unit(world):
    header = importer.COLUMNS.header_at([("设备注册号码", "检验结论", None)], 0, {"0": "register_code"})
    mapping.remember(world.admin_a, "elevators", header)
    assert mapping.remembered(world.admin_a, "elevators") == {"设备注册号码": "register_code", "检验结论": ""}
    header = importer.COLUMNS.header_at([("设备注册号码",)], 0, {})
    mapping.remember(world.admin_a, "elevators", header)
    assert mapping.remembered(world.admin_a, "elevators")["设备注册号码"] == ""
    assert ColumnMapping.objects.filter(header="设备注册号码").count() == 1
    assert mapping.remembered(world.admin_b, "elevators") == {}  # another company's answers are its own


def test_a_template_sheet_goes_straight_through(world, client_for, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(job_services, "launch", job_services.run_job)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client_for(world.admin_a), xlsx(HEADER, [template_row(**good(world, 1))]))
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("imports:detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.accepted_rows == 1 and job.mapping == {}


def test_a_foreign_sheet_is_mapped_previewed_confirmed_and_remembered(
    world, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(job_services, "launch", job_services.run_job)
    client = client_for(world.admin_a)
    response = upload(client, foreign_sheet(world, [1, 2], 区域="渝北区"))
    job = ImportJob.objects.get()
    url = reverse("imports:mapping", args=[job.pk])
    assert response["Location"] == url and job.status == ImportStatus.PENDING
    assert client.get(reverse("imports:detail", args=[job.pk]))["Location"] == url

    # the page: the header row found below the title, suggestions, the first rows as they will be read
    page = client.get(url).content.decode()
    assert "第 2 行是表头" in page
    assert '<option value="1" selected>B：96333识别码</option>' in page
    assert 'name="map-register_code"' in page and "检验结论" in page
    assert "F2020-1" in page and "F2020-2" in page  # the preview

    # confirming without the register code is refused with the reason; nothing starts
    suggested = importer.COLUMNS.map_header(list(FOREIGN))[0]
    choices = {f"map-{name}": str(index) for index, name in suggested.items()}
    page = client.post(url, {**choices, "action": "confirm"}).content.decode()
    assert "缺少必填列：注册代码" in page
    job.refresh_from_db()
    assert job.status == ImportStatus.PENDING

    # one of their columns for two of ours is refused
    page = client.post(url, {**choices, "map-register_code": "2", "action": "confirm"}).content.decode()
    assert "已用于" in page and "同一列不能对应两个字段" in page

    # the preview follows the chosen mapping and says what is wrong with a cell
    wrong = {**choices, "map-register_code": "0", "map-product_model": "", "map-floors": "3", "action": "preview"}
    page = client.post(url, wrong).content.decode()
    assert "31105001122020050001" in page and 'data-testid="cell-problem"' in page  # 规格型号 as 层数
    assert "cell-problem" not in client.post(url, {**choices, "map-register_code": "0"}).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**choices, "map-register_code": "0", "action": "confirm"})
    assert response["Location"] == reverse("imports:detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.accepted_rows == 2, job.report
    assert job.header_row == 1 and job.mapping["0"] == "register_code"
    assert Elevator.objects.filter(register_code="31105001122020050002").exists()
    assert AuditEvent.objects.filter(reason="确认列对应关系，开始导入").exists()

    # the next sheet with those headers: the unit's choice is suggested
    assert mapping.remembered(world.admin_a, "elevators")["设备注册号码"] == "register_code"
    upload(client, foreign_sheet(world, [3]))
    job = ImportJob.objects.latest("pk")
    page = client.get(reverse("imports:mapping", args=[job.pk])).content.decode()
    assert '<option value="0" selected>A：设备注册号码</option>' in page
    # but another company's upload is not helped by it
    upload(client_for(world.admin_b), foreign_sheet(world, [4]))
    other = ImportJob.objects.latest("pk")
    page = client_for(world.admin_b).get(reverse("imports:mapping", args=[other.pk])).content.decode()
    assert "selected>A：设备注册号码" not in page


def test_another_companys_pending_job_is_404(world, client_for):
    upload(client_for(world.admin_a), foreign_sheet(world, [1]))
    job = ImportJob.objects.get()
    url = reverse("imports:mapping", args=[job.pk])
    assert client_for(world.admin_b).get(url).status_code == 404
    assert client_for(world.admin_b).post(url, {"action": "confirm"}).status_code == 404
    assert client_for(world.use_admin_a).get(url).status_code == 404
    assert client_for(world.admin_a).get(url).status_code == 200
    job.refresh_from_db()
    assert job.status == ImportStatus.PENDING
    assert not job_services.fail_if_stale(job)  # a pending job waits for its person, however long


def test_a_job_that_runs_no_longer_shows_its_mapping_page(world, client_for):
    job = ImportJob.objects.create(kind="elevators", organization=world.company_a, created_by=world.admin_a)
    page = client_for(world.admin_a).get(reverse("imports:mapping", args=[job.pk])).content.decode()
    assert 'data-testid="mapping-closed"' in page and reverse("imports:detail", args=[job.pk]) in page
    assert 'name="map-register_code"' not in page


def test_a_second_confirmation_of_the_same_mapping_starts_nothing_more(
    world, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(job_services, "launch", lambda job_id: None)  # leave it queued
    client = client_for(world.admin_a)
    upload(client, foreign_sheet(world, [1]))
    job = ImportJob.objects.get()
    url = reverse("imports:mapping", args=[job.pk])
    choices = {f"map-{name}": str(index) for index, name in importer.COLUMNS.map_header(list(FOREIGN))[0].items()}
    choices["map-register_code"] = "0"
    monkeypatch.setattr(mapping, "read_head", lambda job: _stale_read(job, url))  # confirmed meanwhile
    response = client.post(url, {**choices, "action": "confirm"})
    assert response.status_code == 302 and response["Location"] == reverse("imports:detail", args=[job.pk])
    assert AuditEvent.objects.filter(reason="确认列对应关系，开始导入").count() == 1


def _stale_read(job, _url):
    """The file's head, read while another tab confirms the same job."""
    rows = job_services.read_rows(job, limit=mapping.HEAD_ROWS)
    if ImportJob.objects.get(pk=job.pk).status == ImportStatus.PENDING:
        job_services.confirm_job(
            ImportJob.objects.get(pk=job.pk), job.created_by, header_row=1, mapping={0: "register_code"}
        )
    return rows


def test_the_mapping_page_speaks_english(world, client_for, settings):
    client = client_for(world.admin_a)
    upload(client, foreign_sheet(world, [1]))
    job = ImportJob.objects.get()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("imports:mapping", args=[job.pk])).content.decode()
    for text in ("Check the column mapping", "is the header", "Do not import", "Preview (first 10 rows", "Confirm"):
        assert text in page, text
    for text in ("核对列的对应关系", "不导入", "确认并开始导入"):
        assert text not in page, text


def test_the_person_picks_another_header_row_when_the_guess_is_wrong(
    world, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(job_services, "launch", job_services.run_job)
    values = good(world, 7)
    ours = ["注册代码", "96333 应急救援识别码", "设备品种", "使用单位", "生产单位", "型号", "出厂编号", "安装日期"]
    ours += ["小区/大厦", "所在区县", "安装地址", "额定载重量（kg）", "额定速度（m/s）", "层数", "站数", "门数"]
    theirs = [f"字段{n}" for n in range(len(ours))]  # headers nobody knows
    content = xlsx(theirs, [[values[name] for name in ours]], title_rows=[["某区", "电梯", "导出"]])
    client = client_for(world.admin_a)
    upload(client, content)
    job = ImportJob.objects.get()
    url = reverse("imports:mapping", args=[job.pk])
    page = client.get(url).content.decode()
    assert '<option value="0" selected>第 1 行：某区、电梯、导出</option>' in page  # the guess: the title

    # another header row: its columns, the old choices forgotten
    page = client.post(url, {"header_row": "1", "shown_header_row": "0", "map-register_code": "2"}).content.decode()
    assert '<option value="1" selected>第 2 行：字段0、字段1、字段2、字段3…</option>' in page
    assert '<option value="0">A：字段0</option>' in page and "selected>C：" not in page
    assert 'name="shown_header_row" value="1"' in page

    field_of = {column.header: column.field for column in importer.COLUMNS}
    choices = {f"map-{field_of[name]}": str(index) for index, name in enumerate(ours)}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**choices, "header_row": "1", "shown_header_row": "1", "action": "confirm"})
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.header_row == 1 and job.accepted_rows == 1, job.report


def test_a_waiting_import_can_be_cancelled_by_its_unit_only(world, client_for):
    upload(client_for(world.admin_a), foreign_sheet(world, [1]))
    job = ImportJob.objects.get()
    url = reverse("imports:cancel", args=[job.pk])
    assert (
        'data-testid="cancel-import"'
        in client_for(world.admin_a).get(job.get_absolute_url(), follow=True).content.decode()
    )
    assert client_for(world.admin_b).post(url).status_code == 404
    response = client_for(world.admin_a).post(url, follow=True)
    assert "已取消这次导入" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "已取消" in job.error
    assert AuditEvent.objects.filter(action="transition", target_id=str(job.pk), actor=world.admin_a).exists()
    assert not Elevator.objects.exists()
    again = client_for(world.admin_a).post(url, follow=True)  # a finished job is not cancelled twice
    assert "不能取消" in again.content.decode()
