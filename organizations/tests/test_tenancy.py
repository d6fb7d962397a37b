"""The tenancy gate: who sees and who may change which organisations and accounts."""

import pytest

from accounts.models import User
from organizations.models import Organization, Region

pytestmark = pytest.mark.django_db


def names(qs):
    return set(qs.values_list("name", flat=True))


def test_operator_sees_everything(world):
    assert Organization.objects.visible_to(world.operator).count() == Organization.objects.count()
    assert User.objects.changeable_by(world.operator).count() == User.objects.count()


def test_maintenance_company_sees_itself_its_use_units_and_the_directory(world):
    seen = names(Organization.objects.visible_to(world.admin_a))
    assert {"甲维保公司", "甲物业", "某电梯厂", "市局", "渝北区局"} <= seen
    assert "乙维保公司" not in seen
    assert "乙物业" not in seen


def test_maintenance_company_changes_itself_and_the_use_units_it_keeps_only(world):
    """A use unit it serves but did not create (or that has its own account) is read-only to the company."""
    assert names(Organization.objects.changeable_by(world.admin_a)) == {"甲维保公司"}


def test_use_unit_sees_its_maintenance_company_but_changes_only_itself(world):
    seen = names(Organization.objects.visible_to(world.use_admin_a))
    assert {"甲物业", "甲维保公司"} <= seen
    assert "乙维保公司" not in seen and "乙物业" not in seen
    assert names(Organization.objects.changeable_by(world.use_admin_a)) == {"甲物业"}


def test_district_bureau_reaches_its_district_only(world):
    seen = names(Organization.objects.visible_to(world.yubei_admin))
    assert {"甲维保公司", "甲物业"} <= seen
    assert "乙维保公司" not in seen and "乙物业" not in seen
    changeable = names(Organization.objects.changeable_by(world.yubei_admin))
    assert changeable == {"渝北区局", "甲维保公司", "甲物业"}


def test_city_bureau_reaches_the_whole_city_but_not_another_city(world):
    changeable = names(Organization.objects.changeable_by(world.city_admin))
    assert {"甲维保公司", "乙维保公司", "甲物业", "乙物业", "某电梯厂"} <= changeable
    assert "深圳市局" not in changeable
    assert "渝北区局" not in changeable  # regulators are not edited by other regulators


def test_shenzhen_bureau_sees_no_chongqing_company(world):
    seen = names(Organization.objects.visible_to(world.sz_admin))
    assert not seen & {"甲维保公司", "乙维保公司", "甲物业", "乙物业"}


def test_accounts_are_reached_through_ones_own_unit_only(world):
    """Serving or supervising a unit is no right over its people (accounts/tests/test_policies.py has the rules)."""
    assert set(User.objects.changeable_by(world.admin_a).values_list("username", flat=True)) == {"admin_a", "worker_a"}
    assert set(User.objects.changeable_by(world.worker_a).values_list("username", flat=True)) >= {"worker_a"}
    assert set(User.objects.changeable_by(world.yubei_admin).values_list("username", flat=True)) == {"yubei"}


def test_anonymous_and_inactive_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Organization.objects.visible_to(AnonymousUser()).exists()
    world.admin_a.is_active = False
    assert not Organization.objects.visible_to(world.admin_a).exists()


def test_regions_are_reference_data_everyone_sees_and_only_the_operator_changes(world):
    assert Region.objects.visible_to(world.worker_a).count() == Region.objects.count()
    assert not Region.objects.changeable_by(world.city_admin).exists()
    assert Region.objects.changeable_by(world.operator).count() == Region.objects.count()


def test_gate_does_not_duplicate_rows_when_a_use_unit_has_two_companies(world):
    from organizations.models import ServiceRelation

    ServiceRelation.objects.create(use_unit=world.use_unit_a, maintenance_company=world.company_b)
    visible = Organization.objects.visible_to(world.use_admin_a)
    assert visible.count() == len(set(visible.values_list("pk", flat=True)))
