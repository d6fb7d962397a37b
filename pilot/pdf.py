"""The pilot's two printable documents (seed 004): the 试点申请书 that the use unit and the maintenance company print,
stamp and scan (打印), and the 承诺书 template they download, fill in and stamp (下载模板).

Drawn with the shared A4 layout (core.pdf): the text is searchable and extractable. Labels go through gettext:
Chinese by default, English when that is the active language and the catalogue has them.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.pdf import (
    BLUE,
    CONTENT_WIDTH,
    DASH,
    FONT,
    GREY,
    LABEL_STYLE,
    MARGIN,
    ChinesePDF,
    plain_table,
    section,
    wrap_mode,
)

__all__ = ["application_pdf", "commitment_template_pdf"]

# Noto Sans SC has no ☑/☐ (U+2611, U+2610): the marks are written with what it has, and read back as text.
# √ is one em wide, as the ideographic space is: both marks take the same room and the answers line up.
CHECKED = "[√]"
UNCHECKED = "[\u3000]"
BLANK = "________________________________"
SHORT_BLANK = "________"
STAMPS_HEIGHT = 50  # mm: the two labels, the units' names, room for the stamps, the 日期 lines
TEMPLATE_ROWS = 20  # 附表's empty rows (the applicants add pages when the batch is larger)


class _PilotPDF(ChinesePDF):
    """A4 with the document's name and 第 x 页 共 y 页 at the foot of every page."""

    def __init__(self, title: str, footer_label: str):
        super().__init__(title=title)
        self.footer_label = footer_label

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, size=7.5)
        self.set_text_color(*GREY)
        pages = _("第 %(page)s 页 共 %(total)s 页") % {"page": self.page_no(), "total": "{nb}"}
        self.cell(0, 5, f"{self.footer_label}　{pages}", align="C")
        self.set_text_color(0, 0, 0)


# --- values --------------------------------------------------------------------------------------------------


def _day(value) -> str:
    if value is None:
        return DASH
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value:%Y-%m-%d}"


def _mark(chosen: bool) -> str:
    return CHECKED if chosen else UNCHECKED


def _yes_no(answer: bool | None) -> str:
    """是/否 with the answer marked (neither when unanswered)."""
    return f"{_mark(answer is True)} {_('是')}　　{_mark(answer is False)} {_('否')}"


def _unit_value(application, prefix: str, field: str) -> str:
    """One unit's field as the application writes it (`use_unit_name`, `company_credit_code`...)."""
    return getattr(application, f"{prefix}_{field}") or DASH


# --- drawing -------------------------------------------------------------------------------------------------


def _title(pdf: _PilotPDF, title: str, subtitle: str = "") -> None:
    pdf.set_font(FONT, size=18)
    pdf.set_text_color(*BLUE)
    pdf.multi_cell(CONTENT_WIDTH, 10, title, align="C", new_x="LMARGIN", new_y="NEXT", wrapmode=wrap_mode())
    pdf.set_text_color(0, 0, 0)
    if subtitle:
        pdf.set_font(FONT, size=10)
        pdf.cell(CONTENT_WIDTH, 6, subtitle, align="C", new_x="LMARGIN", new_y="NEXT")


def _paragraph(pdf: _PilotPDF, text: str, *, height: float = 6.4) -> None:
    pdf.multi_cell(CONTENT_WIDTH, height, text, new_x="LMARGIN", new_y="NEXT", wrapmode=wrap_mode())


def _units(pdf: _PilotPDF, application) -> None:
    """申请单位基本信息: both units as the application writes them, in the seed's rows."""
    section(pdf, _("申请单位基本信息"))
    with plain_table(pdf, col_widths=(42, 70, 16, 58), first_row_as_headings=False, wrapmode=wrap_mode()) as table:
        units = (
            ("use_unit", _("使用单位名称"), _("使用单位地址")),
            ("company", _("维保单位名称"), _("维保单位地址")),
        )
        for prefix, name_label, address_label in units:
            for label, field in (
                (name_label, "name"),
                (address_label, "address"),
                (_("统一社会信用代码"), "credit_code"),
            ):
                row = table.row()
                row.cell(label, style=LABEL_STYLE)
                row.cell(_unit_value(application, prefix, field), colspan=3)
            for label, person, phone in (
                (_("法定代表人（负责人）"), "legal_representative", "legal_phone"),
                (_("联系人"), "contact", "contact_phone"),
            ):
                row = table.row()
                row.cell(label, style=LABEL_STYLE)
                row.cell(_unit_value(application, prefix, person))
                row.cell(_("电话"), style=LABEL_STYLE)
                row.cell(_unit_value(application, prefix, phone))


def _questions(pdf: _PilotPDF, title: str, rows: list[tuple[str, str]]) -> None:
    section(pdf, title)
    options = dict(first_row_as_headings=False, line_height=5.2, v_align="TOP", wrapmode=wrap_mode())
    with plain_table(pdf, col_widths=(90, 96), **options) as table:
        for question, answer in rows:
            row = table.row()
            row.cell(question, style=LABEL_STYLE)
            row.cell(answer)


def _declaration(pdf: _PilotPDF, application) -> None:
    """申请条件符合性声明 and 采取试点的电梯维护保养模式, the answers marked."""
    system = application.information_system
    url = application.information_system_url if system else ""
    system_answer = "\n".join(
        (
            f"{_mark(system is True)} " + _("是，系统介绍见附页，信息查询网址：%(url)s") % {"url": url or SHORT_BLANK},
            f"{_mark(system is False)} {_('否')}",
        )
    )
    _questions(
        pdf,
        _("申请条件符合性声明"),
        [
            (_("1. 近三年是否发生过电梯安全责任事故："), _yes_no(application.accident_in_three_years)),
            (_("2. 维保工作是否采取信息化管理系统："), system_answer),
        ],
    )
    _questions(
        pdf,
        _("采取试点的电梯维护保养模式"),
        [
            (_("1. 实施物联网监测："), _yes_no(application.iot_monitoring)),
            (_("2. 实施“大包维保”、“全包维保”："), _yes_no(application.full_package)),
        ],
    )


def _elevators(pdf: _PilotPDF, application) -> None:
    """维保试点电梯: one row each, the heading repeated on every page the table runs over."""
    lines = list(
        application.lines.select_related(
            "elevator__use_unit", "elevator__maintenance_company", "elevator__region"
        ).order_by("elevator__register_code")
    )
    section(pdf, _("维保试点电梯（共 %(n)s 台）") % {"n": len(lines)})
    with plain_table(pdf, col_widths=(10, 42, 42, 20, 38, 34), line_height=4.4, wrapmode=wrap_mode()) as table:
        heading = table.row()
        for text in (_("序号"), _("使用单位名称"), _("维保单位名称"), _("所在区域"), _("电梯注册代码"), _("小区/大厦")):
            heading.cell(text)
        for number, line in enumerate(lines, 1):
            elevator = line.elevator
            row = table.row()
            row.cell(str(number))
            row.cell(elevator.use_unit.name if elevator.use_unit_id else DASH)
            row.cell(elevator.maintenance_company.name if elevator.maintenance_company_id else DASH)
            row.cell(str(elevator.region) if elevator.region_id else DASH)
            row.cell(elevator.register_code)
            row.cell(elevator.building or DASH)
        if not lines:
            table.row().cell(_("未添加试点电梯"), colspan=6)


def _stamps(pdf: _PilotPDF, names: tuple[str, str], *, signature: bool = False) -> None:
    """使用单位（盖章） and 维保单位（盖章） side by side, room for the stamps, a 日期 line under each."""
    height = STAMPS_HEIGHT + (8 if signature else 0)
    if pdf.will_page_break(height + 8):
        pdf.add_page()
    pdf.ln(8)
    top = pdf.get_y()
    half = CONTENT_WIDTH / 2
    for column, (label, name) in enumerate(zip((_("使用单位（盖章）"), _("维保单位（盖章）")), names, strict=True)):
        x = MARGIN + column * half + 4
        width = half - 8
        pdf.set_xy(x, top)
        pdf.set_font(FONT, size=11)
        pdf.cell(width, 7, label)
        pdf.set_xy(x, top + 7)
        pdf.set_font(FONT, size=9)
        pdf.set_text_color(*GREY)
        pdf.multi_cell(width, 5, name or "", new_x="LEFT", new_y="NEXT", wrapmode=wrap_mode())
        pdf.set_text_color(0, 0, 0)
        y = top + 36
        pdf.set_font(FONT, size=10)
        if signature:
            pdf.set_xy(x, y)
            pdf.cell(width, 7, _("法定代表人（负责人）签字：") + SHORT_BLANK)
            y += 8
        pdf.set_xy(x, y)
        pdf.cell(width, 7, _("日期：%(blank)s年%(m)s月%(d)s日") % {"blank": SHORT_BLANK, "m": "_____", "d": "_____"})
    pdf.set_xy(MARGIN, top + height)


def _system_annex(pdf: _PilotPDF, application) -> None:
    """附页: the information system's description, which the declaration refers to."""
    if not (application.information_system and application.system_description.strip()):
        return
    pdf.add_page()
    section(pdf, _("附页：维保工作信息化管理系统介绍"))
    pdf.set_font(FONT, size=10)
    _paragraph(pdf, application.system_description.strip(), height=6)
    if application.information_system_url:
        pdf.ln(2)
        _paragraph(pdf, _("信息查询网址：%(url)s") % {"url": application.information_system_url}, height=6)


def application_pdf(application) -> bytes:
    """重庆市改进电梯维护保养模式试点申请书 to print, stamp by both units and scan: the application's number and
    date, the applicant's identity, both units' basic information, the declaration, the modes, the elevators,
    the two stamp areas; the information system's description follows as 附页 when there is one."""
    title = _("重庆市改进电梯维护保养模式试点申请书")
    pdf = _PilotPDF(title, f"{title} {application.number}")
    pdf.add_page()
    _title(pdf, title)
    pdf.set_font(FONT, size=9.5)
    line = _("申请编号：%(number)s　申请日期：%(day)s　申请单位身份：%(identity)s") % {
        "number": application.number,
        "day": _day(application.submitted_at or application.created_at),
        "identity": application.get_identity_display(),
    }
    pdf.cell(CONTENT_WIDTH, 6, line, align="C", new_x="LMARGIN", new_y="NEXT")
    _units(pdf, application)
    _declaration(pdf, application)
    _elevators(pdf, application)
    if pdf.will_page_break(STAMPS_HEIGHT + 24):  # the closing sentence stays with the stamps
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font(FONT, size=10)
    _paragraph(
        pdf,
        "　　" + _("使用单位、维保单位对以上申请信息的真实性负责，并承诺遵守重庆市改进电梯维护保养模式试点工作要求。"),
        height=6,
    )
    _stamps(pdf, (application.use_unit_name, application.company_name))
    _system_annex(pdf, application)
    return bytes(pdf.output())


# --- 承诺书 ---------------------------------------------------------------------------------------------------


def _commitments() -> list[str]:
    return [
        _(
            "一、所提交的试点申请书、维护保养方案、电梯保险证明等申请资料真实、有效，近三年未发生电梯安全责任事故。"
            "如有虚假，自愿退出试点并依法承担相应责任。"
        ),
        _(
            "二、严格遵守《中华人民共和国特种设备安全法》《特种设备安全监察条例》《重庆市特种设备安全条例》"
            "和《电梯维护保养规则》（TSG T5002）等法律法规、安全技术规范及标准，落实电梯安全主体责任，"
            "确保试点电梯安全运行。"
        ),
        _(
            "三、使用单位设置电梯安全管理机构或者配备电梯安全管理人员，开展日常巡查，保证试点电梯依法办理使用登记、"
            "按期申报定期检验（检测）且合格后使用；发现异常情况立即停止使用并通知维保单位处理。"
        ),
        _(
            "四、维保单位按照经批准的维护保养方案实施按需维保，合理确定维保周期和项目，每年至少完成"
            "《电梯维护保养规则》规定的年度维护保养项目和半年维护保养项目；维保作业如实记录，"
            "并通过信息化管理系统实时上传、可供查询。"
        ),
        _(
            "五、选择实施物联网监测的，保证物联网监测装置和系统持续在线、正常运行，监测数据真实、完整、可追溯；"
            "监测装置故障或离线时及时修复，修复前按《电梯维护保养规则》规定的周期实施维护保养。"
        ),
        _(
            "六、维保单位设立 24 小时维保值班电话，接到故障或困人报告后按规定时限到达现场开展救援和处置；"
            "发生电梯故障、事故的，如实记录并按规定向所在地市场监督管理部门报告，保护事故现场，配合调查处理。"
        ),
        _(
            "七、选择实施“大包维保”、“全包维保”的，严格履行维保合同约定的零部件更换、维修责任，"
            "不因费用问题延误电梯修理。"
        ),
        _(
            "八、自觉接受市场监督管理部门的监督检查，如实提供试点电梯的维护保养、监测、故障和救援等资料，"
            "配合开展试点评估；维保合同、维保单位变更或者电梯停用、报废的，及时报告。"
        ),
        _(
            "九、未履行本承诺或者维护保养不到位的，服从市场监督管理部门终止试点的决定，恢复按规定周期维护保养；"
            "因此发生电梯安全事故的，依法承担相应法律责任。"
        ),
    ]


def commitment_template_pdf() -> bytes:
    """承诺书 (下载模板): the commitments of the use unit and the maintenance company for the pilot, with blanks for
    the units' names, the number of elevators and the regulator, the two stamp areas and dates, and 附表 for the
    elevators' register codes."""
    title = _("承诺书")
    subtitle = _("（重庆市改进电梯维护保养模式试点）")
    pdf = _PilotPDF(title, _("重庆市改进电梯维护保养模式试点承诺书"))
    pdf.add_page()
    _title(pdf, title, subtitle)
    pdf.ln(4)
    pdf.set_font(FONT, size=10.5)
    _paragraph(pdf, _("%(blank)s市场监督管理局：") % {"blank": SHORT_BLANK * 2})
    intro = _(
        "　　为落实电梯使用单位安全主体责任和维保单位维护保养责任，使用单位%(unit)s与维保单位%(company)s"
        "自愿申请参加重庆市改进电梯维护保养模式试点，试点电梯共%(count)s台（注册代码见附表）。"
        "双方郑重承诺如下："
    ) % {"unit": BLANK, "company": BLANK, "count": SHORT_BLANK}
    _paragraph(pdf, intro)
    pdf.ln(1)
    for text in _commitments():
        _paragraph(pdf, "　　" + text)
    _paragraph(pdf, "　　" + _("特此承诺。"))
    _paragraph(pdf, _("附表：试点电梯清单"))
    _stamps(pdf, ("", ""), signature=True)

    pdf.add_page()
    section(pdf, _("附表：试点电梯清单（共%(count)s台）") % {"count": SHORT_BLANK})
    with plain_table(pdf, col_widths=(12, 54, 60, 30, 30), line_height=6.4, wrapmode=wrap_mode()) as table:
        heading = table.row()
        for text in (_("序号"), _("电梯注册代码"), _("小区/大厦"), _("所在区域"), _("备注")):
            heading.cell(text)
        for number in range(1, TEMPLATE_ROWS + 1):
            row = table.row()
            row.cell(str(number))
            for _column in range(4):
                row.cell("")
    pdf.ln(2)
    pdf.set_font(FONT, size=9)
    _paragraph(pdf, _("注：行数不够的，可另附页；附表须与承诺书一并盖章。"), height=5)
    return bytes(pdf.output())
