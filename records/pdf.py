"""维保纪录 as PDF: one record, many records in one file, or a ZIP of one PDF per record.

Drawn with fpdf2 and the Chinese TrueType font (core.fonts), so the text is searchable and extractable.
Labels go through gettext: Chinese by default, English when that is the active language.
"""

import io
import zipfile
from decimal import Decimal

from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf.enums import TextEmphasis
from fpdf.fonts import FontFace
from PIL import Image

from core.pdf import BLUE, CONTENT_WIDTH, DASH, FONT, GREY, LABEL_STYLE, MARGIN, ChinesePDF, plain_table, section
from elevators.catalogue import PARAMETERS_OF_GROUP, ParameterGroup, group_of

from .models import Flag, Hazard, RecordWorker
from .repairs import repair_photos

__all__ = ["record_pdf", "records_pdf", "records_zip", "record_filename", "repair_pdf"]

THUMB_SIDE = 800  # px: ~230 dpi in an 88 mm box, a tenth of the stored photo's bytes
WARN_FILL = (253, 236, 234)
PREFETCH = (
    "organization",
    "elevator__use_unit",
    "signature",
    "workers__user",
    "items__item",
    "items__photo",
)


class _RecordPDF(ChinesePDF):
    def __init__(self):
        super().__init__(title=_("维保纪录"))
        self.record = None
        self.record_first_page = 1

    def footer(self):
        if self.record is None:
            return
        self.set_y(-12)
        self.set_font(FONT, size=7)
        self.set_text_color(*GREY)
        page = self.page_no() - self.record_first_page + 1
        text = _("维保纪录 %(number)s · 注册代码 %(code)s · 第 %(page)s 页") % {
            "number": record_number(self.record),
            "code": self.record.elevator.register_code,
            "page": page,
        }
        self.cell(0, 5, text, align="C")
        self.set_text_color(0, 0, 0)


def record_number(record) -> str:
    return f"{record.pk:08d}"


def record_filename(record) -> str:
    """`<register code>-<YYYYMMDD>-<id>.pdf`, the day being the visit's local start date."""
    day = timezone.localtime(record.started_at) if timezone.is_aware(record.started_at) else record.started_at
    return f"{record.elevator.register_code}-{day:%Y%m%d}-{record.pk}.pdf"


# --- values --------------------------------------------------------------------------------------


def _when(value) -> str:
    if value is None:
        return DASH
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value:%Y-%m-%d %H:%M}"


def _number(value) -> str:
    if value is None or value == "":
        return DASH
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _position(latitude, longitude, accuracy=None) -> str:
    if latitude is None or longitude is None:
        return DASH
    text = f"{float(latitude):.6f}, {float(longitude):.6f}"
    if accuracy is not None:
        text += " " + _("（精度 %(m)s 米）") % {"m": accuracy}
    return text


def _metres(value) -> str:
    return DASH if value is None else _("%(m)s 米") % {"m": value}


def _duration(record) -> str:
    minutes = record.duration_minutes
    if minutes is None and record.finished_at and record.started_at:
        minutes = int((record.finished_at - record.started_at).total_seconds() // 60)
    return DASH if minutes is None else _("%(n)s 分钟") % {"n": minutes}


def _parameters(elevator) -> list[tuple[str, str]]:
    """The technical parameters TSG T5002 art. 8 asks of this kind of elevator, as (label, value)."""
    group = group_of(elevator.device_category)
    fields = list(PARAMETERS_OF_GROUP[group])
    if elevator.device_category != "3320" and "usable_length" in fields:
        fields.remove("usable_length")  # an escalator has no usable length, only a moving walk
    pairs = []
    for name in fields:
        if name in ("floors", "stops"):
            continue
        if name == "doors":
            counts = [_number(getattr(elevator, field)) for field in ("floors", "stops", "doors")]
            pairs.append((_("层/站/门"), "/".join(counts)))
            continue
        field = elevator._meta.get_field(name)
        label = str(field.verbose_name)
        if name == "rated_speed" and group == ParameterGroup.ESCALATOR:
            label = _("名义速度（m/s）")
        if field.choices:
            value = getattr(elevator, f"get_{name}_display")() or DASH
        else:
            value = _number(getattr(elevator, name))
        pairs.append((label, value))
    return pairs


def _face(worker) -> str:
    if worker.face_matched:
        text = _("核验通过")
    elif worker.selfie_id is None:
        return _("未拍照")
    else:
        text = _("核验未通过")
    if worker.face_distance is not None:
        text += f"（{worker.face_distance:.2f}）"
    return text


def _measure(item) -> str:
    parts = []
    if item.measured_value is not None:
        unit = item.item.unit if item.item_id else ""
        value = f"{_number(item.measured_value)} {unit}".strip()
        if item.out_of_limit:
            value += " ⚠ " + _("超出限值")
        parts.append(value)
    if item.note:
        parts.append(item.note)
    return "；".join(parts) or ""


def _thumbnail(attachment) -> bytes | None:
    """A small JPEG of a stored photo (None when the file cannot be read: the PDF is still drawn)."""
    try:
        with attachment.file.open("rb") as handle:
            img = Image.open(io.BytesIO(handle.read()))
            scale = THUMB_SIDE / max(img.size)
            if img.format == "JPEG" and scale < 1:
                # decoded at half size straight away (the draft must keep the photo's proportions to apply)
                img.draft("RGB", (int(img.width * scale), int(img.height * scale)))
            img = img.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    img.thumbnail((THUMB_SIDE, THUMB_SIDE))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=75)
    return out.getvalue()


# --- drawing -------------------------------------------------------------------------------------


def _pairs_table(pdf: _RecordPDF, pairs: list[tuple[str, str]]) -> None:
    """Label/value pairs two to a row; a pair whose label starts a row alone and is long spans the row."""
    with plain_table(pdf, col_widths=(31, 62, 31, 62), first_row_as_headings=False) as table:
        row, used = None, 0
        for label, value in pairs:
            wide = len(value) > 30
            if row is None or used == 2 or (wide and used):
                if row is not None and used == 1:
                    row.cell("", colspan=2)
                row, used = table.row(), 0
            row.cell(label, style=LABEL_STYLE)
            if wide:
                row.cell(value, colspan=3)
                used = 2
            else:
                row.cell(value)
                used += 1
        if row is not None and used == 1:
            row.cell("", colspan=2)


def _header(pdf: _RecordPDF, record) -> None:
    pdf.set_font(FONT, size=20)
    pdf.set_text_color(*BLUE)
    pdf.cell(CONTENT_WIDTH, 11, _("维保纪录"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, size=10)
    pdf.cell(CONTENT_WIDTH, 6, record.organization.name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=8.5)
    line = _("纪录编号 %(number)s　状态 %(status)s") % {
        "number": record_number(record),
        "status": record.get_status_display(),
    }
    pdf.cell(CONTENT_WIDTH, 5, line, align="C", new_x="LMARGIN", new_y="NEXT")
    if record.is_sealed:
        pdf.set_font(FONT, size=7.5)
        pdf.set_text_color(*GREY)
        seal = _("封存校验值 %(seal)s") % {"seal": record.seal}
        pdf.cell(CONTENT_WIDTH, 4.5, seal, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    if record.corrects_id:
        pdf.set_font(FONT, size=8.5)
        text = _("本纪录更正纪录 %(number)s：%(reason)s") % {
            "number": f"{record.corrects_id:08d}",
            "reason": record.correction_reason or DASH,
        }
        pdf.multi_cell(CONTENT_WIDTH, 5, text, align="C", new_x="LMARGIN", new_y="NEXT")


def _elevator(pdf: _RecordPDF, record) -> None:
    elevator = record.elevator
    section(pdf, _("电梯信息"))
    pairs = [
        (_("注册代码"), elevator.register_code),
        (_("设备品种"), elevator.get_device_category_display()),
        (_("使用单位"), elevator.use_unit.name),
        (_("单位内编号"), elevator.internal_number or DASH),
        (_("安装地址"), " ".join(p for p in (elevator.address, elevator.building) if p)),
    ]
    pairs += _parameters(elevator)
    _pairs_table(pdf, pairs)


def _visit(pdf: _RecordPDF, record) -> None:
    section(pdf, _("维保作业"))
    pairs = [
        (_("维保类型"), record.get_cycle_display()),
        (_("作业类型"), record.get_work_type_display()),
        (_("开始时间"), _when(record.started_at)),
        (_("结束时间"), _when(record.finished_at)),
        (_("用时"), _duration(record)),
        (_("服务器接收时间"), _when(record.received_at)),
        (_("开始位置"), _position(record.latitude, record.longitude, record.accuracy_m)),
        (_("距电梯"), _metres(record.distance_m)),
    ]
    _pairs_table(pdf, pairs)


def _workers(pdf: _RecordPDF, record) -> None:
    section(pdf, _("维保人员"))
    workers = sorted(record.workers.all(), key=lambda w: (w.role != RecordWorker.Role.FIRST, w.pk))
    with plain_table(pdf, col_widths=(24, 30, 32, 66, 34)) as table:
        heading = table.row()
        for text in (_("角色"), _("姓名"), _("签到时间"), _("位置 / 距电梯"), _("人脸核验")):
            heading.cell(text)
        for worker in workers:
            row = table.row()
            row.cell(worker.get_role_display())
            row.cell(worker.user.full_name or worker.user.username)
            row.cell(_when(worker.joined_at))
            row.cell(f"{_position(worker.latitude, worker.longitude)} / {_metres(worker.distance_m)}")
            row.cell(_face(worker))
        if not workers:
            table.row().cell(_("无"), colspan=5)


def _items(pdf: _RecordPDF, record) -> list:
    items = list(record.items.all())
    section(pdf, _("维保项目（%(n)s 项）") % {"n": len(items)})
    warn = FontFace(emphasis=TextEmphasis.NONE, fill_color=WARN_FILL)
    with plain_table(pdf, col_widths=(15, 32, 77, 19, 43)) as table:
        heading = table.row()
        for text in (_("编号"), _("项目(内容)"), _("基本要求"), _("结果"), _("说明 / 测量值")):
            heading.cell(text)
        for item in items:
            style = warn if item.out_of_limit or item.result == "abnormal" else None
            row = table.row(style=style)
            row.cell(item.code)
            row.cell(item.part)
            row.cell(item.requirement)
            row.cell(item.get_result_display() if item.result else _("未填写"))
            row.cell(_measure(item))
    return items


def _photos(pdf: _RecordPDF, items: list) -> None:
    photos = [(f"{item.code} {item.part}", item.photo) for item in items if item.photo_id]
    _photo_grid(pdf, photos)


def _photo_grid(pdf: _RecordPDF, photos: list) -> None:
    """现场照片: (caption, attachment) pairs as thumbnails two to a row, under one heading."""
    if not photos:
        return
    box_w, box_h, caption_h, gap = 88.0, 66.0, 5.0, 4.0
    row_h = box_h + caption_h + gap
    if pdf.will_page_break(row_h + 12):  # the heading goes with the first row of photos
        pdf.add_page()
    section(pdf, _("现场照片（%(n)s 张）") % {"n": len(photos)})
    for index, (caption, photo) in enumerate(photos):
        column = index % 2
        if column == 0:
            if pdf.will_page_break(row_h):
                pdf.add_page()
            top = pdf.get_y()
        x = MARGIN + column * (box_w + (CONTENT_WIDTH - 2 * box_w))
        pdf.set_draw_color(200, 200, 200)
        pdf.rect(x, top, box_w, box_h)
        thumb = _thumbnail(photo)
        if thumb:
            pdf.image(io.BytesIO(thumb), x=x + 0.5, y=top + 0.5, w=box_w - 1, h=box_h - 1, keep_aspect_ratio=True)
        else:
            pdf.set_xy(x, top + box_h / 2 - 3)
            pdf.set_font(FONT, size=8)
            pdf.cell(box_w, 6, _("照片无法读取"), align="C")
        pdf.set_xy(x, top + box_h + 0.5)
        pdf.set_font(FONT, size=8)
        while caption and pdf.get_string_width(caption) > box_w:
            caption = caption[:-1]
        pdf.cell(box_w, caption_h, caption, align="C")
        if column == 1 or index == len(photos) - 1:
            pdf.set_xy(MARGIN, top + row_h)


def _lines(pdf: _RecordPDF, title: str, lines: list[str]) -> None:
    section(pdf, title)
    pdf.set_font(FONT, size=8.5)
    for line in lines:
        pdf.multi_cell(CONTENT_WIDTH, 5, line, new_x="LMARGIN", new_y="NEXT")


def _label(choices, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def _confirmation(pdf: _RecordPDF, record) -> None:
    section(pdf, _("使用单位确认"))
    if not record.confirmed_at:
        pdf.set_font(FONT, size=8.5)
        pdf.cell(CONTENT_WIDTH, 6, _("未确认"), new_x="LMARGIN", new_y="NEXT")
        return
    way = _("现场签字") if record.confirmed_on_site else _("非现场确认")
    pairs = [
        (_("确认人"), record.confirmed_name or DASH),
        (_("确认时间"), _when(record.confirmed_at)),
        (_("确认方式"), way),
    ]
    _pairs_table(pdf, pairs)
    if record.signature_id:
        signature = _signature(record.signature)
        if signature:
            if pdf.will_page_break(30):
                pdf.add_page()
            pdf.ln(2)
            pdf.set_font(FONT, size=8.5)
            y = pdf.get_y()
            pdf.cell(20, 6, _("签字"))
            pdf.image(io.BytesIO(signature), x=MARGIN + 20, y=y, w=60, h=24, keep_aspect_ratio=True)
            pdf.set_xy(MARGIN, y + 26)


def _signature(attachment) -> bytes | None:
    """The signature as PNG (the stored file may be any image the upload check accepted)."""
    try:
        with attachment.file.open("rb") as handle:
            img = Image.open(io.BytesIO(handle.read()))
            img.load()
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    if img.mode in ("RGBA", "LA", "PA", "P"):
        rgba = img.convert("RGBA")
        img = Image.new("RGB", rgba.size, (255, 255, 255))
        img.paste(rgba, mask=rgba.getchannel("A"))
    img.thumbnail((600, 240))
    out = io.BytesIO()
    img.convert("RGB").save(out, "PNG")
    return out.getvalue()


def _seal(pdf: _RecordPDF, record) -> None:
    pdf.ln(4)
    pdf.set_draw_color(*BLUE)
    pdf.line(MARGIN, pdf.get_y(), MARGIN + CONTENT_WIDTH, pdf.get_y())
    pdf.ln(1.5)
    pdf.set_font(FONT, size=7.5)
    pdf.set_text_color(*GREY)
    if record.is_sealed:
        text = _("封存校验值（SHA-256）%(seal)s　链序号 %(index)s　前一校验值 %(previous)s") % {
            "seal": record.seal,
            "index": DASH if record.chain_index is None else record.chain_index,
            "previous": record.previous_seal or DASH,
        }
    else:
        text = _("未封存：纪录经使用单位确认后封存，此后任何改动都会使校验值不符。")
    pdf.multi_cell(CONTENT_WIDTH, 4, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)


def _draw(pdf: _RecordPDF, record) -> None:
    pdf.record = record
    pdf.add_page()
    pdf.record_first_page = pdf.page_no()
    _header(pdf, record)
    _elevator(pdf, record)
    _visit(pdf, record)
    _workers(pdf, record)
    items = _items(pdf, record)
    _photos(pdf, items)
    hazards = [_label(Hazard, code) for code in record.hazard_codes or []]
    _lines(pdf, _("严重事故隐患"), hazards or [_("未填写")])
    flags = [_label(Flag, code) for code in record.flags or []]
    _lines(pdf, _("可信度标记"), flags or [_("无")])
    _confirmation(pdf, record)
    _seal(pdf, record)


def records_pdf(records) -> bytes:
    """Many records in one PDF, each starting on a new page (records: a queryset or a list)."""
    records = list(records)
    prefetch_related_objects(records, *PREFETCH)
    pdf = _RecordPDF()
    for record in records:
        _draw(pdf, record)
    if not records:
        pdf.add_page()
    return bytes(pdf.output())


def record_pdf(record) -> bytes:
    return records_pdf([record])


def records_zip(records) -> bytes:
    """A ZIP of one PDF per record, named `<register code>-<YYYYMMDD>-<id>.pdf`."""
    records = list(records)
    prefetch_related_objects(records, *PREFETCH)
    buffer = io.BytesIO()
    # PDFs are compressed already (fonts, images): storing them costs nothing and saves the CPU.
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for record in records:
            pdf = _RecordPDF()
            _draw(pdf, record)
            archive.writestr(record_filename(record), bytes(pdf.output()))
    return buffer.getvalue()


def repair_pdf(repair) -> bytes:
    """维修纪录 as a PDF: the elevator, the fault and its repair, the times and the people."""
    pdf = _RecordPDF()
    pdf.set_title(_("维修纪录"))
    pdf.add_page()
    pdf.set_font(FONT, size=20)
    pdf.set_text_color(*BLUE)
    pdf.cell(CONTENT_WIDTH, 11, _("维修纪录"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, size=10)
    pdf.cell(CONTENT_WIDTH, 6, repair.organization.name, align="C", new_x="LMARGIN", new_y="NEXT")
    elevator = repair.elevator
    section(pdf, _("电梯信息"))
    _pairs_table(
        pdf,
        [
            (_("注册代码"), elevator.register_code),
            (_("设备品种"), elevator.get_device_category_display()),
            (_("使用单位"), elevator.use_unit.name),
            (_("安装地址"), " ".join(p for p in (elevator.address, elevator.building) if p)),
        ],
    )
    section(pdf, _("维修经过"))
    minutes = repair.minutes_to_restore
    _pairs_table(
        pdf,
        [
            (_("故障现象"), repair.fault),
            (_("故障原因"), repair.cause or DASH),
            (_("维修内容"), repair.work_done or DASH),
            (_("更换部件"), repair.parts_replaced or DASH),
            (_("报修时间"), _when(repair.reported_at)),
            (_("到达时间"), _when(repair.arrived_at)),
            (_("修复时间"), _when(repair.restored_at)),
            (_("修复用时（分钟）"), DASH if minutes is None else str(minutes)),
            (_("维修人员"), "、".join(w.display_name for w in repair.workers.all()) or DASH),
            (_("状态"), repair.get_status_display()),
        ],
    )
    photos = list(repair_photos(repair))
    captions = [_("照片 %(n)s · %(at)s") % {"n": n, "at": _when(p.uploaded_at)} for n, p in enumerate(photos, 1)]
    _photo_grid(pdf, list(zip(captions, photos, strict=True)))
    return bytes(pdf.output())
