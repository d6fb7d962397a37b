"""/api/v1/: token, regions, organisations and users, all behind the same gate."""

from types import SimpleNamespace

import pytest
from ninja import Router

from accounts.models import User
from tests.factories import credit_code

pytestmark = pytest.mark.django_db


def test_token_requires_the_right_password(client, world):
    response = client.post(
        "/api/v1/auth/token", {"username": "admin_a", "password": "nope"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert "用户名或密码错误" in response.json()["detail"]


def test_a_bad_token_is_401(client, world):
    response = client.get("/api/v1/organizations", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401


def test_openapi_document_is_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/auth/token", "/api/v1/organizations", "/api/v1/users", "/api/v1/regions"} <= set(schema["paths"])
    assert client.get("/api/v1/docs").status_code == 200


def test_each_app_mounts_the_routers_its_app_config_declares(client):
    paths = set(client.get("/api/v1/openapi.json").json()["paths"])
    assert paths == {
        "/api/v1/applications",
        "/api/v1/applications/{application_id}",
        "/api/v1/applications/{application_id}/approve",
        "/api/v1/applications/{application_id}/attachments",
        "/api/v1/applications/{application_id}/attachments/{attachment_id}",
        "/api/v1/applications/{application_id}/reject",
        "/api/v1/applications/{application_id}/return",
        "/api/v1/applications/{application_id}/submit",
        "/api/v1/auth/password",
        "/api/v1/auth/token",
        "/api/v1/drills",
        "/api/v1/elevators",
        "/api/v1/elevators/{elevator_id}",
        "/api/v1/elevators/{elevator_id}/components",
        "/api/v1/elevators/{elevator_id}/inspections",
        "/api/v1/elevators/{elevator_id}/landing-doors",
        "/api/v1/elevators/{elevator_id}/qrcode.svg",
        "/api/v1/maintenance/holidays",
        "/api/v1/maintenance/holidays/{holiday_id}",
        "/api/v1/maintenance/groups",
        "/api/v1/maintenance/groups/{maintenancegroup_id}",
        "/api/v1/maintenance/groups/{maintenancegroup_id}/elevators",
        "/api/v1/maintenance/items",
        "/api/v1/maintenance/items/{maintenanceitem_id}",
        "/api/v1/maintenance/on-demand",
        "/api/v1/maintenance/on-demand/{ondemandmaintenance_id}",
        "/api/v1/maintenance/plans",
        "/api/v1/maintenance/records",
        "/api/v1/maintenance/records/join",
        "/api/v1/maintenance/records/{maintenancerecord_id}",
        "/api/v1/maintenance/records/{maintenancerecord_id}/approve",
        "/api/v1/maintenance/records/{maintenancerecord_id}/confirm",
        "/api/v1/maintenance/records/{maintenancerecord_id}/correction",
        "/api/v1/maintenance/records/{maintenancerecord_id}/finish",
        "/api/v1/maintenance/records/{maintenancerecord_id}/items",
        "/api/v1/maintenance/records/{maintenancerecord_id}/pdf",
        "/api/v1/maintenance/records/{maintenancerecord_id}/regulator",
        "/api/v1/maintenance/repairs",
        "/api/v1/mobile/agenda",
        "/api/v1/mobile/records/{maintenancerecord_id}",
        "/api/v1/maintenance/repairs/{repair_id}",
        "/api/v1/maintenance/plans/jobs/{planjob_id}",
        "/api/v1/maintenance/plans/{maintenanceplan_id}",
        "/api/v1/maintenance/plans/{maintenanceplan_id}/move",
        "/api/v1/warnings",
        "/api/v1/dashboard",
        "/api/v1/contracts",
        "/api/v1/contracts/{maintenancecontract_id}",
        "/api/v1/notifications",
        "/api/v1/notifications/read-all",
        "/api/v1/notifications/unread",
        "/api/v1/notifications/{notification_id}",
        "/api/v1/notifications/{notification_id}/read",
        "/api/v1/organizations",
        "/api/v1/organizations/{organization_id}",
        "/api/v1/pilot-applications",
        "/api/v1/pilot-applications/{pilotapplication_id}",
        "/api/v1/pilot-applications/{pilotapplication_id}/accept",
        "/api/v1/pilot-applications/{pilotapplication_id}/approve",
        "/api/v1/pilot-applications/{pilotapplication_id}/documents",
        "/api/v1/pilot-applications/{pilotapplication_id}/documents/{attachment_id}",
        "/api/v1/pilot-applications/{pilotapplication_id}/elevators",
        "/api/v1/pilot-applications/{pilotapplication_id}/elevators/{elevator_id}",
        "/api/v1/pilot-applications/{pilotapplication_id}/return",
        "/api/v1/pilot-applications/{pilotapplication_id}/review",
        "/api/v1/pilot-applications/{pilotapplication_id}/submit",
        "/api/v1/regions",
        "/api/v1/regions/{region_id}",
        "/api/v1/users",
        "/api/v1/users/{user_id}",
    }


spare_router = Router()


def test_two_apps_cannot_mount_routers_at_one_prefix(monkeypatch):
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured
    from ninja import NinjaAPI

    from api.api import mount_app_routers

    configs = [
        SimpleNamespace(label="first", api_routers={"/things": "tests.test_api.spare_router"}),
        SimpleNamespace(label="second", api_routers={"/things": "tests.test_api.spare_router"}),
    ]
    monkeypatch.setattr(apps, "get_app_configs", lambda: configs)
    with pytest.raises(ImproperlyConfigured, match="second and first both mount"):
        mount_app_routers(NinjaAPI(urls_namespace="spare"))


def test_regions_filter_by_parent(api, world):
    from organizations.models import Region

    call = api(world.worker_a)
    chongqing = Region.objects.get(code="500000")
    body = call("GET", f"/regions?parent={chongqing.pk}&limit=100").json()
    assert body["count"] == 38
    assert {"code", "name", "name_en", "level", "in_pilot"} <= set(body["items"][0])


def test_organizations_are_scoped_and_filter_by_kind_and_region(api, world):
    from organizations.models import Region

    call = api(world.admin_a)
    names = {o["name"] for o in call("GET", "/organizations?limit=100").json()["items"]}
    assert "甲物业" in names and "乙物业" not in names and "乙维保公司" not in names
    units = call("GET", "/organizations?kind=use_unit").json()["items"]
    assert [o["name"] for o in units] == ["甲物业"]
    city = api(world.city_admin)
    jlp = Region.objects.get(code="500107")
    in_jlp = {o["name"] for o in city("GET", f"/organizations?region={jlp.pk}&limit=100").json()["items"]}
    assert in_jlp == {"乙维保公司", "乙物业", "九龙坡区局"}
    assert city("GET", "/organizations?kind=spaceship").status_code == 422


def test_organization_create_and_update_through_the_api(api, world):
    from organizations.models import Region

    call = api(world.admin_a)
    payload = {
        "kind": "use_unit",
        "name": "接口物业",
        "credit_code": credit_code("500112"),
        "region_id": Region.objects.get(code="500112").pk,
        "address": "重庆市渝北区接口路1号",
        "legal_representative": "甲",
        "legal_representative_phone": "13800000000",
        "contact_name": "乙",
        "contact_phone": "13800000001",
        "latitude": 29.6,
        "longitude": 106.5,
    }
    created = call("POST", "/organizations", payload)
    assert created.status_code == 201, created.content
    org_id = created.json()["id"]
    updated = call("PATCH", f"/organizations/{org_id}", {"contact_name": "丙"})
    assert updated.status_code == 200 and updated.json()["contact_name"] == "丙"
    bad = call("POST", "/organizations", {**payload, "credit_code": "91500112000000001X"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "credit_code"
    assert "校验位" in bad.json()["detail"][0]["messages"][0]
    forbidden = call(
        "POST", "/organizations", {**payload, "kind": "maintenance_company", "credit_code": credit_code("500112")}
    )
    assert forbidden.status_code == 422 and forbidden.json()["detail"][0]["field"] == "kind"


def test_users_list_create_and_update(api, world):
    call = api(world.admin_a)
    usernames = {u["username"] for u in call("GET", "/users?limit=100").json()["items"]}
    assert usernames == {"admin_a", "worker_a"}  # the use unit's own accounts are its own
    created = call(
        "POST",
        "/users",
        {
            "username": "api_worker",
            "full_name": "接口工",
            "phone": "13800000002",
            "organization_id": world.company_a.pk,
            "category": "maintenance_worker",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["must_change_password"] is True and body["organization_name"] == "甲维保公司"
    assert User.objects.get(username="api_worker").check_password("111111")
    patched = call("PATCH", f"/users/{body['id']}", {"emergency_role": "rescuer", "is_active": False})
    assert patched.json()["emergency_role"] == "rescuer" and patched.json()["is_active"] is False


def test_users_cannot_be_created_in_another_tenants_organisation(api, world):
    call = api(world.admin_a)
    response = call(
        "POST",
        "/users",
        {
            "username": "intruder",
            "full_name": "x",
            "phone": "13800000002",
            "organization_id": world.company_b.pk,
            "category": "maintenance_worker",
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "organization_id"
    assert not User.objects.filter(username="intruder").exists()


def test_bad_user_payloads_get_field_errors(api, world):
    call = api(world.admin_a)
    response = call(
        "POST",
        "/users",
        {
            "username": "a b",
            "full_name": "",
            "phone": "1",
            "organization_id": world.company_a.pk,
            "category": "astronaut",
        },
    )
    assert response.status_code == 422
    response = call(
        "POST",
        "/users",
        {
            "username": "okname",
            "full_name": "好",
            "phone": "1",
            "organization_id": world.company_a.pk,
            "category": "maintenance_worker",
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "phone"


def test_api_list_query_count_is_bounded(api, world, django_assert_max_num_queries):
    from tests.factories import OrganizationFactory, UserFactory

    for i in range(25):
        UserFactory(username=f"many{i}", organization=world.company_a, category="maintenance_worker", role="staff")
        OrganizationFactory(kind="manufacturer")
    call = api(world.admin_a)
    with django_assert_max_num_queries(10):
        assert call("GET", "/users?limit=50").status_code == 200
    with django_assert_max_num_queries(10):
        assert call("GET", "/organizations?limit=50").status_code == 200


def test_user_patch_cannot_change_what_the_create_fixes(api, world):
    call = api(world.admin_a)
    worker = world.worker_a
    patched = call(
        "PATCH", f"/users/{worker.pk}", {"username": "renamed", "must_change_password": False, "full_name": "新名"}
    )
    assert patched.status_code == 200, patched.content
    worker.refresh_from_db()
    assert (worker.username, worker.full_name) == ("worker_a", "新名")
    assert patched.json()["must_change_password"] == worker.must_change_password
    assert call("PATCH", f"/users/{worker.pk}", {"organization_id": None}).status_code == 422
    assert call("PATCH", f"/users/{worker.pk}", {"full_name": ""}).status_code == 422
    assert call("PATCH", f"/users/{worker.pk}", {"email": None}).json()["email"] == ""


def test_organization_patch_keeps_the_kind_and_refuses_an_empty_region(api, world):
    call = api(world.use_admin_a)
    unit = world.use_unit_a
    patched = call("PATCH", f"/organizations/{unit.pk}", {"kind": "manufacturer", "address": "重庆市渝北区新路9号"})
    assert patched.status_code == 200, patched.content
    assert (patched.json()["kind"], patched.json()["address"]) == ("use_unit", "重庆市渝北区新路9号")
    assert call("PATCH", f"/organizations/{unit.pk}", {"region_id": None}).status_code == 422
    assert call("PATCH", f"/organizations/{unit.pk}", {"address": "x"}).status_code == 422


def test_validation_errors_name_the_apis_own_fields(api, world):
    """A district bureau placing a unit outside its district: the service speaks of `region`, the API of
    `region_id`, the field the caller sent."""
    from organizations.models import Region

    response = api(world.yubei_admin)(
        "POST",
        "/organizations",
        {
            "kind": "use_unit",
            "name": "区外物业",
            "credit_code": credit_code("500107"),
            "region_id": Region.objects.get(code="500107").pk,
            "address": "重庆市九龙坡区某路1号",
            "legal_representative": "甲",
            "legal_representative_phone": "13800000000",
            "contact_name": "乙",
            "contact_phone": "13800000001",
        },
    )
    assert response.status_code == 422, response.content
    assert [error["field"] for error in response.json()["detail"]] == ["region_id"]
