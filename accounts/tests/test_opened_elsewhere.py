"""Accounts opened by another unit (a bureau opens a company's first account, a company its use unit's, the operator
any): they show who opened them, in the list, on their page and in the audit, and the unit's administrators are told
on the home page and the account list until one of them acknowledges (确认, audited)."""

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import User
from core.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def open_account(world, *, actor, organization=None, username="bureau_made", role="admin"):
    """An account as `actor` opens it, its initial password already changed (so it may use the pages)."""
    account = services.create_account(
        actor=actor,
        organization=organization or world.company_a,
        username=username,
        category="maintenance_manager",
        role=role,
        full_name="区局代开",
        phone="13800005555",
    )
    account.must_change_password = False
    account.save(update_fields=["must_change_password"])
    return account


def test_an_account_records_who_opened_it_and_for_which_unit(world):
    opened = open_account(world, actor=world.yubei_admin)
    assert (opened.created_by, opened.created_by_organization) == (world.yubei_admin, world.yubei_bureau)
    assert opened.created_elsewhere and opened.creator_label.startswith("渝北区局 · ")
    event = AuditEvent.objects.get(action="create", target_id=str(opened.pk))
    assert event.changes["created_by_organization"] == [None, "渝北区局"]
    assert "yubei" in event.changes["created_by"][1]
    labels = {label for label, _old, _new in event.change_rows()}
    assert {"创建人", "创建单位"} <= {str(label) for label in labels}
    own = open_account(world, actor=world.admin_a, username="own_made", role="staff")
    assert own.created_by == world.admin_a and not own.created_elsewhere
    by_operator = open_account(world, actor=world.operator, username="operator_made")
    assert by_operator.created_elsewhere and by_operator.creator_label.startswith("平台运营方 · ")


def test_the_list_and_the_page_show_who_opened_the_account(world, client_for):
    opened = open_account(world, actor=world.yubei_admin)
    client = client_for(world.admin_a)
    page = client.get(reverse("accounts:user_list")).content.decode()
    assert 'data-testid="opened-by"' in page and "渝北区局 · " in page
    csv = client.get(reverse("accounts:user_list"), {"export": "csv"})
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert "外单位开设" in text and "渝北区局 · " in text
    detail = client.get(reverse("accounts:user_detail", args=[opened.pk])).content.decode()
    assert "渝北区局 · " in detail and "待本单位管理员确认" in detail
    assert reverse("accounts:user_acknowledge", args=[opened.pk]) in detail
    assert "操作记录" in detail and "创建单位" in detail


def test_the_api_says_who_opened_an_account_of_another_unit(world, api):
    opened = open_account(world, actor=world.yubei_admin)
    body = api(world.admin_a)("GET", f"/users/{opened.pk}").json()
    assert body["opened_elsewhere_by"].startswith("渝北区局 · ")
    assert api(world.admin_a)("GET", f"/users/{world.worker_a.pk}").json()["opened_elsewhere_by"] == ""


def test_the_units_administrators_are_told_until_one_acknowledges(world, client_for):
    opened = open_account(world, actor=world.yubei_admin)
    second_admin = UserFactory(username="admin_a2", organization=world.company_a)
    ack_url = reverse("accounts:user_acknowledge", args=[opened.pk])
    for admin in (world.admin_a, second_admin):
        for url in (reverse("portal:home"), reverse("accounts:user_list")):
            page = client_for(admin).get(url).content.decode()
            assert 'data-testid="opened-elsewhere"' in page and ack_url in page, (admin, url)
    for other in (world.worker_a, world.admin_b, world.use_admin_a, world.yubei_admin):
        assert 'data-testid="opened-elsewhere"' not in client_for(other).get("/").content.decode()
    # the opened account itself is not asked to vouch for itself
    own_home = client_for(opened).get("/")
    assert own_home.status_code == 200 and ack_url not in own_home.content.decode()

    client = client_for(world.admin_a)
    response = client.post(ack_url, {"next": reverse("portal:home")})
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    opened.refresh_from_db()
    assert opened.creation_acknowledged_by == world.admin_a and opened.creation_acknowledged_at
    event = AuditEvent.objects.get(action="acknowledge", target_id=str(opened.pk))
    assert event.actor == world.admin_a and "渝北区局" in event.changes["created_by"][1]
    for admin in (world.admin_a, second_admin):
        assert 'data-testid="opened-elsewhere"' not in client_for(admin).get("/").content.decode()
    detail = client.get(reverse("accounts:user_detail", args=[opened.pk])).content.decode()
    assert "已由" in detail and ack_url not in detail
    again = client.post(ack_url, {})
    assert again.status_code == 200 and "已经确认" in again.content.decode()
    assert AuditEvent.objects.filter(action="acknowledge", target_id=str(opened.pk)).count() == 1


def test_only_the_units_other_administrators_acknowledge(world, client_for):
    opened = open_account(world, actor=world.yubei_admin)
    url = reverse("accounts:user_acknowledge", args=[opened.pk])
    assert client_for(opened).post(url).status_code == 403  # never one's own
    assert client_for(world.worker_a).post(url).status_code == 403  # no administrator
    assert client_for(world.admin_b).post(url).status_code == 404  # another company's account
    assert client_for(world.yubei_admin).post(url).status_code == 404  # the bureau that opened it
    own = open_account(world, actor=world.admin_a, username="own_made", role="staff")
    assert client_for(world.admin_a).post(reverse("accounts:user_acknowledge", args=[own.pk])).status_code == 403
    # the operator may open the page, but acknowledging is the unit's own business
    response = client_for(world.operator).post(url)
    assert response.status_code == 200 and "本单位的其他管理员" in response.content.decode()
    assert User.objects.get(pk=opened.pk).creation_acknowledged_at is None
    assert not AuditEvent.objects.filter(action="acknowledge").exists()


def test_the_notice_comes_in_english_too(world, client_for):
    from django.conf import settings

    open_account(world, actor=world.yubei_admin)
    client = client_for(world.admin_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/").content.decode()
    assert "opened by another unit" in page and "以下本单位账号" not in page


def test_accounts_opened_before_the_record_get_their_creator_from_the_audit(world):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("accounts.migrations.0004_user_created_by")
    account = UserFactory(username="old_account", organization=world.company_a, role="staff")
    AuditEvent.objects.create(
        actor=world.yubei_admin, actor_name="x", action="create", target=account, target_repr="old_account"
    )
    migration.creators_from_the_audit(apps, None)
    account.refresh_from_db()
    assert (account.created_by, account.created_by_organization) == (world.yubei_admin, world.yubei_bureau)
    world.admin_a.refresh_from_db()
    assert world.admin_a.created_by is None  # no create event: unknown, never flagged


def test_which_accounts_await_acknowledgement(world):
    by_bureau = open_account(world, actor=world.yubei_admin)
    by_operator = open_account(world, actor=world.operator, username="operator_made")
    open_account(world, actor=world.admin_a, username="own_made", role="staff")
    UserFactory(username="unknown_origin", organization=world.company_a, role="staff")  # before the record
    assert list(services.accounts_to_acknowledge(world.admin_a)) == [by_bureau, by_operator]
    assert list(services.accounts_to_acknowledge(by_bureau)) == [by_operator]  # never one's own account
    assert not services.accounts_to_acknowledge(world.worker_a).exists()  # administrators only
    assert not services.accounts_to_acknowledge(world.admin_b).exists()
    services.acknowledge_account(by_operator, actor=world.admin_a)
    assert list(services.accounts_to_acknowledge(world.admin_a)) == [by_bureau]
