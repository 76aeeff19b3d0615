"""Letter + catalogue + recipient -> one localised :class:`LetterModel`.

The model is what both renderers draw (:mod:`.docx` for the .docx, :mod:`.html` for the
preview), so the preview and the document cannot drift apart. Every localised field comes from
CLDR through Babel: the country name (``Locale(lang).territories``), the date
(``format_date(format="long")``), the count (``format_decimal``) and its plural form (the
catalogue's own ``Plural-Forms``), the text direction and the paper size. Each message's
text (translation or source, placeholders filled) is :mod:`.message_text`'s; the country
phrases come from :mod:`.country_catalog`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import partial

from ..errors import ExportError
from .cldr import (
    COMPLEX_SCRIPTS,
    EAST_ASIAN_SCRIPTS,
    Fonts,
    fonts_for,
    format_locale,
    lang_tag,
    paper_size,
    script_of,
)
from .country_catalog import COUNTRY_COLUMNS, country_slots
from .message_text import fill_placeholders, plural_rule, translation
from .recipients import Recipient


@dataclass(frozen=True)
class Paragraph:
    role: str
    text: str
    approved: bool = True
    context: str | None = None  # msgctxt of the message, None for data (date, recipient)
    state: str = "approved"  # approved | draft | untranslated | flagged | source | data
    #: The language of the text when it is not the letter's: an untranslated paragraph is
    #: the source text, tagged with the source language (its direction, fonts, w:lang).
    language: str | None = None
    tags: tuple = ()  # the inline tag table when text holds <g1>…</g1> tags (Word letters)


@dataclass(frozen=True)
class LetterModel:
    letter_id: str
    title: str
    language: str  # locale id of the text
    locale: str  # CLDR locale used for formatting (language + country when CLDR has it)
    lang_tag: str  # BCP 47 tag for w:lang and HTML lang, e.g. "fr-FR"
    direction: str  # "ltr" | "rtl"
    script: str  # ISO 15924, e.g. "Latn", "Arab", "Kore"
    fonts: Fonts
    paper: str  # "A4" | "Letter"
    country: str
    country_name: str
    date_text: str
    count: int | None
    author: str
    paragraphs: tuple[Paragraph, ...]
    recipient: Recipient | None = None
    source_fallback: bool = False
    values: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    #: countries-catalogue contexts used here that are not approved ("country/FR/of: draft")
    country_pending: tuple[str, ...] = ()
    #: slot -> phrase the recipients file gave instead of the catalogue (manifest records it)
    country_overrides: Mapping[str, str] = field(default_factory=dict, hash=False,
                                                 compare=False)
    title_text: str = ""  # the document title in the letter's language (core properties)
    #: the signatories appendix: (heading in the letter's language, names as written)
    signatories: tuple[str, tuple[str, ...]] | None = None
    source_language: str = "en"

    def paragraphs_in(self, state: str) -> int:
        """Paragraphs of the letter's text (not the date or address) in *state*."""
        return sum(1 for p in self.paragraphs if p.context and p.state == state)

    @property
    def translated(self) -> int:
        """Paragraphs of the letter's text that are translated (approved, draft, flagged)."""
        return sum(1 for p in self.paragraphs
                   if p.context and p.state in ("approved", "draft", "flagged"))

    @property
    def draft(self) -> bool:
        """True when any paragraph is not approved (export only with --allow-drafts)."""
        return any(not p.approved for p in self.paragraphs)

    @property
    def unapproved(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if not p.approved]

    @property
    def east_asian(self) -> bool:
        return self.script in EAST_ASIAN_SCRIPTS

    @property
    def complex_script(self) -> bool:
        return self.script in COMPLEX_SCRIPTS


def build_model(
    letter,
    catalog,
    recipient: Recipient,
    *,
    source_language: str = "en",
    fonts: Mapping[str, str] | None = None,
    author: str | None = None,
    values: Mapping[str, object] | None = None,
    flagged: Collection[str] = (),
    countries=...,
    forms: Mapping[str, str] | None = None,
) -> LetterModel:
    """Localise *letter* for *recipient* with *catalog* (``None`` = the source language).

    *values* override letter fields (e.g. ``{"signatories": 21}``) and placeholders.
    *flagged* are message contexts with an error-severity QA finding: shown, never approved.
    *countries*: the language's ``countries`` catalogue (:mod:`.countries`; ``None``: none,
    every phrase pending; left out: CLDR's short name, unreviewed). *forms*: :mod:`.address`.
    Raises :class:`ExportError` naming the message on a broken placeholder or an XML-illegal
    character (the QA checks report those before export).
    """
    language, locale_id, loc, country_name = _locale_of(catalog, recipient, source_language)
    date_text = localised_date(letter.date, locale_id)
    count, subst = _substitutions(letter, recipient, locale_id, country_name, values, date_text)
    phrases, pending, overridden = country_slots(countries, recipient, country_name)
    subst.update(phrases)
    plural_of, nplurals = plural_rule(catalog, source_language)
    text_of = partial(_localised_text, catalog=catalog, count=count, plural_of=plural_of,
                      nplurals=nplurals, subst=subst, language=language, flagged=flagged,
                      pending=pending, source_language=source_language)
    paragraphs = _paragraphs(letter, recipient, date_text, text_of, forms or {})
    sender = next((p.text for p in paragraphs if p.role == "sender"), "")
    return LetterModel(
        letter_id=letter.id,
        title=letter.title,
        language=language,
        locale=locale_id,
        lang_tag=lang_tag(language, recipient.country),
        direction=loc.text_direction,
        script=script_of(language),
        fonts=fonts_for(language, fonts),
        paper=paper_size(recipient.country),
        country=recipient.country,
        country_name=country_name,
        date_text=date_text,
        count=count,
        author=author or sender or letter.title,
        paragraphs=tuple(paragraphs),
        recipient=recipient,
        source_fallback=recipient.source_fallback or (
            catalog is None and recipient.language != source_language),
        values=subst,
        country_pending=tuple(sorted(pending.values())),
        country_overrides=overridden,
        title_text=_title_text(letter, text_of),
        signatories=_signatories(letter, text_of),
        source_language=source_language,
    )


def _locale_of(catalog, recipient: Recipient, source_language: str):
    """(language, CLDR locale id, babel Locale, CLDR country name) of a letter."""
    from babel import Locale

    language = recipient.language if catalog is not None else source_language
    if catalog is not None and getattr(catalog, "language", language) != language:
        language = catalog.language
    loc = Locale.parse(language)
    try:
        country_name = loc.territories[recipient.country]
    except KeyError:
        raise ExportError(f"CLDR has no name for country {recipient.country!r}") from None
    return language, format_locale(language, recipient.country), loc, country_name


def _substitutions(letter, recipient: Recipient, locale_id: str, country_name: str,
                   values: Mapping[str, object] | None,
                   date_text: str = "") -> tuple[int | None, dict[str, str]]:
    """(the plural count, placeholder -> text): letter fields formatted by CLDR, then the
    recipient's columns, then *values*."""
    from .digits import format_number

    fields = dict(letter.fields)
    if values:
        fields.update({k: v for k, v in values.items() if k in fields})
    count: int | None = None
    subst: dict[str, str] = {}
    if letter.plural_field is not None:
        raw_count = fields.get(letter.plural_field)
        if not isinstance(raw_count, int) or isinstance(raw_count, bool):
            raise ExportError(f"letter field {letter.plural_field!r} must be a whole number")
        count = raw_count
        if letter.plural_placeholder:
            subst[letter.plural_placeholder] = format_number(count, locale_id)
    for key, value in fields.items():
        if isinstance(value, int) and not isinstance(value, bool):
            subst.setdefault(key, format_number(value, locale_id))
        else:
            subst.setdefault(key, str(value))
    subst.update({k: v for k, v in recipient.fields.items()
                  if v and k not in COUNTRY_COLUMNS})
    subst.update({
        "country": country_name, "name": recipient.name, "title": recipient.title,
        "email": recipient.email,
    })
    if values:
        subst.update({k: str(v) for k, v in values.items() if k not in fields})
    subst.setdefault("date", date_text)
    subst["__locale__"] = locale_id  # for typed dates and numbers in the text
    return count, subst


def _paragraphs(letter, recipient: Recipient, date_text: str,
                text_of: Callable[..., Paragraph], forms: Mapping[str, str]) -> list[Paragraph]:
    """The letter's blocks in order, with the date and the recipient's lines inserted; a
    salutation or closing in the recipient's form of address (:mod:`.address`)."""
    from .address import choose_variant

    paragraphs: list[Paragraph] = []
    recipient_done = False
    for block in letter.blocks:
        if getattr(block, "variant", None):
            continue  # a form-of-address variant: chosen below in place of its base block
        block = choose_variant(letter, block, recipient)
        if block.role == "date":
            paragraphs.append(Paragraph("date", date_text, True, None, "data"))
            continue
        if block.role == "signatories":  # names, never translated
            paragraphs.append(Paragraph("signatories", block.text, True, None, "data"))
            continue
        if block.role == "salutation" and not recipient_done:
            paragraphs.extend(_recipient_paragraphs(recipient))
            recipient_done = True
        if block.role == "salutation" and recipient.salutation:
            paragraphs.append(Paragraph("salutation", recipient.salutation, True, None, "data"))
            continue
        paragraphs.append(text_of(block))
    if not recipient_done:
        paragraphs[0:0] = _recipient_paragraphs(recipient)
    return paragraphs


def _localised_text(block, *, catalog, count, plural_of, nplurals, subst, language,
                    flagged, pending, source_language) -> Paragraph:
    text, state = translation(block, catalog, count, plural_of, nplurals)
    if block.context in flagged and state == "approved":
        state = "flagged"
    if state in ("approved", "source") and any("{" + n + "}" in text for n in pending):
        state = "draft"  # the country phrase it uses is not approved yet
    if getattr(block, "tags", ()):  # tagged text (Word letter): values must not look like tags
        from ..source.markup import escape

        subst = {k: escape(v) for k, v in subst.items()}
    text = fill_placeholders(text, subst, block.context, language)
    other = source_language if state == "untranslated" and language != source_language else None
    return Paragraph(block.role, text, state in ("approved", "source"), block.context, state,
                     other, getattr(block, "tags", ()))


def localised_date(date, locale_id: str) -> str:
    """CLDR's long date in the locale's default numbering system (Arabic-Indic digits for
    ar_EG / ar_SA). (Korean "2012년 10월 31일" is right as CLDR writes it; the stray spaces
    seen in rendered letters came from Word's East Asian autospace, which the .docx turns
    off: :func:`workflow.export.oxml_page.no_autospace`.)"""
    from babel.dates import format_date

    from .digits import localise_digits

    text = format_date(date, format="long", locale=locale_id)
    return localise_digits(text, locale_id)


def _signatories(letter, text_of) -> tuple[str, tuple[str, ...]] | None:
    names = tuple(getattr(letter, "signatories", ()) or ())
    if not names:
        return None
    block = getattr(letter, "signatories_block", None)
    return (text_of(block).text if block is not None else "", names)


def _title_text(letter, text_of: Callable[..., Paragraph]) -> str:
    """The document title in the letter's language (the front matter's title is a catalogue
    message, ``<letter>/title``): its approved translation, else the source title."""
    block = getattr(letter, "title_block", None)
    if block is None:
        return letter.title
    para = text_of(block)
    return para.text if para.approved else letter.title


def _recipient_paragraphs(recipient: Recipient) -> list[Paragraph]:
    out = []
    if recipient.name:
        out.append(Paragraph("recipient", recipient.name, True, None, "data"))
    if recipient.title:
        out.append(Paragraph("recipient", recipient.title, True, None, "data"))
    out.extend(Paragraph("address", line, True, None, "data") for line in recipient.address)
    if recipient.fields.get("reference"):  # the recipients file's reference number
        out.append(Paragraph("reference", recipient.fields["reference"], True, None, "data"))
    return out
