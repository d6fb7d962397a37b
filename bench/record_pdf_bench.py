#!/usr/bin/env python
"""One maintenance record's PDF with 10 photos and 40 items, and the watermarking of each photo.

    .venv/bin/python bench/record_pdf_bench.py [--runs 5] [--photos 10] [--items 40] [--out /tmp/record.pdf]

Runs on an in-memory SQLite database (test settings, `migrate`, the test factories' world), so it needs no
server. Each photo is a 3000×4000 JPEG made with Pillow (gradients, shapes and sensor-like noise, about 2 MB,
like a phone's) and goes through `records.photos.save_record_photo` (upload check, EXIF rotation, downscale
to 1600 px, watermark, JPEG, upload check again, storage); `records.pdf.record_pdf` is then timed on a record
read afresh from the database (its queries included), median of --runs. Target: under 2 s for the PDF.
"""

import argparse
import io
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = "sqlite://:memory:"
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"

TARGET_S = 2.0


def phone_photo(seed: int, size=(3000, 4000)) -> bytes:
    """A photo-like JPEG: gradients, blocks of colour and fine noise (a flat image would compress to nothing)."""
    from PIL import Image, ImageDraw

    rnd = random.Random(seed)
    w, h = size
    red = Image.linear_gradient("L").resize((w, h))
    green = Image.linear_gradient("L").rotate(90).resize((w, h))
    blue = Image.effect_noise((w // 8, h // 8), 60).resize((w, h), Image.Resampling.BILINEAR)
    img = Image.merge("RGB", (red, green, blue))
    draw = ImageDraw.Draw(img)
    for _ in range(40):
        x, y, s = rnd.randrange(w), rnd.randrange(h), rnd.randrange(50, 800)
        draw.rectangle((x, y, x + s, y + s // 2), fill=tuple(rnd.randrange(256) for _ in range(3)))
    img = Image.blend(img, Image.effect_noise((w, h), 18).convert("RGB"), 0.15)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=88)
    return out.getvalue()


def build_record(items: int):
    from django.utils import timezone

    from maintenance.models import MaintenanceItem
    from records.models import MaintenanceRecord, RecordItem, RecordWorker
    from tests.factories import UserFactory, make_elevator, make_world

    world = make_world()
    elevator = make_elevator(world, latitude=29.5951, longitude=106.5382, internal_number="1号梯")
    second = UserFactory(organization=world.company_a, category="maintenance_worker", role="staff")
    started = timezone.now() - timedelta(hours=2)
    record = MaintenanceRecord.objects.create(
        organization=world.company_a,
        elevator=elevator,
        cycle="annual",
        work_type="OY",
        status="confirmed",
        started_at=started,
        finished_at=started + timedelta(minutes=95),
        duration_minutes=95,
        latitude=Decimal("29.595120"),
        longitude=Decimal("106.538240"),
        accuracy_m=15,
        distance_m=22,
        hazard_codes=["S0"],
        confirmed_at=started + timedelta(hours=2),
        confirmed_by=world.use_admin_a,
        confirmed_name="王经理",
        confirmed_on_site=True,
        chain_index=1,
        seal="5f" * 32,
    )
    RecordWorker.objects.create(record=record, user=world.worker_a, role="first", joined_at=started, face_matched=True)
    RecordWorker.objects.create(record=record, user=second, role="second", joined_at=started, face_matched=True)
    catalogue = MaintenanceItem.objects.filter(organization__isnull=True, annex="A").order_by("cycle_rank", "number")
    rows = [
        RecordItem(
            record=record,
            item=item,
            code=item.code,
            part=item.part,
            requirement=item.requirement,
            result="normal",
            measured_value=Decimal("0.5") if item.judgement != "qualitative" else None,
            answered_at=started,
            answered_by=world.worker_a,
        )
        for item in catalogue[:items]
    ]
    RecordItem.objects.bulk_create(rows)
    return world, record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--photos", type=int, default=10)
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--out", help="write the PDF here to look at it")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    media = tempfile.mkdtemp(prefix="record-pdf-bench-")
    settings.MEDIA_ROOT = media
    try:
        run(args)
    finally:
        shutil.rmtree(media, ignore_errors=True)


def run(args) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from records.models import MaintenanceRecord
    from records.pdf import record_pdf
    from records.photos import save_record_photo

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate (in-memory SQLite): {time.perf_counter() - started:.1f} s", flush=True)
    world, record = build_record(args.items)
    items = list(record.items.order_by("id"))
    print(f"record {record.pk}: {len(items)} items", flush=True)

    photos = [phone_photo(seed) for seed in range(args.photos)]
    sizes = [len(p) for p in photos]
    print(f"{len(photos)} photos 3000×4000, {statistics.mean(sizes) / 1e6:.1f} MB each on average", flush=True)
    photo_times = []
    for index, (item, data) in enumerate(zip(items, photos, strict=False)):
        upload = SimpleUploadedFile(f"IMG_{index:04d}.jpg", data, content_type="image/jpeg")
        t = time.perf_counter()
        attachment = save_record_photo(
            upload,
            record=record,
            purpose="item_photo",
            user=world.worker_a,
            taken_at=record.started_at + timedelta(minutes=index),
            latitude=29.5951,
            longitude=106.5382,
        )
        photo_times.append(time.perf_counter() - t)
        item.photo = attachment
        item.save(update_fields=["photo"])
    stored = sum(item.photo.size for item in items if item.photo_id)

    pdf_times, pdf = [], b""
    for _ in range(args.runs + 1):  # the first run also pays for imports and caches: reported apart
        fresh = MaintenanceRecord.objects.get(pk=record.pk)
        t = time.perf_counter()
        pdf = record_pdf(fresh)
        pdf_times.append(time.perf_counter() - t)
    first, rest = pdf_times[0], pdf_times[1:]
    if args.out:
        Path(args.out).write_bytes(pdf)

    median = statistics.median(rest)
    print()
    print("| what | median | min | max |")
    print("|---|---:|---:|---:|")
    ms = [t * 1000 for t in photo_times]
    print(
        f"| save_record_photo, one 3000×4000 photo (n={len(ms)}) | {statistics.median(ms):.0f} ms "
        f"| {min(ms):.0f} ms | {max(ms):.0f} ms |"
    )
    print(
        f"| record_pdf, {len(items)} items and {len(photo_times)} photos (n={len(rest)}) | {median * 1000:.0f} ms "
        f"| {min(rest) * 1000:.0f} ms | {max(rest) * 1000:.0f} ms |"
    )
    print(f"| record_pdf, first call in the process (imports, caches) | {first * 1000:.0f} ms | | |")
    print()
    print(
        f"stored photos: {stored / 1e6:.2f} MB ({stored / max(1, len(photo_times)) / 1e3:.0f} KB each); "
        f"PDF: {len(pdf) / 1e6:.2f} MB"
    )
    verdict = "within" if median < TARGET_S else "OVER"
    print(f"record_pdf median {median:.2f} s: {verdict} the {TARGET_S:.0f} s target")


if __name__ == "__main__":
    main()
