"""Who may open, edit, reset and deactivate whose accounts (账号维护): the rules of accounts/policies.py.

A company manages the accounts of its own unit, and opens accounts in a use unit only while it created that unit
and the unit has no account of its own; from then on the use unit's own administrator manages them. A bureau opens
accounts in the units of its area (the seed's first account of a company). Nobody but the operator edits, resets
or deactivates another organisation's users.
"""

import itertools

import pytest

from accounts import services
from accounts.models import User
from accounts.policies import units_for_accounts
from core.policies import can
from organizations import services as org_services
from organizations.models import ServiceRelation
from tests.factories import UserFactory, region, unit_form_data

pytestmark = pytest.mark.django_db
_serial = itertools.count(1)


def use_unit_created_by(actor):
    data = unit_form_data(name=f"规则物业{next(_serial)}", region=region("500112"), kind="use_unit")
    return org_services.create_organization(actor=actor, data=data)


def unit_account(world, unit, *, actor, role="admin"):
    return services.create_account(
        actor=actor,
        organization=unit,
        username=f"unit_admin{next(_serial)}",
        category="use_unit_safety_manager",
        role=role,
        full_name="物业管理员",
        phone="13800001111",
    )


def opens(user, unit) -> bool:
    return can(user, "add", User(organization=unit))


def test_a_company_administrator_opens_accounts_in_its_own_unit_only(world):
    assert opens(world.admin_a, world.company_a)
    assert not opens(world.worker_a, world.company_a)  # no administrator
    assert not opens(world.admin_a, world.company_b)
    assert not opens(world.admin_a, world.yubei_bureau)


def test_a_company_opens_accounts_in_a_use_unit_it_created_while_the_unit_has_none(world):
    unit = use_unit_created_by(world.admin_a)
    assert opens(world.admin_a, unit)
    assert opens(UserFactory(organization=world.company_a), unit)  # any administrator of the creating company
    first = unit_account(world, unit, actor=world.admin_a)
    assert not opens(world.admin_a, unit)  # the unit has an account of its own now
    assert opens(first, unit)  # its own administrator opens the next ones
    assert not can(world.admin_a, "change", first)
    assert not can(world.admin_a, "reset_password", first)


def test_a_company_never_opens_accounts_in_a_use_unit_it_did_not_create(world):
    # use unit A: served by company A, not created by it, and it has its own administrator
    assert not opens(world.admin_a, world.use_unit_a)
    # created by company B and served by both: still B's alone to open
    unit = use_unit_created_by(world.admin_b)
    ServiceRelation.objects.create(use_unit=unit, maintenance_company=world.company_a)
    assert not opens(world.admin_a, unit)
    assert opens(world.admin_b, unit)
    # created by an operator, no account: no company opens its accounts
    by_operator = use_unit_created_by(world.operator)
    ServiceRelation.objects.create(use_unit=by_operator, maintenance_company=world.company_a)
    assert not opens(world.admin_a, by_operator)


def test_a_company_that_no_longer_serves_the_unit_it_created_opens_nothing_there(world):
    unit = use_unit_created_by(world.admin_a)
    ServiceRelation.objects.filter(use_unit=unit).delete()
    assert not opens(world.admin_a, unit)


def test_a_bureau_opens_accounts_in_its_area_but_manages_only_its_own(world):
    assert opens(world.yubei_admin, world.company_a)
    assert opens(world.yubei_admin, world.use_unit_a)
    assert not opens(world.yubei_admin, world.company_b)  # 九龙坡
    assert not opens(world.city_admin, world.yubei_bureau)  # regulators open their own accounts
    for action in ("change", "reset_password"):
        assert not can(world.yubei_admin, action, world.admin_a)
        assert not can(world.city_admin, action, world.worker_b)
    assert can(world.yubei_admin, "change", UserFactory(organization=world.yubei_bureau, category="regulator_officer"))


def test_only_the_operator_edits_resets_or_deactivates_another_organisations_users(world):
    others = [
        (world.admin_a, world.use_admin_a),  # a company and the use unit it serves
        (world.admin_a, world.admin_b),
        (world.use_admin_a, world.admin_a),  # a use unit and its company
        (world.yubei_admin, world.worker_a),
        (world.city_admin, world.use_admin_b),
    ]
    for actor, account in others:
        for action in ("change", "reset_password"):
            assert not can(actor, action, account), (actor, action, account)
        assert not User.objects.changeable_by(actor).filter(pk=account.pk).exists()
    for _actor, account in others:
        assert can(world.operator, "change", account) and can(world.operator, "reset_password", account)
    assert can(world.admin_a, "change", world.worker_a)
    assert can(world.use_admin_a, "change", UserFactory(organization=world.use_unit_a, category="use_unit_staff"))


def test_the_account_lists_hold_each_units_own_accounts(world):
    def usernames(user):
        return set(User.objects.changeable_by(user).values_list("username", flat=True))

    assert usernames(world.admin_a) == {"admin_a", "worker_a"}
    assert usernames(world.use_admin_a) == {"use_a"}
    assert usernames(world.yubei_admin) == {"yubei"}
    assert usernames(world.operator) == set(User.objects.values_list("username", flat=True))


def test_the_units_offered_for_a_new_account(world):
    mine = use_unit_created_by(world.admin_a)

    def names(user, action):
        return set(units_for_accounts(user, action).values_list("name", flat=True))

    assert names(world.admin_a, "add") == {"甲维保公司", mine.name}
    assert names(world.admin_a, "change") == {"甲维保公司"}
    assert names(world.use_admin_a, "add") == {"甲物业"}
    assert {"渝北区局", "甲维保公司", "甲物业", mine.name} == names(world.yubei_admin, "add")
    assert names(world.yubei_admin, "change") == {"渝北区局"}
    assert not names(world.worker_a, "add")


def test_the_service_refuses_an_account_in_a_unit_the_actor_may_not_open(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        unit_account(world, world.use_unit_a, actor=world.admin_a)
    assert "organization" in refused.value.error_dict
    assert not User.objects.filter(organization=world.use_unit_a).exclude(pk=world.use_admin_a.pk).exists()
