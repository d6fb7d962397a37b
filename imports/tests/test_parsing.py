"""Cell values as people type them into Excel: codes, numbers with units, dates, choices, unit names."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from imports import parsing


class Drive(models.TextChoices):
    TRACTION = "traction", _("曳引驱动")
    HYDRAULIC = "hydraulic", _("液压驱动")


def refused(parse, value, fragment=""):
    with pytest.raises(ValidationError) as exc:
        parse(value)
    assert fragment in exc.value.messages[0]


def test_text_and_codes():
    assert parsing.plain_text(datetime(2020, 5, 18)) == "2020-05-18"
    assert parsing.plain_text(date(2020, 5, 18)) == "2020-05-18"
    assert parsing.plain_text(18.0) == "18" and parsing.plain_text("  a b ") == "a b"
    assert parsing.long_code(" 3110 5001 1220 2005 0001 ") == "31105001122020050001"
    assert parsing.long_code("ａｂ12") == "AB12"
    refused(parsing.long_code, 3.1105001122020050001e19, "文本")  # Excel lost the last digits
    assert parsing.digit_code(12345, 6) == "012345" and parsing.digit_code(" 12 3456 ", 6) == "123456"
    assert parsing.is_blank_cell(None) and parsing.is_blank_cell("  ") and not parsing.is_blank_cell(0)


def test_numbers_with_units_and_separators():
    assert parsing.number("1,000kg") == 1000 and parsing.number("1.75 m/s") == Decimal("1.75")
    assert parsing.number(1.5) == Decimal("1.5") and parsing.number("１８层") == 18
    assert parsing.integer("18") == 18 and parsing.decimal("1.755", 2) == Decimal("1.76")
    refused(parsing.number, "abc", "应为数字")
    refused(parsing.number, "NaN", "应为数字")
    refused(parsing.number, True)
    refused(parsing.integer, "5.5", "应为整数")


@pytest.mark.parametrize(
    "value",
    ["2020-05-18", "2020/5/18", "2020.5.18", "2020年5月18日", "20200518", 20200518, "2020-05-18 08:00", 43969],
)
def test_dates_as_people_write_them(value):
    assert parsing.parse_date(value) == date(2020, 5, 18)


def test_wrong_and_impossible_dates_say_so():
    assert parsing.parse_date(datetime(2020, 5, 18, 9)) == date(2020, 5, 18)
    refused(parsing.parse_date, "明年", "YYYY-MM-DD")
    refused(parsing.parse_date, "2020-13-45", "不存在")
    refused(parsing.parse_date, 123456789, "无法识别")


def test_choices_by_code_label_in_either_language_or_an_extra_spelling():
    drive = parsing.Choices(Drive, {"液压": Drive.HYDRAULIC}, ignore_suffix="(驱动|式)")
    assert drive.parse("traction") == drive.parse("曳引驱动") == drive.parse("曳引") == "traction"
    assert drive.parse("Hydraulic") == drive.parse("液 压") == "hydraulic"  # the English label
    refused(drive.parse, "火箭", "曳引驱动、液压驱动")


@pytest.mark.django_db
def test_a_unit_is_found_by_credit_code_or_by_name_with_either_brackets(world):
    from organizations.models import Organization

    units = Organization.objects.filter(kind="use_unit")
    unit = world.use_unit_a
    assert parsing.find_organisation(units, unit.credit_code.lower()) == unit
    assert parsing.find_organisation(units, f" {unit.name} ") == unit
    Organization.objects.filter(pk=unit.pk).update(name="甲物业（北区）")
    assert parsing.find_organisation(units, "甲物业(北区)") == unit
    assert parsing.find_organisation(units, "不存在") is None
    wrong = unit.credit_code[:-1] + ("1" if unit.credit_code[-1] != "1" else "2")
    refused(lambda text: parsing.find_organisation(units, text), wrong, "校验位")
    Organization.objects.filter(pk=world.use_unit_b.pk).update(name="甲物业（北区）")
    refused(lambda text: parsing.find_organisation(units, text), "甲物业（北区）", "统一社会信用代码")


def test_a_memo_remembers_answers_and_refusals():
    calls = []

    def find():
        calls.append(1)
        raise ValidationError("不行")

    memo = parsing.Memo()
    assert memo.get("a", lambda: 1) == 1 and memo.get("a", lambda: 2) == 1
    for _attempt in range(2):
        with pytest.raises(ValidationError):
            memo.get("b", find)
    assert len(calls) == 1
