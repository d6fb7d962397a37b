"""Wrong passwords lock a username at one address, slow an address down and hold back a username that fails
from many addresses — and nobody can lock somebody else out (accounts/throttle.py)."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from accounts import throttle
from accounts.models import ApiToken, User
from tests.cases import ActionCases
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def web_login(client, username, password, address):
    data = {"username": username, "password": password, "captcha_0": "x", "captcha_1": "PASSED"}
    return client.post(reverse("accounts:login"), data, REMOTE_ADDR=address)


def token(client, username, password, address):
    body = {"username": username, "password": password}
    return client.post("/api/v1/auth/token", body, content_type="application/json", REMOTE_ADDR=address)


def test_an_attacker_cannot_lock_the_owner_out(client):
    UserFactory(username="li")
    for _ in range(5):
        token(client, "li", "wrong-pass-1", "203.0.113.7")
    assert token(client, "li", TEST_PASSWORD, "203.0.113.7").status_code == 429  # locked at the attacker's address
    assert token(client, "li", TEST_PASSWORD, "198.51.100.20").status_code == 200  # the owner's address
    assert web_login(client, "li", TEST_PASSWORD, "198.51.100.20").status_code == 302


def test_an_address_that_sprays_usernames_waits(client, settings):
    settings.LOGIN_ADDRESS_LIMIT = 6
    UserFactory(username="li")
    for n in range(6):
        assert token(client, f"nobody{n}", "wrong-pass-1", "203.0.113.8").status_code == 401
    refused = token(client, "li", TEST_PASSWORD, "203.0.113.8")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "登录失败次数过多" in refused.json()["detail"]
    page = web_login(client, "li", TEST_PASSWORD, "203.0.113.8")
    assert page.status_code == 429 and "登录失败次数过多" in page.content.decode()
    assert token(client, "li", TEST_PASSWORD, "198.51.100.21").status_code == 200  # other addresses are not hurt


def test_a_username_failing_from_many_addresses_loses_the_api_but_not_the_web(client, settings):
    settings.LOGIN_USERNAME_LIMIT = 8
    UserFactory(username="li")
    for n in range(8):
        token(client, "li", "wrong-pass-1", f"203.0.113.{n + 10}")
    refused = token(client, "li", TEST_PASSWORD, "198.51.100.22")
    assert refused.status_code == 429 and "网页登录" in refused.json()["detail"]
    assert throttle.is_locked("li")
    # the web login has a captcha: the owner gets in, and that lifts the backstop
    assert web_login(client, "li", TEST_PASSWORD, "198.51.100.22").status_code == 302
    assert token(client, "li", TEST_PASSWORD, "198.51.100.22").status_code == 200


def test_resetting_the_password_unlocks(world, client_for):
    AccessAttempt.objects.create(
        username=world.worker_a.username, ip_address="203.0.113.9", user_agent="x", failures_since_start=5
    )
    assert throttle.is_locked(world.worker_a.username)
    url = reverse("accounts:user_reset_password", args=[world.worker_a.pk])
    assert client_for(world.admin_a).post(url, {"reason": "忘记密码"}).status_code == 302
    assert not throttle.is_locked(world.worker_a.username)


def test_a_password_change_revokes_the_other_tokens(client):
    UserFactory(username="li")
    first = token(client, "li", TEST_PASSWORD, "198.51.100.23").json()["token"]
    second = token(client, "li", TEST_PASSWORD, "198.51.100.24").json()["token"]
    response = client.post(
        "/api/v1/auth/password",
        {"old_password": TEST_PASSWORD, "new_password": "NewPass2026x"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {second}"},
    )
    assert response.status_code == 200, response.content
    assert client.get("/api/v1/elevators", headers={"Authorization": f"Bearer {first}"}).status_code == 401
    assert client.get("/api/v1/elevators", headers={"Authorization": f"Bearer {second}"}).status_code == 200
    assert ApiToken.objects.filter(user__username="li").count() == 1  # the one the change was made with


def test_a_password_change_on_the_web_revokes_every_token(client):
    user = UserFactory(username="li")
    token(client, "li", TEST_PASSWORD, "198.51.100.25")
    client.force_login(user)
    data = {"old_password": TEST_PASSWORD, "new_password1": "NewPass2026x", "new_password2": "NewPass2026x"}
    assert client.post(reverse("accounts:password_change"), data).status_code == 302
    assert not ApiToken.objects.filter(user=user).exists()


class TestUnlock(ActionCases):
    """解除锁定 by the account's administrators, audited; a worker may not; another company never sees it."""

    model = User
    action_url = "accounts:user_unlock"
    audit_action = "unlock"
    without_permission = "worker_a"

    def make(self, world):
        account = UserFactory(organization=world.company_a, category="maintenance_worker", role="staff")
        AccessAttempt.objects.create(
            username=account.username, ip_address="203.0.113.5", user_agent="x", failures_since_start=5
        )
        return account

    def action_data(self, world, obj):
        return {"reason": "本人来电确认"}

    def acted(self, obj):
        return not throttle.is_locked(obj.username)


def test_the_account_page_shows_the_lock_and_the_unlock_button(world, client_for):
    account = TestUnlock().make(world)
    page = client_for(world.admin_a).get(reverse("accounts:user_detail", args=[account.pk])).content.decode()
    assert 'data-testid="locked-badge"' in page and reverse("accounts:user_unlock", args=[account.pk]) in page
