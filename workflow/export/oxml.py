"""The raw-XML (oxml) details python-docx has no API for, kept in one small module.

python-docx cannot set a paragraph's reading direction (``w:bidi``), a run's
right-to-left flag (``w:rtl``), the East Asian and complex-script font slots
(``w:rFonts w:eastAsia / w:cs``), the complex-script size (``w:szCs``) or the
proofing language (``w:lang``); it has no fast way to set a paragraph's style id
(``w:pStyle``) or to move body elements around ``w:sectPr``. Everything here builds
or patches those elements; nothing else in letterflow touches WordprocessingML by hand.

Alignment note: in a ``w:bidi`` paragraph Word (and LibreOffice) read ``w:jc``
``left``/``right`` as the *start*/*end* of the text flow, so a right-to-left
paragraph that must sit flush right is written ``left`` (its start).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

# Children of w:pPr that must come after w:bidi / w:jc (ECMA-376 sequence order).
_AFTER_BIDI = (
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)
_AFTER_JC = _AFTER_BIDI[_AFTER_BIDI.index("w:jc") + 1:]

# w:jc values: visual alignment -> value to write, for LTR and for bidi paragraphs.
_JC = {
    ("ltr", "start"): "left", ("ltr", "end"): "right",
    ("rtl", "start"): "left", ("rtl", "end"): "right",
    ("ltr", "left"): "left", ("ltr", "right"): "right",
    ("rtl", "left"): "right", ("rtl", "right"): "left",
    ("ltr", "center"): "center", ("rtl", "center"): "center",
    ("ltr", "justify"): "both", ("rtl", "justify"): "both",
}


@dataclass(frozen=True)
class RunStyle:
    """Run properties shared by every run of one letter."""

    lang: str  # BCP 47 tag written to w:lang/@w:val, e.g. "fr-FR"
    latin_font: str | None = None
    east_asia_font: str | None = None
    complex_font: str | None = None
    east_asia_lang: str | None = None  # w:lang/@w:eastAsia, e.g. "ko-KR"
    bidi_lang: str | None = None  # w:lang/@w:bidi (complex-script language), e.g. "ar-EG"
    rtl: bool = False
    size_pt: float | None = None  # also written as w:szCs for complex scripts


def run_properties(style: RunStyle, *, bold: bool = False, highlight: str | None = None,
                   color: str | None = None):
    """Build a ``w:rPr`` element for *style* (copy it into each run with :func:`apply_run`)."""
    parts: list[str] = []
    fonts = []
    if style.latin_font:
        fonts.append(f'w:ascii="{_attr(style.latin_font)}" w:hAnsi="{_attr(style.latin_font)}"')
    if style.east_asia_font:
        fonts.append(f'w:eastAsia="{_attr(style.east_asia_font)}"')
    if style.complex_font:
        fonts.append(f'w:cs="{_attr(style.complex_font)}"')
    if style.east_asia_font:
        fonts.append('w:hint="eastAsia"')
    elif style.complex_font and style.rtl:
        fonts.append('w:hint="cs"')
    if fonts:
        parts.append(f"<w:rFonts {' '.join(fonts)}/>")
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    if style.size_pt:
        half_points = round(style.size_pt * 2)
        parts.append(f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>')
    if highlight:
        parts.append(f'<w:highlight w:val="{highlight}"/>')
    if style.rtl:
        parts.append("<w:rtl/>")
    lang = f'w:val="{_attr(style.lang)}"'
    if style.east_asia_lang:
        lang += f' w:eastAsia="{_attr(style.east_asia_lang)}"'
    if style.bidi_lang:
        lang += f' w:bidi="{_attr(style.bidi_lang)}"'
    parts.append(f"<w:lang {lang}/>")
    return parse_xml(f"<w:rPr {nsdecls('w')}>{''.join(parts)}</w:rPr>")


def apply_run(run, rpr) -> None:
    """Give python-docx *run* a copy of the prepared ``w:rPr`` *rpr* (replacing its own)."""
    r = run._r
    old = r.find(qn("w:rPr"))
    if old is not None:
        r.remove(old)
    r.insert(0, copy.deepcopy(rpr))


def set_style_id(paragraph, style_id: str) -> None:
    """Give *paragraph* the paragraph style *style_id* (``w:pStyle``) without python-docx's
    by-name style lookup, which is slow when done for every paragraph of every letter."""
    paragraph._p.style = style_id


def take_body(document) -> list:
    """Remove and return the body's block elements, keeping the final ``w:sectPr`` (page size,
    margins, header and footer references)."""
    body = document.element.body
    taken = [child for child in body if child.tag != qn("w:sectPr")]
    for child in taken:
        body.remove(child)
    return taken


def append_body(document, elements) -> None:
    """Append copies of *elements* (from :func:`take_body`) at the end of the body, before
    its final ``w:sectPr``."""
    body = document.element.body
    sect = body.find(qn("w:sectPr"))
    for element in elements:
        copied = copy.deepcopy(element)
        if sect is not None:
            sect.addprevious(copied)
        else:
            body.append(copied)


def set_paragraph_direction(paragraph, direction: str, align: str) -> None:
    """Set ``w:bidi`` (for ``direction == "rtl"``) and ``w:jc`` for a *visual* alignment.

    *align* is one of start, end, left, right, center, justify.
    """
    ppr = paragraph._p.get_or_add_pPr()
    for tag in ("w:bidi", "w:jc"):
        old = ppr.find(qn(tag))
        if old is not None:
            ppr.remove(old)
    if direction == "rtl":
        ppr.insert_element_before(parse_xml(f"<w:bidi {nsdecls('w')}/>"), *_AFTER_BIDI)
    jc = _JC[(direction, align)]
    ppr.insert_element_before(parse_xml(f'<w:jc {nsdecls("w")} w:val="{jc}"/>'), *_AFTER_JC)


def set_style_complex_size(style_element, size_pt: float) -> None:
    """Give a style's run properties ``w:szCs`` (the size Word uses for complex scripts)."""
    rpr = style_element.get_or_add_rPr()
    old = rpr.find(qn("w:szCs"))
    if old is not None:
        rpr.remove(old)
    successors = ("w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText",
                  "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
                  "w:specVanish", "w:oMath")
    rpr.insert_element_before(
        parse_xml(f'<w:szCs {nsdecls("w")} w:val="{round(size_pt * 2)}"/>'), *successors
    )


def page_size_twips(paper: str) -> tuple[int, int]:
    """(width, height) of *paper* ("A4" or "Letter") in twentieths of a point."""
    if paper == "Letter":
        return 12240, 15840  # 8.5 x 11 in
    return 11906, 16838  # 210 x 297 mm


def read_paragraph_xml(paragraph) -> dict[str, object]:
    """What the helpers above wrote, read back (for tests and checks): bidi, jc, and per run
    rtl/lang/fonts."""
    ppr = paragraph._p.pPr
    jc = ppr.find(qn("w:jc")) if ppr is not None else None
    runs = []
    for r in paragraph._p.findall(qn("w:r")):
        rpr = r.find(qn("w:rPr"))
        fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
        lang = rpr.find(qn("w:lang")) if rpr is not None else None
        runs.append({
            "rtl": rpr is not None and rpr.find(qn("w:rtl")) is not None,
            "lang": None if lang is None else lang.get(qn("w:val")),
            "lang_east_asia": None if lang is None else lang.get(qn("w:eastAsia")),
            "lang_bidi": None if lang is None else lang.get(qn("w:bidi")),
            "font_ascii": None if fonts is None else fonts.get(qn("w:ascii")),
            "font_east_asia": None if fonts is None else fonts.get(qn("w:eastAsia")),
            "font_cs": None if fonts is None else fonts.get(qn("w:cs")),
            "highlight": (rpr is not None and rpr.find(qn("w:highlight")) is not None),
        })
    return {
        "bidi": ppr is not None and ppr.find(qn("w:bidi")) is not None,
        "jc": None if jc is None else jc.get(qn("w:val")),
        "runs": runs,
    }


def _attr(value: str) -> str:
    return (value.replace("&", "&amp;").replace('"', "&quot;")
            .replace("<", "&lt;").replace(">", "&gt;"))
