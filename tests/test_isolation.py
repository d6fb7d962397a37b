"""The isolation sweep: every page and API path that names an object, tried as another tenant.

New object URLs must be added to OBJECT_PAGES / OBJECT_API below, or the coverage tests fail.
"""

from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts import services as account_services
from elevators.models import ProblemReport
from imports.models import ImportJob
from organizations import services as org_services
from tests.factories import make_elevator
from tests.factories import png_upload as upload

pytestmark = pytest.mark.django_db
FACES = Path(__file__).resolve().parents[1].parent / "shared" / "testdata" / "faces"


@pytest.fixture
def objects_of_b(world):
    """Company B's objects, which company A's people must never reach."""
    qualification = org_services.submit_qualification(
        world.company_b,
        actor=world.admin_b,
        certificate_number="B-1",
        valid_from=date(2025, 1, 1),
        valid_until=date(2028, 1, 1),
        business_licence=upload(),
        qualification_certificate=upload(),
        self_declaration=upload(),
    )
    face_photo = SimpleUploadedFile("face.jpg", (FACES / "obama.jpg").read_bytes(), content_type="image/jpeg")
    face = account_services.set_face_photo(world.worker_b, actor=world.admin_b, image_file=face_photo)
    elevator = make_elevator(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107")
    problem = ProblemReport.objects.create(elevator=elevator, category="noise", description="异响")
    job = ImportJob.objects.create(
        kind="elevators", organization=world.company_b, created_by=world.admin_b, status="done"
    )
    return {
        "import_job": job.pk,
        "elevator": elevator.pk,
        "problem": problem.pk,
        "user": world.worker_b.pk,
        "org": world.company_b.pk,
        "use_unit": world.use_unit_b.pk,
        "qualification": qualification.pk,
        "attachment": face.image_id,
    }


# url name -> (kwargs builder, methods)
OBJECT_PAGES = {
    "accounts:user_detail": (lambda o: {"pk": o["user"]}, ["get"]),
    "accounts:user_edit": (lambda o: {"pk": o["user"]}, ["get", "post"]),
    "accounts:user_qualification": (lambda o: {"pk": o["user"]}, ["get", "post"]),
    "accounts:user_face": (lambda o: {"pk": o["user"]}, ["get", "post"]),
    "accounts:user_reset_password": (lambda o: {"pk": o["user"]}, ["post"]),
    "organizations:detail": (lambda o: {"pk": o["org"]}, ["get"]),
    "organizations:edit": (lambda o: {"pk": o["use_unit"]}, ["get", "post"]),
    "organizations:qualification": (lambda o: {"pk": o["org"]}, ["get", "post"]),
    "organizations:qualification_review": (
        lambda o: {"pk": o["org"], "qualification_id": o["qualification"]},
        ["post"],
    ),
    "core:attachment": (lambda o: {"pk": o["attachment"]}, ["get"]),
    "elevators:detail": (lambda o: {"pk": o["elevator"]}, ["get"]),
    "elevators:edit": (lambda o: {"pk": o["elevator"]}, ["get", "post"]),
    "elevators:components": (lambda o: {"pk": o["elevator"]}, ["get", "post"]),
    "elevators:landing_doors": (lambda o: {"pk": o["elevator"]}, ["get", "post"]),
    "elevators:qr_svg": (lambda o: {"pk": o["elevator"]}, ["get"]),
    "elevators:sign": (lambda o: {"pk": o["elevator"]}, ["get"]),
    "elevators:problem_handle": (lambda o: {"pk": o["problem"]}, ["post"]),
    "imports:detail": (lambda o: {"pk": o["import_job"]}, ["get"]),
    "imports:progress": (lambda o: {"pk": o["import_job"]}, ["get"]),
    "imports:rejected": (lambda o: {"pk": o["import_job"]}, ["get"]),
}
# Objects every user may see (reference data); their write paths are operator-only (403, tested below).
SHARED_PAGES = {"organizations:region_pilot"}

OBJECT_API = {
    "/api/v1/users/{user_id}": (lambda o: {"user_id": o["user"]}, ["get", "patch"]),
    "/api/v1/organizations/{org_id}": (lambda o: {"org_id": o["use_unit"]}, ["get", "patch"]),
    "/api/v1/elevators/{elevator_id}": (lambda o: {"elevator_id": o["elevator"]}, ["get", "patch"]),
    "/api/v1/elevators/{elevator_id}/components": (lambda o: {"elevator_id": o["elevator"]}, ["get"]),
    "/api/v1/elevators/{elevator_id}/landing-doors": (lambda o: {"elevator_id": o["elevator"]}, ["get"]),
    "/api/v1/elevators/{elevator_id}/qrcode.svg": (lambda o: {"elevator_id": o["elevator"]}, ["get"]),
}
SHARED_API = {"/api/v1/regions/{region_id}"}


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def test_every_object_page_is_in_the_sweep():
    ours = ("accounts:", "organizations:", "core:", "elevators:", "imports:")
    with_objects = {
        name
        for name, p in _named_patterns()
        if name.startswith(ours) and p.pattern.converters and "kind" not in p.pattern.converters
    }
    assert with_objects == set(OBJECT_PAGES) | SHARED_PAGES


def test_every_object_api_path_is_in_the_sweep():
    from api.api import api

    paths = {p for p in api.get_openapi_schema()["paths"] if "{" in p}
    assert paths == set(OBJECT_API) | SHARED_API


@pytest.mark.parametrize("name", sorted(OBJECT_PAGES))
@pytest.mark.parametrize("who", ["admin_a", "use_admin_a", "yubei_admin", "sz_admin"])
def test_another_tenants_object_page_is_404(world, objects_of_b, client_for, name, who):
    kwargs_for, methods = OBJECT_PAGES[name]
    url = reverse(name, kwargs=kwargs_for(objects_of_b))
    client = client_for(getattr(world, who))
    for method in methods:
        response = getattr(client, method)(url, {"reason": "x", "decision": "approve"} if method == "post" else None)
        assert response.status_code == 404, (who, method, url, response.status_code)


@pytest.mark.parametrize("path", sorted(OBJECT_API))
@pytest.mark.parametrize("who", ["admin_a", "yubei_admin", "sz_admin"])
def test_another_tenants_object_is_404_in_the_api(world, objects_of_b, client_for, path, who):
    kwargs_for, methods = OBJECT_API[path]
    url = path.format(**kwargs_for(objects_of_b))
    client = client_for(getattr(world, who))
    for method in methods:
        if method == "get":
            response = client.get(url)
        else:
            response = client.generic(
                method.upper(), url, '{"contact_name": "x", "full_name": "x"}', content_type="application/json"
            )
        assert response.status_code == 404, (who, method, url, response.status_code)
        if response["Content-Type"].startswith("application/json"):
            assert "无权" in response.json()["detail"] or "不存在" in response.json()["detail"]


def test_the_owner_reaches_the_same_pages(world, objects_of_b, client_for):
    """The sweep's 404s come from the gate, not from broken URLs: company B gets 200."""
    client = client_for(world.admin_b)
    for name, (kwargs_for, methods) in OBJECT_PAGES.items():
        if "get" in methods:
            url = reverse(name, kwargs=kwargs_for(objects_of_b))
            assert client.get(url).status_code == 200, url
    for path, (kwargs_for, _methods) in OBJECT_API.items():
        assert client.get(path.format(**kwargs_for(objects_of_b))).status_code == 200


# --- missing permission: 403 ---------------------------------------------------------------


def test_worker_may_not_maintain_accounts(world, client_for):
    client = client_for(world.worker_a)
    for name in ["accounts:user_list", "accounts:user_create"]:
        assert client.get(reverse(name)).status_code == 403
    for name in ["accounts:user_detail", "accounts:user_edit", "accounts:user_qualification", "accounts:user_face"]:
        assert client.get(reverse(name, kwargs={"pk": world.worker_a.pk})).status_code == 403
    assert client.get("/api/v1/users").status_code == 403
    assert client.post("/api/v1/users", "{}", content_type="application/json").status_code in (403, 422)


def test_worker_may_not_edit_the_company(world, client_for):
    client = client_for(world.worker_a)
    assert client.get(reverse("organizations:edit", kwargs={"pk": world.company_a.pk})).status_code == 403
    assert client.get(reverse("organizations:qualification", kwargs={"pk": world.company_a.pk})).status_code == 403
    response = client.patch(
        f"/api/v1/organizations/{world.company_a.pk}", '{"contact_name": "x"}', content_type="application/json"
    )
    assert response.status_code == 403


def test_use_unit_sees_but_may_not_edit_its_maintenance_company(world, client_for):
    client = client_for(world.use_admin_a)
    assert client.get(reverse("organizations:detail", kwargs={"pk": world.company_a.pk})).status_code == 200
    assert client.get(reverse("organizations:edit", kwargs={"pk": world.company_a.pk})).status_code == 403


def test_only_some_kinds_may_create_units(world, client_for):
    assert client_for(world.admin_a).get(reverse("organizations:create", args=["use_unit"])).status_code == 200
    assert (
        client_for(world.admin_a).get(reverse("organizations:create", args=["maintenance_company"])).status_code == 403
    )
    assert client_for(world.use_admin_a).get(reverse("organizations:create", args=["use_unit"])).status_code == 403
    assert (
        client_for(world.yubei_admin).get(reverse("organizations:create", args=["maintenance_company"])).status_code
        == 200
    )


def test_only_the_operator_flags_pilot_districts(world, client_for):
    from organizations.models import Region

    region = Region.objects.get(code="500105")
    url = reverse("organizations:region_pilot", kwargs={"pk": region.pk})
    assert client_for(world.city_admin).post(url, {"in_pilot": "1"}).status_code == 403
    assert client_for(world.operator).post(url, {"in_pilot": "1"}).status_code == 302
    region.refresh_from_db()
    assert region.in_pilot


def test_regulator_may_not_review_outside_its_jurisdiction(world, objects_of_b, client_for):
    url = reverse(
        "organizations:qualification_review",
        kwargs={"pk": objects_of_b["org"], "qualification_id": objects_of_b["qualification"]},
    )
    # 九龙坡 is company B's district: its bureau may review; the Yubei bureau cannot even see B
    assert client_for(world.yubei_admin).post(url, {"decision": "approve"}).status_code == 404
    assert client_for(world.admin_a).post(url, {"decision": "approve"}).status_code == 404
    assert client_for(world.jlp_admin).post(url, {"decision": "approve"}).status_code == 302


def test_anonymous_users_are_sent_to_login(client, world):
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/api/v1/organizations").status_code == 401
