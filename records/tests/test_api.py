"""/api/v1/maintenance/records: a whole visit through the API, as the phone makes it."""

from datetime import date
from decimal import Decimal

import pytest

from maintenance.models import GroupAssignment, MaintenanceGroup
from maintenance.services.plans import generate_year
from records import services
from records.models import MaintenanceRecord, RecordStatus
from tests.factories import UserFactory, make_elevator, make_world, png_upload, qualify

pytestmark = pytest.mark.django_db
SITE = {"latitude": "29.5952", "longitude": "106.5383", "accuracy": "10"}


@pytest.fixture
def team(monkeypatch):
    monkeypatch.setattr(services, "verify_face", lambda user, data: (True, 0.3))
    world = make_world()
    world.second = UserFactory(organization=world.company_a, category="maintenance_worker", role="staff")
    for worker in (world.worker_a, world.second):
        qualify(worker)
    world.elevator = make_elevator(world, latitude=Decimal("29.5951"), longitude=Decimal("106.5382"))
    group = MaintenanceGroup.objects.create(organization=world.company_a, name="一组", leader=world.worker_a)
    group.members.add(world.worker_a, world.second)
    GroupAssignment.objects.create(elevator=world.elevator, group=group)
    generate_year(world.elevator, date(2026, 11, 20), actor=world.admin_a, avoid=frozenset(), today=date(2026, 11, 20))
    return world


def test_a_visit_through_the_api(team, client_for):
    visit_through_the_api(team, client_for)


def visit_through_the_api(team, client_for) -> str:
    """A whole visit as the phone makes it, confirmed by the use unit; returns the record's API URL."""
    first, second = client_for(team.worker_a), client_for(team.second)
    started = first.post(
        "/api/v1/maintenance/records",
        {
            "elevator": team.elevator.register_code,
            **SITE,
            "started_at": "2026-11-25T09:00:00+08:00",
            "selfie": png_upload(),
        },
    )
    assert started.status_code == 201, started.content
    record = started.json()
    assert record["status"] == "in_progress" and record["items"] and record["workers"][0]["face_matched"]
    url = f"/api/v1/maintenance/records/{record['id']}"
    join = {"code": record["join_code"], **SITE, "selfie": png_upload()}
    joined = second.post("/api/v1/maintenance/records/join", join)
    assert joined.status_code == 200, joined.content
    for item in record["items"]:
        data = {"item": item["id"], "result": "normal"}
        if item["judgement"] == "numeric":
            data["measured_value"] = "8"
        if item["needs_photo"]:
            data["photo"] = png_upload("test.png")
        answered = first.post(f"{url}/items", data)
        assert answered.status_code == 200, answered.content
    refused = first.post(f"{url}/finish", {"hazard_codes": ["S0", "S2"]}, content_type="application/json")
    assert refused.status_code == 422 and "S0" in str(refused.json())
    done = first.post(
        f"{url}/finish",
        {"hazard_codes": ["S0"], "finished_at": "2026-11-25T09:50:00+08:00"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["duration_minutes"] == 50
    signed = client_for(team.use_admin_a).post(f"{url}/confirm", {"signature": png_upload("sign.png")})
    assert signed.status_code == 200, signed.content
    assert signed.json()["status"] == "confirmed" and len(signed.json()["seal"]) == 64
    listed = client_for(team.use_admin_a).get("/api/v1/maintenance/records?status=confirmed").json()
    assert [r["id"] for r in listed["items"]] == [record["id"]]
    return url


def test_a_correction_through_the_api(team, client_for):
    url = visit_through_the_api(team, client_for)
    worker, admin = client_for(team.worker_a), client_for(team.admin_a)
    assert (
        client_for(team.worker_b)
        .post(f"{url}/correction", {"reason": "x"}, content_type="application/json")
        .status_code
        == 404
    )
    refused = client_for(team.use_admin_a).post(f"{url}/correction", {"reason": "x"}, content_type="application/json")
    assert refused.status_code == 403
    empty = worker.post(f"{url}/correction", {"reason": " "}, content_type="application/json")
    assert empty.status_code == 422 and "更正原因" in str(empty.json())
    made = worker.post(f"{url}/correction", {"reason": "测量值记错"}, content_type="application/json")
    assert made.status_code == 201, made.content
    copy = made.json()
    assert copy["status"] == "in_progress" and copy["id"] != int(url.rsplit("/", 1)[1])
    item = next(i for i in copy["items"] if i["judgement"] == "numeric")
    fixed = worker.post(
        f"/api/v1/maintenance/records/{copy['id']}/items",
        {"item": item["id"], "result": "normal", "measured_value": "9"},
    )
    assert fixed.status_code == 200, fixed.content
    done = worker.post(
        f"/api/v1/maintenance/records/{copy['id']}/finish", {"hazard_codes": ["S0"]}, content_type="application/json"
    )
    assert done.status_code == 200, done.content
    assert (
        worker.post(f"/api/v1/maintenance/records/{copy['id']}/approve").status_code == 403
    )  # a worker approves nothing
    approved = admin.post(f"/api/v1/maintenance/records/{copy['id']}/approve")
    assert approved.status_code == 200, approved.content
    again = admin.post(f"/api/v1/maintenance/records/{copy['id']}/approve")
    assert again.status_code == 422
    original = MaintenanceRecord.objects.get(pk=int(url.rsplit("/", 1)[1]))
    assert original.status == "confirmed" and original.corrections.get().correction_approved_at


def test_the_api_refuses_with_reasons(team, client_for):
    first = client_for(team.worker_a)
    far = {"latitude": "29.70", "longitude": "106.5382", "accuracy": "5"}
    refused = first.post(
        "/api/v1/maintenance/records", {"elevator": team.elevator.register_code, **far, "selfie": png_upload()}
    )
    assert refused.status_code == 422 and "电子围栏" in str(refused.json())
    assert refused.json()["detail"][0]["field"] == "position"
    missing = first.post("/api/v1/maintenance/records", {"elevator": team.elevator.register_code, **SITE})
    assert missing.status_code == 422 and "照片" in str(missing.json())
    other = make_elevator(team, company=team.company_b, use_unit=team.use_unit_b, region_code="500107")
    theirs = {"elevator": other.register_code, **SITE, "selfie": png_upload()}
    hidden = first.post("/api/v1/maintenance/records", theirs)
    assert hidden.status_code == 404
    worker_b = client_for(team.worker_b).post(
        "/api/v1/maintenance/records", {"elevator": team.elevator.register_code, **SITE, "selfie": png_upload()}
    )
    assert worker_b.status_code == 404  # another company's worker scanning our QR sign
    assert not MaintenanceRecord.objects.exists()
    assert RecordStatus.IN_PROGRESS == "in_progress"


def test_record_pages_pdf_and_batches(team, client_for, tmp_path):
    import subprocess

    from records.tests.builders import simple_record

    record = simple_record(team)
    client = client_for(team.admin_a)
    page = client.get(record.get_absolute_url()).content.decode()
    assert record.elevator.register_code in page and 'data-testid="record-pdf"' in page
    for url in (f"/records/{record.pk}/pdf/", f"/api/v1/maintenance/records/{record.pk}/pdf", "/records/batch.pdf"):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf", url
        path = tmp_path / "r.pdf"
        path.write_bytes(response.content)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()
        assert record.elevator.register_code in text
    archive = client.get("/records/batch.zip")
    assert archive.status_code == 200 and archive.content[:2] == b"PK"
    assert client_for(team.admin_b).get(f"/records/{record.pk}/pdf/").status_code == 404
    assert client_for(team.admin_b).get("/records/batch.pdf").status_code == 404


def test_a_repair_from_a_problem_report_and_from_an_abnormal_item(team, client_for, tmp_path):
    import subprocess

    from elevators.models import ProblemReport
    from records.models import Repair
    from records.tests.builders import simple_record

    report = ProblemReport.objects.create(elevator=team.elevator, category="noise", description="轿厢运行有异响")
    admin = client_for(team.admin_a)
    page = admin.get(report.get_absolute_url()).content.decode()
    assert 'data-testid="open-repair"' in page
    form = admin.get(f"/records/repairs/new/?problem_report={report.pk}")
    assert form.context["form"].initial["fault"] == "轿厢运行有异响"
    saved = admin.post(
        f"/records/repairs/new/?problem_report={report.pk}",
        {
            "register_code": team.elevator.register_code,
            "fault": "轿厢运行有异响",
            "reported_at": "2026-11-25T08:00",
            "arrived_at": "2026-11-25T08:20",
            "restored_at": "2026-11-25T09:05",
            "cause": "导靴磨损",
            "parts_replaced": "导靴衬 ×4",
            "workers": [team.worker_a.pk],
            "problem_report": report.pk,
        },
    )
    assert saved.status_code == 302, saved.context["form"].errors if saved.context else saved
    repair = Repair.objects.get()
    assert repair.problem_report == report and repair.minutes_to_restore == 65 and repair.status == "restored"
    assert "导靴磨损" in client_for(team.use_admin_a).get(repair.get_absolute_url()).content.decode()
    pdf = admin.get(f"/records/repairs/{repair.pk}/pdf/")
    path = tmp_path / "repair.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()
    assert "维修纪录" in text and team.elevator.register_code in text and "导靴磨损" in text
    bad = admin.post(
        "/records/repairs/new/",
        {
            "register_code": team.elevator.register_code,
            "fault": "x",
            "reported_at": "2026-11-25T08:00",
            "arrived_at": "2026-11-25T07:00",
        },
    )
    assert bad.status_code == 200 and "到达时间不能早于报修时间" in bad.content.decode()
    record = simple_record(team)
    item = (
        record.items.model.objects.create(
            record=record, item_id=1, code="A-1-1", part="机房", requirement="清洁", result="abnormal", note="漏油"
        )
        if not record.items.exists()
        else record.items.first()
    )
    opened = admin.get(f"/records/repairs/new/?record_item={item.pk}")
    assert "漏油" in opened.context["form"].initial["fault"]


def test_a_repair_form_ignores_ids_that_name_no_row(team, client_for):
    admin = client_for(team.admin_a)
    for bad in ("²", "99999999999999999999", "-3", "0", "1e3"):
        page = admin.get("/records/repairs/new/", {"problem_report": bad, "record_item": bad})
        assert page.status_code == 200, bad
