"""The demo's application documents (使用登记表, 告知书, 维保合同 …) as small one-page PDFs in Chinese.

fpdf2 loads Noto Sans SC (0.3 s) and subsets it with fontTools for each PDF it writes (50–100 ms for a page of
Chinese): for the demo's sixty documents that was seconds of `make run`. Here the font is cut down once to the
characters every document uses, and each PDF is written directly (a table of labels and values, the font embedded
as TrueType with Identity-H and a ToUnicode map, so the text renders everywhere and can be searched and copied):
a millisecond a document.
"""

import io
import zlib

__all__ = ["FOOTER", "render_documents"]

FOOTER = "本文件为演示数据，由电梯维保管理平台生成。"
PAGE_WIDTH, PAGE_HEIGHT = 595.28, 841.89  # A4 in points
MARGIN = 56
LABEL_WIDTH = 130
ROW_PADDING = 7


def render_documents(contents) -> dict:
    """{(title, ((label, value), …)): PDF bytes} for each distinct document."""
    contents = list(dict.fromkeys(contents))
    text = FOOTER + "".join(title + "".join(a + b for a, b in rows) for title, rows in contents)
    font = _Font(text)
    return {content: _page(font, *content) for content in contents}


class _Font:
    """Noto Sans SC cut down to the characters of `text`: glyph ids, advance widths (per 1000) and the font file."""

    def __init__(self, text: str):
        from fontTools import subset
        from fontTools.ttLib import TTFont

        from core.fonts import chinese_font_path

        font = TTFont(str(chinese_font_path()), lazy=True)
        options = subset.Options()
        options.layout_features = []
        options.notdef_outline = True
        options.drop_tables += ["GSUB", "GPOS", "GDEF", "meta"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        buffer = io.BytesIO()
        font.save(buffer)
        self.program = buffer.getvalue()
        scale = 1000 / font["head"].unitsPerEm
        cmap = font.getBestCmap()
        self.gid = {chr(code): font.getGlyphID(name) for code, name in cmap.items()}
        self.widths = [round(font["hmtx"][name][0] * scale) for name in font.getGlyphOrder()]
        self.advance = {ch: self.widths[gid] for ch, gid in self.gid.items()}
        head, hhea = font["head"], font["hhea"]
        self.bbox = [round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)]
        self.ascent, self.descent = round(hhea.ascent * scale), round(hhea.descent * scale)
        self.unicode = {gid: ch for ch, gid in self.gid.items()}

    def hex(self, text: str) -> str:
        return "".join(f"{self.gid.get(ch, 0):04X}" for ch in text)

    def width(self, text: str, size: float) -> float:
        return sum(self.advance.get(ch, 1000) for ch in text) * size / 1000

    def wrap(self, text: str, size: float, width: float) -> list[str]:
        lines, line = [], ""
        for ch in text:
            if line and self.width(line + ch, size) > width:
                lines.append(line)
                line = ""
            line += ch
        return [*lines, line]


def _text(font: _Font, x: float, y: float, size: float, text: str) -> str:
    return f"BT /F1 {size} Tf {x:.2f} {y:.2f} Td <{font.hex(text)}> Tj ET\n"


def _page(font: _Font, title: str, rows) -> bytes:
    ops = [_text(font, (PAGE_WIDTH - font.width(title, 18)) / 2, PAGE_HEIGHT - MARGIN - 18, 18, title)]
    size, leading = 11, 16
    value_width = PAGE_WIDTH - 2 * MARGIN - LABEL_WIDTH
    top = PAGE_HEIGHT - MARGIN - 52
    ops.append("0.6 w\n")
    for label, value in rows:
        lines = font.wrap(value, size, value_width - 2 * ROW_PADDING)
        height = len(lines) * leading + 2 * ROW_PADDING - (leading - size)
        bottom = top - height
        ops.append(f"{MARGIN} {bottom:.2f} {LABEL_WIDTH} {height:.2f} re S\n")
        ops.append(f"{MARGIN + LABEL_WIDTH} {bottom:.2f} {value_width:.2f} {height:.2f} re S\n")
        ops.append(_text(font, MARGIN + ROW_PADDING, top - ROW_PADDING - size + 1, size, label))
        for i, line in enumerate(lines):
            y = top - ROW_PADDING - size + 1 - i * leading
            ops.append(_text(font, MARGIN + LABEL_WIDTH + ROW_PADDING, y, size, line))
        top = bottom
    ops.append(_text(font, MARGIN, top - 28, 9, FOOTER))
    return _pdf(font, title, "".join(ops).encode("ascii"))


def _pdf(font: _Font, title: str, content: bytes) -> bytes:
    """One page, the font embedded; objects numbered in order, then the cross-reference table."""
    to_unicode = _to_unicode(font)
    title_hex = "FEFF" + title.encode("utf-16-be").hex().upper()
    widths = " ".join(str(w) for w in font.widths)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            "/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
        ).encode(),
        _stream(content),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /DEMOAA+NotoSansSC /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] /ToUnicode 8 0 R >>",
        (
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /DEMOAA+NotoSansSC "
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
            f"/FontDescriptor 7 0 R /CIDToGIDMap /Identity /DW 1000 /W [0 [{widths}]] >>"
        ).encode(),
        (
            "<< /Type /FontDescriptor /FontName /DEMOAA+NotoSansSC /Flags 4 "
            f"/FontBBox [{' '.join(map(str, font.bbox))}] /ItalicAngle 0 /Ascent {font.ascent} "
            f"/Descent {font.descent} /CapHeight {font.ascent} /StemV 80 /FontFile2 9 0 R >>"
        ).encode(),
        _stream(to_unicode),
        _stream(font.program, f"/Length1 {len(font.program)}"),
        f"<< /Title <{title_hex}> /Creator (Elevator platform demo) /Producer (portal.demo_documents) >>".encode(),
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 10 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _stream(data: bytes, extra: str = "") -> bytes:
    packed = zlib.compress(data, 6)
    head = f"<< /Length {len(packed)} /Filter /FlateDecode {extra}>>\nstream\n".encode()
    return head + packed + b"\nendstream"


def _to_unicode(font: _Font) -> bytes:
    pairs = sorted(font.unicode.items())
    blocks = []
    for start in range(0, len(pairs), 100):
        chunk = pairs[start : start + 100]
        entries = "".join(f"<{gid:04X}> <{ch.encode('utf-16-be').hex().upper()}>\n" for gid, ch in chunk)
        blocks.append(f"{len(chunk)} beginbfchar\n{entries}endbfchar\n")
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{''.join(blocks)}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode()
