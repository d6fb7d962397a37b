"""Records built through the ORM for the PDF and photo tests (the services are written elsewhere)."""

import io
import subprocess
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from maintenance.models import MaintenanceItem
from records.models import MaintenanceRecord, RecordItem, RecordWorker
from records.photos import save_record_photo
from tests.factories import UserFactory, make_elevator

STARTED = timezone.make_aware(datetime(2026, 11, 25, 9, 41))


def jpeg_bytes(size=(900, 1200), color=(90, 140, 200), exif_orientation=None) -> bytes:
    """A photo-like JPEG: a colour field with a few shapes (a plain field compresses to nothing)."""
    img = Image.new("RGB", size, color)
    draw = ImageDraw.Draw(img)
    w, h = size
    for i in range(8):
        draw.rectangle((i * w // 9, i * h // 11, i * w // 9 + w // 6, i * h // 11 + h // 8), fill=(30 * i, 200, 90))
    out = io.BytesIO()
    kwargs = {}
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        kwargs["exif"] = exif
    img.save(out, "JPEG", quality=85, **kwargs)
    return out.getvalue()


def jpeg_upload(name="photo.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def signature_png() -> bytes:
    img = Image.new("RGBA", (400, 160), (255, 255, 255, 0))
    ImageDraw.Draw(img).line([(20, 120), (120, 30), (220, 130), (380, 40)], fill=(0, 0, 0, 255), width=6)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def second_worker(world, name="李师傅"):
    return UserFactory(organization=world.company_a, category="maintenance_worker", role="staff", full_name=name)


def make_record(world, elevator, *, second=None, items=6, photos=2, seal="ab" * 32, started=STARTED):
    """A confirmed, sealed half-month record with two workers, `items` answered items and `photos` photos."""
    from core.uploads import IMAGE, save_attachment, validate_upload

    record = MaintenanceRecord.objects.create(
        organization=world.company_a,
        elevator=elevator,
        cycle="half_month",
        work_type="HM",
        status="confirmed",
        started_at=started,
        finished_at=started + timedelta(minutes=47),
        duration_minutes=47,
        latitude=Decimal("29.595100"),
        longitude=Decimal("106.538200"),
        accuracy_m=12,
        distance_m=35,
        hazard_codes=["S3", "S5"],
        flags=["too_short"],
        confirmed_at=started + timedelta(hours=2),
        confirmed_by=world.use_admin_a,
        confirmed_name="王经理",
        confirmed_on_site=True,
    )
    second = second or second_worker(world)
    RecordWorker.objects.create(
        record=record, user=world.worker_a, role="first", joined_at=started, face_matched=True, face_distance=0.31
    )
    RecordWorker.objects.create(record=record, user=second, role="second", joined_at=started + timedelta(minutes=2))
    catalogue = MaintenanceItem.objects.filter(organization__isnull=True, annex="A", cycle="half_month")
    created = []
    for index, item in enumerate(catalogue[:items]):
        created.append(
            RecordItem.objects.create(
                record=record,
                item=item,
                code=item.code,
                part=item.part,
                requirement=item.requirement,
                result="abnormal" if index == 1 else "normal",
                note="制动衬有油污，已清洁" if index == 1 else "",
                measured_value=Decimal("1.250") if index == 0 else None,
                out_of_limit=index == 0,
                answered_at=started + timedelta(minutes=index),
                answered_by=world.worker_a,
            )
        )
    for index, record_item in enumerate(created[:photos]):
        photo = save_record_photo(
            jpeg_upload(f"p{index}.jpg"),
            record=record,
            purpose="item_photo",
            user=world.worker_a,
            taken_at=started + timedelta(minutes=index),
            latitude=29.5951,
            longitude=106.5382,
        )
        record_item.photo = photo
        record_item.save(update_fields=["photo"])
    signature = save_attachment(
        validate_upload(SimpleUploadedFile("sign.png", signature_png(), content_type="image/png"), kinds=IMAGE),
        record,
        "signature",
        world.use_admin_a,
    )
    record.signature = signature
    record.save(update_fields=["signature"])
    if seal:  # a stand-in seal, written last (the guard refuses changes to a sealed record)
        index = MaintenanceRecord.objects.filter(organization=world.company_a, chain_index__isnull=False).count() + 1
        MaintenanceRecord.objects.filter(pk=record.pk).update(chain_index=index, seal=seal)
        record.refresh_from_db()
    return record


def pdf_text(data: bytes, tmp_path) -> str:
    """The PDF's text as poppler's pdftotext reads it (it also fails on a PDF that does not open)."""
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, timeout=60)
    return result.stdout.decode("utf-8")


def pdf_pages(data: bytes) -> int:
    import pypdfium2

    return len(pypdfium2.PdfDocument(data))


def simple_record(world, *, company=None, worker=None, **elevator):
    """A finished record of a new elevator, made through the ORM (the rules are tested in test_visits)."""
    company = company or world.company_a
    elevator = make_elevator(world, company=company, **elevator)
    record = MaintenanceRecord.objects.create(
        organization=company,
        elevator=elevator,
        cycle="half_month",
        work_type="HM",
        status="finished",
        started_at=timezone.make_aware(datetime(2026, 11, 20, 9, 0)),
        finished_at=timezone.make_aware(datetime(2026, 11, 20, 9, 45)),
        duration_minutes=45,
        hazard_codes=["S0"],
        flags=["too_short"],
    )
    RecordWorker.objects.create(
        record=record, user=worker or world.worker_a, role="first", joined_at=record.started_at, face_matched=True
    )
    return record


def signature_data_url(png: bytes | None = None) -> str:
    """What the signature pad posts: the drawing as a PNG data URL."""
    import base64

    return "data:image/png;base64," + base64.b64encode(png or signature_png()).decode("ascii")


def blank_png(size=(400, 160)) -> bytes:
    """An untouched signature pad: all transparent."""
    import io

    out = io.BytesIO()
    Image.new("RGBA", size, (0, 0, 0, 0)).save(out, "PNG")
    return out.getvalue()


def visit_record(world, *, company=None, items=3, confirm=True, numeric=True):
    """A two-worker visit of a new elevator with `items` answered items (none needing a photo; the first numeric
    one when `numeric`), finished and, when `confirm`, confirmed by the use unit and sealed through the service."""
    from core.uploads import IMAGE, validate_upload  # noqa: F401 - the service checks the signature
    from records import services
    from tests.factories import png_upload

    company = company or world.company_a
    ours = company == world.company_a
    worker = world.worker_a if ours else world.worker_b
    second = UserFactory(organization=company, category="maintenance_worker", role="staff")
    extra = {} if ours else {"use_unit": world.use_unit_b, "region_code": "500107"}
    elevator = make_elevator(world, company=company, **extra)
    started = timezone.make_aware(datetime(2026, 11, 20, 9, 0))
    record = MaintenanceRecord.objects.create(
        organization=company,
        elevator=elevator,
        cycle="half_month",
        work_type="HM",
        status="finished",
        started_at=started,
        finished_at=started + timedelta(minutes=45),
        duration_minutes=45,
        hazard_codes=["S0"],
        flags=[],
    )
    RecordWorker.objects.create(record=record, user=worker, role="first", joined_at=started, face_matched=True)
    RecordWorker.objects.create(record=record, user=second, role="second", joined_at=started, face_matched=True)
    catalogue = MaintenanceItem.objects.filter(
        organization__isnull=True, annex="A", cycle="half_month", needs_photo=False, condition=""
    ).order_by("number", "id")
    chosen = list(catalogue.exclude(judgement="numeric")[: items - 1 if numeric else items])
    if numeric:
        chosen = [*catalogue.filter(judgement="numeric")[:1], *chosen]
    for item in chosen:
        RecordItem.objects.create(
            record=record,
            item=item,
            code=item.code,
            part=item.part,
            requirement=item.requirement,
            result="normal",
            measured_value=Decimal("8") if item.judgement == "numeric" else None,
            answered_at=started,
            answered_by=worker,
        )
    if confirm:
        use_admin = world.use_admin_a if ours else world.use_admin_b
        record = services.confirm_record(record, actor=use_admin, signature=png_upload("sign.png"))
    return record


def correction_of(world, record=None, *, finish=False, approve=False, reason="测量值录错"):
    """A correction of a confirmed visit (started by its first worker), optionally finished and approved."""
    from records import services

    record = record or visit_record(world)
    worker = record.workers.get(role="first").user
    correction = services.start_correction(record, actor=worker, reason=reason)
    if finish or approve:
        correction = services.finish_visit(correction, worker=worker, hazard_codes=["S0"])
    if approve:
        admin = world.admin_a if record.organization_id == world.company_a.pk else world.admin_b
        correction = services.approve_correction(correction, actor=admin)
    return correction
