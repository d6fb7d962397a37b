"""录入检验结果: who records a report, what it changes (下次检验日期, audit), the page's panel and form, the API."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import Attachment
from elevators import inspection
from elevators.models import InspectionReport
from elevators.services import record_inspection
from tests.cases import audit_events, queries_for
from tests.factories import OrganizationFactory, UserFactory, make_elevator, region

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="检验报告.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def today():
    return timezone.localdate()


def seventh_year(world, **kwargs):
    """An elevator whose 7th year (a periodic inspection) falls in this month: an inspection 10 days ago fulfils it."""
    done = today() - timedelta(days=10)
    elevator = make_elevator(world, **kwargs)
    elevator.supervision_inspection_date = done - relativedelta(years=7)
    elevator.save(update_fields=["supervision_inspection_date"])
    return elevator, done


def data(day, **overrides):
    return {"kind": "periodic", "date": day, "result": "passed", "number": "渝检-2026-0001", "next_date": None} | (
        overrides
    )


def form(day, **overrides):
    """The same as posted fields: strings, blank for None."""
    return {k: "" if v is None else str(v) for k, v in data(day, **overrides).items()}


def institute(world, region_code="500105"):
    unit = OrganizationFactory(kind="inspection_institute", name="重庆市特种设备检测研究院", region=region(region_code))
    return UserFactory(username=f"inspector{region_code}", organization=unit, category="inspector", role="staff")


def test_a_report_without_a_stated_date_sets_the_next_date_by_the_calendar(world):
    elevator, done = seventh_year(world)
    report = record_inspection(elevator, actor=world.admin_a, data=data(done), upload=pdf())
    eighth = inspection.due_in_year(elevator.supervision_inspection_date, 8)
    assert eighth.kind == inspection.SELF
    elevator.refresh_from_db()
    assert elevator.next_inspection_date == eighth.date
    assert report.report_file.original_name == "检验报告.pdf" and report.recorded_by == world.admin_a
    assert Attachment.objects.get(pk=report.report_file_id).owner == report
    assert audit_events(report, "create", world.admin_a).exists()
    event = audit_events(elevator, "update", world.admin_a).get()
    assert event.changes["next_inspection_date"] == [None, str(eighth.date)]
    assert "渝检-2026-0001" in event.reason


def test_the_date_stated_on_the_report_wins(world):
    elevator, done = seventh_year(world)
    stated = done + timedelta(days=400)
    record_inspection(elevator, actor=world.use_admin_a, data=data(done, next_date=stated), upload=pdf())
    elevator.refresh_from_db()
    assert elevator.next_inspection_date == stated


def test_a_governor_calibration_leaves_the_next_date(world):
    elevator, done = seventh_year(world)
    record_inspection(elevator, actor=world.admin_a, data=data(done, kind="governor"), upload=pdf())
    elevator.refresh_from_db()
    assert elevator.next_inspection_date is None
    # the update is the governor's own dates (test_governor.py), never the inspection calendar's
    for event in audit_events(elevator, "update"):
        assert "next_inspection_date" not in event.changes


def test_the_inspection_institute_of_the_area_records_and_another_citys_may_not(world):
    elevator, done = seventh_year(world)
    inspector = institute(world)  # 渝中区: Chongqing's institute reaches the city's elevators
    record_inspection(elevator, actor=inspector, data=data(done), upload=pdf())
    assert InspectionReport.objects.filter(elevator=elevator, recorded_by=inspector).exists()
    shenzhen = institute(world, "440305")
    with pytest.raises(PermissionDenied):
        record_inspection(elevator, actor=shenzhen, data=data(done), upload=pdf())


def test_a_worker_and_the_bureau_may_not_record(world, client_for):
    elevator, done = seventh_year(world)
    for user in (world.worker_a, world.yubei_admin):
        with pytest.raises(PermissionDenied):
            record_inspection(elevator, actor=user, data=data(done), upload=pdf())
        client = client_for(user)
        url = reverse("elevators:inspection_create", args=[elevator.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {**form(done), "report_file": pdf()}).status_code == 403
    assert not InspectionReport.objects.exists()


def test_another_company_gets_404(world, client_for):
    elevator, done = seventh_year(world)
    url = reverse("elevators:inspection_create", args=[elevator.pk])
    client = client_for(world.admin_b)
    assert client.get(url).status_code == 404
    assert client.post(url, {**form(done, next_date=""), "report_file": pdf()}).status_code == 404
    response = client.post(f"/api/v1/elevators/{elevator.pk}/inspections", {**form(done), "report_file": pdf()})
    assert response.status_code == 404
    assert client.get(f"/api/v1/elevators/{elevator.pk}/inspections").status_code == 404
    assert not InspectionReport.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "yearly"}, "kind"),
        ({"result": ""}, "result"),
        ({"number": "  "}, "number"),
        ({"date": None}, "date"),
    ],
)
def test_bad_fields_save_nothing(world, overrides, field):
    elevator, done = seventh_year(world)
    with pytest.raises(ValidationError) as caught:
        record_inspection(elevator, actor=world.admin_a, data=data(done, **overrides), upload=pdf())
    assert field in caught.value.message_dict
    assert not InspectionReport.objects.exists() and not Attachment.objects.exists()


def test_dates_are_checked(world):
    elevator, done = seventh_year(world)
    cases = [
        (data(today() + timedelta(days=1)), "date"),
        (data(elevator.installation_date - timedelta(days=1)), "date"),
        (data(done, next_date=done), "next_date"),
    ]
    for values, field in cases:
        with pytest.raises(ValidationError) as caught:
            record_inspection(elevator, actor=world.admin_a, data=values, upload=pdf())
        assert field in caught.value.message_dict


def test_the_page_records_a_report_and_shows_it(world, client_for):
    elevator, done = seventh_year(world)
    client = client_for(world.admin_a)
    url = reverse("elevators:inspection_create", args=[elevator.pk])
    assert client.get(url).status_code == 200
    stated = done + timedelta(days=365)
    response = client.post(
        url,
        {**form(done, next_date=stated), "report_file": pdf()},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/elevators/{elevator.pk}/#inspections")
    page = client.get(reverse("elevators:detail", args=[elevator.pk])).content.decode()
    report = InspectionReport.objects.get()
    assert stated.isoformat() in page
    assert "渝检-2026-0001" in page and reverse("core:attachment", args=[report.report_file_id]) in page
    assert client.get(reverse("core:attachment", args=[report.report_file_id])).status_code == 200
    assert client_for(world.admin_b).get(reverse("core:attachment", args=[report.report_file_id])).status_code == 404


@pytest.mark.parametrize(
    "upload",
    [
        None,
        SimpleUploadedFile("报告.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
        SimpleUploadedFile("报告.pdf", b"not a pdf", content_type="application/pdf"),
    ],
)
def test_the_page_shows_errors_in_chinese_and_saves_nothing(world, client_for, upload):
    elevator, done = seventh_year(world)
    client = client_for(world.admin_a)
    body = {**form(done, next_date="not a date", number="")}
    if upload is not None:
        body["report_file"] = upload
    response = client.post(reverse("elevators:inspection_create", args=[elevator.pk]), body)
    assert response.status_code == 200
    assert response.context["form"].errors
    text = response.content.decode()
    assert "请修正下面标出的错误后再提交。" in text
    assert not InspectionReport.objects.exists() and not Attachment.objects.exists()


def test_the_file_is_checked_by_the_service_when_the_form_is_otherwise_valid(world, client_for):
    elevator, done = seventh_year(world)
    response = client_for(world.admin_a).post(
        reverse("elevators:inspection_create", args=[elevator.pk]),
        {**form(done, next_date=""), "report_file": SimpleUploadedFile("报告.pdf", b"not a pdf")},
    )
    assert response.status_code == 200
    assert "文件内容不是 PDF。" in response.context["form"].errors["report_file"]
    assert not InspectionReport.objects.exists()


def test_the_elevator_page_shows_the_calendar_without_reports(world, client_for):
    elevator, _done = seventh_year(world)
    page = client_for(world.use_admin_a).get(reverse("elevators:detail", args=[elevator.pk])).content.decode()
    due, kind = inspection.next_inspection(elevator.supervision_inspection_date, today())
    assert due.isoformat() in page and "（按检验周期推算）" in page
    assert 'data-testid="inspection-create"' in page
    bureau_page = client_for(world.yubei_admin).get(reverse("elevators:detail", args=[elevator.pk])).content.decode()
    assert 'data-testid="inspection-create"' not in bureau_page


def test_the_elevator_page_queries_do_not_grow_with_the_reports(world, client_for):
    elevator, done = seventh_year(world)
    client = client_for(world.admin_a)
    url = reverse("elevators:detail", args=[elevator.pk])
    record_inspection(elevator, actor=world.admin_a, data=data(done, kind="self"), upload=pdf())
    record_inspection(elevator, actor=world.admin_a, data=data(done, kind="governor", number="R-0"), upload=pdf())
    client.get(url)
    one, _response = queries_for(client, url)
    for n in range(1, 4):  # calibrations of the same day: the elevator's own audit trail stays the same
        record_inspection(
            elevator, actor=world.admin_a, data=data(done, kind="governor", number=f"R-{n}"), upload=pdf()
        )
    five, response = queries_for(client, url)
    assert response.status_code == 200 and one == five


def test_the_api_records_and_lists(world, client_for):
    elevator, done = seventh_year(world)
    client = client_for(world.admin_a)
    path = f"/api/v1/elevators/{elevator.pk}/inspections"
    response = client.post(path, {**form(done), "report_file": pdf()})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "periodic" and body["report_file_name"] == "检验报告.pdf"
    listed = client.get(path).json()
    eighth = inspection.due_in_year(elevator.supervision_inspection_date, 8)
    assert listed["next_inspection_date"] == eighth.date.isoformat() == listed["next_due"]
    assert listed["next_kind"] == "self" and [r["id"] for r in listed["items"]] == [body["id"]]
    assert client_for(world.use_admin_a).get(path).json()["items"][0]["id"] == body["id"]


def test_the_api_refuses_bad_input_and_a_worker(world, client_for):
    elevator, done = seventh_year(world)
    path = f"/api/v1/elevators/{elevator.pk}/inspections"
    response = client_for(world.admin_a).post(path, {**form(done), "number": ""})
    assert response.status_code == 422
    assert {"number", "report_file"} <= {e["field"] for e in response.json()["detail"]}
    bad_date = client_for(world.admin_a).post(path, {**form("2026-13-45"), "report_file": pdf()})
    assert bad_date.status_code == 422
    worker = client_for(world.worker_a).post(path, {**form(done), "report_file": pdf()})
    assert worker.status_code == 403
    assert not InspectionReport.objects.exists()


def test_the_ledgers_date_wins_on_the_page_with_the_kind_of_its_year(world, client_for):
    elevator, _done = seventh_year(world)
    elevator.next_inspection_date = inspection.due_in_year(elevator.supervision_inspection_date, 9).date
    elevator.save(update_fields=["next_inspection_date"])
    page = client_for(world.admin_a).get(reverse("elevators:detail", args=[elevator.pk])).content.decode()
    assert elevator.next_inspection_date.isoformat() in page and "（按检验周期推算）" not in page
    listed = client_for(world.admin_a).get(f"/api/v1/elevators/{elevator.pk}/inspections").json()
    assert listed["next_due"] == elevator.next_inspection_date.isoformat() and listed["next_kind"] == "periodic"
