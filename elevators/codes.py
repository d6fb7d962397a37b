"""注册代码 and 设备代码: what a code says about the elevator, checked against what the ledger says
(regulations.md §5.2–5.4). One check for the form, the API and the import: services call it.

- 注册代码 (before TSG 08-2017), 20 digits: 设备分类码 4 + 行政区划 6 (the registering bureau's place) + 注册年月 6
  (YYYYMM) + 顺序号 4 (0001–9999).
- 设备代码 (TSG 08-2017), 18 characters: 品种代码 4 + 制造单位代号 5 + 制造年份 4 + 制造顺序号 5 (digits, letters past
  99999).

The first four digits follow the catalogue the elevator's `code_scheme` names: the 2014 catalogue (the same codes
as the ledger's 设备品种) or the classification used before it, where the same 3310 meant a hydraulic passenger
elevator, not an escalator.
"""

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .catalogue import DeviceCategory

__all__ = ["check_codes", "LEGACY_CATEGORIES", "HISTORIC_REGION_CODES"]

TWENTY_DIGITS = re.compile(r"^(\d{4})(\d{6})(\d{4})(\d{2})(\d{4})$")
EQUIPMENT_CODE = re.compile(r"^(\d{4})(\d{5})(\d{4})([0-9A-Z]{5})$")

# 2014 年前设备分类代码 → the 2014 catalogue's 品种 an elevator so classified may be
LEGACY_CATEGORIES = {
    "3110": ("曳引式客梯", {"3110"}),
    "3120": ("强制式客梯", {"3110", "3130"}),
    "3130": ("无机房客梯", {"3110"}),
    "3140": ("消防客梯", {"3420", "3110"}),
    "3150": ("观光客梯", {"3110"}),
    "3160": ("防爆客梯", {"3410"}),
    "3170": ("病床客梯", {"3110"}),
    "3210": ("曳引式货梯", {"3120"}),
    "3220": ("强制式货梯", {"3130"}),
    "3230": ("无机房货梯", {"3120"}),
    "3240": ("汽车电梯", {"3120", "3130"}),
    "3250": ("防爆货梯", {"3410"}),
    "3310": ("液压客梯", {"3210"}),
    "3320": ("防爆液压客梯", {"3210", "3410"}),
    "3330": ("液压货梯", {"3220"}),
    "3340": ("防爆液压货梯", {"3220", "3410"}),
    "3400": ("杂物电梯", {"3430"}),
    "3500": ("自动扶梯", {"3310"}),
    "3600": ("自动人行道", {"3320"}),
}

# Codes of places that registered elevators before they were renamed or merged (GB/T 2260 history): old
# register codes keep them for life. 重庆: the former counties and county-level cities, the 市辖区/县 groupings.
HISTORIC_REGION_CODES = {
    "500100": "重庆市市辖区",
    "500200": "重庆市县",
    "500300": "重庆市市",
    "500221": "长寿县",
    "500222": "綦江县",
    "500223": "潼南县",
    "500224": "铜梁县",
    "500225": "大足县",
    "500226": "荣昌县",
    "500227": "璧山县",
    "500228": "梁平县",
    "500232": "武隆县",
    "500381": "江津市",
    "500382": "合川市",
    "500383": "永川市",
    "500384": "南川市",
    "440301": "深圳市市辖区",
}

EARLIEST_YEAR = 1950


def _known_region(code: str) -> bool:
    from organizations.models import Region

    return code in HISTORIC_REGION_CODES or Region.objects.filter(code=code).exists()


def _category_label(category: str) -> str:
    return str(dict(DeviceCategory.choices).get(category, category))


def _check_category(prefix: str, category: str, scheme: str) -> str | None:
    if scheme == "legacy":
        legacy = LEGACY_CATEGORIES.get(prefix)
        if legacy is None:
            return _("前 4 位“%(prefix)s”不是 2014 年前的设备分类代码（如 3110 曳引式客梯、3500 自动扶梯）。") % {
                "prefix": prefix
            }
        name, fits = legacy
        if category and category not in fits:
            return _("前 4 位“%(prefix)s %(name)s”与设备品种“%(category)s”不符。") % {
                "prefix": prefix,
                "name": name,
                "category": _category_label(category),
            }
        return None
    if prefix not in DeviceCategory.values:
        return _("前 4 位“%(prefix)s”不是 2014 版特种设备目录的电梯品种代码（如 3110、3310）。") % {"prefix": prefix}
    if category and prefix != category:
        return _("前 4 位“%(prefix)s”与设备品种“%(category)s”不符。") % {
            "prefix": prefix,
            "category": _category_label(category),
        }
    return None


def register_code_problems(code: str, category: str, scheme: str) -> list[str]:
    """Why the code cannot be this elevator's (empty: it can)."""
    code = (code or "").strip().upper()
    today = timezone.localdate()
    twenty = TWENTY_DIGITS.match(code)
    if twenty:
        prefix, region, year, month, sequence = twenty.groups()
        problems = [_check_category(prefix, category, scheme)]
        if not _known_region(region):
            problems.append(_("第 5–10 位“%(region)s”不是已知的行政区划代码。") % {"region": region})
        if not (EARLIEST_YEAR <= int(year) and 1 <= int(month) <= 12) or (int(year), int(month)) > (
            today.year,
            today.month,
        ):
            problems.append(_("第 11–16 位“%(ym)s”不是有效的注册年月（YYYYMM，不晚于本月）。") % {"ym": year + month})
        if sequence == "0000":
            problems.append(_("最后 4 位顺序号应为 0001–9999。"))
        return [p for p in problems if p]
    equipment = EQUIPMENT_CODE.match(code)
    if equipment:
        prefix, _maker, year, _sequence = equipment.groups()
        problems = [_check_category(prefix, category, "2014")]
        if not EARLIEST_YEAR <= int(year) <= today.year:
            problems.append(_("第 10–13 位“%(year)s”不是有效的制造年份。") % {"year": year})
        return [p for p in problems if p]
    return [_("注册代码应为 20 位数字（旧注册代码），或 18 位设备代码（前 13 位数字、后 5 位数字或字母）。")]


def check_codes(data: dict) -> None:
    """The register code against the device category and the code scheme; the installation date not in the
    future. Raises a ValidationError naming the fields."""
    errors = {}
    if data.get("register_code"):
        problems = register_code_problems(data["register_code"], data.get("device_category"), data.get("code_scheme"))
        if problems:
            errors["register_code"] = problems
    installed = data.get("installation_date")
    if installed and installed > timezone.localdate():
        errors["installation_date"] = [_("安装日期不能晚于今天。")]
    if errors:
        raise ValidationError(errors)
