"""电梯台账导入: the template, the row logic, the upload check, the job pages."""

import io
import json
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.models import AuditEvent
from core.uploads import validate_xlsx
from elevators import importer
from elevators.models import Elevator, ElevatorStatus
from imports import services as job_services
from imports.models import ImportJob, ImportStatus
from tests.importing import HEADER, PLAIN, counts, errors_of, existing_elevator, good, run_import, template_row, xlsx

pytestmark = pytest.mark.django_db


def test_the_template_reads_back():
    workbook = load_workbook(io.BytesIO(importer.build_template()))
    assert workbook.sheetnames == ["电梯台账", "说明"]
    header = [c.value for c in workbook["电梯台账"][1]]
    assert header[:3] == ["注册代码*", "96333 应急救援识别码*", "设备品种*"]
    assert "维保单位" in header and "使用单位*" in header and "安装日期*" in header
    assert not any("使用状态" in h for h in header)
    data = workbook["电梯台账"].iter_rows(min_row=2, values_only=True)
    assert all(value is None for row in data for value in row)  # text-formatted, but empty
    # every column of the template is recognised
    mapping, ignored, duplicated = importer.COLUMNS.map_header(header)
    assert len(mapping) == len(header) and not ignored and not duplicated

    notes = [[c for c in row if c is not None] for row in workbook["说明"].iter_rows(values_only=True)]
    text = "\n".join(" ".join(str(c) for c in row) for row in notes)
    for code in ("3110", "3120", "3210", "3310", "3320", "3430"):
        assert code in text
    assert "YYYY-MM-DD" in text and "待登记" in text and "使用状态" in text
    # an example row follows a copy of the header
    index = next(i for i, row in enumerate(notes) if row[:1] == ["注册代码*"] and len(row) > 5)
    example = notes[index + 1]
    assert example[0] == "31105001122020050001" and "2020-05-18" in example


# --- rows ---------------------------------------------------------------------------------------------


def test_good_rows_land_whole_and_bad_rows_leave_nothing(world):
    existing_elevator(world)
    valid = world.use_unit_a.credit_code
    bad_credit = valid[:-1] + ("1" if valid[-1] != "1" else "2")  # use unit A's code with a wrong check character
    rows = [
        good(world, 1),  # row 2
        good(world, 2, 使用单位=bad_credit),  # row 3: a credit code with a wrong check character
        good(world, 3, 使用单位="不存在的物业公司"),  # row 4
        good(world, 4, 使用单位=world.use_unit_b.name),  # row 5: company B's use unit
        good(world, 5, 型号=None),  # row 6: a required field missing
        good(world, 6, 安装日期="2020-13-45"),  # row 7
        {},  # row 8: blank, skipped
        good(world, 7, 层数=10, 站数=10, 门数=12),  # row 9: good
        good(world, 8, 注册代码="311050011220200500" + "01"),  # row 10: the same code as row 2
        good(world, 9, 注册代码="31105001122019010001"),  # row 11: already on the platform
        good(world, 10, 层数=8, 站数=9, 门数=9),  # row 12: more stops than floors
        good(world, 11, **{"96333 应急救援识别码": "12AB"}),  # row 13
        good(
            world,
            12,
            注册代码="33105001122020050012",
            设备品种="3310 自动扶梯",
            层数=None,
            站数=None,
            门数=None,
            **{
                "倾斜角（°）": 30,
                "名义宽度（mm）": 1000,
                "提升高度（m）": 5.5,
                "额定速度（m/s）": 0.5,
                "额定载重量（kg）": None,
            },
        ),  # row 14: an escalator, good
    ]
    before = counts()
    events_before = AuditEvent.objects.filter(action="create", target_type__model="elevator").count()
    job = run_import(world.admin_a, xlsx(HEADER, [template_row(**r) if r else [] for r in rows]))

    assert job.status == ImportStatus.DONE, job.error
    assert (job.total_rows, job.processed_rows, job.accepted_rows, job.rejected_rows) == (12, 12, 3, 9)
    landed = Elevator.objects.exclude(register_code="31105001122019010001")
    assert sorted(landed.values_list("register_code", flat=True)) == [
        "31105001122020050001",
        "31105001122020050007",
        "33105001122020050012",
    ]
    first = Elevator.objects.get(register_code="31105001122020050001")
    assert first.status == ElevatorStatus.PENDING_REGISTRATION
    assert first.maintenance_company == world.company_a and first.use_unit == world.use_unit_a
    assert first.created_by == world.admin_a and first.region.code == "500112"
    assert first.installation_date == date(2020, 5, 18) and str(first.rated_speed) == "1.75"
    assert first.components.count() == 20 and first.landing_doors.count() == 18
    assert Elevator.objects.get(register_code="31105001122020050007").landing_doors.count() == 10
    escalator = Elevator.objects.get(register_code="33105001122020050012")
    assert escalator.components.count() == 14 and escalator.landing_doors.count() == 0
    # exactly the good rows' elevators, components and landing doors were added; nothing of the bad ones
    assert counts() == (before[0] + 3, before[1] + 20 + 20 + 14, before[2] + 18 + 10)
    events_after = AuditEvent.objects.filter(action="create", target_type__model="elevator").count()
    assert events_after == events_before + 3

    assert [e["row"] for e in job.report] == [3, 4, 5, 6, 7, 10, 11, 12, 13]
    assert any("使用单位" in e and "校验位" in e for e in errors_of(job, 3))
    assert any("使用单位" in e and "组织架构" in e and "不存在的物业公司" in e for e in errors_of(job, 4))
    assert any("使用单位" in e and "组织架构" in e for e in errors_of(job, 5))
    assert any(e.startswith("型号") for e in errors_of(job, 6))
    assert any(e.startswith("安装日期") and "YYYY-MM-DD" in e for e in errors_of(job, 7))
    assert any(e.startswith("注册代码") and "第 2 行" in e for e in errors_of(job, 10))
    assert any(e.startswith("注册代码") and "已有" in e for e in errors_of(job, 11))
    assert any(e.startswith("站数") for e in errors_of(job, 12))
    assert any(e.startswith("96333 应急救援识别码") and "6 位数字" in e for e in errors_of(job, 13))
    entry = next(e for e in job.report if e["row"] == 4)
    assert entry["register_code"] == "31105001122020050003"
    assert entry["values"][PLAIN.index("使用单位")] == "不存在的物业公司"
    # a row with several problems reports every one of them
    job2 = run_import(
        world.admin_a,
        xlsx(
            HEADER,
            [
                template_row(
                    **good(
                        world, 40, 型号=None, 安装日期="明年", 层数=8, 站数=9, 门数=9, **{"96333 应急救援识别码": "1"}
                    )
                )
            ],
        ),
    )
    reasons = errors_of(job2, 2)
    for label in ("型号", "安装日期", "站数", "96333 应急救援识别码"):
        assert any(r.startswith(label) for r in reasons), (label, reasons)


def test_real_ledger_headers_are_recognised(world):
    header = [
        "序号",
        "电梯注册代码",
        "救援识别码",
        "设备类别",
        "使用单位",
        "制造单位",
        "规格型号",
        "出厂编号",
        "安装日期",
        "小区",
        "区域",
        "使用地点",
        "层/站/门",
        "额定速度",
        "额定载重量",
        "下次检验日期",
        "使用状态",
        "维保类型",
    ]
    rows = [
        [
            1,
            "31105001122020060001",
            12345,
            "曳引驱动乘客电梯",
            world.use_unit_a.credit_code,
            world.manufacturer.credit_code,
            "TKJ1000",
            "F-1",
            datetime(2020, 6, 1),
            "碧水小区",
            500112,
            "重庆市渝北区碧水路2号",
            "10/10/10",
            "1.5m/s",
            "1000kg",
            "2026/06/30",
            "在用",
            "全包",
        ],
        [
            2,
            "31105001122020060002",
            "654321",
            "3110",
            world.use_unit_a.name,
            world.manufacturer.name,
            "TKJ1000",
            "F-2",
            "2020年6月2日",
            "碧水小区",
            "重庆市渝北区",
            "重庆市渝北区碧水路2号",
            "12层12站12门",
            1.5,
            1000,
            None,
            None,
            None,
        ],
    ]
    job = run_import(world.admin_a, xlsx(header, rows, title_rows=[["甲维保公司电梯台账（2026 年）"]]))
    assert job.status == ImportStatus.DONE, job.error
    assert (job.accepted_rows, job.rejected_rows) == (2, 0), job.report
    first = Elevator.objects.get(register_code="31105001122020060001")
    assert first.rescue_code == "012345"  # Excel dropped the leading zero
    assert first.device_category == "3110" and first.manufacturer == world.manufacturer
    assert (first.floors, first.stops, first.doors) == (10, 10, 10)
    assert first.building == "碧水小区" and first.address == "重庆市渝北区碧水路2号"
    assert first.region.code == "500112" and first.next_inspection_date == date(2026, 6, 30)
    assert first.rated_load == 1000 and str(first.rated_speed) == "1.50"
    assert first.status == ElevatorStatus.PENDING_REGISTRATION  # 使用状态 is not imported
    second = Elevator.objects.get(register_code="31105001122020060002")
    assert second.installation_date == date(2020, 6, 2) and second.stops == 12
    warnings = " ".join(job.warnings)
    assert "使用状态" in warnings and "维保类型" in warnings and "序号" not in warnings
    assert job.columns[1] == "电梯注册代码"


def test_a_file_without_the_required_columns_fails_with_the_reason(world):
    job = run_import(world.admin_a, xlsx(["注册代码", "使用单位", "型号"], [["31105001122020070001", "x", "y"]]))
    assert job.status == ImportStatus.FAILED
    assert "缺少必填列" in job.error and "生产单位" in job.error
    job = run_import(world.admin_a, xlsx(["名称", "地址"], [["a", "b"]]))
    assert job.status == ImportStatus.FAILED and "找不到表头" in job.error
    assert Elevator.objects.count() == 0
    transitions = AuditEvent.objects.filter(action="transition", target_type__model="importjob", target_id=str(job.pk))
    assert [e.changes["status"] for e in transitions.order_by("at", "id")] == [
        ["queued", "running"],
        ["running", "failed"],
    ]


def test_the_operator_names_the_maintenance_company_and_a_use_unit_imports_its_own(world):
    job = run_import(world.operator, xlsx(HEADER, [template_row(**good(world, 50))]))
    assert job.status == ImportStatus.DONE and job.rejected_rows == 1
    assert any(e.startswith("维保单位") for e in errors_of(job, 2))
    without_column = [h for h in HEADER if h != "维保单位"]
    row = template_row(**good(world, 50))
    del row[PLAIN.index("维保单位")]
    job = run_import(world.operator, xlsx(without_column, [row]))
    assert job.status == ImportStatus.FAILED and "缺少必填列" in job.error and "维保单位" in job.error
    job = run_import(world.operator, xlsx(HEADER, [template_row(**good(world, 51, 维保单位=world.company_b.name))]))
    assert job.accepted_rows == 1, job.report
    assert Elevator.objects.get(register_code="31105001122020050051").maintenance_company == world.company_b

    row = good(world, 52, 使用单位=None, 维保单位=world.company_a.name)
    job = run_import(world.use_admin_a, xlsx(HEADER, [template_row(**row)]))
    assert job.accepted_rows == 1, job.report
    assert Elevator.objects.get(register_code="31105001122020050052").use_unit == world.use_unit_a


def test_a_company_imports_only_its_own_elevators_in_its_own_city(world):
    rows = [
        good(world, 60, 维保单位=world.company_b.name),
        good(world, 61, 所在区县="南山区"),
        good(world, 62, 所在区县="440305"),
        good(world, 63, 所在区县="火星区"),
    ]
    job = run_import(world.admin_a, xlsx(HEADER, [template_row(**r) for r in rows]))
    assert job.accepted_rows == 0 and job.rejected_rows == 4
    assert any(e.startswith("维保单位") and "本单位" in e for e in errors_of(job, 2))
    assert any(e.startswith("所在区县") and "重庆市" in e for e in errors_of(job, 3))
    assert any(e.startswith("所在区县") and "重庆市" in e for e in errors_of(job, 4))
    assert any(e.startswith("所在区县") and "无法识别" in e for e in errors_of(job, 5))


def test_a_duplicate_rescue_code_in_the_city_is_refused(world):
    existing_elevator(world, rescue="777777")
    rows = [
        good(world, 70, **{"96333 应急救援识别码": "777777"}),
        good(world, 71, **{"96333 应急救援识别码": "888888"}),
        good(world, 72, **{"96333 应急救援识别码": "888888"}),
    ]
    job = run_import(world.admin_a, xlsx(HEADER, [template_row(**r) for r in rows]))
    assert job.accepted_rows == 1
    assert any(e.startswith("96333 应急救援识别码") and "777777" in e for e in errors_of(job, 2))
    assert any(e.startswith("96333 应急救援识别码") and "第 3 行" in e for e in errors_of(job, 4))


def test_progress_is_saved_while_the_rows_run(world, monkeypatch):
    saved = []
    original = ImportJob.save_progress

    def spy(self):
        saved.append(self.processed_rows)
        original(self)

    monkeypatch.setattr(ImportJob, "save_progress", spy)
    rows = [template_row(**good(world, 100 + n)) for n in range(45)]
    job = run_import(world.admin_a, xlsx(HEADER, rows))
    assert job.accepted_rows == 45
    assert {20, 40}.issubset(saved)


# --- the upload check -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, data, fragment",
    [
        ("台账.xlsx", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "不是 Excel 工作簿"),  # a renamed .exe
        ("台账.csv", "注册代码,使用单位\n1,2\n".encode(), "不支持的文件类型 .csv"),
        ("台账.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "另存为"),
        ("台账.exe", b"MZ\x90\x00", "不支持的文件类型 .exe"),
        ("空.xlsx", b"", "空的"),
    ],
)
def test_the_upload_check_refuses_what_is_not_a_workbook(name, data, fragment):
    with pytest.raises(ValidationError) as exc:
        validate_xlsx(SimpleUploadedFile(name, data))
    assert fragment in exc.value.messages[0]


def test_a_zip_that_is_not_a_workbook_is_refused_and_a_big_file_too():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ValidationError) as exc:
        validate_xlsx(SimpleUploadedFile("台账.xlsx", buffer.getvalue()))
    assert "不是 Excel 工作簿" in exc.value.messages[0]
    content = importer.build_template()
    with override_settings(UPLOAD_MAX_BYTES=1000), pytest.raises(ValidationError) as exc:
        validate_xlsx(SimpleUploadedFile("台账.xlsx", content))
    assert "文件太大" in exc.value.messages[0]
    checked = validate_xlsx(SimpleUploadedFile("台账.xlsx", content))
    assert checked.content_type.endswith("spreadsheetml.sheet") and len(checked.sha256) == 64


# --- the pages --------------------------------------------------------------------------------------------


def test_only_those_who_record_elevators_may_import(world, client_for):
    for name in ("imports:start", "imports:template"):
        url = reverse(name, args=["elevators"])
        assert client_for(world.worker_a).get(url).status_code == 403
        assert client_for(world.admin_a).get(url).status_code == 200
    assert client_for(world.admin_a).get(reverse("imports:start", args=["nothing"])).status_code == 404


def test_the_template_download_is_a_workbook(world, client_for):
    response = client_for(world.admin_a).get(reverse("imports:template", args=["elevators"]))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["电梯台账", "说明"]


def test_upload_through_the_page_runs_the_job(world, client_for, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(job_services, "launch", job_services.run_job)  # run in this thread, not a new one
    client = client_for(world.admin_a)
    page = client.get(reverse("imports:start", args=["elevators"])).content.decode()
    assert "下载导入模板" in page and 'enctype="multipart/form-data"' in page
    content = xlsx(HEADER, [template_row(**good(world, 80)), template_row(**good(world, 81, 使用单位="无此单位"))])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("imports:start", args=["elevators"]), {"file": SimpleUploadedFile("台账.xlsx", content)}
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.organization == world.company_a
    assert job.file.original_name == "台账.xlsx" and job.file.owner == job
    page = client.get(response["Location"]).content.decode()
    assert "无此单位" in page and 'data-testid="rejected-rows">1<' in page and "hx-trigger" not in page

    response = client.post(
        reverse("imports:start", args=["elevators"]), {"file": SimpleUploadedFile("台账.csv", b"a,b\n")}
    )
    assert response.status_code == 200 and "不支持的文件类型 .csv" in response.content.decode()
    assert ImportJob.objects.count() == 1


def test_another_companys_job_is_404(world, client_for):
    job = run_import(world.admin_a, xlsx(HEADER, [template_row(**good(world, 90, 使用单位="无此单位"))]))
    for name in ("imports:detail", "imports:progress", "imports:rejected"):
        url = reverse(name, args=[job.pk])
        assert client_for(world.admin_b).get(url).status_code == 404, name
        assert client_for(world.use_admin_a).get(url).status_code == 404, name
        assert client_for(world.admin_a).get(url).status_code == 200, name
        assert client_for(world.operator).get(url).status_code == 200, name
    assert f"#{job.pk}" not in client_for(world.admin_b).get(reverse("imports:list")).content.decode()
    assert f"#{job.pk}" in client_for(world.admin_a).get(reverse("imports:list")).content.decode()


def test_the_progress_partial_returns_the_numbers(world, client_for):
    job = run_import(world.admin_a, xlsx(HEADER, [template_row(**good(world, 95))]))
    running = ImportJob.objects.create(
        kind="elevators",
        organization=world.company_a,
        created_by=world.admin_a,
        status=ImportStatus.RUNNING,
        total_rows=10,
        processed_rows=5,
        accepted_rows=4,
        rejected_rows=1,
    )
    client = client_for(world.admin_a)
    page = client.get(reverse("imports:progress", args=[running.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in page and "5 / 10" in page and 'aria-valuenow="50"' in page
    assert "<html" not in page
    page = client.get(reverse("imports:progress", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in page  # finished: the polling stops
    assert 'data-testid="accepted-rows">1<' in page and 'data-testid="rejected-rows">0<' in page
    assert 'aria-valuenow="100"' in page


def test_a_job_whose_runner_vanished_is_marked_failed(world, client_for):
    stale = ImportJob.objects.create(
        kind="elevators",
        organization=world.company_a,
        created_by=world.admin_a,
        status=ImportStatus.RUNNING,
        total_rows=10,
        processed_rows=3,
        updated_at=timezone.now() - timedelta(hours=1),
    )
    page = client_for(world.admin_a).get(reverse("imports:progress", args=[stale.pk])).content.decode()
    stale.refresh_from_db()
    assert stale.status == ImportStatus.FAILED and "中断" in stale.error and "中断" in page


def test_the_rejected_rows_come_back_as_a_workbook_to_fix_and_import_again(world, client_for):
    rows = [template_row(**good(world, 30)), template_row(**good(world, 31, 安装日期="2020.02.30"))]
    job = run_import(world.admin_a, xlsx(HEADER, rows))
    assert job.rejected_rows == 1
    response = client_for(world.admin_a).get(reverse("imports:rejected", args=[job.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    header = [c.value for c in sheet[1]]
    assert header == [*HEADER, "错误原因"]
    values = [c.value for c in sheet[2]]
    assert values[0] == "31105001122020050031" and "安装日期" in values[-1]
    assert sheet.max_row == 2
    # fix the date and import the file again: the 错误原因 column is ignored
    sheet.cell(row=2, column=PLAIN.index("安装日期") + 1).value = "2020-02-28"
    buffer = io.BytesIO()
    workbook.save(buffer)
    again = run_import(world.admin_a, buffer.getvalue())
    assert (again.accepted_rows, again.rejected_rows) == (1, 0), again.report
    assert not again.warnings
    assert Elevator.objects.get(register_code="31105001122020050031").installation_date == date(2020, 2, 28)


@pytest.mark.django_db(transaction=True)
def test_the_page_starts_the_runner_in_a_thread_and_returns_at_once(client_for):
    import time

    from tests.factories import make_world

    world = make_world()
    client = client_for(world.admin_a)
    content = xlsx(HEADER, [template_row(**good(world, n)) for n in range(200, 205)])
    response = client.post(
        reverse("imports:start", args=["elevators"]), {"file": SimpleUploadedFile("a.xlsx", content)}
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.2)
    assert job.status == ImportStatus.DONE, job.error
    assert job.accepted_rows == 5 and Elevator.objects.count() == 5


def test_a_formula_cell_is_refused_with_its_row_and_column(world):
    """=1+1 used to land as 2 (the cached result) or blank (no cached result); a formula never imports."""
    rows = [
        good(world, 1, 层数="=17+1"),
        good(world, 2, **{"安装地址": '=HYPERLINK("http://evil.example","重庆市")'}),
        good(world, 3),
    ]
    job = run_import(world.admin_a, xlsx(HEADER, [template_row(**r) for r in rows]))
    assert (job.accepted_rows, job.rejected_rows) == (1, 2)
    first, second = job.report
    assert first["row"] == 2 and any("层数" in r and "公式" in r and "=17+1" in r for r in first["errors"])
    assert second["row"] == 3 and any("安装地址" in r and "公式" in r for r in second["errors"])
    assert Elevator.objects.get().register_code.endswith("0003")


def test_oversized_cells_are_refused_and_the_report_stays_small(world):
    huge = "很长的地址" * 4000  # 20,000 characters in one cell
    rows = [good(world, n, **{"安装地址": huge}) for n in range(1, 6)]
    job = run_import(world.admin_a, xlsx(HEADER, [template_row(**r) for r in rows]))
    assert (job.accepted_rows, job.rejected_rows) == (0, 5)
    assert all(any("超过 500 个字符" in r for r in entry["errors"]) for entry in job.report)
    assert max(len(str(v)) for entry in job.report for v in entry["values"]) <= 500
    assert len(json.dumps(job.report, ensure_ascii=False)) < 20_000
