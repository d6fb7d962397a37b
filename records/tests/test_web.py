"""The web side of records: the use unit's confirmation with a drawn signature, repair photos, 存疑纪录. The
standard cases (test_standard.py) cover each page's 404/403 and its effect; these tests cover what is particular to
each: refusals with their messages, the buttons, the files."""

import io
import subprocess

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Attachment
from records.models import MaintenanceRecord, RecordItem, Repair
from records.repairs import repair_photos
from records.tests.builders import blank_png, jpeg_bytes, pdf_text, signature_data_url, simple_record, visit_record
from tests.factories import make_elevator

pytestmark = pytest.mark.django_db


def page(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- 使用单位确认 ------------------------------------------------------------------------------------------------


def test_the_confirmation_page_shows_the_record_and_a_signature_pad(world, client_for):
    record = visit_record(world, confirm=False)
    body = page(client_for(world.use_admin_a), reverse("records:confirm", args=[record.pk]))
    assert record.elevator.register_code in body
    assert 'data-testid="signature-canvas"' in body and "signature_pad.umd.min.js" in body and "signature.js" in body
    for entry in record.items.all():
        assert entry.code in body
    for worker in record.workers.select_related("user"):
        assert worker.user.display_name in body
    assert "S0 未发现严重事故隐患" in body
    assert "<script>" not in body and 'style="' not in body  # the Content-Security-Policy allows neither


@pytest.mark.parametrize(
    "signature, message",
    [
        ("", "请先在签字框内签字，再提交确认。"),
        (signature_data_url(blank_png()), "请先在签字框内签字，再提交确认。"),  # the pad posted untouched
        ("data:image/png;base64,bm90IGEgcG5n", "签字图片无效，请清除后重新签字。"),
        ("data:text/html;base64,PGgxPmhpPC9oMT4=", "签字图片无效，请清除后重新签字。"),
        (signature_data_url(jpeg_bytes((200, 100))), "签字图片无效，请清除后重新签字。"),  # a JPEG inside
    ],
)
def test_an_empty_or_broken_signature_is_refused_and_nothing_is_saved(world, client_for, signature, message):
    record = simple_record(world)
    response = client_for(world.use_admin_a).post(
        reverse("records:confirm", args=[record.pk]), {"signature": signature}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    record.refresh_from_db()
    assert record.status == "finished" and not record.seal and record.signature_id is None
    assert not Attachment.objects.filter(purpose="signature").exists()


def test_the_empty_pad_message_speaks_english_in_the_english_ui(world, client_for):
    record = simple_record(world)
    client = english(client_for(world.use_admin_a))
    body = client.post(reverse("records:confirm", args=[record.pk]), {"signature": ""}).content.decode()
    assert "Please sign in the box before confirming." in body and "请先在签字框内签字" not in body
    assert "Confirm and sign" in page(client, reverse("records:confirm", args=[record.pk]))


def test_confirming_seals_the_record_and_its_page_shows_the_seal_and_the_signature(world, client_for):
    record = visit_record(world, confirm=False)
    use_unit = client_for(world.use_admin_a)
    before = page(use_unit, record.get_absolute_url())
    assert 'data-testid="record-confirm"' in before
    response = use_unit.post(reverse("records:confirm", args=[record.pk]), {"signature": signature_data_url()})
    assert response.status_code == 302 and response.url == record.get_absolute_url()
    record.refresh_from_db()
    assert record.status == "confirmed" and len(record.seal) == 64 and not record.confirmed_on_site
    assert record.confirmed_by == world.use_admin_a and record.confirmed_name == world.use_admin_a.display_name
    body = page(use_unit, record.get_absolute_url())
    assert "已确认" in body and 'data-testid="record-seal"' in body and record.seal in body
    assert "维保纪录已确认并封存。" in body
    assert 'data-testid="record-confirm"' not in body  # once is enough
    signature = use_unit.get(reverse("core:attachment", args=[record.signature_id]))
    assert signature.status_code == 200 and signature["Content-Type"] == "image/png"
    # confirming again is refused in the service's words; the seal stays
    again = use_unit.post(reverse("records:confirm", args=[record.pk]), {"signature": signature_data_url()})
    assert "只有已结束、待确认的维保纪录可以确认。" in again.content.decode()


def test_only_the_use_unit_sees_the_confirm_button_and_the_page(world, client_for):
    record = simple_record(world)
    url = reverse("records:confirm", args=[record.pk])
    assert 'data-testid="record-confirm"' in page(client_for(world.use_admin_a), record.get_absolute_url())
    for who in (world.admin_a, world.worker_a, world.yubei_admin):  # they read the record, may not confirm it
        assert 'data-testid="record-confirm"' not in page(client_for(who), record.get_absolute_url())
        assert client_for(who).get(url).status_code == 403
    for who in (world.use_admin_b, world.admin_b, world.jlp_admin):  # the record does not exist for them
        assert client_for(who).get(url).status_code == 404
        assert client_for(who).post(url, {"signature": signature_data_url()}).status_code == 404
    record.refresh_from_db()
    assert record.status == "finished"


def test_a_record_still_in_progress_cannot_be_confirmed(world, client_for):
    record = simple_record(world)
    MaintenanceRecord.objects.filter(pk=record.pk).update(status="in_progress")
    client = client_for(world.use_admin_a)
    body = page(client, reverse("records:confirm", args=[record.pk]))
    assert 'data-testid="confirm-blocked"' in body and 'data-testid="signature-canvas"' not in body
    assert 'data-testid="record-confirm"' not in page(client, record.get_absolute_url())
    refused = client.post(reverse("records:confirm", args=[record.pk]), {"signature": signature_data_url()})
    assert "只有已结束、待确认的维保纪录可以确认。" in refused.content.decode()
    record.refresh_from_db()
    assert record.status == "in_progress" and not record.seal


# --- 维修照片 -----------------------------------------------------------------------------------------------------


def make_repair(world):
    from django.utils import timezone

    from records.repairs import create_repair

    elevator = make_elevator(world)
    return create_repair(
        actor=world.admin_a, data={"elevator": elevator, "fault": "门机异响", "reported_at": timezone.now()}
    )


def photo(name="p.jpg", size=(1200, 900)):
    return SimpleUploadedFile(name, jpeg_bytes(size), content_type="image/jpeg")


def test_repair_photos_are_watermarked_shown_and_printed(world, client_for, tmp_path):
    from PIL import Image

    repair = make_repair(world)
    admin = client_for(world.admin_a)
    url = reverse("records:repair_photos", args=[repair.pk])
    response = admin.post(url, {"photos": [photo("a.jpg", (2400, 1800)), photo("b.jpg")]})
    assert response.status_code == 302 and response.url == repair.get_absolute_url()
    photos = list(repair_photos(repair))
    assert len(photos) == 2 and {p.purpose for p in photos} == {"repair_photo"}
    stored = Image.open(photos[0].file.open("rb"))
    assert stored.format == "JPEG" and max(stored.size) == 1600 and not stored.getexif()
    assert stored.crop((0, stored.height - 10, 50, stored.height)).convert("L").getextrema()[1] < 200  # the band
    body = page(admin, repair.get_absolute_url())
    assert body.count('data-testid="repair-photo"') == 2 and "已上传 2 张维修照片。" in body
    for attachment in photos:
        assert reverse("core:attachment", args=[attachment.pk]) in body
    assert client_for(world.use_admin_a).get(reverse("core:attachment", args=[photos[0].pk])).status_code == 200
    assert client_for(world.admin_b).get(reverse("core:attachment", args=[photos[0].pk])).status_code == 404
    event = repair_events(repair).first()
    assert event.actor == world.admin_a and "上传维修照片 2 张" in event.reason

    pdf = admin.get(reverse("records:repair_pdf", args=[repair.pk]))
    assert pdf.status_code == 200
    assert "现场照片（2 张）" in pdf_text(pdf.content, tmp_path)
    path = tmp_path / "repair.pdf"
    path.write_bytes(pdf.content)
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, check=True, timeout=60)
    images = [line for line in listing.stdout.decode().splitlines()[2:] if line.strip()]
    assert len(images) == 2, listing.stdout.decode()


def repair_events(repair):
    from tests.cases import audit_events

    return audit_events(repair, "update").order_by("-id")


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain"), "不支持的文件类型 .txt"),
        (
            SimpleUploadedFile("fake.jpg", b"MZ\x90\x00 not a jpeg", content_type="image/jpeg"),
            "文件内容不是有效的图片。",
        ),
        (SimpleUploadedFile("empty.png", b"", content_type="image/png"), "所提交的是空文件。"),
    ],
)
def test_a_refused_repair_photo_says_why_and_nothing_is_kept(world, client_for, upload, message):
    repair = make_repair(world)
    response = client_for(world.admin_a).post(
        reverse("records:repair_photos", args=[repair.pk]), {"photos": [photo("good.jpg"), upload]}
    )
    body = response.content.decode()
    assert response.status_code == 200 and message in body, body[body.find("photo-error") - 200 :][:600]
    assert 'data-testid="repair-photo-form"' in body
    assert not repair_photos(repair).exists() and not repair_events(repair).exists()


def test_a_too_big_repair_photo_is_refused(world, client_for, settings):
    settings.UPLOAD_MAX_BYTES = 20_000
    repair = make_repair(world)
    response = client_for(world.admin_a).post(
        reverse("records:repair_photos", args=[repair.pk]), {"photos": [photo("big.jpg", (1600, 1200))]}
    )
    assert response.status_code == 200 and "文件太大" in response.content.decode()
    assert not repair_photos(repair).exists()


def test_repair_photos_need_a_file_and_the_right_person(world, client_for):
    repair = make_repair(world)
    url = reverse("records:repair_photos", args=[repair.pk])
    admin = client_for(world.admin_a)
    assert "请选择要上传的照片。" in admin.post(url, {}).content.decode()
    too_many = admin.post(url, {"photos": [photo(f"{n}.jpg", (300, 200)) for n in range(11)]})
    assert "一次最多上传 10 张照片。" in too_many.content.decode()
    assert admin.get(url).status_code == 405
    use_unit = client_for(world.use_admin_a)
    assert 'data-testid="repair-photo-form"' not in page(use_unit, repair.get_absolute_url())
    assert use_unit.post(url, {"photos": [photo()]}).status_code == 403
    assert client_for(world.admin_b).post(url, {"photos": [photo()]}).status_code == 404
    assert not repair_photos(repair).exists()
    assert Repair.objects.get(pk=repair.pk).status == "open"


# --- 存疑纪录 -----------------------------------------------------------------------------------------------------


def test_the_flagged_list_holds_only_flagged_records_for_the_company_and_the_bureau(world, client_for):
    flagged = simple_record(world)
    clean = visit_record(world, confirm=False)
    other_flag = simple_record(world)
    MaintenanceRecord.objects.filter(pk=other_flag.pk).update(flags=["overlap"])
    url = reverse("records:flagged")
    for who in (world.admin_a, world.yubei_admin, world.city_admin):
        listed = {r.pk for r in client_for(who).get(url).context["object_list"]}
        assert listed == {flagged.pk, other_flag.pk}, who
    assert not client_for(world.jlp_admin).get(url).context["object_list"]
    assert client_for(world.use_admin_a).get(url).status_code == 403
    # one flag of them
    one = client_for(world.admin_a).get(url, {"flag": "overlap"}).context["object_list"]
    assert [r.pk for r in one] == [other_flag.pk]
    # the same filter on the plain list and the API
    listed = client_for(world.admin_a).get(reverse("records:list"), {"flagged": "on"}).context["object_list"]
    assert {r.pk for r in listed} == {flagged.pk, other_flag.pk}
    api = client_for(world.admin_a).get("/api/v1/maintenance/records", {"flagged": "true"}).json()
    assert {r["id"] for r in api["items"]} == {flagged.pk, other_flag.pk}
    assert clean.pk not in {
        r["id"] for r in client_for(world.admin_a).get("/api/v1/maintenance/records?flagged=true").json()["items"]
    }


def test_the_flagged_list_exports_xlsx_with_the_flags(world, client_for):
    from openpyxl import load_workbook

    record = simple_record(world)
    visit_record(world, confirm=False)
    response = client_for(world.yubei_admin).get(reverse("records:flagged"), {"export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2  # the heading and the one flagged record
    cells = [str(c) for c in rows[1] if c is not None]
    assert record.elevator.register_code in cells and "用时过短" in cells


def test_the_menu_offers_the_flagged_list_to_companies_and_regulators(world, client_for):
    url = reverse("records:flagged")
    for who in (world.admin_a, world.worker_a, world.yubei_admin):
        assert url in page(client_for(who), "/")
    for who in (world.use_admin_a,):
        assert url not in page(client_for(who), "/")


def test_the_flagged_lists_batch_pdf_keeps_to_the_flagged_records(world, client_for):
    flagged = simple_record(world)
    visit_record(world, confirm=False)
    body = page(client_for(world.admin_a), reverse("records:flagged"))
    assert f"{reverse('records:batch_zip')}?flagged=on" in body
    listed = client_for(world.admin_a).get(reverse("records:batch_zip"), {"flagged": "on"})
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(listed.content)).namelist()
    assert len(names) == 1 and names[0].startswith(flagged.elevator.register_code)
    assert RecordItem.objects.exists()
