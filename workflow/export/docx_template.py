"""A Word letter's translation written back into the Word letter itself.

The source ``.docx`` is the template: every part stays byte for byte (styles, numbering, page
setup, letterhead pictures, relationships, settings), except the XML parts with text
(document, headers, footers, footnotes, endnotes). In those, each translated paragraph keeps
its ``w:pPr`` (style, numbering, spacing, section break) and its footnote mark, and its runs
are rebuilt from the translation's inline tags (:mod:`workflow.source.markup`): the text
outside tags gets the paragraph's usual run properties, ``<gN>`` the properties (or the
hyperlink) it stood for in the source, ``<xN/>`` the original element (break, tab, footnote
reference, field, picture). Paragraphs that are not messages are copied as they are.

The reader's language goes into every rebuilt run (``w:lang``, with the East Asian and
complex-script slots and fonts as for text letters); right-to-left paragraphs get ``w:bidi``
and their runs ``w:rtl``.
"""

from __future__ import annotations

import copy
import io
import threading
import zipfile
from pathlib import Path

from lxml import etree

from ..errors import ExportError
from ..source import docx_source as ds
from ..source import markup
from . import zipstore
from .docx import DRAFT_HEADER, MARKER_LANG, UNREVIEWED_MARK
from .docx_limits import check_sizes
from .model import LetterModel
from .oxml import _AFTER_BIDI

w = ds.w
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
CORE = "docProps/core.xml"
DC = "http://purl.org/dc/elements/1.1/"
#: ECMA-376 order of w:rPr children (new ones are inserted in place).
_RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike",
              "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid",
              "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
              "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
              "em", "lang", "eastAsianLayout", "specVanish", "oMath")
_KEEP_IN_PARAGRAPH = {w("pPr"), w("bookmarkStart"), w("bookmarkEnd")}


class DocxTemplateWriter:
    """Renders a model of a Word-source letter into a copy of that Word document."""

    def __init__(self, source: Path, limits: tuple[int, int] | None = None) -> None:
        self.source = Path(source)
        try:
            self._data = self.source.read_bytes()
        except OSError as exc:
            raise ExportError(f"letter {source}: cannot read ({exc.strerror})") from None
        try:  # the template limits, before any part is inflated
            with zipfile.ZipFile(io.BytesIO(self._data)) as z:
                check_sizes(z.infolist(), f"letter {source}", limits)
        except zipfile.BadZipFile:
            pass  # read_package says so, as the gate does
        self._parts = ds.read_package(self._data, str(source))
        letter = ds.parse_docx_letter(self._data, self.source)
        self._by_anchor = {b.anchor: b for b in letter.messages}
        self._headers = {name for kind, name in self._parts.parts if kind == "header"}
        with zipfile.ZipFile(io.BytesIO(self._data)) as z:  # unchanged parts: deflated once
            self._members = [
                info.filename if info.filename in self._parts.roots or info.filename == CORE
                else zipstore.member(info.filename, z.read(info.filename))
                for info in z.infolist()]
        self._lock = threading.Lock()

    def render(self, model: LetterModel, **_ignored) -> bytes:
        with self._lock:
            texts = {p.context: p for p in model.paragraphs if p.context}
            by_anchor = self._by_anchor
            members = [
                m if not isinstance(m, str)
                else zipstore.member(m, self._core(model)) if m == CORE
                else zipstore.member(m, self._part(m, by_anchor, texts, model))
                for m in self._members]
            return zipstore.write_zip(members)

    def write(self, model: LetterModel, path: Path) -> None:
        Path(path).write_bytes(self.render(model))

    def _core(self, model: LetterModel) -> bytes:
        """The core properties with the reader's language (``dc:language``)."""
        root = etree.fromstring(self._parts.members[CORE])
        lang = root.find(f"{{{DC}}}language")
        if lang is None:
            lang = etree.SubElement(root, f"{{{DC}}}language")
        lang.text = model.lang_tag
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _part(self, name: str, by_anchor: dict, texts: dict, model: LetterModel) -> bytes:
        root = etree.fromstring(self._parts.members[name])
        # last first: a text box's paragraphs are rewritten before the paragraph holding the
        # box, whose picture code is then read from the (translated) tree
        for index, p in reversed(list(enumerate(ds.paragraphs(root)))):
            block = by_anchor.get(ds.Anchor(name, index))
            if block is None or block.context not in texts:
                continue
            para = texts[block.context]
            pieces = ds.paragraph_pieces(p, self._parts.style_names)
            enc = markup.encode(pieces)
            try:
                tree = markup.parse(para.text, enc.tags)
            except markup.MarkupError as exc:
                if para.approved:
                    raise ExportError(
                        f"{model.language} {block.context}: {exc} (the QA check 'markup' "
                        "reports it; fix the translation)") from None
                # a marked draft with broken tags: its text, in the paragraph's usual format
                tree = markup.Node(None, [markup.strip_tags(para.text)])
            rewrite_paragraph(p, tree, enc.base, model, approved=para.approved)
        _refresh_fallback_text_boxes(root)
        if model.draft and name in self._headers:
            root.insert(0, _banner())
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def rewrite_paragraph(p, tree: markup.Node, base, model: LetterModel, *, approved: bool) -> None:
    """Replace *p*'s runs by the runs of *tree*, keeping its properties and footnote mark."""
    marks = []
    for child in list(p):
        if child.tag in _KEEP_IN_PARAGRAPH:
            continue
        if child.tag == w("r") and ds.is_mark_run(child) and not marks:
            marks.append(child)
            continue
        p.remove(child)
    lang = _LangStyle(model)
    if model.direction == "rtl":
        _set_bidi(p)
    if not approved:
        mark = _text_run(UNREVIEWED_MARK, None)
        _mark_format(mark)
        p.append(mark)
    _emit(tree, p, base, lang)


def _emit(node: markup.Node, parent, fmt, lang: _LangStyle) -> None:
    for child in node.children:
        if isinstance(child, str):
            for run in _text_runs(child, fmt):
                lang.apply(run)
                parent.append(run)
            continue
        tag = child.tag
        if tag.kind == "x":
            for xml in tag.code:
                el = etree.fromstring(xml)
                if el.tag == w("r"):
                    lang.apply(el)
                parent.append(el)
            continue
        target = parent
        if tag.link is not None and parent.tag != w("hyperlink"):
            target = etree.SubElement(parent, w("hyperlink"))
            for k, v in tag.link:
                target.set(k, v)
        _emit(child, target, tag.fmt, lang)


def _text_runs(text: str, fmt) -> list:
    """Runs for *text*: a newline becomes a line break, a tab character a tab."""
    runs = []
    for i, line in enumerate(text.split("\n")):
        if i:
            run = _text_run("", fmt)
            etree.SubElement(run, w("br"))
            runs.append(run)
        parts = line.split("\t")
        for j, part in enumerate(parts):
            if j:
                run = _text_run("", fmt)
                etree.SubElement(run, w("tab"))
                runs.append(run)
            if part:
                runs.append(_text_run(part, fmt))
    return runs


def _text_run(text: str, fmt):
    run = etree.Element(w("r"))
    if fmt:
        run.append(etree.fromstring(fmt))
    if text:
        t = etree.SubElement(run, w("t"))
        t.text = text
        if text != text.strip():
            t.set(XML_SPACE, "preserve")
    return run


def _refresh_fallback_text_boxes(root) -> None:
    """Give each text box's old-reader copy (``mc:Fallback``) the translated paragraphs."""
    for alt in root.iter(f"{{{ds.MC}}}AlternateContent"):
        choice = next(alt.iter(f"{{{ds.MC}}}Choice"), None)
        fallback = next(alt.iter(f"{{{ds.MC}}}Fallback"), None)
        if choice is None or fallback is None:
            continue
        new = list(choice.iter(w("txbxContent")))
        old = list(fallback.iter(w("txbxContent")))
        if len(new) != len(old):
            continue
        for src, dst in zip(new, old, strict=True):
            for child in list(dst):
                dst.remove(child)
            for child in src:
                dst.append(copy.deepcopy(child))


def _banner():
    """The "DRAFT — not reviewed" paragraph put at the top of every header of a draft."""
    p = etree.Element(w("p"))
    jc = etree.SubElement(etree.SubElement(p, w("pPr")), w("jc"))
    jc.set(w("val"), "center")
    run = _text_run(DRAFT_HEADER, None)
    _mark_format(run)
    p.append(run)
    return p


def _mark_format(run) -> None:
    rpr = _rpr(run)
    for name, attrs in (("b", {}), ("color", {"val": "C00000"}),
                        ("highlight", {"val": "yellow"}), ("lang", {"val": MARKER_LANG})):
        el = _child(rpr, name)
        for k, v in attrs.items():
            el.set(w(k), v)


class _LangStyle:
    """The reader's language, fonts and direction for the runs (as text letters get them)."""

    def __init__(self, model: LetterModel) -> None:
        self.lang = model.lang_tag
        self.east_asia = model.lang_tag if model.east_asian else None
        self.bidi = model.lang_tag if model.complex_script else None
        self.ea_font = model.fonts.east_asia if model.east_asian else None
        self.cs_font = model.fonts.complex if model.complex_script else None
        self.rtl = model.direction == "rtl"

    def apply(self, run) -> None:
        rpr = _rpr(run)
        lang = _child(rpr, "lang")
        lang.attrib.clear()
        lang.set(w("val"), self.lang)
        if self.east_asia:
            lang.set(w("eastAsia"), self.east_asia)
        if self.bidi:
            lang.set(w("bidi"), self.bidi)
        if self.ea_font or self.cs_font:
            fonts = _child(rpr, "rFonts")
            if self.ea_font:
                fonts.set(w("eastAsia"), self.ea_font)
                fonts.set(w("hint"), "eastAsia")
            if self.cs_font:
                fonts.set(w("cs"), self.cs_font)
        if self.rtl:
            _child(rpr, "rtl")


def _rpr(run):
    rpr = run.find(w("rPr"))
    if rpr is None:
        rpr = etree.Element(w("rPr"))
        run.insert(0, rpr)
    return rpr


def _child(rpr, name: str):
    """The ``w:<name>`` child of *rpr*, created in schema order if missing."""
    el = rpr.find(w(name))
    if el is not None:
        return el
    el = etree.Element(w(name))
    rank = _RPR_ORDER.index(name)
    for i, existing in enumerate(rpr):
        local = etree.QName(existing).localname
        if local in _RPR_ORDER and _RPR_ORDER.index(local) > rank:
            rpr.insert(i, el)
            return el
    rpr.append(el)
    return el


def _set_bidi(p) -> None:
    ppr = p.find(w("pPr"))
    if ppr is None:
        ppr = etree.Element(w("pPr"))
        p.insert(0, ppr)
    if ppr.find(w("bidi")) is not None:
        return
    after = {w(t.split(":")[1]) for t in _AFTER_BIDI}
    bidi = etree.Element(w("bidi"))
    for i, existing in enumerate(ppr):
        if existing.tag in after:
            ppr.insert(i, bidi)
            return
    ppr.append(bidi)
