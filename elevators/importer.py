"""电梯台账导入: the ledger's columns and the mapping of a row onto elevators.services.create_elevator.

The generic parts live in imports/: column declarations and header matching (imports.columns), cell parsing
(imports.parsing), units and districts a row names (imports.lookups), the row loop, its report and the
RowImporter base (imports.rows), the template workbook (imports.template). What remains here is the ledger's
own: its columns and their synonyms, its parsers and choices, which units it looks in and what it says when
one is missing, the combined 层/站/门 column, duplicates of register and rescue codes, and the service's checks
before each row is created through services.create_elevator inside its own savepoint, so a row lands whole
(elevator, components, landing doors, audit event) or not at all. 使用状态 is never imported: new elevators
start 待登记.
"""

import re
from functools import partial

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.policies import can
from core.tenancy import scope_for
from imports import parsing
from imports.columns import Column, Columns
from imports.lookups import Lookups
from imports.parsing import Choices, messages, name_variants, nfkc, plain_text
from imports.rows import RowImporter, reasons
from imports.template import Appendix
from imports.template import build_template as build_workbook
from organizations.models import Organization, OrganizationKind, Region, RegionLevel

from . import services
from .catalogue import PARAMETERS_OF_GROUP, REQUIRED_PARAMETERS, DeviceCategory, ParameterGroup, group_of
from .models import CodeScheme, ControlType, DriveType, Elevator

__all__ = [
    "LABEL",
    "KEY_LABEL",
    "TEMPLATE_FILENAME",
    "RETURN_URL",
    "RETURN_LABEL",
    "STEPS",
    "COLUMNS",
    "ROWS",
    "UPDATE_ROWS",
    "DATA_SHEET",
    "INSTRUCTION_SHEET",
    "can_import",
    "build_template",
    "import_rows",
]

LABEL = gettext_lazy("电梯台账")
KEY_LABEL = gettext_lazy("注册代码")
TEMPLATE_FILENAME = gettext_lazy("电梯台账导入模板")
RETURN_URL = "elevators:list"
RETURN_LABEL = gettext_lazy("返回电梯台账")
STEPS = [
    gettext_lazy("下载导入模板，在“电梯台账”工作表中每行填写一台电梯；“说明”工作表列出了每一列的填法和设备品种代码。"),
    gettext_lazy("使用单位和生产单位须已在“组织架构”中登记；维保单位留空即为本单位。"),
    gettext_lazy("上传填好的文件（.xlsx）。导入在后台进行，页面会显示进度。"),
    gettext_lazy("查看导入报告：合格的行已入账（使用状态为“待登记”，并生成组件和层门）。"),
    gettext_lazy("不合格的行不会保存任何内容：下载未导入的行，按错误原因改正后再导入。"),
]
# The sheet names and column headers are a file format: always Chinese, whatever the page's language.
DATA_SHEET = "电梯台账"
INSTRUCTION_SHEET = "说明"
FLOORS_STOPS_DOORS = "floors_stops_doors"  # one column "层/站/门" with 18/18/18, as many ledgers have
FLOORS_STOPS_DOORS_PARTS = ("floors", "stops", "doors")

# kind: register_code, rescue_code, text, date, int, decimal, category, choice, org, region, fsd
COLUMNS = Columns(
    [
        Column(
            "register_code",
            "注册代码",
            "register_code",
            True,
            ("电梯注册代码", "设备代码", "设备注册代码", "注册码", "注册登记代码"),
            gettext_lazy(
                "旧注册代码 20 位或 18 位设备代码（字母或数字）；请保持“文本”格式，以免 Excel 改成科学计数法。"
            ),
            "31105001122020050001",
        ),
        Column(
            "rescue_code",
            "96333 应急救援识别码",
            "rescue_code",
            True,
            ("救援识别码", "96333识别码", "应急救援识别码", "识别码", "救援码", "96333救援识别码", "96333"),
            gettext_lazy("轿厢标牌上的 6 位数字，在本市唯一。"),
            "123456",
        ),
        Column(
            "device_category",
            "设备品种",
            "category",
            True,
            ("设备类别", "新设备类别", "设备品种代码", "品种", "设备种类", "电梯类型"),
            gettext_lazy("4 位品种代码（见下表），也可以写代码加名称，如“3110 曳引驱动乘客电梯”。"),
            "3110",
        ),
        Column(
            "use_unit",
            "使用单位",
            "org",
            True,
            ("使用单位名称", "使用单位统一社会信用代码", "使用单位信用代码"),
            gettext_lazy("单位全称或统一社会信用代码；须已在“组织架构 → 电梯使用单位”中登记。"),
            "阳光物业管理有限公司",
        ),
        Column(
            "maintenance_company",
            "维保单位",
            "org",
            False,
            ("维保单位名称", "维护保养单位", "维保公司", "维保单位统一社会信用代码"),
            gettext_lazy("留空即为本单位（维保单位只能导入本单位维保的电梯）；使用单位或平台运营方导入时必填。"),
            "",
        ),
        Column(
            "manufacturer",
            "生产单位",
            "org",
            True,
            ("制造单位", "生产厂家", "制造厂家", "制造商", "生产单位名称", "制造单位名称", "生产厂商"),
            gettext_lazy("单位全称或统一社会信用代码；须已在“组织架构 → 生产单位”中登记。"),
            "某某电梯有限公司",
        ),
        Column(
            "product_model",
            "型号",
            "text",
            True,
            ("规格型号", "产品型号", "设备型号", "电梯型号"),
            gettext_lazy("产品铭牌上的型号。"),
            "GeN2-MRL",
        ),
        Column(
            "factory_number",
            "出厂编号",
            "text",
            True,
            ("产品编号", "出厂号", "产品出厂编号"),
            gettext_lazy("产品铭牌上的出厂编号。"),
            "F2020051801",
        ),
        Column(
            "installation_date",
            "安装日期",
            "date",
            True,
            ("安装时间", "安装竣工日期", "竣工日期"),
            gettext_lazy("格式 YYYY-MM-DD，如 2020-05-18。"),
            "2020-05-18",
        ),
        Column(
            "building",
            "小区/大厦",
            "text",
            True,
            (
                "小区大厦",
                "小区",
                "大厦",
                "小区名称",
                "大厦名称",
                "楼盘",
                "楼盘名称",
                "项目名称",
                "项目名",
                "所在小区",
                "楼宇",
            ),
            gettext_lazy("电梯所在的小区或大厦名称。"),
            "阳光花园",
        ),
        Column(
            "region",
            "所在区县",
            "region",
            True,
            (
                "区域",
                "区县",
                "区",
                "所在区域",
                "所属区县",
                "所在区",
                "区/县",
                "行政区划",
                "行政区划代码",
                "区县代码",
                "省/市/区",
                "省市区",
            ),
            gettext_lazy("区县名称（如 渝北区）或 6 位行政区划代码（如 500112），须在本单位所在的城市内。"),
            "渝北区",
        ),
        Column(
            "address",
            "安装地址",
            "text",
            True,
            (
                "使用地点",
                "安装地点",
                "设备地址",
                "电梯地址",
                "详细地址",
                "地址",
                "设备使用地点",
                "设备安装地址",
                "安装位置",
            ),
            gettext_lazy("详细地址，写到楼栋和单元。"),
            "重庆市渝北区阳光路1号3栋1单元",
        ),
        Column(
            "internal_number",
            "单位内编号",
            "text",
            False,
            ("内部编号", "单位内部编号", "设备内部编号", "梯号"),
            gettext_lazy("使用单位内部的电梯编号（选填）。"),
            "3-1",
        ),
        Column(
            "use_registration_number",
            "使用登记证编号",
            "text",
            False,
            ("使用登记证号", "登记证编号", "登记编号", "使用登记编号", "电梯使用登记证编号"),
            gettext_lazy("已办理使用登记的填写（选填）。"),
            "",
        ),
        Column(
            "next_inspection_date",
            "下次检验日期",
            "date",
            False,
            ("下次检验时间", "下次定检日期", "检验到期日期", "到期日期", "下次检验日", "定检到期日期"),
            gettext_lazy("格式 YYYY-MM-DD（选填）。"),
            "2026-05-31",
        ),
        Column(
            "code_scheme",
            "注册代码分类体系",
            "choice",
            False,
            ("代码体系", "分类体系", "注册代码体系"),
            gettext_lazy("“2014”（2014 版特种设备目录，默认）或“2014 年前”（旧设备分类代码）（选填）。"),
            "",
        ),
        Column(
            "drive_type",
            "驱动方式",
            "choice",
            False,
            ("拖动方式", "驱动形式", "驱动类型"),
            gettext_lazy("曳引驱动、强制驱动、液压驱动或其他（选填）。"),
            "曳引驱动",
        ),
        Column(
            "control_type",
            "控制方式",
            "choice",
            False,
            ("控制形式", "控制类型"),
            gettext_lazy("集选控制、并联控制、群控、按钮控制、信号控制或其他（选填）。"),
            "集选控制",
        ),
        Column(
            "rated_load",
            "额定载重量（kg）",
            "int",
            False,
            ("额定载荷", "额定载重", "载重量", "额定载质量"),
            gettext_lazy("整数，单位 kg（电梯必填）。"),
            1000,
        ),
        Column(
            "rated_speed",
            "额定速度（m/s）",
            "decimal",
            False,
            ("速度", "名义速度"),
            gettext_lazy("单位 m/s，如 1.75（必填）。"),
            1.75,
        ),
        Column("floors", "层数", "int", False, (), gettext_lazy("整数（电梯必填）。"), 18),
        Column("stops", "站数", "int", False, (), gettext_lazy("整数，不能多于层数（电梯必填）。"), 18),
        Column("doors", "门数", "int", False, (), gettext_lazy("整数，不能少于站数（电梯必填）。"), 18),
        Column(
            FLOORS_STOPS_DOORS,
            "层/站/门",
            "fsd",
            False,
            ("层站门", "层站门数", "层站门数量"),
            gettext_lazy("也可以用一列“层/站/门”写成 18/18/18。"),
            "",
            in_template=False,
        ),
        Column("cylinder_count", "油缸数量", "int", False, ("油缸数",), gettext_lazy("液压电梯填写（选填）。"), ""),
        Column("jacking_type", "顶升形式", "text", False, ("顶升方式",), gettext_lazy("液压电梯填写（选填）。"), ""),
        Column(
            "inclination",
            "倾斜角（°）",
            "decimal",
            False,
            ("倾斜角度",),
            gettext_lazy("自动扶梯和自动人行道必填，单位 °。"),
            "",
        ),
        Column(
            "step_width",
            "名义宽度（mm）",
            "int",
            False,
            ("梯级宽度", "踏板宽度"),
            gettext_lazy("自动扶梯和自动人行道必填，单位 mm。"),
            "",
        ),
        Column("rise", "提升高度（m）", "decimal", False, (), gettext_lazy("自动扶梯和自动人行道必填，单位 m。"), ""),
        Column(
            "motor_power",
            "电机功率（kW）",
            "decimal",
            False,
            ("功率",),
            gettext_lazy("自动扶梯和自动人行道填写（选填）。"),
            "",
        ),
        Column(
            "usable_length", "使用区段长度（m）", "decimal", False, (), gettext_lazy("自动人行道填写（选填）。"), ""
        ),
        Column("latitude", "纬度", "decimal", False, (), gettext_lazy("WGS-84 坐标（选填），如 29.718000。"), ""),
        Column("longitude", "经度", "decimal", False, (), gettext_lazy("WGS-84 坐标（选填），如 106.630000。"), ""),
    ],
    key="register_code",
)

STATUS_HEADERS = ("使用状态", "设备状态", "状态")
TEXT_FORMAT_FIELDS = {
    "register_code",
    "rescue_code",
    "factory_number",
    "internal_number",
    "use_registration_number",
    "product_model",
    "region",
}


def can_import(user) -> bool:
    return can(user, "import", Elevator)


# --- values of the ledger's own kinds -----------------------------------------------------------------------

SPOKEN_SUFFIXES = "(驱动|控制|方式|式)"  # "曳引驱动", "曳引式" and "曳引" are the same answer
CHOICES = {
    "drive_type": Choices(
        DriveType,
        {"曳引": DriveType.TRACTION, "液压": DriveType.HYDRAULIC, "强制": DriveType.FORCED},
        ignore_suffix=SPOKEN_SUFFIXES,
    ),
    "control_type": Choices(
        ControlType, {"集选": ControlType.COLLECTIVE, "群控": ControlType.GROUP}, ignore_suffix=SPOKEN_SUFFIXES
    ),
    "code_scheme": Choices(
        CodeScheme,
        {
            "2014版": CodeScheme.CATALOGUE_2014,
            "新": CodeScheme.CATALOGUE_2014,
            "2014年前": CodeScheme.LEGACY,
            "旧": CodeScheme.LEGACY,
            "旧版": CodeScheme.LEGACY,
        },
        ignore_suffix=SPOKEN_SUFFIXES,
    ),
}
_CATEGORY_NAMES = {}


def _category(value) -> str:
    """A device category as its 4-digit code, its code and name, or its name alone."""
    text = re.sub(r"\s+", "", nfkc(plain_text(value)))
    match = re.match(r"^(\d{4})", text)
    if match and match.group(1) in DeviceCategory.values:
        return match.group(1)
    if not _CATEGORY_NAMES:
        for code, label in DeviceCategory.choices:
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    name = re.sub(r"^\d{4}\s*", "", str(label))
                _CATEGORY_NAMES.setdefault(re.sub(r"\s+", "", name).lower(), code)
    found = _CATEGORY_NAMES.get(text.lower())
    if found is None:
        raise ValidationError(
            _("无法识别“%(value)s”：请填写 4 位品种代码，如 3110（见“说明”工作表）。") % {"value": plain_text(value)}
        )
    return found


def _floors_stops_doors(value) -> tuple[int, int, int]:
    numbers = re.findall(r"\d+", nfkc(plain_text(value)))
    if len(numbers) != 3:
        raise ValidationError(_("应写成“层/站/门”，如 18/18/18。"))
    return tuple(int(n) for n in numbers)


PARSERS = {
    "register_code": parsing.long_code,
    "rescue_code": lambda value: parsing.digit_code(value, 6),
    "text": plain_text,
    "date": parsing.parse_date,
    "int": parsing.integer,
    "category": _category,
}


# --- units and districts ---------------------------------------------------------------------------------


class LedgerLookups(Lookups):
    """The units a ledger row names among those the importer may choose in the form; districts in its city."""

    def __init__(self, actor):
        scope = scope_for(actor)
        own = (
            Organization.objects.select_related("region__parent").get(pk=scope.organization_id)
            if scope.organization_id
            else None
        )
        region = own.region if own else None
        if region is None or region.level == RegionLevel.PROVINCE:
            city = None
        else:
            city = region.parent if region.level == RegionLevel.DISTRICT else region
        super().__init__(
            units=partial(services.organisations_for, actor),
            districts=Region.objects.filter(level=RegionLevel.DISTRICT),
            regions=Region.objects.all(),
            own=own,
            own_unit_fields={
                "maintenance_company": OrganizationKind.MAINTENANCE_COMPANY,
                "use_unit": OrganizationKind.USE_UNIT,
            },
            city=city,
        )

    def unit_not_found(self, field: str, text: str) -> str:
        if field == "maintenance_company" and self.default(field) is not None:
            return _("只能导入本单位维保的电梯：维保单位应为“%(own)s”，或留空。") % {"own": self.own.name}
        if field == "use_unit" and self.default(field) is not None:
            return _("只能导入本单位使用的电梯：使用单位应为“%(own)s”，或留空。") % {"own": self.own.name}
        if field == "use_unit":
            return _("未找到“%(name)s”：请先在“组织架构 → 电梯使用单位”中新增该使用单位，再重新导入这一行。") % {
                "name": text
            }
        if field == "manufacturer":
            return _("未找到“%(name)s”：请联系监管部门或平台运营方在“组织架构 → 生产单位”中新增该生产单位。") % {
                "name": text
            }
        return _("未找到“%(name)s”：请先在“组织架构 → 电梯维保单位”中新增该维保单位。") % {"name": text}

    def outside_city(self, region) -> str:
        return _("“%(name)s”不在本单位所在的%(city)s：只能导入本市的电梯。") % {
            "name": region.name,
            "city": self.city.name,
        }


# --- the rows ---------------------------------------------------------------------------------------------


def _city_id(region) -> int:
    return region.parent_id if region.level == RegionLevel.DISTRICT else region.pk


class LedgerRows(RowImporter):
    """A row as create_elevator's data; checks what the service cannot see, then saves it or not."""

    columns = COLUMNS
    model = Elevator
    parsers = PARSERS
    choices = CHOICES
    text_kinds = ("text", "register_code", "rescue_code")
    not_imported = {name: gettext_lazy("“使用状态”列不导入：新导入的电梯均为“待登记”。") for name in STATUS_HEADERS}
    conflict = gettext_lazy("与平台中已有的电梯冲突（注册代码或识别码重复），未导入。")

    def make_lookups(self, actor) -> Lookups:
        return LedgerLookups(actor)

    def convert(self, cells: dict) -> tuple[dict, dict]:
        # the combined 层/站/门 column after the others: it fills only what the separate columns leave blank
        data, errors = super().convert({f: v for f, v in cells.items() if f != FLOORS_STOPS_DOORS})
        combined = cells.get(FLOORS_STOPS_DOORS)
        if not parsing.is_blank_cell(combined):
            try:
                numbers = _floors_stops_doors(combined)
            except ValidationError as exc:
                errors[FLOORS_STOPS_DOORS] = messages(exc)
            else:
                for name, number in zip(FLOORS_STOPS_DOORS_PARTS, numbers, strict=True):
                    if cells.get(name) in (None, ""):
                        data[name] = number
        return data, errors

    def check_duplicates(self, row_number: int, data: dict, errors: dict) -> None:
        code = data.get("register_code")
        if code and "register_code" not in errors:
            if first := self.earlier_row(("register_code", code), row_number):
                errors["register_code"] = [_("与第 %(row)s 行的注册代码重复。") % {"row": first}]
            elif Elevator.objects.filter(register_code=code).exists():
                errors["register_code"] = [_("平台中已有注册代码为 %(code)s 的电梯，不能重复导入。") % {"code": code}]
        rescue, region = data.get("rescue_code"), data.get("region")
        if rescue and region is not None and "rescue_code" not in errors and re.fullmatch(r"\d{6}", rescue):
            city_id = _city_id(region)
            if first := self.earlier_row(("rescue_code", city_id, rescue), row_number):
                errors["rescue_code"] = [_("与第 %(row)s 行的识别码重复：识别码在本市唯一。") % {"row": first}]
            elif Elevator.objects.filter(city_id=city_id, rescue_code=rescue).exists():
                errors["rescue_code"] = [_("本市已有电梯使用识别码 %(code)s：识别码在本市唯一。") % {"code": rescue}]

    def validate(self, data: dict, errors: dict) -> None:
        """The service's own checks, each run so that a row reports every reason at once, not the first only."""
        try:
            services.check_parties(self.actor, data)
        except ValidationError as exc:
            self.merge(exc, errors)
        try:
            parameters = services.clean_parameters(data)
        except ValidationError as exc:
            self.merge(exc, errors)
            parameters = {k: data.get(k) for k in services.PARAMETER_FIELDS}
            parameters.update({k: parameters[k] or "" for k in ("drive_type", "control_type", "jacking_type")})
        values = {k: data[k] for k in services.IDENTITY_FIELDS + services.LOCATION_FIELDS if k in data}
        values.update(parameters)
        for key in ("code_scheme", "internal_number", "use_registration_number"):
            if values.get(key) is None:
                values.pop(key, None)
        elevator = Elevator(**values)
        region = values.get("region")
        if region is not None:
            elevator.city_id = _city_id(region)
        try:
            elevator.full_clean()
        except ValidationError as exc:
            self.merge(exc, errors)

    def create(self, data: dict) -> None:
        services.create_elevator(actor=self.actor, data=data)

    def said_already(self, field: str, errors: dict) -> bool:
        if field == FLOORS_STOPS_DOORS:
            return True
        if field in FLOORS_STOPS_DOORS_PARTS and FLOORS_STOPS_DOORS in errors:
            return True
        return super().said_already(field, errors)

    def add_reason(self, field: str, error: ValidationError, errors: dict) -> None:
        # the ledger's one constraint over several fields is (city, rescue code): said on the code, once
        if field == NON_FIELD_ERRORS and getattr(error, "code", "") in ("unique", "unique_together"):
            errors.setdefault("rescue_code", [_("识别码在本市已被其他电梯使用。")])
            return
        super().add_reason(field, error, errors)

    @classmethod
    def label(cls, field: str) -> str:
        return _("层/站/门") if field == FLOORS_STOPS_DOORS else super().label(field)


CHANGES_KEPT = 500  # the changes a job keeps to show (its counts cover every row)


class _DryRun(Exception):
    """Rolls back an update that was only computed."""


def _shown(elevator, name: str) -> str:
    """A field's value for people: a choice's label, a unit's name, a date as YYYY-MM-DD."""
    value = getattr(elevator, name)
    if value is None or value == "":
        return ""
    field = Elevator._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


class LedgerUpdates(LedgerRows):
    """更新已有电梯: a row names, by its register code, an elevator the importer may change; its filled cells
    become the changes that elevators.services.update_elevator makes (row-locked, audited with the job).

    First the changes are computed and shown (each row's update is made and rolled back, so the service's own
    checks speak), then, once confirmed, made. A blank cell changes nothing; the maintenance company is never
    changed (the cell is refused with the reason, the row's other changes stand); 使用状态 is never imported; a
    register code with no elevator the importer may change is reported, not created.
    """

    def __init__(self, actor, fields: set[str]):
        super().__init__(actor, fields)
        self.job = None
        self.elevators = Elevator.objects.changeable_by(actor).select_related(
            "use_unit", "maintenance_company", "manufacturer", "region"
        )

    @classmethod
    def for_job(cls, job, fields: set[str]):
        importer = super().for_job(job, fields)
        importer.job = job
        return importer

    @property
    def applying(self) -> bool:
        return self.job is not None and not self.job.computes_changes_only

    def required(self, field: str) -> bool:
        return field == self.columns.key  # the other cells may stay blank: blank changes nothing

    def convert(self, cells: dict) -> tuple[dict, dict]:
        given = {f: v for f, v in cells.items() if f != "maintenance_company" and not parsing.is_blank_cell(v)}
        data, errors = super().convert(given)
        for name in self.lookups.own_unit_fields:
            if name not in given:
                data.pop(name, None)  # no cell, no change: not "the importer's own unit"
        return data, errors

    def import_row(self, row) -> list[str]:
        data, errors = self.convert(row.cells)
        code = data.get("register_code")
        row.key = code or row.key
        elevator = None
        if code and "register_code" not in errors:
            if first := self.earlier_row(("register_code", code), row.number):
                errors["register_code"] = [_("与第 %(row)s 行的注册代码重复。") % {"row": first}]
            else:
                elevator = self.elevators.filter(register_code=code).first()
                if elevator is None:
                    errors["register_code"] = [
                        _("没有您可以修改的、注册代码为 %(code)s 的电梯：更新时不新增电梯，请用“新增”方式导入。")
                        % {"code": code}
                    ]
        if not errors and self.applying and self.job.reviewed_at and elevator.updated_at > self.job.reviewed_at:
            errors[NON_FIELD_ERRORS] = [_("这台电梯在预览之后已被修改，本行未更新：请重新导入核对。")]
        if errors:
            return reasons(errors, self.columns, self.label)
        refused = self.refused_company(elevator, row.cells.get("maintenance_company"))
        before = {name: _shown(elevator, name) for name in services.ELEVATOR_FIELDS}
        values = {k: v for k, v in data.items() if k in services.ELEVATOR_FIELDS and k != "register_code"}
        try:
            with transaction.atomic():
                saved = services.update_elevator(
                    elevator,
                    actor=self.actor,
                    data=values,
                    reason=_("批量导入更新 #%(id)s") % {"id": self.job.pk},
                )
                if not self.applying:
                    raise _DryRun
        except _DryRun:
            pass
        except ValidationError as exc:
            self.merge(exc, errors)
            return reasons(errors, self.columns, self.label)
        except IntegrityError:
            return [str(self.conflict)]
        after = {name: _shown(saved, name) for name in services.ELEVATOR_FIELDS}
        changes = [
            {"field": name, "label": self.label(name), "old": before[name], "new": after[name]}
            for name in services.ELEVATOR_FIELDS
            if before[name] != after[name]
        ]
        if not changes and not refused:
            self.job.unchanged_rows += 1
        else:
            self.job.changed_total += len(changes)
            if len(self.job.changes) < CHANGES_KEPT:
                self.job.changes.append(
                    {
                        "row": row.number,
                        "register_code": code,
                        "url": reverse("elevators:detail", args=[elevator.pk]),
                        "changes": changes,
                        "refused": refused,
                    }
                )
        return []

    def refused_company(self, elevator, text) -> list[dict]:
        """The maintenance company cell, if it names another company than the elevator's: refused, with why."""
        if parsing.is_blank_cell(text):
            return []
        company = elevator.maintenance_company
        shown = plain_text(text)
        named = re.sub(r"\s+", "", nfkc(shown)).upper()
        if company is not None and (named == company.credit_code.upper() or shown in name_variants(company.name)):
            return []
        return [
            {
                "label": self.label("maintenance_company"),
                "value": shown,
                "reason": _(
                    "导入不能更改维保单位（现为“%(name)s”）：须通过“维保单位变更”申请办理。本行的其他更改不受影响。"
                )
                % {"name": company.name if company else "—"},
            }
        ]

    def finish(self, job) -> None:
        job.accepted_rows -= job.unchanged_rows  # the rows that change an elevator (or would)
        job.save_progress()


ROWS = LedgerRows
UPDATE_ROWS = LedgerUpdates


def import_rows(job, rows) -> None:
    (LedgerUpdates if job.is_update else LedgerRows).import_rows(job, rows)


# --- the template --------------------------------------------------------------------------------------


def build_template() -> bytes:
    """The import template: a 电梯台账 sheet with the header row, a 说明 sheet explaining every column."""
    return build_workbook(
        COLUMNS,
        data_sheet=DATA_SHEET,
        instruction_sheet=INSTRUCTION_SHEET,
        title=_("电梯台账导入说明"),
        notes=_general_notes(),
        example_title=_("示例（一行即一台电梯；请在“电梯台账”工作表中从第 2 行起填写，不要把示例行复制过去）"),
        text_fields=TEXT_FORMAT_FIELDS,
        lists={"device_category": DeviceCategory.values},
        appendices=[Appendix([_("设备品种代码"), "", _("需要填写的参数")], _category_rows())],
    )


def _category_rows() -> list[list]:
    """Each device category with the parameters it needs, for the 说明 sheet."""
    label_of = LedgerRows.label
    rows = []
    for code, label in DeviceCategory.choices:
        group = group_of(code)
        required = "、".join(label_of(f) for f in REQUIRED_PARAMETERS[group])
        optional = "、".join(label_of(f) for f in PARAMETERS_OF_GROUP[group] if f not in REQUIRED_PARAMETERS[group])
        text = _("必填：%(required)s") % {"required": required}
        if optional:
            text += _("；选填：%(optional)s") % {"optional": optional}
        rows.append([code, "", f"{label}（{ParameterGroup(group).label}）— {text}"])
    return rows


def _general_notes() -> list[str]:
    return [
        _("1. 在“电梯台账”工作表中从第 2 行起每行填写一台电梯，不要修改第 1 行的列名；带 * 的列必须填写。"),
        _("2. 使用状态不导入：新导入的电梯均为“待登记”。"),
        _("3. 日期请写成 YYYY-MM-DD（如 2020-05-18），或使用 Excel 的日期格式。"),
        _("4. 注册代码、识别码等编码列请保持“文本”格式，以免 Excel 把长数字改成科学计数法。"),
        _("5. 使用单位、生产单位须已在“组织架构”中登记，填写单位全称或统一社会信用代码；维保单位留空即为本单位。"),
        _("6. 所在区县填写区县名称（如 渝北区）或 6 位行政区划代码（如 500112），须在本单位所在的城市内。"),
        _("7. 技术参数按设备品种填写（见下方“设备品种代码”）：与品种无关的参数不会保存。"),
        _("8. 空行会被跳过；注册代码在文件内或平台中重复的行不会导入。"),
        _("9. 每行单独导入：合格的行直接入账（同时生成组件和层门），不合格的行不保存任何内容。"),
        _("10. 导入完成后可下载未导入的行及错误原因，改正后再次导入。"),
        _("11. 也可以直接上传自己的台账：常见的列名会自动识别（见上表“也接受的列名”），其余的列会被忽略。"),
    ]
