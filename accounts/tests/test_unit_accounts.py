"""单位帐户: 获取登录账号 opens a unit's own account when its credit code, name and a phone on record match; any
mismatch gets one answer; an existing account is never reset; the unit's administrators are told."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from accounts.models import User
from accounts.services import UnitAccountRateLimited, no_match_message, obtain_unit_account
from core.models import AuditEvent
from notifications.models import Notification, NotificationKind
from tests.factories import OrganizationFactory, credit_code

pytestmark = pytest.mark.django_db

OBTAIN = "/accounts/obtain/"
LOGIN = "/accounts/login/"


def refused(call):
    with pytest.raises(ValidationError) as info:
        call()
    return info.value


def test_matching_details_open_the_unit_account(world):
    unit = world.use_unit_a
    result = obtain_unit_account(unit.credit_code, "甲物业", "023-63891234")
    account = result.user
    assert result.created
    assert account.username == unit.credit_code and account.organization == unit
    assert account.check_password(unit.credit_code) and account.must_change_password
    assert account.is_unit_account and account.role == "admin" and account.category == "use_unit_safety_manager"
    assert account.display_name == "单位帐户"
    assert AuditEvent.objects.filter(action="unit_account", target_id=str(account.pk)).exists()
    assert AuditEvent.objects.filter(action="unit_account", target_id=str(unit.pk)).exists()
    # the unit's administrators before it are told, one notification each, the new account is not
    told = Notification.objects.filter(kind=NotificationKind.UNIT_ACCOUNT_OPENED)
    assert list(told.values_list("user__username", flat=True)) == ["use_a"]
    assert told.get().url == account.get_absolute_url() and unit.credit_code in told.get().title


def test_a_maintenance_company_gets_a_manager_account(world):
    company = world.company_a
    account = obtain_unit_account(company.credit_code, company.name, company.legal_representative_phone).user
    assert account.category == "maintenance_manager" and account.role == "admin" and account.is_unit_account
    assert Notification.objects.filter(user=world.admin_a, kind=NotificationKind.UNIT_ACCOUNT_OPENED).exists()
    assert not Notification.objects.filter(user=world.worker_a).exists()  # administrators only


def test_brackets_spaces_dashes_full_width_and_lower_case_are_forgiven(world):
    unit = OrganizationFactory(
        kind="use_unit",
        name="重庆某某物业服务有限公司（渝北分公司）",
        contact_phone="023-63891234",
        legal_representative_phone="13800138000",
    )
    result = obtain_unit_account(
        f" {unit.credit_code.lower()} ", " 重庆某某物业服务有限公司(渝北分公司) ", "１３８ 0013－8000"
    )
    assert result.created and result.user.username == unit.credit_code
    assert result.user.phone == "13800138000"  # the phone on record it matched


@pytest.mark.parametrize(
    "name,phone",
    [
        ("甲物业", "13900000000"),  # wrong phone
        ("乙物业", "023-63891234"),  # wrong name
        ("甲物业", ""),  # no phone
        ("甲物业", "023-6389123"),  # a digit short
        ("甲物", "023-63891234"),  # part of the name
    ],
)
def test_any_mismatch_gets_the_one_answer_and_no_account(world, name, phone):
    error = refused(lambda: obtain_unit_account(world.use_unit_a.credit_code, name, phone))
    assert error.code == "no_match" and error.messages == [no_match_message()]
    assert not User.objects.filter(is_unit_account=True).exists()


def test_unknown_code_inactive_unit_and_other_kinds_get_the_same_answer(world):
    unknown = credit_code("500112")
    assert refused(lambda: obtain_unit_account(unknown, "甲物业", "023-63891234")).messages == [no_match_message()]
    for unit in (world.yubei_bureau, world.manufacturer):  # only use units and maintenance companies
        error = refused(lambda u=unit: obtain_unit_account(u.credit_code, u.name, u.contact_phone))
        assert error.messages == [no_match_message()]
    world.use_unit_b.is_active = False
    world.use_unit_b.save()
    error = refused(lambda: obtain_unit_account(world.use_unit_b.credit_code, "乙物业", "023-63891234"))
    assert error.messages == [no_match_message()]
    assert not User.objects.filter(is_unit_account=True).exists()


def test_an_existing_unit_account_is_named_never_reset(world):
    unit = world.use_unit_a
    first = obtain_unit_account(unit.credit_code, "甲物业", "023-63891234").user
    first.set_password("Changed2026pass")
    first.must_change_password = False
    first.save()
    again = obtain_unit_account(unit.credit_code, "甲物业", "13800138000")
    assert not again.created and again.user == first
    first.refresh_from_db()
    assert first.check_password("Changed2026pass") and not first.must_change_password
    assert User.objects.filter(organization=unit, is_unit_account=True).count() == 1
    assert Notification.objects.filter(kind=NotificationKind.UNIT_ACCOUNT_OPENED).count() == 1
    # and only to someone who proves the phone: the wrong one still gets the one answer
    assert refused(lambda: obtain_unit_account(unit.credit_code, "甲物业", "13900000000")).code == "no_match"


def test_a_code_taken_as_username_by_another_unit_is_not_given_away(world):
    User.objects.create_user(username=world.use_unit_a.credit_code, organization=world.company_b)
    error = refused(lambda: obtain_unit_account(world.use_unit_a.credit_code, "甲物业", "023-63891234"))
    assert error.code == "username_taken" and "区县局" in error.messages[0]


@override_settings(UNIT_ACCOUNT_FAILURES_PER_CODE_DAY=3)
def test_failed_checks_per_credit_code_are_limited(world):
    code = world.use_unit_a.credit_code
    for _ in range(3):
        refused(lambda: obtain_unit_account(code, "甲物业", "13900000000"))
    with pytest.raises(UnitAccountRateLimited):
        obtain_unit_account(code, "甲物业", "023-63891234")  # even the right details wait now
    assert obtain_unit_account(world.company_a.credit_code, "甲维保公司", "023-63891234").created  # other codes not


# --- logging in with it ------------------------------------------------------------------------------------------


def login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password, "captcha_0": "x", "captcha_1": "PASSED"})


def test_the_unit_logs_in_with_its_credit_code_and_must_change_it(client, world):
    code = world.use_unit_a.credit_code
    obtain_unit_account(code, "甲物业", "023-63891234")
    response = login(client, code, code)
    assert response.status_code == 302
    assert client.get("/").headers["Location"] == "/accounts/password/"
    # the new password may be neither the credit code (the current one) nor 111111
    same = client.post("/accounts/password/", {"old_password": code, "new_password1": code, "new_password2": code})
    assert same.status_code == 200 and "新密码不能与当前密码相同" in same.content.decode()
    data = {"old_password": code, "new_password1": "Unit2026safe", "new_password2": "Unit2026safe"}
    assert client.post("/accounts/password/", data).headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200 and "单位帐户" in home.content.decode()  # its name in the header
    account = User.objects.get(username=code)
    assert not account.must_change_password and account.check_password("Unit2026safe")


# --- the page ----------------------------------------------------------------------------------------------------


def post(client, code, name, phone, captcha="PASSED", **extra):
    data = {"credit_code": code, "name": name, "phone": phone, "captcha_0": "x", "captcha_1": captcha}
    return client.post(OBTAIN, data, **extra)


def refused_block(response) -> str:
    match = re.search(r'data-testid="obtain-refused">(.*?)</div>', response.content.decode(), re.S)
    return match.group(1) if match else ""


def test_the_page_is_public_and_linked_from_the_login_page(client, world):
    login_page = client.get(LOGIN).content.decode()
    assert 'href="/accounts/obtain/"' in login_page and "首次登录请点击" in login_page
    assert 'href="/bureaus/"' in login_page and "统一社会信用代码" in login_page
    page = client.get(OBTAIN)
    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="captcha_1"' in content and 'name="credit_code"' in content and "区县局" in content


def test_the_page_opens_the_account_and_says_how_to_log_in(client, world):
    code = world.use_unit_a.credit_code
    response = post(client, code, "甲物业", "023 6389 1234")
    content = response.content.decode()
    assert response.status_code == 200 and 'data-testid="obtain-result" data-created="1"' in content
    assert code in content and "初始密码为本单位的统一社会信用代码" in content
    assert f'href="/accounts/login/?username={code}"' in content
    # the second time: it exists, its username is shown, nothing is reset
    again = post(client, code, "甲物业", "023-63891234").content.decode()
    assert 'data-created="0"' in again and code in again and "不会重置密码" in again
    assert User.objects.filter(is_unit_account=True).count() == 1


def test_the_captcha_is_required(client, world):
    code = world.use_unit_a.credit_code
    for captcha in ("WRONG", ""):
        response = post(client, code, "甲物业", "023-63891234", captcha=captcha)
        assert response.status_code == 200 and 'data-field-error="captcha"' in response.content.decode()
    assert not User.objects.filter(is_unit_account=True).exists()


def test_wrong_name_and_wrong_phone_read_the_same(client, world):
    code = world.use_unit_a.credit_code
    wrong_name = post(client, code, "别的物业", "023-63891234")
    wrong_phone = post(client, code, "甲物业", "13911112222")
    unknown = post(client, credit_code("500112"), "甲物业", "023-63891234")
    inactive_kind = post(client, world.manufacturer.credit_code, world.manufacturer.name, "023-63891234")
    blocks = {refused_block(r) for r in (wrong_name, wrong_phone, unknown, inactive_kind)}
    assert len(blocks) == 1 and no_match_message() in blocks.pop()
    assert {r.status_code for r in (wrong_name, wrong_phone, unknown, inactive_kind)} == {200}
    content = wrong_phone.content.decode()
    assert "请致电对应区县局处理" in content and 'data-testid="refused-bureaus"' in content
    assert not User.objects.filter(is_unit_account=True).exists()


@pytest.mark.parametrize(
    "code,name,phone",
    [
        ("123", "甲物业", "023-63891234"),  # not a credit code: said so, on the field
        ("", "", ""),
        ("9" * 5000, "名" * 5000, "1" * 5000),
        ("91500112MA5U\x00XXXXX", "甲物业\x00", "023\x00"),  # the platform answers 400 to NUL characters
        ("<script>", "'; DROP TABLE x;--", "☎☎☎"),
    ],
)
def test_bad_input_never_500s(client, world, code, name, phone):
    response = post(client, code, name, phone)
    assert response.status_code in (200, 400)
    assert 'data-testid="obtain-result"' not in response.content.decode()


def test_a_malformed_code_is_explained_on_its_field(client, world):
    content = post(client, "123", "甲物业", "023-63891234").content.decode()
    assert 'data-field-error="credit_code"' in content and "18 位" in content


@override_settings(UNIT_ACCOUNT_REQUESTS_PER_ADDRESS_HOUR=3)
def test_an_address_is_limited_with_a_clear_message(client, world):
    code = world.use_unit_a.credit_code
    for _ in range(3):
        assert post(client, code, "甲物业", "13900000000").status_code == 200
    response = post(client, code, "甲物业", "023-63891234")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "过于频繁" in response.content.decode()
    assert not User.objects.filter(is_unit_account=True).exists()
    # another address is not held back
    other = post(client, code, "甲物业", "023-63891234", REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 200 and 'data-created="1"' in other.content.decode()


def test_a_wrong_captcha_does_not_count_towards_the_limit(client, world, settings):
    settings.UNIT_ACCOUNT_REQUESTS_PER_ADDRESS_HOUR = 2
    code = world.use_unit_a.credit_code
    for _ in range(5):
        post(client, code, "甲物业", "023-63891234", captcha="WRONG")
    assert 'data-created="1"' in post(client, code, "甲物业", "023-63891234").content.decode()


def test_the_account_list_and_page_mark_the_unit_account(client_for, world):
    account = obtain_unit_account(world.use_unit_a.credit_code, "甲物业", "023-63891234").user
    client = client_for(world.use_admin_a)
    listing = client.get("/accounts/users/").content.decode()
    assert 'data-testid="unit-account-badge"' in listing and account.username in listing
    page = client.get(account.get_absolute_url()).content.decode()
    assert 'data-testid="unit-account-badge"' in page and 'data-testid="unit-account"' in page
    export = b"".join(client.get("/accounts/users/?export=csv").streaming_content).decode("utf-8-sig")
    assert "单位帐户" in export.splitlines()[0]


def test_the_login_link_fills_the_username_in(client):
    content = client.get(LOGIN + "?username=91500112MA5U123456").content.decode()
    assert 'value="91500112MA5U123456"' in content


def test_the_api_tells_a_unit_account_and_never_takes_the_flag(client_for, world):
    account = obtain_unit_account(world.use_unit_a.credit_code, "甲物业", "023-63891234").user
    client = client_for(world.use_admin_a)
    assert client.get(f"/api/v1/users/{account.pk}").json()["is_unit_account"] is True
    assert client.get(f"/api/v1/users/{world.use_admin_a.pk}").json()["is_unit_account"] is False
    response = client.patch(
        f"/api/v1/users/{world.use_admin_a.pk}", {"is_unit_account": True}, content_type="application/json"
    )
    world.use_admin_a.refresh_from_db()
    assert not world.use_admin_a.is_unit_account, response.content
