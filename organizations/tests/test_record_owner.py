"""A use unit's record (单位信息) belongs to the use unit: to its own administrator, and to the company that created
it until the unit has an account; other companies that serve it only read it."""

import itertools

import pytest
from django.urls import reverse

from accounts import services as account_services
from core.policies import can
from organizations import services
from organizations.models import Organization, ServiceRelation
from tests.factories import region, unit_form_data

pytestmark = pytest.mark.django_db
_serial = itertools.count(1)


def use_unit_created_by(actor):
    data = unit_form_data(name=f"归属物业{next(_serial)}", region=region("500112"), kind="use_unit")
    return services.create_organization(actor=actor, data=data)


def first_account(unit, actor):
    return account_services.create_account(
        actor=actor,
        organization=unit,
        username=f"own_admin{next(_serial)}",
        category="use_unit_safety_manager",
        role="admin",
        full_name="物业管理员",
        phone="13800001111",
    )


def test_the_creating_company_keeps_the_record_until_the_unit_has_an_account(world):
    unit = use_unit_created_by(world.admin_a)
    ServiceRelation.objects.create(use_unit=unit, maintenance_company=world.company_b)
    assert can(world.admin_a, "change", unit)
    assert not can(world.admin_b, "change", unit) and can(world.admin_b, "view", unit)
    assert not can(world.worker_a, "change", unit)
    own_admin = first_account(unit, world.admin_a)
    assert not can(world.admin_a, "change", unit) and can(world.admin_a, "view", unit)
    assert can(own_admin, "change", unit)
    assert can(world.operator, "change", unit)


def test_a_served_unit_the_company_did_not_create_is_read_only_to_it(world):
    assert can(world.admin_a, "view", world.use_unit_a) and not can(world.admin_a, "change", world.use_unit_a)
    assert can(world.use_admin_a, "change", world.use_unit_a)
    assert set(Organization.objects.changeable_by(world.admin_a).values_list("name", flat=True)) == {"甲维保公司"}


def test_a_company_that_serves_a_shared_unit_cannot_patch_its_record(api, world):
    ServiceRelation.objects.create(use_unit=world.use_unit_a, maintenance_company=world.company_b)
    before = world.use_unit_a.contact_phone
    for company_admin in (world.admin_b, world.admin_a):
        call = api(company_admin)
        assert call("GET", f"/organizations/{world.use_unit_a.pk}").status_code == 200
        response = call("PATCH", f"/organizations/{world.use_unit_a.pk}", {"contact_phone": "13999999999"})
        assert response.status_code == 403, response.content
        assert "使用单位" in response.json()["detail"]
    world.use_unit_a.refresh_from_db()
    assert world.use_unit_a.contact_phone == before
    own = api(world.use_admin_a)("PATCH", f"/organizations/{world.use_unit_a.pk}", {"contact_phone": "13999999999"})
    assert own.status_code == 200 and own.json()["contact_phone"] == "13999999999"


def test_the_page_hides_the_edit_button_and_refuses_the_form(world, client_for):
    ServiceRelation.objects.create(use_unit=world.use_unit_a, maintenance_company=world.company_b)
    edit_url = reverse("organizations:edit", args=[world.use_unit_a.pk])
    for company_admin in (world.admin_b, world.admin_a):
        client = client_for(company_admin)
        page = client.get(reverse("organizations:detail", args=[world.use_unit_a.pk]))
        assert page.status_code == 200 and edit_url not in page.content.decode()
        refused = client.post(edit_url, unit_form_data(name="改名物业"))
        assert refused.status_code == 403 and "使用单位" in refused.content.decode()
    assert Organization.objects.get(pk=world.use_unit_a.pk).name == "甲物业"
    page = client_for(world.use_admin_a).get(reverse("organizations:detail", args=[world.use_unit_a.pk]))
    assert edit_url in page.content.decode()
    mine = use_unit_created_by(world.admin_a)
    page = client_for(world.admin_a).get(reverse("organizations:detail", args=[mine.pk]))
    assert reverse("organizations:edit", args=[mine.pk]) in page.content.decode()
