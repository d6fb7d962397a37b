"""/api/v1/elevators: list with filters and cursors, detail, create, update, components, doors, QR."""

import pytest

from elevators.models import Elevator
from organizations.models import Region
from tests.factories import elevator_api_payload, make_elevator

pytestmark = pytest.mark.django_db


def payload(world, **overrides):
    fixed = {"register_code": "31105001122024070001", "rescue_code": "700001", "factory_number": "API-1"}
    return elevator_api_payload(world, **{**fixed, **overrides})


def test_create_then_read_update_components_doors_and_qr(api, world):  # noqa: F811
    call = api(world.admin_a)
    created = call("POST", "/elevators", payload(world))
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "pending_registration" and body["register_code"] == "31105001122024070001"
    assert body["public_path"].startswith("/e/") and body["latitude"] == "29.610000"
    elevator_id = body["id"]
    patched = call("PATCH", f"/elevators/{elevator_id}", {"building": "接口大厦B座", "reason": "更名"})
    assert patched.status_code == 200 and patched.json()["building"] == "接口大厦B座"
    assert len(call("GET", f"/elevators/{elevator_id}/components").json()) == 20
    doors = call("GET", f"/elevators/{elevator_id}/landing-doors").json()
    assert [d["floor_label"] for d in doors][:3] == ["1", "2", "3"]
    svg = call("GET", f"/elevators/{elevator_id}/qrcode.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"


def test_status_cannot_be_set_through_the_api(api, world):  # noqa: F811
    call = api(world.admin_a)
    created = call("POST", "/elevators", {**payload(world), "status": "in_use"}).json()
    assert created["status"] == "pending_registration"
    patched = call("PATCH", f"/elevators/{created['id']}", {"status": "scrapped"}).json()
    assert patched["status"] == "pending_registration"


def test_bad_payloads_name_the_field(api, world):  # noqa: F811
    call = api(world.admin_a)
    response = call("POST", "/elevators", payload(world, stops=20))
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "stops"
    response = call("POST", "/elevators", payload(world, use_unit_id=world.use_unit_b.pk))
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "use_unit_id"
    response = call("POST", "/elevators", payload(world, device_category="9999"))
    assert response.status_code == 422
    assert not Elevator.objects.exists()


def test_list_filters_and_cursor(api, world):  # noqa: F811
    for i in range(5):
        make_elevator(world, building=f"游标{i % 2}")
    make_elevator(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107")
    call = api(world.admin_a)
    first = call("GET", "/elevators?limit=3").json()
    assert len(first["items"]) == 3 and first["next_cursor"]
    second = call("GET", f"/elevators?limit=3&cursor={first['next_cursor']}").json()
    assert len(second["items"]) == 2 and second["next_cursor"] is None
    assert {e["building"] for e in call("GET", "/elevators?building=游标1").json()["items"]} == {"游标1"}
    city = api(world.city_admin)
    jlp = Region.objects.get(code="500107").pk
    assert len(city("GET", f"/elevators?region={jlp}").json()["items"]) == 1
    assert call("GET", "/elevators?cursor=bad!").status_code == 422


def test_a_worker_cannot_create(api, world):  # noqa: F811
    assert api(world.worker_a)("POST", "/elevators", payload(world)).status_code == 403


def test_regulator_reads_but_cannot_patch(api, world):  # noqa: F811
    elevator = make_elevator(world)
    call = api(world.yubei_admin)
    assert call("GET", f"/elevators/{elevator.pk}").status_code == 200
    assert call("PATCH", f"/elevators/{elevator.pk}", {"building": "x"}).status_code == 403


def test_patch_writes_the_fields_the_patch_schema_used_to_miss(api, world):
    """code_scheme, cylinder_count, jacking_type, motor_power and usable_length were in ElevatorIn only."""
    call = api(world.admin_a)
    hydraulic = make_elevator(world, category="3210", drive_type="", cylinder_count=1, jacking_type="直顶")
    patched = call("PATCH", f"/elevators/{hydraulic.pk}", {"cylinder_count": 2, "jacking_type": "侧顶"})
    assert patched.status_code == 200, patched.content
    assert (patched.json()["cylinder_count"], patched.json()["jacking_type"]) == (2, "侧顶")
    hydraulic.refresh_from_db()
    assert (hydraulic.cylinder_count, hydraulic.jacking_type) == (2, "侧顶")
    # 3110 means a traction passenger elevator in both catalogues, so either scheme fits its code
    traction = make_elevator(world)
    assert call("PATCH", f"/elevators/{traction.pk}", {"code_scheme": "legacy"}).json()["code_scheme"] == "legacy"
    # 3210 before 2014 was a traction freight elevator (曳引式货梯): the hydraulic one's code cannot be legacy
    refused = call("PATCH", f"/elevators/{hydraulic.pk}", {"code_scheme": "legacy"})
    assert refused.status_code == 422 and "曳引式货梯" in refused.json()["detail"][0]["messages"][0]
    assert call("PATCH", f"/elevators/{hydraulic.pk}", {"jacking_type": None}).json()["jacking_type"] == ""

    escalator = make_elevator(world, category="3310")
    patched = call("PATCH", f"/elevators/{escalator.pk}", {"motor_power": 7.5, "usable_length": 12.3})
    assert patched.status_code == 200, patched.content
    assert (patched.json()["motor_power"], patched.json()["usable_length"]) == ("7.5", "12.30")
    escalator.refresh_from_db()
    assert (str(escalator.motor_power), str(escalator.usable_length)) == ("7.5", "12.30")


def test_patch_applies_only_the_fields_sent_and_checks_them_as_the_create_does(api, world):
    call = api(world.admin_a)
    elevator = make_elevator(world, internal_number="A-1")
    patched = call("PATCH", f"/elevators/{elevator.pk}", {"floors": 8, "stops": 8, "doors": 8}).json()
    assert (patched["floors"], patched["internal_number"], patched["rated_load"]) == (8, "A-1", 1000)
    assert call("PATCH", f"/elevators/{elevator.pk}", {"building": ""}).status_code == 422
    assert (
        call("PATCH", f"/elevators/{elevator.pk}", {"register_code": "31105001122024079999"}).json()["register_code"]
        == elevator.register_code
    )
