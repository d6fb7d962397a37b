"""现场照片: a visit's photos, downscaled and watermarked with when, which elevator and where they were taken.

The watermark is burnt into the pixels (a photo copied out of the platform still says what it shows) and the
stored JPEG carries no EXIF, so nothing of the phone's metadata is kept beyond the words on the band.
"""

import functools
import io
import warnings
from datetime import datetime
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont, ImageOps

from core.fonts import chinese_font_path
from core.uploads import IMAGE, CheckedUpload, save_attachment, validate_upload

__all__ = ["MAX_SIDE", "MAX_PHOTO_PIXELS", "watermark", "photo_lines", "watermarked_photo", "save_record_photo"]

MAX_SIDE = 1600
JPEG_QUALITY = 80
# Phones shoot up to 50 MP; anything bigger is not a photo of a machine room but an attempt to exhaust memory.
MAX_PHOTO_PIXELS = 64_000_000
_BAND_ALPHA = 0.55  # how dark the band under the words is


def _bad_image() -> ValidationError:
    return ValidationError(_("文件内容不是有效的图片。"), code="bad_content")


def _too_many_pixels() -> ValidationError:
    return ValidationError(_("图片像素过多：请上传手机正常拍摄的照片。"), code="too_big")


@functools.lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(chinese_font_path()), size)


def _open(image_bytes: bytes) -> Image.Image:
    """Open and decode the image upright, at no more than twice the size it will be stored at."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(image_bytes))
            width, height = img.size
            if width * height > MAX_PHOTO_PIXELS:
                raise _too_many_pixels()
            if img.format == "JPEG":
                # JPEG decodes at 1/2, 1/4 or 1/8 scale for free: a 12 MP photo costs a quarter of the time.
                scale = MAX_SIDE / max(width, height)
                if scale < 1:
                    img.draft("RGB", (max(1, int(width * scale)), max(1, int(height * scale))))
            img = ImageOps.exif_transpose(img)
            img.load()
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except (OSError, SyntaxError, ValueError, Image.UnidentifiedImageError):
        raise _bad_image() from None
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        img = Image.new("RGB", rgba.size, (255, 255, 255))
        img.paste(rgba, mask=rgba.getchannel("A"))
    elif img.mode != "RGB":
        img = img.convert("RGB")
    return img


def _ellipsize(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> str:
    """Cut the end of `text` so that it fits in `width` pixels (a long address must not run off the photo)."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


def watermark(image_bytes: bytes, lines: list[str]) -> bytes:
    """The photo upright, its long side at most 1600 px, with `lines` on a dark band at the bottom; JPEG bytes."""
    img = _open(image_bytes)
    if max(img.size) > MAX_SIDE:
        img.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS, reducing_gap=2.0)
    width, height = img.size
    lines = [line for line in lines if line]
    if lines:
        size = max(12, round(min(width, height) * 0.032))
        font = _font(size)
        pad = max(6, size // 2)
        line_height = round(size * 1.35)
        band_height = min(height, pad * 2 + line_height * len(lines))
        top = height - band_height
        band = img.crop((0, top, width, height))
        img.paste(Image.blend(band, Image.new("RGB", band.size, (0, 0, 0)), _BAND_ALPHA), (0, top))
        draw = ImageDraw.Draw(img)
        for index, line in enumerate(lines):
            text = _ellipsize(draw, line, font, width - 2 * pad)
            draw.text((pad, top + pad + index * line_height), text, font=font, fill=(255, 255, 255))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def _coordinate(value) -> str:
    return f"{float(value):.4f}"


def photo_lines(*, taken_at: datetime, register_code: str, address: str, latitude=None, longitude=None) -> list[str]:
    """The watermark's words: `2026-11-25 09:41 · <register code>` and `<address> · <lat>, <lon>`."""
    if timezone.is_aware(taken_at):
        taken_at = timezone.localtime(taken_at)
    place = address.strip()
    if latitude is not None and longitude is not None:
        coordinates = f"{_coordinate(latitude)}, {_coordinate(longitude)}"
        place = f"{place} · {coordinates}" if place else coordinates
    return [line for line in (f"{taken_at:%Y-%m-%d %H:%M} · {register_code}", place) if line]


def _elevator_place(elevator) -> str:
    return " ".join(part for part in (elevator.address, elevator.building) if part)


def watermarked_photo(upload, *, elevator, taken_at, latitude=None, longitude=None) -> CheckedUpload:
    """Check an uploaded photo and turn it into the JPEG to store: upright, downscaled, watermarked with the time,
    the elevator's register code and place (and the coordinates when known), no EXIF. Nothing is stored yet."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            checked = validate_upload(upload, kinds=IMAGE)
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    upload.seek(0)
    data = upload.read()
    lines = photo_lines(
        taken_at=taken_at,
        register_code=elevator.register_code,
        address=_elevator_place(elevator),
        latitude=latitude,
        longitude=longitude,
    )
    jpeg = watermark(data, lines)
    name = f"{PurePosixPath(checked.name).stem[:95]}.jpg"
    return validate_upload(SimpleUploadedFile(name, jpeg, content_type="image/jpeg"), kinds=IMAGE)


def save_record_photo(upload, *, record, purpose: str, user, taken_at, latitude=None, longitude=None):
    """Check an uploaded photo, watermark it with the record's elevator, time and place, store it on the record."""
    stored = watermarked_photo(
        upload, elevator=record.elevator, taken_at=taken_at, latitude=latitude, longitude=longitude
    )
    return save_attachment(stored, record, purpose, user)
