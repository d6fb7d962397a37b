"""The isolation sweep: every page and API path that names an object or lists them, tried as another tenant.

The pages and paths are discovered (tests/sweep.py): a new app's URLs are swept without being listed here; an
object URL whose view does not declare its model fails the sweep. Each model needs one object of company B below.
"""

import itertools
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from elevators.models import ProblemReport
from imports.models import ImportJob
from organizations import services as org_services
from tests import sweep
from tests.factories import make_elevator
from tests.factories import png_upload as upload

pytestmark = pytest.mark.django_db
FACES = Path(__file__).resolve().parents[1].parent / "shared" / "testdata" / "faces"


@pytest.fixture
def objects_of_b(world):
    """Company B's objects by model, which company A's people (and other areas' bureaus) must never reach."""
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
    problem = ProblemReport.objects.create(elevator=elevator, category="noise", description="乙公司电梯的异响")
    from elevators.services import record_inspection

    inspection = record_inspection(
        elevator,
        actor=world.admin_b,
        data={"kind": "periodic", "date": date.today(), "result": "passed", "number": "乙公司检验报告-0001"},
        upload=SimpleUploadedFile("乙公司检验报告.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )
    job = ImportJob.objects.create(
        kind="elevators", organization=world.company_b, created_by=world.admin_b, status="done"
    )
    from maintenance.services import create_item

    item = create_item(
        actor=world.admin_b,
        data={"annex": "A", "cycle": "quarter", "part": "乙公司自定项目", "requirement": "乙公司要求"},
    )
    from maintenance.models import MaintenancePlan, PlanJob
    from maintenance.services import plans

    plans.generate_year(elevator, date.today(), actor=world.admin_b, avoid=frozenset())
    plan = MaintenancePlan.objects.filter(elevator=elevator).first()
    plan_job = PlanJob.objects.create(
        organization=world.company_b, created_by=world.admin_b, start_date=date.today(), status="done"
    )
    from maintenance.services import save_planning_settings, set_on_demand

    planning = save_planning_settings(world.company_b, avoid="days_off", actor=world.admin_b)
    from alerts.services import save_alert_settings

    alert_settings = save_alert_settings(world.company_b, maintenance_near_days=9, actor=world.admin_b)
    on_demand = set_on_demand(
        elevator, interval_days=30, starts_on=date(2027, 1, 1), note="乙公司电梯按需维保批复", actor=world.operator
    )
    from maintenance.services import assign_elevators, create_group

    group = create_group(actor=world.admin_b, data={"name": "乙公司一组", "leader": world.admin_b})
    assign_elevators(group, [elevator.pk], actor=world.admin_b)
    from records.models import MaintenanceRecord, RecordWorker

    record = MaintenanceRecord.objects.create(
        organization=world.company_b,
        elevator=elevator,
        cycle="half_month",
        work_type="HM",
        status="finished",
        started_at=timezone.now(),
        hazard_codes=["S0"],
    )
    RecordWorker.objects.create(
        record=record, user=world.worker_b, role="first", joined_at=record.started_at, face_matched=True
    )
    from records.repairs import create_repair

    repair = create_repair(
        actor=world.admin_b, data={"elevator": elevator, "fault": "乙公司电梯的门机故障", "reported_at": timezone.now()}
    )
    from notifications.services import notify

    notification = notify(
        world.company_b,
        "unconfirmed_record",
        f"维保纪录超过 24 小时未确认：{elevator.register_code}",
        "乙公司的通知正文",
        record.get_absolute_url(),
        about=record,
    )
    from applications import services as application_services
    from applications.tests.builders import file

    registration = make_elevator(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107")
    application = file(world, "registration", [registration], actor=world.admin_b, reason="乙公司电梯的使用登记备注")
    application_services.submit(application, actor=world.admin_b)  # to the 九龙坡 bureau: bureaus see it now
    document = application_services.attachments_of(application).first()
    from applications.tests.builders import in_use
    from organizations.models import Region
    from pilot import services as pilot_services
    from pilot.tests.test_services import ready

    Region.objects.filter(code="500107").update(in_pilot=True)  # 九龙坡 joins the pilot: its bureau handles B's
    pilot_elevator = in_use(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107")
    pilot = ready(world, [pilot_elevator], actor=world.admin_b, system_description="乙公司的维保信息化系统介绍")
    pilot_services.submit(pilot, actor=world.admin_b)
    pilot.refresh_from_db()
    assert pilot.regulator == world.jlp_bureau
    pilot_document = pilot_services.documents_of(pilot).first()
    from contracts.tests.builders import make_contract
    from drills.tests.helpers import make_drill

    contract = make_contract(
        world, company=world.company_b, use_unit=world.use_unit_b, elevators=[elevator], number="乙公司维保合同-0001"
    )
    drill = make_drill(world, company=world.company_b, elevators=[elevator], subject="乙公司的盘车救援演练")
    return {
        "contracts.maintenancecontract": [contract],
        "drills.emergencydrill": [drill],
        "pilot.pilotapplication": [pilot],
        "applications.application": [application],
        "notifications.notification": [notification],
        "records.repair": [repair],
        "records.maintenancerecord": [record],
        "maintenance.maintenancegroup": [group],
        "maintenance.maintenanceitem": [item],
        "maintenance.maintenanceplan": [plan],
        "maintenance.planjob": [plan_job],
        "maintenance.planningsettings": [planning],
        "alerts.alertsettings": [alert_settings],
        "maintenance.ondemandmaintenance": [on_demand],
        "imports.importjob": [job],
        "elevators.elevator": [elevator],
        "elevators.component": [elevator.components.first()],
        "elevators.problemreport": [problem],
        "elevators.inspectionreport": [inspection],
        "accounts.user": [world.worker_b, world.admin_b],
        "organizations.organization": [world.company_b, world.use_unit_b],
        "organizations.organizationqualification": [qualification],
        "core.attachment": [
            face.image,
            document,
            pilot_document,
            inspection.report_file,
            contract.contract_file,
            drill.photos().first(),
        ],
    }


def markers(objects_of_b) -> list[str]:
    """Strings that only B's objects print: none may appear in another tenant's list or export."""
    elevator = objects_of_b["elevators.elevator"][0]
    return [
        elevator.register_code,
        objects_of_b["elevators.problemreport"][0].description,
        objects_of_b["elevators.inspectionreport"][0].number,
        objects_of_b["maintenance.maintenanceitem"][0].part,
        objects_of_b["maintenance.ondemandmaintenance"][0].note,
        objects_of_b["maintenance.maintenancegroup"][0].name,
        objects_of_b["records.repair"][0].fault,
        objects_of_b["notifications.notification"][0].body,
        objects_of_b["applications.application"][0].reason,
        objects_of_b["pilot.pilotapplication"][0].system_description,
        objects_of_b["pilot.pilotapplication"][0].number,
        objects_of_b["contracts.maintenancecontract"][0].number,
        objects_of_b["drills.emergencydrill"][0].subject,
        *[user.username for user in objects_of_b["accounts.user"]],
        *[org.name for org in objects_of_b["organizations.organization"]],
    ]


OUTSIDERS = ["admin_a", "use_admin_a", "yubei_admin", "sz_admin"]
POST_DATA = {"reason": "x", "decision": "approve", "to_state": "closed", "note": "x", "in_pilot": "1"}


def test_every_object_page_can_be_swept():
    pages, problems = sweep.object_pages()
    assert not problems, problems
    assert {p.name for p in pages} >= {"elevators:detail", "organizations:detail", "accounts:user_detail"}


def test_the_sweep_refuses_an_object_page_it_cannot_try():
    """A URL that names an object but whose view does not say which model is a failure, not a silent gap."""
    pages, problems = sweep.object_pages("tests.sweep_probe")
    assert any("probe:undeclared" in problem for problem in problems), problems
    assert any("probe:second_id" in problem for problem in problems), problems
    assert "probe:declared" in {p.name for p in pages}
    _found, api_problems = sweep.api_paths({"/api/v1/things/{thing_id}": {"get": {}}})
    assert api_problems and "thing_id" in api_problems[0]


def test_every_object_api_path_can_be_swept():
    from api.api import api

    found, problems = sweep.api_paths(api.get_openapi_schema()["paths"])
    assert not problems, problems
    assert {path for path, *_ in found} >= {"/api/v1/elevators/{elevator_id}", "/api/v1/users/{user_id}"}


def _parts_of_b(objects_of_b, parts: dict, where: str):
    """Each choice of company B's objects for the parts a URL names besides its object ({} when it names none)."""
    choices = []
    for name, model in parts.items():
        objects = objects_of_b.get(model._meta.label_lower)
        assert objects, f"{where}: add an object of {model._meta.label} to objects_of_b"
        choices.append([(name, obj.pk) for obj in objects])
    for choice in itertools.product(*choices):
        yield dict(choice)


def _object_pages_of_b(objects_of_b):
    """(page, its URL arguments) for each object of company B that each object page names."""
    pages, _problems = sweep.object_pages()
    for page in pages:
        if sweep.is_shared(page.model):
            continue
        objects = objects_of_b.get(page.model._meta.label_lower)
        assert objects, f"{page.name}: add an object of {page.model._meta.label} to objects_of_b"
        for obj in objects:
            for parts in _parts_of_b(objects_of_b, page.parts, page.name):
                yield page, {"pk": obj.pk, **parts}


@pytest.mark.parametrize("who", OUTSIDERS)
def test_another_tenants_object_page_is_404(world, objects_of_b, client_for, who):
    client = client_for(getattr(world, who))
    for page, kwargs in _object_pages_of_b(objects_of_b):
        url = reverse(page.name, kwargs=kwargs)
        for method in ("get", "post"):
            response = getattr(client, method)(url, POST_DATA if method == "post" else None)
            assert response.status_code in (404, 405), (who, method, url, response.status_code)


def test_the_operator_reaches_every_object_page(world, objects_of_b, client_for):
    """The sweep's 404s come from the gate, not from broken URLs: the operator gets each page (or, for a page of a
    state the object has left, such as the editor of a submitted pilot application, is sent to the object's page)."""
    client = client_for(world.operator)
    for page, kwargs in _object_pages_of_b(objects_of_b):
        url = reverse(page.name, kwargs=kwargs)
        response = client.get(url)
        if response.status_code == 302:
            obj = page.model._default_manager.get(pk=kwargs["pk"])
            assert response["Location"] == obj.get_absolute_url(), (url, response["Location"])
            continue
        assert response.status_code in (200, 405), url


@pytest.mark.parametrize("who", OUTSIDERS)
def test_another_tenants_objects_are_not_in_any_list_or_export(world, objects_of_b, client_for, who):
    client = client_for(getattr(world, who))
    hidden = markers(objects_of_b)
    pages = list(sweep.list_pages())
    assert {p.name for p, _kwargs in pages} >= {"elevators:list", "accounts:user_list", "organizations:list"}
    for page, kwargs_list in pages:
        for kwargs in kwargs_list:
            url = reverse(page.name, kwargs=kwargs or None)
            response = client.get(url)
            if response.status_code == 403:
                continue
            assert response.status_code == 200, (who, url, response.status_code)
            own = objects_of_b.get(page.model._meta.label_lower, [])
            listed = {obj.pk for obj in response.context["object_list"]}
            assert not listed & {obj.pk for obj in own}, (who, url)
            export = client.get(url, {"export": "csv"})
            text = b"".join(export.streaming_content).decode("utf-8-sig")
            assert not [m for m in hidden if m in text], (who, url)


@pytest.mark.parametrize("who", ["admin_a", "yubei_admin", "sz_admin"])
def test_another_tenants_object_is_404_in_the_api(world, objects_of_b, client_for, who):
    from api.api import api

    found, _problems = sweep.api_paths(api.get_openapi_schema()["paths"])
    client = client_for(getattr(world, who))
    for path, param, model, methods, parts in found:
        if sweep.is_shared(model):
            continue
        objects = objects_of_b.get(model._meta.label_lower)
        assert objects, f"{path}: add an object of {model._meta.label} to objects_of_b"
        for obj, ids in itertools.product(objects, list(_parts_of_b(objects_of_b, parts, path))):
            url = path.replace("{" + param + "}", str(obj.pk))
            for name, pk in ids.items():
                url = url.replace("{" + name + "}", str(pk))
            for method in methods:
                response = client.generic(method.upper(), url, "{}", content_type="application/json")
                assert response.status_code == 404, (who, method, url, response.status_code)
                if response["Content-Type"].startswith("application/json"):
                    assert "无权" in response.json()["detail"] or "不存在" in response.json()["detail"]


@pytest.mark.parametrize("who", ["admin_a", "yubei_admin", "sz_admin"])
def test_another_tenants_objects_are_not_in_any_api_list(world, objects_of_b, client_for, who):
    from api.api import api

    client = client_for(getattr(world, who))
    hidden = markers(objects_of_b)
    paths = [p for p, ops in api.get_openapi_schema()["paths"].items() if "{" not in p and "get" in ops]
    assert "/api/v1/elevators" in paths
    for path in paths:
        response = client.get(path)
        if response.status_code == 403:
            continue
        assert response.status_code == 200, (who, path, response.status_code)
        assert not [m for m in hidden if m in response.content.decode()], (who, path)


def test_the_owner_reaches_its_api_objects(world, objects_of_b, client_for):
    client = client_for(world.admin_b)
    elevator = objects_of_b["elevators.elevator"][0]
    assert client.get(f"/api/v1/elevators/{elevator.pk}").status_code == 200
    assert client.get(f"/api/v1/users/{world.worker_b.pk}").status_code == 200


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


def test_a_company_reaches_no_account_of_the_use_unit_it_serves(world, client_for):
    """Serving a use unit is no right over its people: its accounts are outside the company's rows (404)."""
    client = client_for(world.admin_a)
    for name in [
        "accounts:user_detail",
        "accounts:user_edit",
        "accounts:user_reset_password",
        "accounts:user_acknowledge",
    ]:
        url = reverse(name, kwargs={"pk": world.use_admin_a.pk})
        assert client.get(url).status_code == 404, url
        assert client.post(url, POST_DATA).status_code in (404, 405), url
    response = client.patch(
        f"/api/v1/users/{world.use_admin_a.pk}", '{"is_active": false}', content_type="application/json"
    )
    assert response.status_code == 404


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
        "organizations:qualification_review", args=[objects_of_b["organizations.organizationqualification"][0].pk]
    )
    # 九龙坡 is company B's district: its bureau may review; the Yubei bureau cannot even see B
    assert client_for(world.yubei_admin).post(url, {"decision": "approve"}).status_code == 404
    assert client_for(world.admin_a).post(url, {"decision": "approve"}).status_code == 404
    assert client_for(world.jlp_admin).post(url, {"decision": "approve"}).status_code == 302


def test_anonymous_users_are_sent_to_login(client, world):
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/api/v1/organizations").status_code == 401
