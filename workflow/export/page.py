"""The finished page (issue 11): page options, page numbers, what is kept together.

``[tool.letterflow.export.page]`` -> :class:`PageOptions`; the footer's "PAGE / NUMPAGES";
which paragraphs are kept on one page (closing, signature block, cc); the complex-script
run sizes. Used by :mod:`.docx`; the raw XML is in :mod:`.oxml` and :mod:`.oxml_page`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ExportError
from . import oxml as ox
from . import oxml_page as oxp
from .model import LetterModel


@dataclass(frozen=True)
class PageOptions:
    """``[tool.letterflow.export.page]``: hyphenate (default true: w:autoHyphenation),
    justify (default: as hyphenate -- justified text only where words can be hyphenated,
    else flush left), page_numbers (default true: "PAGE / NUMPAGES" in the footer)."""

    hyphenate: bool = True
    justify: bool = True
    page_numbers: bool = True

    @classmethod
    def from_config(cls, table: dict | None) -> PageOptions:
        table = dict(table or {})
        unknown = set(table) - {"hyphenate", "justify", "page_numbers"}
        if unknown:
            raise ExportError(f"[tool.letterflow.export.page]: unknown key(s) "
                              f"{', '.join(sorted(unknown))} (hyphenate, justify, page_numbers)")
        for key, value in table.items():
            if not isinstance(value, bool):
                raise ExportError(f"[tool.letterflow.export.page] {key} must be true or false")
        hyphenate = table.get("hyphenate", True)
        return cls(hyphenate, table.get("justify", hyphenate), table.get("page_numbers", True))


_BODY_SIZE = 11.0
_ROLE_SIZES = {"cc": 9.0}


def _sized(style, size: float):
    from dataclasses import replace

    return replace(style, size_pt=size)


def _closing_start(model: LetterModel) -> int | None:
    """Index of the closing paragraph (or the first signature): from there to the end, the
    lines are kept on one page (closing, signature block, cc)."""
    for role in ("closing", "signature"):
        for i, p in enumerate(model.paragraphs):
            if p.role == role:
                return i
    return None


def _footer_key(model: LetterModel) -> tuple:
    return (model.lang_tag, model.direction == "rtl", model.fonts.complex, model.fonts.east_asia,
            model.east_asian, model.complex_script)


def _add_page_numbers(doc, key: tuple) -> None:
    """"PAGE / NUMPAGES" centred in the footer of every section (a template's own footer
    text is kept; the numbers go below it)."""
    lang, rtl, complex_font, east_font, east, complex_ = key
    rpr = ox.run_properties(ox.RunStyle(
        lang=lang, complex_font=complex_font, east_asia_font=east_font,
        east_asia_lang=lang if east else None, bidi_lang=lang if complex_ else None, rtl=rtl,
        size_pt=9))
    for section in doc.sections:
        footer = section.footer
        footer.is_linked_to_previous = False
        paragraphs = footer.paragraphs
        p = paragraphs[0] if paragraphs and not paragraphs[0].text.strip() else \
            footer.add_paragraph()
        oxp.page_number_paragraph(p, rpr, rtl=rtl)


def finish_paragraph(p, model: LetterModel, i: int, tail: int | None) -> None:
    """East Asian autospace off (CJK letters); from the closing on, keep-lines and
    keep-with-next (the last paragraph only keep-lines)."""
    if model.east_asian:
        oxp.no_autospace(p)
    if tail is not None and i >= tail:
        oxp.keep_together(p, with_next=i < len(model.paragraphs) - 1)


def complex_sizes(model: LetterModel, style) -> dict:
    """size -> (plain, draft) run properties with w:szCs, for a complex-script letter."""
    if not model.complex_script:
        return {}
    return {size: (ox.run_properties(_sized(style, size)),
                   ox.run_properties(_sized(style, size), highlight="yellow"))
            for size in set(_ROLE_SIZES.values()) | {_BODY_SIZE}}


def add_signatories(doc, style_ids: dict, model: LetterModel, rpr) -> None:
    """The signatories appendix (after the page break docx.py puts before it): the heading
    (a reviewed message) and the names as the letter writes them (never translated)."""
    heading, names = model.signatories
    rtl = model.direction == "rtl"
    for role, text in ([("signatories-heading", heading)] if heading else []) + [
            ("signatory", n) for n in names]:
        p = doc.add_paragraph()
        ox.set_style_id(p, style_ids[role])
        if rtl:
            ox.set_paragraph_direction(p, "rtl", "right")
        ox.apply_run(p.add_run(text), rpr)
