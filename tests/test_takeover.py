"""Issue 12, "who may act on whom": a company must not take over a competitor's elevators through a shared use unit.

The chain that used to work: two companies serve one use unit; one opens an administrator account in that unit (or
resets the unit administrator's password to 111111), logs in with it, sees the competitor's elevators there and
PATCHes their maintenance_company_id to itself. Each link is refused now.
"""

import pytest
from django.urls import reverse

from accounts.models import User
from elevators.models import Elevator
from organizations.models import ServiceRelation
from tests.factories import TEST_PASSWORD, make_elevator

pytestmark = pytest.mark.django_db


def test_a_company_cannot_take_over_a_competitors_elevators_in_a_shared_use_unit(api, world, client_for):
    # use unit A is served by company A and, from today, by company B too; company A keeps an elevator there
    ServiceRelation.objects.create(use_unit=world.use_unit_a, maintenance_company=world.company_b)
    elevator = make_elevator(world, company=world.company_a, use_unit=world.use_unit_a)
    intruder = api(world.admin_b)
    assert intruder("GET", f"/organizations/{world.use_unit_a.pk}").status_code == 200  # B sees the shared unit
    assert intruder("GET", f"/elevators/{elevator.pk}").status_code == 404  # but not A's elevator

    # 1. B opens an administrator account in the shared use unit: refused, nothing saved
    response = intruder(
        "POST",
        "/users",
        {
            "username": "takeover",
            "full_name": "接管者",
            "phone": "13800009999",
            "organization_id": world.use_unit_a.pk,
            "category": "use_unit_safety_manager",
            "role": "admin",
        },
    )
    assert response.status_code == 422, response.content
    [error] = response.json()["detail"]
    assert error["field"] == "organization_id"
    assert "开设账号" in error["messages"][0]
    assert not User.objects.filter(username="takeover").exists()

    # 2. B resets the unit administrator's password to 111111, or deactivates or edits the account: not B's account
    unit_admin = world.use_admin_a
    page = client_for(world.admin_b).post(
        reverse("accounts:user_reset_password", args=[unit_admin.pk]), {"reason": "接管"}
    )
    assert page.status_code == 404
    assert intruder("PATCH", f"/users/{unit_admin.pk}", {"is_active": False}).status_code == 404
    assert intruder("PATCH", f"/users/{unit_admin.pk}", {"phone": "13800009999"}).status_code == 404
    unit_admin.refresh_from_db()
    assert unit_admin.check_password(TEST_PASSWORD) and unit_admin.is_active and unit_admin.phone != "13800009999"

    # 3. with an account of the use unit (here its own administrator), PATCH the elevator's company: refused
    in_unit = api(unit_admin)
    assert in_unit("GET", f"/elevators/{elevator.pk}").status_code == 200
    response = in_unit(
        "PATCH", f"/elevators/{elevator.pk}", {"maintenance_company_id": world.company_b.pk, "reason": "换维保"}
    )
    assert response.status_code == 422, response.content
    [error] = response.json()["detail"]
    assert error["field"] == "maintenance_company_id"
    assert "维保单位变更" in error["messages"][0]
    # nothing half-saved: another field sent with it did not land either
    response = in_unit(
        "PATCH", f"/elevators/{elevator.pk}", {"maintenance_company_id": world.company_b.pk, "building": "改名大厦"}
    )
    assert response.status_code == 422
    elevator.refresh_from_db()
    assert elevator.maintenance_company == world.company_a and elevator.building != "改名大厦"
    # B cannot even address A's elevator; sending the current company is no change and passes
    assert (
        intruder("PATCH", f"/elevators/{elevator.pk}", {"maintenance_company_id": world.company_b.pk}).status_code
        == 404
    )
    same = in_unit(
        "PATCH", f"/elevators/{elevator.pk}", {"maintenance_company_id": world.company_a.pk, "building": "新楼"}
    )
    assert same.status_code == 200 and same.json()["building"] == "新楼"
    assert Elevator.objects.visible_to(world.admin_b).filter(pk=elevator.pk).exists() is False
