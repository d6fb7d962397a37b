"""Upload checks: type by content, size, name — with messages a person understands."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from core.uploads import IMAGE, PDF, validate_upload

FACES = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "faces"


def png(size=(300, 300)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_real_photo_passes_and_its_type_comes_from_the_content():
    data = (FACES / "obama.jpg").read_bytes()
    checked = validate_upload(SimpleUploadedFile("照片.JPG", data), kinds=IMAGE)
    assert checked.content_type == "image/jpeg"
    assert checked.name == "照片.JPG"
    assert len(checked.sha256) == 64


def test_a_pdf_passes():
    checked = validate_upload(SimpleUploadedFile("证书.pdf", b"%PDF-1.7\n%%EOF\n"), kinds=PDF)
    assert checked.content_type == "application/pdf"


@pytest.mark.parametrize(
    "name, data, kinds, fragment",
    [
        ("virus.exe", b"MZ\x90\x00", (IMAGE, PDF), "不支持的文件类型"),
        ("photo.png", b"MZ\x90\x00 not a png", (IMAGE,), "不是有效的图片"),
        ("fake.pdf", png(), (PDF,), "不是 PDF"),
        ("scan.pdf", b"%PDF-1.4", (IMAGE,), "不支持的文件类型"),
        ("empty.png", b"", (IMAGE,), "空的"),
        ("../../etc/passwd.png", png(), (IMAGE,), None),  # the path is dropped, the name kept
        ("a<b>.png", png(), (IMAGE,), "文件名不合法"),
        (".hidden.png", png(), (IMAGE,), "文件名不合法"),
        ("x" * 120 + ".png", png(), (IMAGE,), "文件名过长"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason(name, data, kinds, fragment):
    upload = SimpleUploadedFile(name, data)
    if fragment is None:
        assert validate_upload(upload, kinds=kinds).name == "passwd.png"
        return
    with pytest.raises(ValidationError) as exc:
        validate_upload(upload, kinds=kinds)
    assert fragment in exc.value.messages[0]


@override_settings(UPLOAD_MAX_BYTES=1000)
def test_too_big_files_are_refused():
    with pytest.raises(ValidationError) as exc:
        validate_upload(SimpleUploadedFile("big.png", png((600, 600))), kinds=IMAGE)
    assert "文件太大" in exc.value.messages[0]


def test_gif_is_not_accepted_even_when_renamed():
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300)).save(buffer, "GIF")
    with pytest.raises(ValidationError) as exc:
        validate_upload(SimpleUploadedFile("anim.png", buffer.getvalue()), kinds=IMAGE)
    assert "JPEG 或 PNG" in exc.value.messages[0]


def test_small_images_can_be_refused():
    with pytest.raises(ValidationError) as exc:
        validate_upload(SimpleUploadedFile("tiny.png", png((50, 80))), kinds=IMAGE, min_image_side=200)
    assert "图片太小" in exc.value.messages[0]
