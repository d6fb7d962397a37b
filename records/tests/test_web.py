"""The web side of records: the use unit's confirmation with a drawn signature, corrections in the browser, repair
photos, 存疑纪录. The standard cases (test_standard.py) cover each page's 404/403 and its effect; these tests cover
what is particular to each: refusals with their messages, the buttons, the links, the files."""

import io
import subprocess

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Attachment
from maintenance.models import GroupAssignment, MaintenanceGroup
from records.models import MaintenanceRecord, RecordItem, Repair
from records.repairs import repair_photos
from records.tests.builders import (
    blank_png,
    correction_of,
    jpeg_bytes,
    pdf_text,
    signature_data_url,
    simple_record,
    visit_record,
)
from tests.factories import UserFactory, make_elevator

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


# --- 更正 --------------------------------------------------------------------------------------------------------


def test_the_correct_button_follows_start_corrections_rule(world, client_for):
    record = visit_record(world)
    # a worker of the company whose group holds the elevator reads the record, but did not work on it
    group = MaintenanceGroup.objects.create(organization=world.company_a, name="二组", leader=world.admin_a)
    colleague = UserFactory(organization=world.company_a, category="maintenance_worker", role="staff")
    group.members.add(colleague)
    GroupAssignment.objects.create(elevator=record.elevator, group=group)
    url = reverse("records:correct", args=[record.pk])
    for who in (world.worker_a, world.admin_a):
        assert 'data-testid="record-correct"' in page(client_for(who), record.get_absolute_url())
        assert client_for(who).get(url).status_code == 200
    for who in (colleague, world.use_admin_a, world.yubei_admin):
        assert 'data-testid="record-correct"' not in page(client_for(who), record.get_absolute_url())
        assert client_for(who).post(url, {"reason": "看错了"}).status_code == 403
    assert not record.corrections.exists()


def test_an_unconfirmed_record_is_not_corrected(world, client_for):
    record = visit_record(world, confirm=False)
    client = client_for(world.admin_a)
    assert 'data-testid="record-correct"' not in page(client, record.get_absolute_url())
    body = page(client, reverse("records:correct", args=[record.pk]))
    assert 'data-testid="action-blocked"' in body
    refused = client.post(reverse("records:correct", args=[record.pk]), {"reason": "写错了"})
    assert refused.status_code == 200 and "只有已确认的维保纪录需要更正" in refused.content.decode()
    assert not record.corrections.exists()


def test_a_correction_from_start_to_seal_with_both_records_linked(world, client_for):
    original = visit_record(world)
    worker, admin, use_unit = client_for(world.worker_a), client_for(world.admin_a), client_for(world.use_admin_a)

    started = worker.post(reverse("records:correct", args=[original.pk]), {"reason": "A-1-29 测量值录错"})
    correction = original.corrections.get()
    assert started.status_code == 302 and started.url == correction.get_absolute_url()
    body = page(worker, correction.get_absolute_url())
    assert 'data-testid="link-original"' in body and original.get_absolute_url() in body
    assert 'data-testid="record-edit-correction"' in body and 'data-testid="record-correct"' not in body
    assert "A-1-29 测量值录错" in body
    assert 'data-testid="record-correct"' not in page(worker, original.get_absolute_url())  # one open correction

    # the items, one row at a time
    entry = correction.items.get(code="A-1-29")
    items_url = reverse("records:correction_items", args=[correction.pk])
    assert 'data-testid="correction-item"' in page(worker, items_url)
    row = {"item": entry.pk, f"item-{entry.pk}-result": "adjusted", f"item-{entry.pk}-measured_value": "7.5"}
    saved = worker.post(items_url, row, headers={"HX-Request": "true"})
    assert saved.status_code == 200 and 'data-testid="item-saved"' in saved.content.decode()
    entry.refresh_from_db()
    assert entry.result == "adjusted" and str(entry.measured_value.normalize()) == "7.5"

    # 完成更正: S0 with S2 is refused, S0 alone finishes it
    finish_url = reverse("records:correction_finish", args=[correction.pk])
    refused = worker.post(finish_url, {"hazard_codes": ["S0", "S2"]})
    assert (
        refused.status_code == 200 and "选择了 S0（未发现严重事故隐患）就不能再选 S1–S7。" in refused.content.decode()
    )
    correction.refresh_from_db()
    assert correction.status == "in_progress"
    assert worker.post(finish_url, {"hazard_codes": ["S0"]}).status_code == 302
    correction.refresh_from_db()
    assert correction.status == "finished"

    # the use unit waits for the company's approval
    assert 'data-testid="record-confirm"' not in page(use_unit, correction.get_absolute_url())
    blocked = page(use_unit, reverse("records:confirm", args=[correction.pk]))
    assert "更正纪录须先经维保单位管理员批准，再由使用单位确认。" in blocked
    assert 'data-testid="record-approve"' not in page(worker, correction.get_absolute_url())
    approve = page(admin, correction.get_absolute_url())
    assert 'data-testid="record-approve"' in approve
    approve_page = page(admin, reverse("records:approve_correction", args=[correction.pk]))
    assert 'data-testid="correction-changes"' in approve_page and "7.5" in approve_page  # what changed, shown
    assert admin.post(reverse("records:approve_correction", args=[correction.pk]), {"checked": "on"}).status_code == 302

    # then the use unit confirms; the correction is sealed after the original in the company's chain
    assert 'data-testid="record-confirm"' in page(use_unit, correction.get_absolute_url())
    confirmed = use_unit.post(reverse("records:confirm", args=[correction.pk]), {"signature": signature_data_url()})
    assert confirmed.status_code == 302
    correction.refresh_from_db()
    assert correction.status == "confirmed" and correction.chain_index == original.chain_index + 1
    original.refresh_from_db()
    assert original.items.get(code="A-1-29").measured_value == 8  # the original never changes

    # both pages link to each other, for the company and for the district bureau; another district sees neither
    for who in (world.admin_a, world.yubei_admin):
        client = client_for(who)
        assert correction.get_absolute_url() in page(client, original.get_absolute_url())
        assert original.get_absolute_url() in page(client, correction.get_absolute_url())
    for url in (original.get_absolute_url(), correction.get_absolute_url()):
        assert client_for(world.jlp_admin).get(url).status_code == 404


def test_item_rows_refuse_with_the_services_words_and_save_nothing(world, client_for):
    correction = correction_of(world)
    worker = client_for(world.worker_a)
    url = reverse("records:correction_items", args=[correction.pk])
    numeric = correction.items.get(code="A-1-29")
    plain = correction.items.exclude(pk=numeric.pk).first()
    cases = [
        (plain, {"result": "abnormal", "note": ""}, "异常的项目需要填写情况说明。"),
        (plain, {"result": "not_applicable", "note": " "}, "不涉及的项目需要填写原因。"),
        (plain, {"result": ""}, "请选择这一项的结果。"),
        (plain, {"result": "broken"}, "请选择这一项的结果。"),
        (numeric, {"result": "normal", "measured_value": "七"}, "测量值应为数字。"),
        (numeric, {"result": "normal", "measured_value": ""}, "这一项需要填写测量值。"),
    ]
    for entry, fields, message in cases:
        before = (entry.result, entry.note, entry.measured_value)
        data = {"item": entry.pk, **{f"item-{entry.pk}-{k}": v for k, v in fields.items()}}
        response = worker.post(url, data, headers={"HX-Request": "true"})
        body = response.content.decode()
        assert response.status_code == 200 and message in body, (fields, body[:400])
        assert 'data-testid="item-error"' in body and 'data-testid="item-saved"' not in body
        entry.refresh_from_db()
        assert (entry.result, entry.note, entry.measured_value) == before
    # without JavaScript: the whole page with the row's error, or a redirect back to the row
    data = {"item": plain.pk, f"item-{plain.pk}-result": "abnormal"}
    assert "异常的项目需要填写情况说明。" in worker.post(url, data).content.decode()
    data[f"item-{plain.pk}-note"] = "门锁触点烧蚀"
    saved = worker.post(url, data)
    assert saved.status_code == 302 and saved.url.endswith(f"#item-{plain.pk}")
    plain.refresh_from_db()
    assert plain.result == "abnormal" and plain.note == "门锁触点烧蚀"
    # an item of another record is not this page's
    other = visit_record(world).items.first()
    assert worker.post(url, {"item": other.pk, f"item-{other.pk}-result": "normal"}).status_code == 404
    for junk in ("", "x", "-1", "9" * 30, "١٢"):
        assert worker.post(url, {"item": junk}).status_code == 404


def test_an_item_photo_on_a_correction_is_watermarked_and_a_bad_one_refused(world, client_for):
    from PIL import Image

    correction = correction_of(world)
    worker = client_for(world.worker_a)
    url = reverse("records:correction_items", args=[correction.pk])
    entry = correction.items.exclude(code="A-1-29").first()
    prefix = f"item-{entry.pk}"
    bad = SimpleUploadedFile("p.jpg", b"not an image at all", content_type="image/jpeg")
    response = worker.post(url, {"item": entry.pk, f"{prefix}-result": "normal", f"{prefix}-photo": bad})
    assert "文件内容不是有效的图片。" in response.content.decode()
    assert not Attachment.objects.filter(purpose="item_photo").exists()
    photo = SimpleUploadedFile("p.jpg", jpeg_bytes((2400, 1800)), content_type="image/jpeg")
    response = worker.post(url, {"item": entry.pk, f"{prefix}-result": "normal", f"{prefix}-photo": photo})
    assert response.status_code == 302
    entry.refresh_from_db()
    stored = Image.open(entry.photo.file.open("rb"))
    assert max(stored.size) == 1600 and not stored.getexif()
    assert entry.photo.owner == correction


def test_only_the_visits_workers_fill_in_a_correction(world, client_for):
    correction = correction_of(world)
    url = reverse("records:correction_items", args=[correction.pk])
    entry = correction.items.first()
    data = {"item": entry.pk, f"item-{entry.pk}-result": "abnormal", f"item-{entry.pk}-note": "x"}
    for who in (world.admin_a, world.use_admin_a, world.yubei_admin):
        assert 'data-testid="record-edit-correction"' not in page(client_for(who), correction.get_absolute_url())
        assert client_for(who).get(url).status_code == 403
        assert client_for(who).post(url, data).status_code == 403
    for who in (world.admin_b, world.worker_b, world.jlp_admin):
        assert client_for(who).post(url, data).status_code == 404
    entry.refresh_from_db()
    assert entry.result == "normal"
    # an ordinary record is not filled in here (the phone does that)
    plain = visit_record(world, confirm=False)
    MaintenanceRecord.objects.filter(pk=plain.pk).update(status="in_progress")
    assert client_for(world.worker_a).get(reverse("records:correction_items", args=[plain.pk])).status_code == 403


def test_a_finished_correction_is_no_longer_edited(world, client_for):
    correction = correction_of(world, finish=True)
    worker = client_for(world.worker_a)
    url = reverse("records:correction_items", args=[correction.pk])
    body = page(worker, url)
    assert 'data-testid="correction-blocked"' in body and 'data-testid="item-save"' not in body
    entry = correction.items.first()
    response = worker.post(
        url, {"item": entry.pk, f"item-{entry.pk}-result": "adjusted"}, headers={"HX-Request": "true"}
    )
    assert "这次维保已结束，不能再修改。" in response.content.decode()
    entry.refresh_from_db()
    assert entry.result == "normal"
    assert "这条更正已填写完成" in page(worker, reverse("records:correction_finish", args=[correction.pk]))


def test_approval_needs_the_box_ticked_and_a_finished_correction(world, client_for):
    correction = correction_of(world)
    admin = client_for(world.admin_a)
    url = reverse("records:approve_correction", args=[correction.pk])
    assert "只有已填写完成、尚未批准的更正纪录可以批准。" in page(admin, url)
    refused = admin.post(url, {"checked": "on"})
    assert refused.status_code == 200 and "只有已填写完成、尚未批准的更正纪录可以批准。" in refused.content.decode()
    correction.refresh_from_db()
    assert correction.correction_approved_at is None


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
