"""Cell values as people type them into Excel, turned into Python values or a ValidationError for people.

Every parser takes what openpyxl reads (text, int, float, datetime, date) and knows Excel's habits: long codes
stored as floats, leading zeros dropped, dates that lost their format, numbers with their unit typed after.
"""

import re
import unicodedata
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from core.validators import validate_credit_code

__all__ = [
    "nfkc",
    "is_blank_cell",
    "plain_text",
    "long_code",
    "digit_code",
    "number",
    "integer",
    "decimal",
    "parse_date",
    "Choices",
    "name_variants",
    "find_organisation",
    "Memo",
    "messages",
]


def nfkc(value) -> str:
    """Full-width letters, digits and brackets as their plain forms, without surrounding spaces."""
    return unicodedata.normalize("NFKC", str(value)).strip()


MAX_CELL_CHARS = 500  # no column of ours holds more; a longer cell is refused, and kept short in the report


REPORT_CELL_CHARS = MAX_CELL_CHARS  # a rejected row's cell in the report: all that any column may hold


def cell_for_report(value):
    """A cell value as JSON keeps it: dates as YYYY-MM-DD, the rest as numbers or text."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    return text if len(text) <= REPORT_CELL_CHARS else text[:REPORT_CELL_CHARS] + "…"


class FormulaCell(str):
    """A cell that holds a formula (its text): never imported as the value a spreadsheet last computed, which
    may be stale or missing, and could hide what the row really says."""


class OversizedCell(str):
    """A cell longer than MAX_CELL_CHARS (its beginning)."""


def refuse_unreadable(value) -> None:
    """A formula or an oversized cell is refused with what to do about it."""
    if isinstance(value, FormulaCell):
        raise ValidationError(
            _("这是公式“%(formula)s”，不能导入：请把单元格改为数值或文字（复制后“选择性粘贴 → 数值”）。")
            % {"formula": value[:40]}
        )
    if isinstance(value, OversizedCell):
        raise ValidationError(_("内容超过 %(max)s 个字符，请核对这个单元格。") % {"max": MAX_CELL_CHARS})


def is_blank_cell(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def plain_text(value) -> str:
    """A cell as the text a person sees: dates as YYYY-MM-DD, whole floats without ".0"."""
    if isinstance(value, datetime):
        return cell_for_report(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def long_code(value) -> str:
    """A code of letters and digits (a register code): upper case, no spaces, refused when Excel lost digits."""
    if isinstance(value, float) or (isinstance(value, int) and len(str(value)) > 15):
        raise ValidationError(_("请把这一列设为“文本”格式后重新填写：Excel 把长数字存成了科学计数法，后几位已经丢失。"))
    return re.sub(r"\s+", "", nfkc(value)).upper()


def digit_code(value, length: int) -> str:
    """A code of `length` digits, given back the leading zeros Excel drops from a number."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        number = int(value)
        if 0 <= number < 10**length:
            return f"{number:0{length}d}"
    return re.sub(r"\s+", "", nfkc(value))


_UNITS = re.compile(r"(kg|公斤|千克|m/s|米/秒|mm|毫米|kw|千瓦|°|度|m|米|层|站|门|个|台)$", re.IGNORECASE)


def number(value) -> Decimal:
    """A number, also as text with thousands separators or a unit after it ("1,000kg", "1.75 m/s")."""
    if isinstance(value, bool):
        raise ValidationError(_("应为数字。"))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    text = nfkc(value).replace(",", "").replace(" ", "")
    text = _UNITS.sub("", text)
    try:
        result = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("应为数字，而不是“%(value)s”。") % {"value": plain_text(value)}) from None
    if not result.is_finite():
        raise ValidationError(_("应为数字，而不是“%(value)s”。") % {"value": plain_text(value)})
    return result


def integer(value) -> int:
    result = number(value)
    if result != result.to_integral_value():
        raise ValidationError(_("应为整数，而不是“%(value)s”。") % {"value": plain_text(value)})
    return int(result)


def decimal(value, places: int) -> Decimal:
    """A number rounded half up to `places` decimal places (the column's precision)."""
    return number(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(value) -> date:
    """A date cell, or text as 2020-05-18, 2020/5/18, 2020.5.18, 2020年5月18日, 20200518, or Excel's day number."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    wrong = ValidationError(
        _("日期“%(value)s”无法识别，请写成 YYYY-MM-DD，如 2020-05-18。") % {"value": plain_text(value)}
    )
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 19000101 <= value <= 21001231:
            value = str(int(value))
        elif 1 <= value < 80000:  # a date cell that lost its date format: Excel's day number
            return from_excel(value).date()
        else:
            raise wrong
    text = re.split(r"[\sT]", nfkc(value), maxsplit=1)[0] if nfkc(value) else ""
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if not match:
        raise wrong
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValidationError(
            _("日期“%(value)s”不存在：请核对年、月、日（格式 YYYY-MM-DD）。") % {"value": text}
        ) from None


class Choices:
    """A choice (a TextChoices enum) written as its code or its label in Chinese or English, or an extra spelling.

    ignore_suffix: a pattern of endings people add or leave out ("曳引驱动" and "曳引" are the same answer).
    """

    def __init__(self, enum, extra=None, *, ignore_suffix: str = ""):
        self.enum = enum
        self.extra = extra or {}
        self.ignore_suffix = re.compile(ignore_suffix + "$") if ignore_suffix else None
        self._map = None

    def key(self, text: str) -> str:
        text = re.sub(r"\s+", "", nfkc(text)).lower()
        if self.ignore_suffix is None:
            return text
        return self.ignore_suffix.sub("", text) or text

    def _mapping(self) -> dict[str, str]:
        if self._map is None:  # built at first use: the labels are translated then, in both languages
            mapping = {}
            for value, label in self.enum.choices:
                for language in ("zh-hans", "en"):
                    with translation.override(language):
                        mapping.setdefault(self.key(str(label)), value)
                mapping.setdefault(self.key(value), value)
            mapping.update({self.key(k): v for k, v in self.extra.items()})
            self._map = mapping
        return self._map

    def parse(self, value) -> str:
        found = self._mapping().get(self.key(plain_text(value)))
        if found is None:
            raise ValidationError(
                _("无法识别“%(value)s”，可填写：%(choices)s。")
                % {"value": plain_text(value), "choices": "、".join(str(label) for label in self.enum.labels)}
            )
        return found


def name_variants(name: str) -> set[str]:
    """A unit's name as typed with half-width or full-width brackets."""
    name = name.strip()
    return {name, name.replace("(", "（").replace(")", "）"), name.replace("（", "(").replace("）", ")")}


def find_organisation(candidates, text: str):
    """The organisation among `candidates` (a queryset) named by its credit code or its name; None if none is.

    A mistyped credit code and a name two units share raise a ValidationError that says what to do.
    """
    code = re.sub(r"\s+", "", nfkc(text)).upper()
    if re.fullmatch(r"[0-9A-Z]{18}", code):
        found = list(candidates.filter(credit_code=code)[:2])
        if not found:
            validate_credit_code(code)  # a mistyped code says so
    else:
        found = list(candidates.filter(name__in=name_variants(text))[:2])
        if len(found) > 1:
            raise ValidationError(_("有多个名为“%(name)s”的单位，请改填统一社会信用代码。") % {"name": text})
    return found[0] if found else None


class Memo:
    """Answers to lookups (units, districts) remembered for the rest of the file, refusals included."""

    def __init__(self):
        self._answers = {}

    def get(self, key, find):
        if key not in self._answers:
            try:
                self._answers[key] = find()
            except ValidationError as exc:
                self._answers[key] = exc
        found = self._answers[key]
        if isinstance(found, ValidationError):
            raise found
        return found


def messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]
