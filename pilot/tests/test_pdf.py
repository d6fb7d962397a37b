"""试点申请书 and 承诺书 PDFs: what a person and a text extractor find in them."""

import re

import pytest
from django.utils import timezone, translation

from elevators.models import Elevator
from pilot import services
from pilot.models import Identity
from pilot.pdf import application_pdf, commitment_template_pdf
from pilot.tests.test_services import ANSWERS
from records.tests.builders import pdf_pages, pdf_text
from tests.factories import make_elevator

pytestmark = pytest.mark.django_db


def _squeeze(text: str) -> str:
    """pdftotext -layout pads columns with spaces: compare without them."""
    return re.sub(r"\s+", "", text)


def _batch(world, n: int) -> list[Elevator]:
    """n elevators of 甲物业 maintained by 甲维保公司 in 渝北, in use (registration is tested elsewhere)."""
    elevators = [make_elevator(world) for _ in range(n)]
    Elevator.objects.filter(pk__in=[e.pk for e in elevators]).update(status="in_use")
    return elevators


def _application(world, elevators, **answers):
    """A draft made through the services: started by 甲维保公司, the batch added, the answers saved."""
    application = services.start_application(actor=world.admin_a, identity=Identity.MAINTENANCE_COMPANY, agreed=True)
    services.add_elevators(application, [e.pk for e in elevators], actor=world.admin_a)
    data = {**ANSWERS, "use_unit_contact": "张经理", "use_unit_contact_phone": "13512345678", **answers}
    return services.save_information(application, actor=world.admin_a, data=data)


def test_the_application_has_both_units_the_answers_and_every_elevator_over_several_pages(world, tmp_path):
    elevators = _batch(world, 45)
    application = _application(world, elevators, iot_monitoring=True, full_package=False)
    data = application_pdf(application)
    assert data.startswith(b"%PDF-")
    pages = pdf_pages(data)
    assert pages >= 3  # the units and answers, the elevators over more than one page, the 附页
    text = pdf_text(data, tmp_path)
    flat = _squeeze(text)
    # the title, the number, the date, the identity
    assert "重庆市改进电梯维护保养模式试点申请书" in flat
    assert f"申请编号：{application.number}" in flat and application.number.startswith("SD")
    filed = timezone.localtime(application.created_at)
    assert f"申请日期：{filed:%Y-%m-%d}" in flat and "申请单位身份：维保单位" in flat
    # both units as written on the application
    assert "申请单位基本信息" in flat
    for label in ("使用单位名称", "使用单位地址", "维保单位名称", "维保单位地址", "统一社会信用代码"):
        assert label in flat, label
    assert flat.count("法定代表人（负责人）") >= 2 and flat.count("联系人") >= 2
    assert world.use_unit_a.name in text and world.company_a.name in text
    assert world.use_unit_a.credit_code in text and world.company_a.credit_code in text
    assert "张经理" in text and "13512345678" in text and world.company_a.contact_phone in text
    # the declaration and the modes, marked as answered
    assert "申请条件符合性声明" in flat and "采取试点的电梯维护保养模式" in flat
    assert "近三年是否发生过电梯安全责任事故：[]是[√]否" in flat
    assert "[√]是，系统介绍见附页，信息查询网址：https://weibao.example.com/query" in flat
    assert "[]否" in flat
    assert "实施物联网监测：[√]是[]否" in flat
    assert "实施“大包维保”、“全包维保”：[]是[√]否" in flat
    # every elevator, with its region and building, the heading on every page the table runs over
    assert "维保试点电梯（共45台）" in flat
    by_page = text.split("\f")
    for elevator in elevators:
        assert elevator.register_code in text, elevator.register_code
        assert elevator.building in text
    table_pages = [page for page in by_page if any(e.register_code in page for e in elevators)]
    assert len(table_pages) >= 2
    for page in table_pages:
        squeezed = _squeeze(page)
        for heading in ("使用单位名称", "维保单位名称", "所在区域", "电梯注册代码", "小区/大厦"):
            assert heading in squeezed
    assert "渝北区" in text
    # the stamps, the 附页 and the page numbers
    assert "使用单位（盖章）" in flat and "维保单位（盖章）" in flat and flat.count("日期：____") == 2
    closing = [page for page in by_page if "对以上申请信息的真实性负责" in _squeeze(page)]
    assert len(closing) == 1 and "维保单位（盖章）" in closing[0]  # the closing sentence stays with the stamps
    assert "附页：维保工作信息化管理系统介绍" in flat and "维保人员扫码签到" in flat
    assert f"第1页共{pages}页" in flat and f"第{pages}页共{pages}页" in flat
    for number in range(1, pages + 1):
        assert f"第{number}页共{pages}页" in _squeeze(by_page[number - 1])
    # the stamps come after the last elevator, the 附页 after the stamps
    last = max(flat.index(e.register_code) for e in elevators)
    assert last < flat.index("使用单位（盖章）") < flat.index("附页：维保工作信息化管理系统介绍")


def test_the_answers_other_way_round_and_no_information_system(world, tmp_path):
    application = _application(
        world,
        _batch(world, 2),
        accident_in_three_years=True,
        information_system=False,
        iot_monitoring=False,
        full_package=True,
    )
    flat = _squeeze(pdf_text(application_pdf(application), tmp_path))
    assert "近三年是否发生过电梯安全责任事故：[√]是[]否" in flat
    assert "[]是，系统介绍见附页" in flat and "[√]否" in flat and "weibao.example.com" not in flat
    assert "实施物联网监测：[]是[√]否" in flat
    assert "实施“大包维保”、“全包维保”：[√]是[]否" in flat
    assert "附页" not in flat.replace("系统介绍见附页", "")  # no description page without a system
    assert "第1页共1页" in flat


def test_a_fresh_draft_prints_blanks_and_no_marks(world, tmp_path):
    application = services.start_application(actor=world.use_admin_a, identity=Identity.USE_UNIT, agreed=True)
    data = application_pdf(application)
    flat = _squeeze(pdf_text(data, tmp_path))
    assert "申请单位身份：使用单位" in flat and world.use_unit_a.credit_code in flat
    assert "[√]" not in flat  # nothing answered yet, nothing marked
    assert "维保试点电梯（共0台）" in flat and "未添加试点电梯" in flat
    assert "使用单位（盖章）" in flat and pdf_pages(data) == 1


def test_the_commitment_template(tmp_path):
    data = commitment_template_pdf()
    assert data.startswith(b"%PDF-")
    pages = pdf_pages(data)
    assert pages == 2  # the letter, then 附表
    text = pdf_text(data, tmp_path)
    flat = _squeeze(text)
    assert "承诺书" in flat and "重庆市改进电梯维护保养模式试点" in flat
    assert "使用单位____" in flat and "与维保单位____" in flat and "试点电梯共____" in flat
    assert "（注册代码见附表）" in flat
    for words in ("物联网监测", "年度维护保养项目和半年维护保养项目", "按需维保", "报告", "监督检查", "法律责任"):
        assert words in flat, words
    assert "使用单位（盖章）" in flat and "维保单位（盖章）" in flat
    assert flat.count("日期：____") == 2 and flat.count("法定代表人（负责人）签字：") == 2
    assert "附表：试点电梯清单" in flat and "电梯注册代码" in flat
    assert "第1页共2页" in flat and "第2页共2页" in flat


def test_the_labels_follow_the_active_language(world, tmp_path):
    application = _application(world, _batch(world, 1))
    with translation.override("en"):
        flat = _squeeze(pdf_text(application_pdf(application), tmp_path))
    assert "Unifiedsocialcreditcode" in flat and "Maintenancecompany" in flat  # from the English catalogue
    assert world.company_a.credit_code in flat and "[√]" in flat
