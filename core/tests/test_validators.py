import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from core.validators import CREDIT_CODE_CHARSET, credit_code_check_char, validate_credit_code, validate_phone


def test_published_example_credit_code_is_valid():
    validate_credit_code("91350100M000100Y43")


@pytest.mark.parametrize(
    "code, fragment",
    [
        ("91350100M000100Y4", "18"),  # too short
        ("91350100M000100Y44", "校验位"),  # wrong check character
        ("91350100M0001O0Y43", "字符"),  # letter O is not in the charset
        ("91ABCDEFM000100Y43", "行政区划"),
    ],
)
def test_bad_credit_codes_say_what_is_wrong(code, fragment):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert fragment in exc.value.messages[0]


@given(st.text(alphabet=CREDIT_CODE_CHARSET, min_size=9, max_size=9))
def test_generated_check_character_always_validates(body):
    first17 = "91500112" + body
    validate_credit_code(first17 + credit_code_check_char(first17))


@pytest.mark.parametrize("phone", ["13800138000", "023-63891234", "02363891234", "96333"])
def test_valid_phones(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["12345", "1380013800", "abc", "23-1234567"])
def test_invalid_phones(phone):
    with pytest.raises(ValidationError):
        validate_phone(phone)
