"""Upload checks shared by every form that takes a file: type (by content, not name), size, name."""

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from .models import Attachment

__all__ = [
    "IMAGE",
    "PDF",
    "XLSX",
    "DOCUMENT",
    "XLSX_CONTENT_TYPE",
    "validate_upload",
    "validate_xlsx",
    "save_attachment",
    "CheckedUpload",
    "validate_uploads",
]

IMAGE = "image"
PDF = "pdf"
XLSX = "xlsx"
DOCUMENT = (IMAGE, PDF)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_EXTENSIONS = {
    ".jpg": ("image", "image/jpeg"),
    ".jpeg": ("image", "image/jpeg"),
    ".png": ("image", "image/png"),
    ".pdf": ("pdf", "application/pdf"),
    ".xlsx": ("xlsx", XLSX_CONTENT_TYPE),
}
_LEGACY_SPREADSHEETS = (".xls", ".et", ".wps")
_ZIP_MAGIC = b"PK\x03\x04"
# A 10 MB workbook unpacks to a few hundred MB at most; more than this is a zip bomb, not a ledger.
_MAX_UNPACKED_BYTES = 300 * 1024 * 1024
_PIL_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}
_BAD_NAME = re.compile(r"[\x00-\x1f<>:\"|?*\\]")


@dataclass
class CheckedUpload:
    file: object
    name: str
    kind: str
    content_type: str
    size: int
    sha256: str


def _clean_name(raw: str) -> str:
    name = PurePosixPath((raw or "").replace("\\", "/")).name.strip()
    if not name or name.startswith(".") or _BAD_NAME.search(name):
        raise ValidationError(_("文件名不合法：请使用不含特殊字符的文件名。"), code="bad_name")
    if len(name) > 100:
        raise ValidationError(_("文件名过长：最多 100 个字符。"), code="name_too_long")
    return name


def validate_upload(uploaded, kinds=DOCUMENT, max_bytes=None, min_image_side=0) -> CheckedUpload:
    """Check an uploaded file and say in plain words what is wrong with it.

    kinds: which of "image" and "pdf" are accepted. The content is sniffed, so a
    renamed executable is refused whatever its extension says.
    """
    if isinstance(kinds, str):
        kinds = (kinds,)
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    name = _clean_name(getattr(uploaded, "name", ""))
    ext = PurePosixPath(name).suffix.lower()
    if XLSX in kinds and ext in _LEGACY_SPREADSHEETS:
        raise ValidationError(
            _("不支持旧版 Excel 文件 %(ext)s：请在 Excel 或 WPS 中“另存为” .xlsx 格式后再上传。") % {"ext": ext},
            code="bad_type",
        )
    allowed_ext = sorted(e for e, (k, _m) in _EXTENSIONS.items() if k in kinds)
    if ext not in allowed_ext:
        raise ValidationError(
            _("不支持的文件类型 %(ext)s：只接受 %(allowed)s。")
            % {"ext": ext or "?", "allowed": ", ".join(allowed_ext)},
            code="bad_type",
        )
    size = uploaded.size
    if size == 0:
        raise ValidationError(_("文件是空的。"), code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("文件太大（%(size).1f MB）：最大 %(max).0f MB。") % {"size": size / 1048576, "max": max_bytes / 1048576},
            code="too_big",
        )
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    kind, content_type = _EXTENSIONS[ext]
    if kind == PDF:
        if not data.startswith(b"%PDF-"):
            raise ValidationError(_("文件内容不是 PDF。"), code="bad_content")
    elif kind == XLSX:
        _check_xlsx(data)
    else:
        try:
            with Image.open(io.BytesIO(data)) as img:
                img.verify()
            with Image.open(io.BytesIO(data)) as img:
                fmt = img.format
                width, height = img.size
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ValidationError(_("文件内容不是有效的图片。"), code="bad_content") from None
        if fmt not in _PIL_FORMATS:
            raise ValidationError(_("只接受 JPEG 或 PNG 图片。"), code="bad_content")
        content_type = _PIL_FORMATS[fmt]
        if min_image_side and min(width, height) < min_image_side:
            raise ValidationError(
                _("图片太小（%(w)s×%(h)s）：短边至少 %(min)s 像素。")
                % {"w": width, "h": height, "min": min_image_side},
                code="too_small",
            )
    return CheckedUpload(
        file=uploaded,
        name=name,
        kind=kind,
        content_type=content_type,
        size=size,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _check_xlsx(data: bytes) -> None:
    """A ZIP container with a workbook that openpyxl opens, and no zip bomb."""
    from openpyxl import load_workbook

    not_xlsx = _("文件内容不是 Excel 工作簿（.xlsx）。如果文件设置了打开密码，请先取消密码再上传。")
    if not data.startswith(_ZIP_MAGIC):
        raise ValidationError(not_xlsx, code="bad_content")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError(not_xlsx, code="bad_content") from None
    if "xl/workbook.xml" not in names:
        raise ValidationError(not_xlsx, code="bad_content")
    if unpacked > _MAX_UNPACKED_BYTES:
        raise ValidationError(_("文件解压后过大，无法导入：请删除多余的工作表或格式后再上传。"), code="too_big")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        has_sheet = bool(workbook.worksheets)
        workbook.close()
    except Exception:  # openpyxl raises many kinds of errors for a damaged file
        raise ValidationError(
            _("无法读取这个 Excel 文件：文件可能已损坏，请重新保存后再上传。"), code="bad_content"
        ) from None
    if not has_sheet:
        raise ValidationError(_("这个 Excel 文件没有工作表。"), code="bad_content")


def validate_xlsx(uploaded, max_bytes=None) -> CheckedUpload:
    """An Excel workbook (.xlsx only) for imports."""
    return validate_upload(uploaded, kinds=XLSX, max_bytes=max_bytes)


def validate_uploads(files: dict, kinds=DOCUMENT) -> dict:
    """Check several uploads at once: {field: CheckedUpload}, or one ValidationError naming every bad field."""
    checked, errors = {}, {}
    for field, upload in files.items():
        try:
            checked[field] = validate_upload(upload, kinds=kinds)
        except ValidationError as exc:
            errors[field] = exc.messages
    if errors:
        raise ValidationError(errors)
    return checked


def save_attachment(checked: CheckedUpload, owner, purpose: str, user) -> Attachment:
    """Store a checked upload as an Attachment owned by a tenant-scoped object."""
    attachment = Attachment(
        owner_type=ContentType.objects.get_for_model(owner),
        owner_id=str(owner.pk),
        purpose=purpose,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    attachment.file.save(checked.name, checked.file, save=False)
    attachment.save()
    return attachment
