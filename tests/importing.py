"""Helpers for the ledger import's tests: sheets in the template's shape, good rows, running a job."""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core.uploads import validate_xlsx
from elevators import importer, services
from elevators.models import Component, Elevator, LandingDoor
from imports import services as job_services
from imports.models import ImportJob

HEADER = [c.template_header for c in importer.COLUMNS.in_template]
PLAIN = [c.header for c in importer.COLUMNS.in_template]


def xlsx(header, rows, title_rows=()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "电梯台账"
    for title in title_rows:
        sheet.append(title)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_row(**values) -> list:
    """A row in the template's column order from {plain header: value}."""
    unknown = set(values) - set(PLAIN)
    assert not unknown, unknown
    return [values.get(name) for name in PLAIN]


def good(world, n, **over) -> dict:
    values = {
        "注册代码": f"3110500112202005{n:04d}",
        "96333 应急救援识别码": f"{500000 + n}",
        "设备品种": "3110",
        "使用单位": world.use_unit_a.name,
        "生产单位": world.manufacturer.name,
        "型号": "GeN2-MRL",
        "出厂编号": f"F2020-{n}",
        "安装日期": "2020-05-18",
        "小区/大厦": "阳光花园",
        "所在区县": "渝北区",
        "安装地址": f"重庆市渝北区阳光路{n}号",
        "额定载重量（kg）": 1000,
        "额定速度（m/s）": 1.75,
        "层数": 18,
        "站数": 18,
        "门数": 18,
    }
    values.update(over)
    return values


def run_import(user, content: bytes, name="台账.xlsx") -> ImportJob:
    """Upload and run a job synchronously (the pages start the same runner in the background)."""
    checked = validate_xlsx(SimpleUploadedFile(name, content))
    job = job_services.create_job(kind="elevators", user=user, checked=checked)
    job_services.run_job(job.pk)
    job.refresh_from_db()
    return job


def existing_elevator(world, code="31105001122019010001", rescue="499999") -> Elevator:
    from organizations.models import Region

    return services.create_elevator(
        actor=world.admin_a,
        data={
            "register_code": code,
            "rescue_code": rescue,
            "device_category": "3110",
            "use_unit": world.use_unit_a,
            "maintenance_company": world.company_a,
            "manufacturer": world.manufacturer,
            "product_model": "X1",
            "factory_number": "OLD-1",
            "installation_date": date(2019, 1, 1),
            "building": "老小区",
            "region": Region.objects.get(code="500112"),
            "address": "重庆市渝北区老路1号",
            "rated_load": 800,
            "rated_speed": 1.0,
            "floors": 6,
            "stops": 6,
            "doors": 6,
        },
    )


def counts():
    return Elevator.objects.count(), Component.objects.count(), LandingDoor.objects.count()


def errors_of(job, row) -> list[str]:
    entries = [e for e in job.report if e["row"] == row]
    assert len(entries) == 1, (row, job.report)
    return entries[0]["errors"]


# --- the template ------------------------------------------------------------------------------------
