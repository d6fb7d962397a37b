"""Rescue units and inspection institutes see the elevators of their area, and so (read only) the units that
maintain or use them: a rescue dispatcher calls the company."""

import pytest
from django.urls import reverse

from core.policies import can
from organizations.models import Organization
from tests.factories import OrganizationFactory, UserFactory, make_elevator, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(world):
    world.company_a.contact_phone = "023-61110001"
    world.company_a.save()
    world.use_unit_a.contact_phone = "023-61110002"
    world.use_unit_a.save()
    world.rescue = OrganizationFactory(kind="rescue_unit", name="重庆96333救援中心", region=region("500112"))
    world.inspection = OrganizationFactory(kind="inspection_institute", name="深圳检验院", region=region("440300"))
    world.rescuer = UserFactory(username="rescuer", organization=world.rescue, category="rescue_worker")
    world.inspector = UserFactory(username="inspector", organization=world.inspection, category="inspector")
    world.maker = UserFactory(username="maker", organization=world.manufacturer, category="manufacturer_staff")
    world.elevator = make_elevator(world)  # company A, use unit A, 渝北区
    world.elevator_b = make_elevator(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107")
    world.idle = OrganizationFactory(kind="maintenance_company", name="无电梯维保公司", region=region("500112"))
    return world


def test_a_rescue_unit_reads_the_units_working_in_its_city(area, client_for, api):
    visible = set(Organization.objects.visible_to(area.rescuer).values_list("name", flat=True))
    assert {"甲维保公司", "甲物业", "乙维保公司", "乙物业"} <= visible
    assert "无电梯维保公司" not in visible  # no elevator in the area: not the rescue unit's business
    assert not Organization.objects.changeable_by(area.rescuer).exclude(pk=area.rescue.pk).exists()
    client = client_for(area.rescuer)
    page = client.get(reverse("organizations:detail", args=[area.company_a.pk]))
    assert page.status_code == 200 and "023-61110001" in page.content.decode()
    assert reverse("organizations:edit", args=[area.company_a.pk]) not in page.content.decode()
    assert client.get(reverse("organizations:edit", args=[area.company_a.pk])).status_code == 403
    assert client.get(reverse("organizations:detail", args=[area.idle.pk])).status_code == 404
    call = api(area.rescuer)
    assert call("GET", f"/organizations/{area.use_unit_b.pk}").json()["contact_phone"] == area.use_unit_b.contact_phone
    assert call("PATCH", f"/organizations/{area.company_a.pk}", {"contact_name": "x"}).status_code == 403
    assert not can(area.rescuer, "change", area.company_a)


def test_an_inspection_institute_reads_only_the_units_of_its_own_city(area, client_for):
    make_elevator(area, region_code="440305", rescue_code="440305")  # company A also works in 深圳南山区
    visible = set(Organization.objects.visible_to(area.inspector).values_list("name", flat=True))
    assert {"甲维保公司", "甲物业"} <= visible
    assert not visible & {"乙维保公司", "乙物业", "无电梯维保公司"}
    assert client_for(area.inspector).get(reverse("organizations:detail", args=[area.company_b.pk])).status_code == 404


def test_the_elevator_page_shows_the_units_phones_to_a_rescue_unit(area, client_for):
    page = client_for(area.rescuer).get(reverse("elevators:detail", args=[area.elevator.pk])).content.decode()
    assert "023-61110001" in page and "023-61110002" in page
    assert reverse("organizations:detail", args=[area.company_a.pk]) in page


def test_the_elevator_page_links_only_to_units_the_viewer_may_see(area, client_for):
    """A manufacturer sees the elevators it made, not the units that keep them: names without links or phones."""
    page = client_for(area.maker).get(reverse("elevators:detail", args=[area.elevator.pk])).content.decode()
    assert "甲维保公司" in page and "023-61110001" not in page
    assert reverse("organizations:detail", args=[area.company_a.pk]) not in page
