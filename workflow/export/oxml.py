"""The raw-XML (oxml) details python-docx has no API for, kept in one small module.

python-docx cannot set a paragraph's reading direction (``w:bidi``), a run's
right-to-left flag (``w:rtl``), the East Asian and complex-script font slots
(``w:rFonts w:eastAsia / w:cs``), the complex-script size (``w:szCs``) or the
proofing language (``w:lang``); it has no fast way to set a paragraph's style id
(``w:pStyle``) or to move body elements around ``w:sectPr``. Everything here builds
or patches those elements; nothing else in letterflow touches WordprocessingML by hand, but
:mod:`.oxml_page` (the finished page: page numbers, keep-together, autospace, hyphenation).

Alignment note: in a ``w:bidi`` paragraph Word (and LibreOffice) read ``w:jc``
``left``/``right`` as the *start*/*end* of the text flow, so a right-to-left
paragraph that must sit flush right is written ``left`` (its start).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from ..source import markup

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


# --------------------------------------------------------------------------- tagged text
# Text letters' inline tags (<g1>…</g1>, <x2/>, workflow.source.textformat) -> real Word
# formatting: bold/italic runs, hyperlinks (a HYPERLINK field, so no per-letter relationship
# is needed), line breaks, and footnote references whose text goes into the footnotes part.

_FOOTNOTES = (
    f"<w:footnotes {nsdecls('w', 'r')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
    "</w:footnote>"
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
    "<w:continuationSeparator/></w:r></w:p></w:footnote></w:footnotes>"
)


def footnotes_part(doc):
    """The document's footnotes part, created (with Word's two separators) if missing."""
    try:
        return doc.part.part_related_by(RT.FOOTNOTES)
    except KeyError:
        part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(_FOOTNOTES),
                       doc.part.package)
        doc.part.relate_to(part, RT.FOOTNOTES)
        return part


class Footnotes:
    """The letter's footnotes: ``add`` one per reference, numbered by Word in order."""

    def __init__(self, part, paragraphs, rpr) -> None:
        self.root = part.element
        if not hasattr(part, "letterflow_keep"):  # the template's own notes, found once
            part.letterflow_keep = {n.get(qn("w:id")) for n in self.root.findall(qn("w:footnote"))}
        self.keep = part.letterflow_keep
        # footnote block id (fn-<label>) -> model Paragraph
        self.texts = {p.context.split("/", 1)[1]: p for p in paragraphs if p.role == "footnote"}
        self.used: set[str] = set()
        self.reset()
        self.rpr = rpr
        self.next_id = 1 + max((int(i) for i in self.keep if i and i.lstrip("-").isdigit()),
                               default=0)

    def reset(self) -> None:
        """Remove the previous letter's footnotes (keep the template's separators)."""
        for note in self.root.findall(qn("w:footnote")):
            if note.get(qn("w:id")) not in self.keep:
                self.root.remove(note)

    def add(self, label: str) -> int | None:
        from ..source.textblocks import footnote_id

        para = self.texts.get(footnote_id(label))
        self.used.add(footnote_id(label))
        if para is None:
            return None
        fid = self.next_id
        self.next_id += 1
        note = parse_xml(
            f'<w:footnote {nsdecls("w")} w:id="{fid}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/>'
            '</w:pPr><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/>'
            '</w:r><w:r><w:t xml:space="preserve"> </w:t></w:r></w:p></w:footnote>')
        p = note.find(qn("w:p"))
        add_tagged(p, para.text, para.tags, self.rpr, None)
        self.root.append(note)
        return fid


def add_tagged(p, text: str, tags, rpr, footnotes: Footnotes | None) -> None:
    """Append runs for tagged *text* to the ``w:p`` element *p* (run properties *rpr*)."""
    try:
        tree = markup.parse(text, tags)
    except markup.MarkupError:
        tree = markup.Node(None, [markup.strip_tags(text)])  # QA reports it; drafts only
    _emit(tree, p, rpr, frozenset(), footnotes)


def _emit(node, parent, rpr, fmt: frozenset, footnotes) -> None:
    for child in node.children:
        if isinstance(child, str):
            if child:
                parent.append(_run(rpr, fmt, text=child))
            continue
        tag = child.tag
        if tag.kind == "x":
            kind = tag.code[0] if tag.code else ""
            if kind == "break":
                parent.append(_run(rpr, fmt, element="<w:br/>"))
            elif kind == "footnote" and footnotes is not None:
                fid = footnotes.add(tag.code[1])
                if fid is not None:
                    parent.append(_run(rpr, fmt | {"superscript"},
                                       element=f'<w:footnoteReference w:id="{fid}"/>'))
            continue
        inner = fmt | ({tag.fmt} if tag.fmt else set())
        if tag.link:
            field = parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=""/>')
            field.set(qn("w:instr"), f' HYPERLINK "{tag.link}" ')
            parent.append(field)
            _emit(child, field, rpr, inner | {"link"}, footnotes)
        else:
            _emit(child, parent, rpr, inner, footnotes)


_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "strike", "color", "sz", "szCs",
          "highlight", "u", "vertAlign", "rtl", "lang")


def _run(rpr, fmt: frozenset, *, text: str | None = None, element: str | None = None):
    r = parse_xml(f"<w:r {nsdecls('w')}/>")
    props = copy.deepcopy(rpr)
    extra = {"bold": ["<w:b/>", "<w:bCs/>"], "italic": ["<w:i/>", "<w:iCs/>"],
             "struck": ["<w:strike/>"], "link": ['<w:color w:val="0563C1"/>',
                                                '<w:u w:val="single"/>'],
             "superscript": ['<w:vertAlign w:val="superscript"/>']}
    for name in sorted(fmt):
        for xml in extra.get(name, []):
            _insert(props, parse_xml(xml.replace("/>", f" {nsdecls('w')}/>", 1)))
    r.append(props)
    if element is not None:
        r.append(parse_xml(element.replace("/>", f" {nsdecls('w')}/>", 1)))
    if text is not None:
        for i, line in enumerate(text.split("\n")):
            if i:
                r.append(parse_xml(f"<w:br {nsdecls('w')}/>"))
            t = parse_xml(f'<w:t {nsdecls("w")} xml:space="preserve"/>')
            t.text = line
            r.append(t)
    return r


def _insert(rpr, el) -> None:
    name = el.tag.split("}")[1]
    old = rpr.find(el.tag)
    if old is not None:
        rpr.remove(old)
    rank = _ORDER.index(name) if name in _ORDER else len(_ORDER)
    for i, existing in enumerate(rpr):
        other = existing.tag.split("}")[1]
        if other in _ORDER and _ORDER.index(other) > rank:
            rpr.insert(i, el)
            return
    rpr.append(el)
