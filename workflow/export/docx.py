"""Localised :class:`~workflow.export.model.LetterModel` -> .docx bytes.

The only module importing python-docx besides :mod:`workflow.export.oxml` (which holds every
raw-XML detail). Import it lazily: ``letterflow check`` must not load python-docx.

A :class:`DocxWriter` prepares its package once (the template or python-docx's default
template, the role styles, the optional "DRAFT — not reviewed" header and the optional
appendix merged in with docxcompose), keeps the deflated bytes of every part that is the same
in each letter, and per letter only rebuilds the body (``word/document.xml``) and the core
properties. That is what makes it fast; the output is the same as saving with python-docx.

- **Template** (``--template``): supplies styles, header and footer (the letterhead) and page
  margins. Its body is replaced by the letter. Styles named ``Letter Body``,
  ``Letter Salutation``... (one per role) are used when the template defines them; missing ones
  are added, based on ``Normal``.
- **Appendix** (``--appendix``): appended unchanged after a page break (the signature pages).
- Without either, a clean built-in style is used (Noto Serif 11 pt, 2.5 cm margins).
"""

from __future__ import annotations

import datetime as _dt
import io
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.shared import Cm, Pt

from ..errors import ExportError
from ..textrules import DRAFT_BANNER as DRAFT_HEADER
from ..textrules import UNREVIEWED_MARK as _MARK
from ..textrules import UNTRANSLATED_MARK as _UNTRANSLATED
from . import oxml as ox
from . import zipstore
from .digits import numbering_system
from .docx_limits import check_package
from .model import LetterModel
from .page import (
    _BODY_SIZE,
    _ROLE_SIZES,
    PageOptions,
    _add_page_numbers,
    _closing_start,
    _footer_key,
    add_signatories,
    complex_sizes,
    finish_paragraph,
)

UNREVIEWED_MARK = _MARK + " "
UNTRANSLATED_MARK = _UNTRANSLATED + " "
MARKER_LANG = "en-US"  # the draft marks are English notes for the coordinator

#: role -> (style name, built-in formatting)
ROLE_STYLES: dict[str, str] = {
    "sender": "Letter Sender",
    "place": "Letter Place",
    "date": "Letter Date",
    "recipient": "Letter Recipient",
    "address": "Letter Address",
    "reference": "Letter Reference",
    "subject": "Letter Subject",
    "salutation": "Letter Salutation",
    "body": "Letter Body",
    "closing": "Letter Closing",
    "signature": "Letter Signature",
    "cc": "Letter Cc",
    "postscript": "Letter Postscript",
    "enclosure": "Letter Enclosure",
    "signatories-heading": "Letter Signatories Heading",
    "signatory": "Letter Signatory",
    # the text format's structure (built-in Word styles where the template has them)
    "title": "Title",
    "heading": "Heading 1",
    "dateline": "Letter Dateline",
    "bulleted-item": "List Bullet",
    "numbered-item": "List Number",
    "signatories": "Letter Signatories",
    "footnote": "Letter Footnote",
}
_TIGHT = {"sender", "place", "recipient", "address"}


def _read_docx(path: Path | None, what: str, limits: tuple[int, int] | None = None
               ) -> bytes | None:
    if path is None:
        return None
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExportError(f"{what} {path}: cannot read ({exc.strerror})") from None
    check_package(data, f"{what} {path}", limits)
    try:
        docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ExportError(f"{what} {path}: not a Word .docx file ({exc})") from None
    return data


@dataclass
class _Base:
    doc: object
    members: list  # zipstore.Member, or a str partname for a per-letter part
    style_ids: dict[str, str]
    appendix: list = field(default_factory=list)
    document_name: str = "word/document.xml"
    core_name: str = "docProps/core.xml"
    footnotes: object = None  # the footnotes part, rebuilt per letter


class DocxWriter:
    """Renders letter models to .docx bytes. Thread-safe (one letter at a time)."""

    def __init__(self, template: Path | None = None, appendix: Path | None = None,
                 page: dict | None = None, limits: tuple[int, int] | None = None) -> None:
        self.page = PageOptions.from_config(page)
        self.template = Path(template) if template else None
        self.appendix = Path(appendix) if appendix else None
        self._template = _read_docx(self.template, "template", limits)
        self._appendix = _read_docx(self.appendix, "appendix", limits)
        self._bases: dict[tuple, _Base] = {}
        self._lock = threading.Lock()

    # -- public -------------------------------------------------------------------------
    def render(self, model: LetterModel, *, now: _dt.datetime | None = None) -> bytes:
        with self._lock:
            base = self._base(model.draft, _footer_key(model))
            self._fill_body(base, model)
            self._core_properties(base, model, now or _dt.datetime.now(_dt.UTC))
            doc = base.doc
            members = []
            for m in base.members:
                if m == base.document_name:
                    members.append(zipstore.member(m, doc.part.blob))
                elif m == base.core_name:
                    members.append(zipstore.member(m, _core_part(doc).blob))
                elif base.footnotes is not None and m == _partname(base.footnotes):
                    members.append(zipstore.member(m, base.footnotes.blob))
                else:
                    members.append(m)
            return zipstore.write_zip(members)

    def write(self, model: LetterModel, path: Path) -> None:
        Path(path).write_bytes(self.render(model))

    # -- preparation (once per writer and draft flag) -----------------------------------
    def _base(self, draft: bool, footer: tuple) -> _Base:
        key = (draft, footer)
        if key not in self._bases:
            self._bases[key] = self._prepare(draft, footer)
        return self._bases[key]

    def _prepare(self, draft: bool, footer: tuple = ()) -> _Base:
        doc = docx.Document(io.BytesIO(self._template)) if self._template else docx.Document()
        ox.take_body(doc)  # the template's own body text is replaced by the letter
        if not self._template:
            _builtin_look(doc)
        style_ids = _ensure_styles(doc)
        if draft:
            _add_draft_header(doc)
        if footer and self.page.page_numbers:
            _add_page_numbers(doc, footer)
        ox.set_auto_hyphenation(doc.settings.element, self.page.hyphenate)
        if not self.page.justify:
            doc.styles[ROLE_STYLES["body"]].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        appendix: list = []
        if self._appendix:
            from docxcompose.composer import Composer

            Composer(doc).append(docx.Document(io.BytesIO(self._appendix)))
            appendix = ox.take_body(doc)
        doc.core_properties.revision = 1  # creates the core part if the template has none
        footnotes = ox.footnotes_part(doc)  # real Word footnotes of text letters ([^1])
        buf = io.BytesIO()
        doc.save(buf)
        document_name = str(doc.part.partname).lstrip("/")
        core_name = str(_core_part(doc).partname).lstrip("/")
        members: list = []
        with zipfile.ZipFile(buf) as z:
            for info in z.infolist():
                if info.filename in (document_name, core_name, _partname(footnotes)):
                    members.append(info.filename)
                else:
                    members.append(zipstore.member(info.filename, z.read(info.filename)))
        return _Base(doc, members, style_ids, appendix, document_name, core_name, footnotes)

    # -- per letter ---------------------------------------------------------------------
    def _fill_body(self, base: _Base, model: LetterModel) -> None:
        doc = base.doc
        ox.take_body(doc)
        rtl = model.direction == "rtl"
        style = ox.RunStyle(
            lang=model.lang_tag,
            east_asia_font=model.fonts.east_asia,
            complex_font=model.fonts.complex,
            east_asia_lang=model.lang_tag if model.east_asian else None,
            bidi_lang=model.lang_tag if model.complex_script else None,
            rtl=rtl,
        )
        rpr = ox.run_properties(style)
        rpr_draft = ox.run_properties(style, highlight="yellow")
        mark_rpr = ox.run_properties(
            ox.RunStyle(lang=MARKER_LANG), bold=True, color="C00000", highlight="yellow"
        )
        cs_sizes = complex_sizes(model, style)  # w:szCs on every run of Arabic script
        tail = _closing_start(model)
        body_align = "justify" if self.page.justify else "right"
        notes = ox.Footnotes(base.footnotes, model.paragraphs, rpr)  # this letter's only
        other = _OtherLanguage(model)  # untranslated paragraphs: the source language
        for i, para in enumerate(model.paragraphs):
            if para.role == "footnote" and para.tags is not None and para.context:
                continue  # written where it is referenced (unreferenced ones: see below)
            p = doc.add_paragraph()
            style_id = base.style_ids.get(para.role) or base.style_ids["body"]
            ox.set_style_id(p, style_id)
            finish_paragraph(p, model, i, tail)
            if para.language is not None:  # the source text: its own direction and tags
                direction = other.direction(para.language)
                if direction != model.direction:
                    ox.set_paragraph_direction(p, direction, "justify" if para.role == "body"
                                               else "start")
                elif rtl:
                    ox.set_paragraph_direction(p, "rtl", "justify" if para.role == "body"
                                               else "right")
                ox.apply_run(p.add_run(UNTRANSLATED_MARK), mark_rpr)
                (ox.add_tagged(p._p, para.text, para.tags, other.rpr(para.language), notes)
                 if para.tags else ox.apply_run(p.add_run(para.text), other.rpr(para.language)))
                continue
            if rtl:
                ox.set_paragraph_direction(p, "rtl", body_align if para.role == "body" else "right")
            plain, drafted = cs_sizes.get(_ROLE_SIZES.get(para.role, _BODY_SIZE), (rpr, rpr_draft))
            if not para.approved:
                ox.apply_run(p.add_run(UNREVIEWED_MARK), mark_rpr)
            run_rpr = plain if para.approved else drafted
            if para.tags:
                ox.add_tagged(p._p, para.text, para.tags, run_rpr, notes)
            else:
                ox.apply_run(p.add_run(para.text), run_rpr)
        for para in model.paragraphs:  # a footnote nothing refers to is not lost
            if para.role == "footnote" and para.context.split("/", 1)[1] not in notes.used:
                p = doc.add_paragraph()
                ox.set_style_id(p, base.style_ids["footnote"])
                ox.add_tagged(p._p, para.text, para.tags, rpr, None)
        if model.signatories:
            _page_break(doc, rpr)
            add_signatories(doc, base.style_ids, model, rpr)
        if base.appendix:
            brk = doc.add_paragraph()
            brk.add_run().add_break(WD_BREAK.PAGE)
            ox.apply_run(brk.runs[0], rpr)
            ox.append_body(doc, base.appendix)
        section = doc.sections[-1]
        ox.set_page_number_format(section, ox.PAGE_NUMBER_FORMATS.get(
            numbering_system(model.locale), "decimal"))
        width, height = ox.page_size_twips(model.paper)
        section.page_width = width * 635  # twips -> EMU
        section.page_height = height * 635

    def _core_properties(self, base: _Base, model: LetterModel, now: _dt.datetime) -> None:
        props = base.doc.core_properties
        props.title = model.title_text or model.title
        props.subject = model.country_name
        props.language = model.lang_tag
        props.author = model.author
        props.last_modified_by = model.author
        props.keywords = f"{model.letter_id}; {model.language}; {model.country}"
        props.comments = "DRAFT: not reviewed" if model.draft else ""
        stamp = now.replace(microsecond=0, tzinfo=None)
        props.created = stamp
        props.modified = stamp
        props.revision = 1


def _partname(part) -> str:
    return str(part.partname).lstrip("/")
class _OtherLanguage:
    """Run properties for paragraphs in another language than the letter's (the source
    text of an untranslated paragraph): its own w:lang, fonts and direction, so Arabic
    letters do not lay English out right-to-left and Japanese ones do not break English
    words as Japanese."""

    def __init__(self, model: LetterModel):
        self.country = model.country
        self._cache: dict[str, tuple[str, object]] = {}

    def _get(self, language: str) -> tuple[str, object]:
        hit = self._cache.get(language)
        if hit is None:
            from babel import Locale

            from .cldr import COMPLEX_SCRIPTS, EAST_ASIAN_SCRIPTS, fonts_for, lang_tag, script_of

            tag, script = lang_tag(language, self.country), script_of(language)
            direction = Locale.parse(language).text_direction
            fonts = fonts_for(language)
            rpr = ox.run_properties(ox.RunStyle(
                lang=tag, latin_font=fonts.latin, east_asia_font=fonts.east_asia,
                complex_font=fonts.complex,
                east_asia_lang=tag if script in EAST_ASIAN_SCRIPTS else None,
                bidi_lang=tag if script in COMPLEX_SCRIPTS else None, rtl=direction == "rtl",
            ), highlight="lightGray")
            hit = self._cache[language] = (direction, rpr)
        return hit

    def direction(self, language: str) -> str:
        return self._get(language)[0]

    def rpr(self, language: str):
        return self._get(language)[1]


def _page_break(doc, rpr) -> None:
    brk = doc.add_paragraph()
    brk.add_run().add_break(WD_BREAK.PAGE)
    ox.apply_run(brk.runs[0], rpr)


def _core_part(doc):
    """The package's core-properties part (``docProps/core.xml``), whose bytes go into each
    letter after :meth:`DocxWriter._core_properties` has set them.

    python-docx exposes only the properties, not the part (its own accessor is private); this
    is the one place that finds the part, through the package's public relationship lookup.
    ``doc.core_properties`` first creates the part when the template has none.
    """
    doc.core_properties  # noqa: B018 -- creates the part if the template has none
    return doc.part.package.part_related_by(RT.CORE_PROPERTIES)


def _builtin_look(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = "Noto Serif"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    ox.set_style_complex_size(normal.element, 11)
    normal.paragraph_format.widow_control = True
    for section in doc.sections:
        section.top_margin = section.bottom_margin = Cm(2.5)
        section.left_margin = section.right_margin = Cm(2.5)


def _ensure_styles(doc) -> dict[str, str]:
    styles = doc.styles
    normal = styles["Normal"]
    ids: dict[str, str] = {}
    for role, name in ROLE_STYLES.items():
        try:
            style = styles[name]
        except KeyError:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = normal
            style.quick_style = True
            fmt = style.paragraph_format
            if role == "body":
                fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
                fmt.space_after = Pt(8)
            elif role in _TIGHT:
                fmt.space_after = Pt(0)
            elif role in ("salutation", "closing"):
                fmt.space_before = Pt(12)
                fmt.space_after = Pt(12)
            elif role == "date":
                fmt.space_before = Pt(12)
            elif role == "signature":
                fmt.space_before = Pt(18)
                fmt.space_after = Pt(0)
            elif role == "signatories-heading":
                fmt.space_after = Pt(12)
                style.font.bold = True
            elif role == "signatory":
                fmt.space_after = Pt(0)
            elif role == "cc":
                fmt.space_before = Pt(24)
                style.font.size = Pt(9)
                ox.set_style_complex_size(style.element, 9)
        style.paragraph_format.widow_control = True
        ids[role] = style.style_id
    return ids


def _add_draft_header(doc) -> None:
    """Put the draft banner at the top of every header a page can show."""
    mark = ox.run_properties(ox.RunStyle(lang=MARKER_LANG), bold=True, color="C00000")
    odd_even = doc.settings.odd_and_even_pages_header_footer
    for section in doc.sections:
        headers = [section.header]
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
        if odd_even:
            headers.append(section.even_page_header)
        for header in headers:
            header.is_linked_to_previous = False
            paragraphs = header.paragraphs
            if paragraphs and not paragraphs[0].text.strip() and not paragraphs[0].runs:
                p = paragraphs[0]
            elif paragraphs:
                p = paragraphs[0].insert_paragraph_before()
            else:
                p = header.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(DRAFT_HEADER)
            ox.apply_run(run, mark)
