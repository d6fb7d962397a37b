"""A Chinese font that every PDF viewer and text extractor understands.

Noto Sans SC ships (pylopdf-fonts-zh-cn) as an OpenType/CFF font; fpdf2 embeds that in a way that
extractors cannot read back. Converted once to TrueType outlines, fpdf2 embeds it as TrueType with
Identity-H, and search, copy-paste and extraction work. The conversion takes ~25 s: it runs at
`make setup` (manage.py prepare_fonts) and the result is cached under var/fonts.
"""

from pathlib import Path

from django.conf import settings

__all__ = ["chinese_font_path", "convert_otf_to_ttf"]


def _cache_dir() -> Path:
    return Path(getattr(settings, "FONT_CACHE_DIR", Path(settings.BASE_DIR) / "var" / "fonts"))


def convert_otf_to_ttf(source: Path, target: Path) -> None:
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(str(source))
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.maxComponentDepth = 0
    maxp.maxPoints = maxp.maxContours = maxp.maxCompositePoints = maxp.maxCompositeContours = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = glyph_order
    for tag in ("CFF ", "CFF2", "VORG"):
        if tag in font:
            del font[tag]
    font.sfntVersion = "\x00\x01\x00\x00"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    font.save(str(tmp))
    tmp.replace(target)


def chinese_font_path() -> Path:
    """The TrueType Noto Sans SC, converted on first use and cached."""
    import pylopdf_fonts_zh_cn

    target = _cache_dir() / "NotoSansSC-Regular.ttf"
    if not target.exists():
        convert_otf_to_ttf(Path(pylopdf_fonts_zh_cn.sans_path()), target)
    return target
