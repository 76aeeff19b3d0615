"""Localised :class:`~workflow.export.model.LetterModel` -> .docx bytes.

With :mod:`.docx_styles` (the role styles, built-in look and draft banner), :mod:`.oxml` and
:mod:`.oxml_page` (every raw-XML detail), the only modules importing python-docx. Import it
lazily: ``letterflow check`` must not load python-docx.

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
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError

from ..errors import ExportError
from ..textrules import DRAFT_BANNER as DRAFT_HEADER
from ..textrules import UNREVIEWED_MARK as _MARK
from ..textrules import UNTRANSLATED_MARK as _UNTRANSLATED
from . import oxml as ox
from . import oxml_page as oxp
from . import zipstore
from .digits import numbering_system
from .docx_limits import check_package
from .docx_styles import ROLE_STYLES, add_draft_header, builtin_look, ensure_styles
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
            builtin_look(doc)
        style_ids = ensure_styles(doc)
        if draft:
            add_draft_header(doc, DRAFT_HEADER, MARKER_LANG)
        if footer and self.page.page_numbers:
            _add_page_numbers(doc, footer)
        oxp.set_auto_hyphenation(doc.settings.element, self.page.hyphenate)
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
        runs = _Runs(model, base.footnotes, justify=self.page.justify)
        tail = _closing_start(model)
        for i, para in enumerate(model.paragraphs):
            if para.role == "footnote" and para.tags is not None and para.context:
                continue  # written where it is referenced (unreferenced ones: see below)
            p = doc.add_paragraph()
            style_id = base.style_ids.get(para.role) or base.style_ids["body"]
            ox.set_style_id(p, style_id)
            finish_paragraph(p, model, i, tail)
            if para.language is not None:  # the source text: its own direction and tags
                runs.source_paragraph(p, para)
            else:
                runs.letter_paragraph(p, para)
        for para in model.paragraphs:  # a footnote nothing refers to is not lost
            if para.role == "footnote" and para.context.split("/", 1)[1] not in runs.notes.used:
                p = doc.add_paragraph()
                ox.set_style_id(p, base.style_ids["footnote"])
                ox.add_tagged(p._p, para.text, para.tags, runs.plain, None)
        if model.signatories:
            _page_break(doc, runs.plain)
            add_signatories(doc, base.style_ids, model, runs.plain)
        if base.appendix:
            _page_break(doc, runs.plain)
            ox.append_body(doc, base.appendix)
        _set_page(doc.sections[-1], model)

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


def _set_page(section, model: LetterModel) -> None:
    """Page numbers in the locale's digits, and the paper size of the recipient's country."""
    oxp.set_page_number_format(section, oxp.PAGE_NUMBER_FORMATS.get(
        numbering_system(model.locale), "decimal"))
    width, height = ox.page_size_twips(model.paper)
    section.page_width = width * 635  # twips -> EMU
    section.page_height = height * 635


class _Runs:
    """The run properties of one letter's paragraphs, and how each kind of paragraph gets
    its runs: the letter's own text (marked when not reviewed) or the source text of an
    untranslated paragraph (marked, in the source language)."""

    def __init__(self, model: LetterModel, footnotes_part, *, justify: bool) -> None:
        self.model = model
        self.rtl = model.direction == "rtl"
        style = ox.RunStyle(
            lang=model.lang_tag,
            east_asia_font=model.fonts.east_asia,
            complex_font=model.fonts.complex,
            east_asia_lang=model.lang_tag if model.east_asian else None,
            bidi_lang=model.lang_tag if model.complex_script else None,
            rtl=self.rtl,
        )
        self.plain = ox.run_properties(style)
        self.draft = ox.run_properties(style, highlight="yellow")
        self.mark = ox.run_properties(
            ox.RunStyle(lang=MARKER_LANG), bold=True, color="C00000", highlight="yellow"
        )
        self.sizes = complex_sizes(model, style)  # w:szCs on every run of Arabic script
        self.body_align = "justify" if justify else "right"
        self.other = _OtherLanguage(model)  # untranslated paragraphs: the source language
        # this letter's footnotes only (the part is shared by every letter of the writer)
        self.notes = ox.Footnotes(footnotes_part, model.paragraphs, self.plain)

    def letter_paragraph(self, p, para) -> None:
        if self.rtl:
            ox.set_paragraph_direction(p, "rtl", self.body_align if para.role == "body"
                                       else "right")
        plain, drafted = self.sizes.get(_ROLE_SIZES.get(para.role, _BODY_SIZE),
                                        (self.plain, self.draft))
        if not para.approved:
            ox.apply_run(p.add_run(UNREVIEWED_MARK), self.mark)
        run_rpr = plain if para.approved else drafted
        if para.tags:
            ox.add_tagged(p._p, para.text, para.tags, run_rpr, self.notes)
        else:
            ox.apply_run(p.add_run(para.text), run_rpr)

    def source_paragraph(self, p, para) -> None:
        direction = self.other.direction(para.language)
        if direction != self.model.direction:
            ox.set_paragraph_direction(p, direction, "justify" if para.role == "body"
                                       else "start")
        elif self.rtl:
            ox.set_paragraph_direction(p, "rtl", "justify" if para.role == "body" else "right")
        ox.apply_run(p.add_run(UNTRANSLATED_MARK), self.mark)
        rpr = self.other.rpr(para.language)
        if para.tags:
            ox.add_tagged(p._p, para.text, para.tags, rpr, self.notes)
        else:
            ox.apply_run(p.add_run(para.text), rpr)


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
