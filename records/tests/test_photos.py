"""现场照片: downscaled, upright, watermarked, refused when not an image."""

import io
import struct
import zlib
from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageChops, ImageStat

from core.models import Attachment
from records import photos
from records.photos import photo_lines, save_record_photo, watermark
from records.tests.builders import STARTED, jpeg_bytes, jpeg_upload, make_record
from tests.factories import make_elevator

pytestmark = pytest.mark.django_db


def _open(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def _band_difference(original: bytes, marked: bytes, rows: int) -> float:
    """Mean absolute difference over the bottom `rows` pixels, the original scaled to the marked size."""
    marked_img = _open(marked).convert("RGB")
    original_img = _open(original).convert("RGB").resize(marked_img.size)
    box = (0, marked_img.height - rows, marked_img.width, marked_img.height)
    diff = ImageChops.difference(original_img.crop(box), marked_img.crop(box))
    return sum(ImageStat.Stat(diff).mean) / 3


def test_photo_lines():
    taken = timezone.make_aware(datetime(2026, 11, 25, 9, 41))
    lines = photo_lines(
        taken_at=taken,
        register_code="31105001122019020001",
        address="重庆市渝北区金龙路1号",
        latitude=29.59512,
        longitude="106.538249",
    )
    assert lines == ["2026-11-25 09:41 · 31105001122019020001", "重庆市渝北区金龙路1号 · 29.5951, 106.5382"]
    assert photo_lines(taken_at=taken, register_code="X", address="某地") == ["2026-11-25 09:41 · X", "某地"]


def test_watermark_downscales_and_draws_the_band():
    original = jpeg_bytes(size=(3000, 4000))
    marked = watermark(original, ["2026-11-25 09:41 · 31105001122019020001", "重庆市渝北区 · 29.5951, 106.5382"])
    img = _open(marked)
    assert img.format == "JPEG"
    assert img.size == (1200, 1600)
    assert not img.getexif()
    # the band at the bottom is darker than the photo there; the top is the photo as it was
    assert _band_difference(original, marked, rows=60) > 25
    top = ImageChops.difference(
        _open(original).convert("RGB").resize(img.size).crop((0, 0, 1200, 200)), img.crop((0, 0, 1200, 200))
    )
    assert sum(ImageStat.Stat(top).mean) / 3 < 5
    marked_band = img.crop((0, 1540, 1200, 1600)).convert("L")
    assert ImageStat.Stat(marked_band).extrema[0][1] > 200  # white letters on it


def test_watermark_keeps_a_small_photo_at_its_size_and_converts_png():
    buffer = io.BytesIO()
    Image.new("RGBA", (640, 480), (10, 200, 30, 128)).save(buffer, "PNG")
    img = _open(watermark(buffer.getvalue(), ["2026-11-25 09:41 · X"]))
    assert img.format == "JPEG" and img.mode == "RGB" and img.size == (640, 480)


def test_exif_orientation_is_applied():
    # stored landscape 1200×900, EXIF 6 = "rotate 90° clockwise to show": upright it is portrait 900×1200
    data = jpeg_bytes(size=(1200, 900), exif_orientation=6)
    img = _open(watermark(data, ["x"]))
    assert img.size == (900, 1200)
    upright = _open(data)
    from PIL import ImageOps

    expected = ImageOps.exif_transpose(upright)
    top = ImageChops.difference(expected.crop((0, 0, 900, 600)), img.convert("RGB").crop((0, 0, 900, 600)))
    assert sum(ImageStat.Stat(top).mean) / 3 < 5


def test_text_file_renamed_jpg_is_refused(world):
    record = make_record(world, make_elevator(world), items=1, photos=0)
    upload = SimpleUploadedFile("photo.jpg", b"just some text, not a photo\n" * 10, content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        save_record_photo(upload, record=record, purpose="item_photo", user=world.worker_a, taken_at=STARTED)
    assert "不是有效的图片" in error.value.messages[0]
    with pytest.raises(ValidationError):
        watermark(b"just some text", ["x"])


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a huge size in its header and holds almost nothing: a decompression bomb's shape."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b"")
    )


def test_decompression_bombs_are_refused(world, monkeypatch):
    record = make_record(world, make_elevator(world), items=1, photos=0)
    bomb = SimpleUploadedFile("bomb.png", _png_header_only(20000, 20000), content_type="image/png")
    with pytest.raises(ValidationError) as error:
        save_record_photo(bomb, record=record, purpose="item_photo", user=world.worker_a, taken_at=STARTED)
    assert "像素过多" in error.value.messages[0]
    with pytest.raises(ValidationError, match="像素过多"):
        watermark(_png_header_only(20000, 20000), ["x"])
    # under Pillow's own limit but over ours: refused before decoding
    monkeypatch.setattr(photos, "MAX_PHOTO_PIXELS", 1000 * 1000)
    with pytest.raises(ValidationError, match="像素过多"):
        watermark(jpeg_bytes(size=(1200, 1000)), ["x"])


def test_save_record_photo_stores_a_watermarked_jpeg_on_the_record(world):
    elevator = make_elevator(world, latitude=29.5951, longitude=106.5382)
    record = make_record(world, elevator, items=1, photos=0)
    original = jpeg_bytes(size=(3000, 4000))
    attachment = save_record_photo(
        SimpleUploadedFile("IMG_0001.JPG", original, content_type="image/jpeg"),
        record=record,
        purpose="item_photo",
        user=world.worker_a,
        taken_at=STARTED,
        latitude=29.5951,
        longitude=106.5382,
    )
    attachment = Attachment.objects.get(pk=attachment.pk)
    assert attachment.owner == record
    assert attachment.purpose == "item_photo"
    assert attachment.uploaded_by == world.worker_a
    assert attachment.content_type == "image/jpeg"
    assert attachment.original_name == "IMG_0001.jpg"
    with attachment.file.open("rb") as handle:
        stored = handle.read()
    assert attachment.size == len(stored)
    img = _open(stored)
    assert img.format == "JPEG" and max(img.size) <= 1600
    assert _band_difference(original, stored, rows=60) > 25


def test_a_png_upload_is_stored_as_jpeg(world):
    record = make_record(world, make_elevator(world), items=1, photos=0)
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (120, 130, 140)).save(buffer, "PNG")
    attachment = save_record_photo(
        SimpleUploadedFile("scan.png", buffer.getvalue(), content_type="image/png"),
        record=record,
        purpose="item_photo",
        user=world.worker_a,
        taken_at=STARTED,
    )
    assert attachment.original_name == "scan.jpg" and attachment.content_type == "image/jpeg"
    with attachment.file.open("rb") as handle:
        assert _open(handle.read()).size == (800, 600)


def test_uploads_of_the_builder_are_watermarked(world):
    record = make_record(world, make_elevator(world), items=2, photos=2)
    photos_of_items = [item.photo for item in record.items.all() if item.photo_id]
    assert len(photos_of_items) == 2
    for attachment in photos_of_items:
        with attachment.file.open("rb") as handle:
            data = handle.read()
        assert _band_difference(jpeg_upload().read(), data, rows=40) > 25
