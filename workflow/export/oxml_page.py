"""The raw XML of a finished page (issue 11), beside :mod:`.oxml`: the footer's
"PAGE / NUMPAGES" fields and the page numbers' digits (``w:pgNumType``), keep-lines and
keep-with-next, East Asian autospace off, automatic hyphenation (``settings.xml``).
:mod:`.page` decides where they go.
"""

from __future__ import annotations

import copy

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from .oxml import _AFTER_BIDI, _AFTER_JC

#: numbering system (CLDR) -> w:pgNumType/@w:fmt (ST_NumberFormat) for the page number
PAGE_NUMBER_FORMATS = {"arab": "hindiNumbers", "arabext": "hindiNumbers", "thai": "thaiNumbers",
                       "deva": "hindiNumbers"}


def page_number_paragraph(paragraph, rpr, *, rtl: bool) -> None:
    """Fill a footer *paragraph* with "PAGE / NUMPAGES" as Word fields (centred; the
    numbers follow the section's w:pgNumType and the run's language)."""
    p = paragraph._p
    ppr = p.get_or_add_pPr()
    if rtl:
        ppr.insert_element_before(parse_xml(f"<w:bidi {nsdecls('w')}/>"), *_AFTER_BIDI)
    ppr.insert_element_before(parse_xml(f'<w:jc {nsdecls("w")} w:val="center"/>'), *_AFTER_JC)
    for instr, text in ((" PAGE ", "1"), (None, " / "), (" NUMPAGES ", "1")):
        run = parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve">{text}</w:t></w:r>')
        run.insert(0, copy.deepcopy(rpr))
        if instr is None:
            p.append(run)
            continue
        fld = parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="{instr}"/>')
        fld.append(run)
        p.append(fld)


def set_page_number_format(section, fmt: str) -> None:
    """``w:pgNumType w:fmt`` of a section (decimal, hindiNumbers...)."""
    sect = section._sectPr
    old = sect.find(qn("w:pgNumType"))
    if old is not None:
        sect.remove(old)
    successors = ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
                  "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings",
                  "w:sectPrChange")
    sect.insert_element_before(
        parse_xml(f'<w:pgNumType {nsdecls("w")} w:fmt="{fmt}"/>'), *successors)


def keep_together(paragraph, *, with_next: bool) -> None:
    """keep-lines (``w:keepLines``) and, if *with_next*, keep-with-next (``w:keepNext``)."""
    fmt = paragraph.paragraph_format
    fmt.keep_together = True
    if with_next:
        fmt.keep_with_next = True


def no_autospace(paragraph) -> None:
    """``w:autoSpaceDE/DN = 0``: no extra space between Hangul/Han and Latin letters or
    digits (else "2012 년 10 월" instead of "2012년 10월")."""
    ppr = paragraph._p.get_or_add_pPr()
    successors = ("w:bidi", "w:adjustRightInd", "w:snapToGrid", *_AFTER_BIDI)
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        if ppr.find(qn(tag)) is None:
            ppr.insert_element_before(parse_xml(f'<{tag} {nsdecls("w")} w:val="0"/>'),
                                      *successors)


def set_auto_hyphenation(settings_element, on: bool) -> None:
    """``w:autoHyphenation`` in settings.xml (word/settings.xml)."""
    old = settings_element.find(qn("w:autoHyphenation"))
    if old is not None:
        settings_element.remove(old)
    if not on:
        return
    successors = ("w:consecutiveHyphenLimit", "w:hyphenationZone", "w:doNotHyphenateCaps",
                  "w:showEnvelope", "w:summaryLength", "w:clickAndTypeStyle",
                  "w:defaultTableStyle", "w:evenAndOddHeaders", "w:bookFoldRevPrinting",
                  "w:bookFoldPrinting", "w:bookFoldPrintingSheets",
                  "w:drawingGridHorizontalSpacing", "w:drawingGridVerticalSpacing",
                  "w:displayHorizontalDrawingGridEvery", "w:displayVerticalDrawingGridEvery",
                  "w:doNotUseMarginsForDrawingGridOrigin", "w:drawingGridHorizontalOrigin",
                  "w:drawingGridVerticalOrigin", "w:doNotShadeFormData", "w:noPunctuationKerning",
                  "w:characterSpacingControl", "w:printTwoOnOne", "w:strictFirstAndLastChars",
                  "w:noLineBreaksAfter", "w:noLineBreaksBefore", "w:savePreviewPicture",
                  "w:doNotValidateAgainstSchema", "w:saveInvalidXml", "w:ignoreMixedContent",
                  "w:alwaysShowPlaceholderText", "w:doNotDemarcateInvalidXml",
                  "w:saveXmlDataOnly", "w:useXSLTWhenSaving", "w:saveThroughXslt",
                  "w:showXMLTags", "w:alwaysMergeEmptyNamespace", "w:updateFields",
                  "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars",
                  "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang",
                  "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
                  "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions",
                  "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
                  "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol",
                  "w:listSeparator")
    successors = tuple(s for s in successors if not s.startswith(("m:", "sl:")))
    settings_element.insert_element_before(
        parse_xml(f"<w:autoHyphenation {nsdecls('w')}/>"), *successors)
