"""What the platform's A4 documents share: the Chinese font, the margins, the colours, section bands and tables.

Drawn with fpdf2 and the TrueType Noto Sans SC (core.fonts), so the text is searchable and extractable. Used by
维保纪录 (records.pdf) and the pilot's 申请书 and 承诺书 (pilot.pdf).
"""

from django.utils.translation import get_language
from fpdf import FPDF
from fpdf.enums import TextEmphasis, WrapMode
from fpdf.fonts import FontFace

from core.fonts import chinese_font_path

__all__ = [
    "FONT",
    "PAGE_WIDTH",
    "MARGIN",
    "CONTENT_WIDTH",
    "BLUE",
    "LABEL_FILL",
    "HEADING_FILL",
    "GREY",
    "DASH",
    "LABEL_STYLE",
    "ChinesePDF",
    "section",
    "plain_table",
    "wrap_mode",
]

FONT = "noto"
PAGE_WIDTH = 210.0
MARGIN = 12.0
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
BLUE = (13, 71, 161)
LABEL_FILL = (240, 243, 248)
HEADING_FILL = (226, 233, 245)
GREY = (110, 110, 110)
DASH = "—"
LABEL_STYLE = FontFace(emphasis=TextEmphasis.NONE, fill_color=LABEL_FILL, color=(70, 70, 70))


class ChinesePDF(FPDF):
    """A4 portrait with the Chinese font loaded as FONT and the platform's margins."""

    def __init__(self, title: str = ""):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font(FONT, "", str(chinese_font_path()))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=16)
        self.set_creator("电梯维保管理平台")
        if title:
            self.set_title(title)


def wrap_mode() -> WrapMode:
    """How long text wraps: at any character in Chinese (which has no spaces, and where fpdf2's word wrapping
    would break at the one space of a line, or at an ideographic space used as an indent), at words otherwise."""
    return WrapMode.CHAR if (get_language() or "zh-hans").startswith("zh") else WrapMode.WORD


def section(pdf: FPDF, title: str) -> None:
    """A blue band with the section's title (on a new page when too little room is left for what follows)."""
    if pdf.will_page_break(20):
        pdf.add_page()
    pdf.ln(3)
    pdf.set_fill_color(*BLUE)
    pdf.set_text_color(255, 255, 255)
    pdf.set_font(FONT, size=10)
    pdf.cell(CONTENT_WIDTH, 6.5, "  " + title, fill=True, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_fill_color(255, 255, 255)  # tables fill their cells with the current colour
    pdf.ln(1)


def plain_table(pdf: FPDF, **kwargs):
    """A thin-bordered table over the content width; its first row is the heading unless told otherwise."""
    pdf.set_font(FONT, size=8.5)
    pdf.set_draw_color(190, 190, 190)
    pdf.set_line_width(0.2)
    options = dict(
        width=CONTENT_WIDTH,
        text_align="LEFT",
        line_height=4.6,
        padding=(1, 1.5),
        headings_style=FontFace(emphasis=TextEmphasis.NONE, fill_color=HEADING_FILL),
    )
    options.update(kwargs)
    return pdf.table(**options)
