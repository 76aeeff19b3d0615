"""The look a :class:`~workflow.export.docx.DocxWriter` gives its package once, before any
letter: one paragraph style per role (a template's own ``Letter Body``... win; missing ones
are added, based on ``Normal``), the built-in look when there is no template (Noto Serif
11 pt, 2.5 cm margins) and the "DRAFT — not reviewed" banner in every header.
"""

from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from . import oxml as ox

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


def builtin_look(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = "Noto Serif"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    ox.set_style_complex_size(normal.element, 11)
    normal.paragraph_format.widow_control = True
    for section in doc.sections:
        section.top_margin = section.bottom_margin = Cm(2.5)
        section.left_margin = section.right_margin = Cm(2.5)


def ensure_styles(doc) -> dict[str, str]:
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


def add_draft_header(doc, banner: str, lang: str) -> None:
    """Put the draft *banner* (written in *lang*) at the top of every header a page can
    show."""
    mark = ox.run_properties(ox.RunStyle(lang=lang), bold=True, color="C00000")
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
            run = p.add_run(banner)
            ox.apply_run(run, mark)
