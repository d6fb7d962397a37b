"""Login: captcha first, five wrong passwords lock, Argon2 hashes, the forced password change."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def login(client, username, password, captcha="PASSED"):
    return client.post(LOGIN, {"username": username, "password": password, "captcha_0": "test", "captcha_1": captcha})


def test_passwords_are_hashed_with_argon2():
    user = UserFactory()
    assert user.password.startswith("argon2$")


def test_wrong_captcha_is_refused_before_the_password_is_checked(client):
    UserFactory(username="li")
    response = login(client, "li", TEST_PASSWORD, captcha="WRONG")
    assert response.status_code == 200
    assert "验证码错误" in response.content.decode()
    assert not AccessAttempt.objects.exists()  # a captcha typo never counts towards the lockout


def test_missing_captcha_is_required(client):
    UserFactory(username="li")
    response = client.post(LOGIN, {"username": "li", "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_good_login_reaches_home(client):
    UserFactory(username="li", full_name="李四")
    response = login(client, "li", TEST_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert "李四" in client.get("/").content.decode()


def test_five_wrong_passwords_lock_the_account(client):
    UserFactory(username="li")
    for _ in range(4):
        response = login(client, "li", "wrong-pass-1")
        assert response.status_code == 200
        assert "用户名或密码错误" in response.content.decode()
    response = login(client, "li", "wrong-pass-1")
    assert response.status_code == 429
    assert "已被锁定" in response.content.decode()
    # even the right password is refused while locked
    response = login(client, "li", TEST_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account(client):
    UserFactory(username="li")
    UserFactory(username="wang")
    for _ in range(5):
        login(client, "li", "wrong-pass-1")
    assert login(client, "wang", TEST_PASSWORD).status_code == 302


def test_the_api_token_endpoint_shares_the_lockout(client):
    UserFactory(username="li")
    for _ in range(5):
        client.post("/api/v1/auth/token", {"username": "li", "password": "bad"}, content_type="application/json")
    response = client.post(
        "/api/v1/auth/token", {"username": "li", "password": TEST_PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 429
    assert "锁定" in response.json()["detail"]


def test_lockout_message_in_english(client):
    UserFactory(username="li")
    client.cookies["django_language"] = "en"
    for _ in range(5):
        response = login(client, "li", "wrong-pass-1")
    assert "locked" in response.content.decode().lower()


# --- the initial password -------------------------------------------------------------------


@pytest.fixture
def new_account(world):
    from accounts.services import create_account

    return create_account(
        actor=world.admin_a,
        organization=world.company_a,
        username="newbie",
        category="maintenance_worker",
        role="staff",
        full_name="新人",
        phone="13800000099",
    )


def test_new_account_starts_with_111111_and_must_change_it(client, new_account):
    assert new_account.check_password("111111")
    assert new_account.must_change_password
    assert login(client, "newbie", "111111").status_code == 302
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
    assert client.get(reverse("organizations:list", args=["use_unit"])).status_code == 302


@pytest.mark.parametrize(
    "new, confirm, message",
    [
        ("abc12", "abc12", "太短"),
        ("abcdefghij", "abcdefghij", "字母和数字"),
        ("12345678901", "12345678901", "只包含数字"),
        ("Good2026pass", "Other2026pass", "不一致"),
        ("111111", "111111", "不能与当前密码相同"),
    ],
)
def test_new_password_rules(client, new_account, new, confirm, message):
    client.force_login(new_account)
    response = client.post(
        reverse("accounts:password_change"), {"old_password": "111111", "new_password1": new, "new_password2": confirm}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    new_account.refresh_from_db()
    assert new_account.must_change_password


def test_wrong_old_password_is_refused(client, new_account):
    client.force_login(new_account)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "222222", "new_password1": "Good2026pass", "new_password2": "Good2026pass"},
    )
    assert "当前密码不正确" in response.content.decode()


def test_new_password_must_differ_from_the_old_one(client):
    user = UserFactory(username="li")
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": TEST_PASSWORD, "new_password2": TEST_PASSWORD},
    )
    assert "不能与当前密码相同" in response.content.decode()


def test_changing_the_password_unlocks_the_platform_and_is_audited(client, new_account):
    from core.models import AuditEvent

    client.force_login(new_account)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "111111", "new_password1": "Good2026pass", "new_password2": "Good2026pass"},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # still logged in, session hash updated
    new_account.refresh_from_db()
    assert not new_account.must_change_password and new_account.check_password("Good2026pass")
    assert AuditEvent.objects.filter(action="password_change", target_id=str(new_account.pk)).exists()


def test_api_refuses_everything_but_the_password_change_until_it_is_done(client, new_account):
    token = client.post(
        "/api/v1/auth/token", {"username": "newbie", "password": "111111"}, content_type="application/json"
    ).json()
    assert token["must_change_password"] is True
    headers = {"Authorization": f"Bearer {token['token']}"}
    response = client.get("/api/v1/regions", headers=headers)
    assert response.status_code == 403 and "修改初始密码" in response.json()["detail"]
    response = client.post(
        "/api/v1/auth/password",
        {"old_password": "111111", "new_password": "short"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "new_password"  # the API's own field, not the form's
    response = client.post(
        "/api/v1/auth/password",
        {"old_password": "111111", "new_password": "Good2026pass"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200
    assert client.get("/api/v1/regions", headers=headers).status_code == 200


def test_password_reset_by_an_administrator_forces_a_new_change(world, client_for):
    client = client_for(world.admin_a)
    response = client.post(reverse("accounts:user_reset_password", args=[world.worker_a.pk]), {"reason": "忘记密码"})
    assert response.status_code == 302
    world.worker_a.refresh_from_db()
    assert world.worker_a.must_change_password and world.worker_a.check_password("111111")


def test_logout_needs_post_and_ends_the_session(world, client_for):
    client = client_for(world.admin_a)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get("/").status_code == 302


def test_createsuperuser_noinput_makes_an_operator(monkeypatch):
    from django.core.management import call_command

    from accounts.models import User

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Operator2026x")
    call_command("createsuperuser", "--noinput", username="ops", email="ops@example.com", verbosity=0)
    ops = User.objects.get(username="ops")
    assert ops.is_superuser and ops.organization is None
    assert ops.password.startswith("argon2")
