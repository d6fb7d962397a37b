"""Validators for Chinese identifiers and phone numbers, with messages for people."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

__all__ = ["CREDIT_CODE_CHARSET", "credit_code_check_char", "validate_credit_code", "validate_phone"]

# GB 32100-2015 统一社会信用代码: 18 characters from this set (no I, O, S, V, Z).
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_SERVICE = re.compile(r"^(96333|95\d{3,4}|400-?\d{3}-?\d{4})$")


def credit_code_check_char(first17: str) -> str:
    """The 18th (check) character for the first 17 characters of a credit code."""
    total = sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(_("统一社会信用代码应为 18 位，当前为 %(n)s 位。") % {"n": len(code)}, code="length")
    bad = [c for c in code if c not in CREDIT_CODE_CHARSET]
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符“%(c)s”（不使用 I、O、S、V、Z）。") % {"c": bad[0]}, code="charset"
        )
    if not code[2:8].isdigit():
        raise ValidationError(_("统一社会信用代码第 3 至 8 位应为行政区划代码（数字）。"), code="region")
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码校验位不正确，请核对后重新输入。"), code="checksum")


def validate_phone(value: str) -> None:
    phone = (value or "").strip().replace(" ", "")
    if not (_MOBILE.match(phone) or _LANDLINE.match(phone) or _SERVICE.match(phone)):
        raise ValidationError(
            _("电话号码格式不正确：手机号为 11 位（如 13800138000），固话如 023-63891234。"), code="phone"
        )
