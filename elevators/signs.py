"""二维码标识牌: the QR code of an elevator's public page, on screen (SVG) and on printable signs (PDF)."""

import functools
import io

import segno
from django.utils.translation import gettext as _
from fpdf import FPDF

from core.fonts import chinese_font_path

__all__ = ["qr_svg", "qr_png", "sign_pdf", "LAYOUTS"]

EMERGENCY_NUMBER = "96333"
LAYOUTS = {"a5": _("A5 单张标识牌"), "sheet": _("A4 标签页（每页 8 张）")}


def _qr(url: str):
    return segno.make(url, error="m")


@functools.lru_cache(maxsize=512)
def qr_svg(url: str, scale: int = 4) -> str:
    """The QR code as inline SVG; kept for the pages shown again (encoding one costs several ms, a page's SQL)."""
    return _qr(url).svg_inline(scale=scale, dark="#111", light="#fff")


def qr_png(url: str, scale: int = 10) -> bytes:
    buffer = io.BytesIO()
    _qr(url).save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


class _SignPDF(FPDF):
    def __init__(self, fmt):
        super().__init__(orientation="P", unit="mm", format=fmt)
        self.add_font("noto", "", str(chinese_font_path()))
        self.set_auto_page_break(False)
        self.set_creator("电梯维保管理平台")


def _fit(pdf: _SignPDF, text: str, size: float, width: float) -> None:
    """Set the largest font size up to `size` (points) at which `text` fits in `width` (mm)."""
    while size > 5:
        pdf.set_font("noto", size=size)
        if pdf.get_string_width(text) <= width:
            return
        size -= 0.5
    pdf.set_font("noto", size=size)


def _draw_sign(pdf: _SignPDF, elevator, url: str) -> None:
    """One A5 sign: title, QR, codes, the 96333 call to action, the parties."""
    w, h, margin = 148.0, 210.0, 6.0
    pdf.set_draw_color(13, 71, 161)
    pdf.set_line_width(0.8)
    pdf.rect(3, 3, w - 6, h - 6)
    pdf.set_fill_color(13, 71, 161)
    pdf.rect(3, 3, w - 6, 18, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("noto", size=22)
    pdf.set_xy(0, 5)
    pdf.cell(w, 14, "电梯应急救援标识牌", align="C")
    pdf.set_text_color(0, 0, 0)
    qr_size = 80
    pdf.image(io.BytesIO(qr_png(url)), x=(w - qr_size) / 2, y=25, w=qr_size, h=qr_size)
    y = 25 + qr_size + 3
    rows = [
        (f"救援识别码  {elevator.rescue_code}", 26, 12),
        (f"注册代码  {elevator.register_code}", 12, 7),
        (f"困梯时请按轿厢内警铃或拨打 {EMERGENCY_NUMBER}", 15, 9),
        (f"使用单位  {elevator.use_unit.name}", 11, 7),
        (f"维保单位  {elevator.maintenance_company.name}", 11, 7),
        (f"维保电话  {elevator.maintenance_company.contact_phone}", 11, 7),
        (f"{elevator.building}  {elevator.address}", 10, 7),
    ]
    for text, size, height in rows:
        _fit(pdf, text, size, w - 2 * margin)
        pdf.set_xy(margin, y)
        pdf.cell(w - 2 * margin, height, text, align="C")
        y += height + 2
    pdf.set_font("noto", size=9)
    pdf.set_text_color(90, 90, 90)
    pdf.set_xy(margin, h - 14)
    pdf.cell(w - 2 * margin, 6, "扫码查看电梯状态、维保信息，或上报问题", align="C")
    pdf.set_text_color(0, 0, 0)


def sign_pdf(elevators, url_for, layout: str = "a5") -> bytes:
    """Printable signs: one A5 page per elevator, or A4 label sheets of 8 (2 × 4)."""
    elevators = list(elevators)
    if layout == "sheet":
        pdf = _SignPDF((210, 297))
        cols, rows = 2, 4
        w, h = 210.0 / cols, 297.0 / rows
        per_page = cols * rows
        for index, elevator in enumerate(elevators):
            if index % per_page == 0:
                pdf.add_page()
            slot = index % per_page
            x, y = (slot % cols) * w, (slot // cols) * h
            _draw_small_label(pdf, elevator, url_for(elevator), x, y, w, h)
    else:
        pdf = _SignPDF((148, 210))
        for elevator in elevators:
            pdf.add_page()
            _draw_sign(pdf, elevator, url_for(elevator))
    return bytes(pdf.output())


def _draw_small_label(pdf: _SignPDF, elevator, url: str, x: float, y: float, w: float, h: float) -> None:
    """A label for the sheet: the QR on the left, the codes on the right."""
    pdf.set_draw_color(13, 71, 161)
    pdf.set_line_width(0.4)
    pdf.rect(x + 3, y + 3, w - 6, h - 6)
    qr_size = min(h - 20, 46.0)
    pdf.image(io.BytesIO(qr_png(url, scale=6)), x=x + 5, y=y + 7, w=qr_size, h=qr_size)
    text_x = x + 7 + qr_size
    text_w = w - qr_size - 12
    lines = [
        ("电梯应急救援标识", 12),
        (f"救援识别码 {elevator.rescue_code}", 14),
        (f"注册代码 {elevator.register_code}", 8),
        (f"困梯请拨 {EMERGENCY_NUMBER}", 11),
        (elevator.use_unit.name, 8),
        (elevator.building, 8),
    ]
    line_y = y + 8
    for text, size in lines:
        _fit(pdf, text, size, text_w)
        pdf.set_xy(text_x, line_y)
        pdf.cell(text_w, size * 0.5, text)
        line_y += size * 0.5 + 3
