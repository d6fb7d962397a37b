"""应急演练's rules: validation in Chinese, nothing half-saved, another company's elevators and people refused,
no future date, photos checked by type, size, name and number; tenancy of the drills and the API."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Attachment, AuditEvent
from drills import services
from drills.models import EmergencyDrill
from tests.cases import audit_events
from tests.factories import make_elevator, png_upload

from .helpers import jpeg_upload, make_drill

pytestmark = pytest.mark.django_db


def data(world, **overrides):
    values = {
        "held_on": date.today(),
        "subject": "困人救援",
        "location": "1 号楼",
        "elevators": [make_elevator(world)],
        "participants": [world.worker_a],
        "summary": "顺利。",
    }
    values.update(overrides)
    return values


def refused(world, photos=None, actor=None, **overrides) -> dict:
    values = data(world, **overrides)
    before = (EmergencyDrill.objects.count(), Attachment.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as caught:
        services.create_drill(
            actor=actor or world.admin_a, data=values, photos=[jpeg_upload()] if photos is None else photos
        )
    assert (EmergencyDrill.objects.count(), Attachment.objects.count(), AuditEvent.objects.count()) == before
    return caught.value.message_dict


def test_a_drill_is_saved_with_its_elevators_people_photos_and_audit(world):
    elevator = make_elevator(world)
    drill = services.create_drill(
        actor=world.admin_a,
        data=data(world, elevators=[elevator], participants=[world.admin_a, world.worker_a]),
        photos=[jpeg_upload("a.jpg"), png_upload("b.png")],
    )
    assert list(drill.elevators.all()) == [elevator]
    assert set(drill.participants.all()) == {world.admin_a, world.worker_a}
    assert [p.original_name for p in drill.photos()] == ["a.jpg", "b.png"]
    assert drill.organization == world.company_a and drill.created_by == world.admin_a
    event = audit_events(drill, "create").get()
    assert event.changes["elevators"][1] == elevator.register_code and "a.jpg" in event.changes["演练照片"][1]


def test_missing_fields_are_named_in_chinese(world):
    errors = refused(world, photos=[], subject=" ", location="", summary="", elevators=[], held_on=None)
    assert errors["subject"] == ["请填写演练内容，例如“困人救援”。"]
    assert errors["location"] == ["请填写演练地点。"] and errors["summary"] == ["请填写演练总结。"]
    assert errors["elevators"] == ["请至少选择一台演练电梯。"] and errors["held_on"] == ["请填写演练日期。"]
    assert errors["photos"] == ["请上传至少一张演练照片。"]


def test_a_future_date_is_refused_and_today_is_not(world):
    assert refused(world, held_on=date.today() + timedelta(days=1))["held_on"] == ["演练日期不能晚于今天。"]
    assert services.create_drill(actor=world.admin_a, data=data(world), photos=[jpeg_upload()]).pk


def test_another_companys_elevators_and_people_are_refused(world):
    theirs = make_elevator(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107")
    errors = refused(world, elevators=[make_elevator(world), theirs], participants=[world.worker_b])
    assert errors["elevators"] == ["只能选择本单位维保的电梯（1 台不是）。"]
    assert errors["participants"] == ["参演人员必须是本单位在职的账号（1 个不是）。"]
    world.worker_a.is_active = False
    world.worker_a.save()
    assert "participants" in refused(world, participants=[world.worker_a])


def test_photos_are_checked_by_content_size_name_and_number(world):
    fake = SimpleUploadedFile("fake.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    assert "文件内容不是有效的图片" in refused(world, photos=[jpeg_upload(), fake])["photos"][0]
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    assert "不支持的文件类型 .pdf" in refused(world, photos=[pdf])["photos"][0]
    bad_name = SimpleUploadedFile("a<b>.jpg", b"x", content_type="image/jpeg")
    assert "文件名不合法" in refused(world, photos=[bad_name])["photos"][0]
    big = jpeg_upload("big.jpg")
    big.size = services.PHOTO_MAX_BYTES + 1
    assert "文件太大" in refused(world, photos=[big])["photos"][0]
    assert refused(world, photos=[jpeg_upload(f"{n}.jpg") for n in range(10)])["photos"] == [
        "演练照片最多 9 张（现有 10 张）。"
    ]


def test_only_company_administrators_record(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.create_drill(actor=world.worker_a, data=data(world), photos=[jpeg_upload()])
    with pytest.raises(ValidationError):
        services.create_drill(actor=world.use_admin_a, data=data(world), photos=[jpeg_upload()])


def test_an_edit_adds_and_removes_photos_but_keeps_at_least_one(world):
    drill = make_drill(world)
    first = drill.photos().get()
    with pytest.raises(ValidationError) as caught:
        services.update_drill(drill, actor=world.admin_a, data={}, remove_photos=[first.pk], reason="x")
    assert caught.value.message_dict["photos"] == ["请上传至少一张演练照片。"]
    assert Attachment.objects.filter(pk=first.pk).exists()
    services.update_drill(
        drill,
        actor=world.admin_a,
        data={"subject": "新内容"},
        photos=[jpeg_upload("new.jpg")],
        remove_photos=[first.pk],
        reason="换照片",
    )
    drill.refresh_from_db()
    assert drill.subject == "新内容" and [p.original_name for p in drill.photos()] == ["new.jpg"]
    event = audit_events(drill, "update").get()
    assert event.reason == "换照片" and set(event.changes) >= {"subject", "演练照片"}


def test_who_reads_the_drills(world):
    from tests.factories import make_elevator as elevator_of

    mine = make_drill(world)
    theirs = make_drill(world, company=world.company_b)
    other_unit = elevator_of(world, use_unit=world.use_unit_a, region_code="500107")
    far = make_drill(world, elevators=[other_unit])

    def seen(user):
        return set(EmergencyDrill.objects.visible_to(user).values_list("pk", flat=True))

    assert seen(world.admin_a) == seen(world.worker_a) == {mine.pk, far.pk}
    assert seen(world.admin_b) == {theirs.pk}
    assert seen(world.use_admin_a) == {mine.pk, far.pk} and seen(world.use_admin_b) == {theirs.pk}
    assert seen(world.yubei_admin) == {mine.pk} and seen(world.jlp_admin) == {theirs.pk, far.pk}
    assert seen(world.city_admin) == {mine.pk, theirs.pk, far.pk} and seen(world.sz_admin) == set()
    assert seen(world.operator) == {mine.pk, theirs.pk, far.pk}


def test_the_api_lists_what_the_person_reads(world, api):
    mine = make_drill(world)
    theirs = make_drill(world, company=world.company_b)
    body = api(world.admin_a)("GET", "/drills").json()
    assert [row["id"] for row in body["items"]] == [mine.pk]
    row = body["items"][0]
    assert row["subject"] == mine.subject and row["photo_count"] == 1
    assert row["elevator_ids"] == [e.pk for e in mine.elevators.all()]
    assert [r["id"] for r in api(world.admin_b)("GET", "/drills").json()["items"]] == [theirs.pk]
    assert api(world.admin_a)("GET", "/drills?category=escalator").json()["items"] == []
    assert api(world.admin_a)("GET", "/drills?category=elevator").status_code == 422


def test_the_elevator_page_shows_its_last_drill(world, client_for):
    elevator = make_elevator(world)
    make_drill(world, elevators=[elevator], held_on=date.today() - timedelta(days=40), subject="旧演练")
    make_drill(world, elevators=[elevator], held_on=date.today() - timedelta(days=5), subject="盘车救援")
    page = client_for(world.admin_a).get(elevator.get_absolute_url()).content.decode()
    assert "最近应急演练" in page and "盘车救援" in page and "旧演练" not in page
    assert 'data-testid="drill-this-elevator"' in page
    assert (
        'data-testid="drill-this-elevator"'
        not in client_for(world.worker_a).get(elevator.get_absolute_url()).content.decode()
    )


def test_the_create_form_is_prefilled_with_a_categorys_elevators(world, client_for):
    traction = make_elevator(world)
    escalator = make_elevator(world, category="3310")
    form = client_for(world.admin_a).get("/drills/new/?category=escalator").context["form"]
    assert form.initial["elevators"] == [escalator.pk]
    assert set(form.fields["elevators"].queryset) == {traction, escalator}
    make_elevator(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107")
    assert client_for(world.admin_a).get(f"/drills/new/?elevator={traction.pk}").context["form"].initial[
        "elevators"
    ] == [traction.pk]
