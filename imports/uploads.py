"""The upload check for spreadsheets (.xlsx), in the manner of core.uploads: name, size, then the content.

The content is sniffed (a ZIP container that openpyxl can open), so a renamed executable or a CSV is refused
whatever its name says. Meant to move into core.uploads as one more kind when that file is free.
"""

import hashlib
import io
import zipfile
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.uploads import CheckedUpload, _clean_name

__all__ = ["XLSX", "XLSX_CONTENT_TYPE", "validate_xlsx"]

XLSX = "xlsx"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_MAGIC = b"PK\x03\x04"
# A 10 MB workbook unpacks to a few hundred MB at most; more than this is a zip bomb, not a ledger.
MAX_UNPACKED_BYTES = 300 * 1024 * 1024


def validate_xlsx(uploaded, max_bytes=None) -> CheckedUpload:
    """Check an uploaded Excel workbook (.xlsx only) and say in plain words what is wrong with it."""
    from openpyxl import load_workbook

    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    name = _clean_name(getattr(uploaded, "name", ""))
    ext = PurePosixPath(name).suffix.lower()
    if ext in (".xls", ".et", ".wps"):
        raise ValidationError(
            _("不支持旧版 Excel 文件 %(ext)s：请在 Excel 或 WPS 中“另存为” .xlsx 格式后再上传。") % {"ext": ext},
            code="bad_type",
        )
    if ext != ".xlsx":
        raise ValidationError(
            _("不支持的文件类型 %(ext)s：只接受 .xlsx（Excel 工作簿）。") % {"ext": ext or "?"}, code="bad_type"
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
    not_xlsx = _("文件内容不是 Excel 工作簿（.xlsx）。如果文件设置了打开密码，请先取消密码再上传。")
    if not data.startswith(ZIP_MAGIC):
        raise ValidationError(not_xlsx, code="bad_content")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError(not_xlsx, code="bad_content") from None
    if "xl/workbook.xml" not in names:
        raise ValidationError(not_xlsx, code="bad_content")
    if unpacked > MAX_UNPACKED_BYTES:
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
    return CheckedUpload(
        file=uploaded,
        name=name,
        kind=XLSX,
        content_type=XLSX_CONTENT_TYPE,
        size=size,
        sha256=hashlib.sha256(data).hexdigest(),
    )
