"""A Word paragraph's runs -> :class:`~workflow.source.markup.Piece` items: text with a
formatting key (the run properties without proofing noise), hyperlinks, and codes (breaks,
tabs, note references, fields, pictures) that carry the XML to put back at export."""

from __future__ import annotations

from lxml import etree

from . import markup
from .docx_package import w

#: rPr children that do not make a formatting difference for the translator.
_IGNORED_RPR = {w("lang"), w("noProof"), w("webHidden"), w("rPrChange"), w("spellStart")}
_CODE_CHILDREN = {w(t) for t in ("tab", "br", "cr", "sym", "footnoteReference",
                                 "endnoteReference", "drawing", "pict", "object", "ptab",
                                 "noBreakHyphen", "commentReference", "separator",
                                 "continuationSeparator", "pgNum")}
_MARK_CHILDREN = {w("footnoteRef"), w("endnoteRef")}
_LABELS = {"tab": "tab", "br": "line break", "cr": "line break", "footnoteReference": "footnote",
           "endnoteReference": "endnote", "drawing": "picture", "pict": "picture"}
_DNT_STYLES = {"donottranslate", "do not translate"}




def rpr_key(rpr, style_names: dict[str, str]) -> bytes:
    """The formatting of a run as comparable bytes (without proofing language and noise)."""
    if rpr is None:
        return b""
    clone = etree.Element(w("rPr"))
    for child in rpr:
        if child.tag not in _IGNORED_RPR and isinstance(child.tag, str):
            clone.append(_copy(child))
    return etree.tostring(clone, method="c14n") if len(clone) else b""


def _copy(el):
    return etree.fromstring(etree.tostring(el))


def is_dnt(rpr, style_names: dict[str, str]) -> bool:
    if rpr is None:
        return False
    style = rpr.find(w("rStyle"))
    if style is None:
        return False
    name = style_names.get(style.get(w("val")), style.get(w("val")) or "")
    return name.lower().replace("-", " ").replace("_", " ") in _DNT_STYLES | {
        n.replace(" ", "") for n in _DNT_STYLES} or name.lower() in _DNT_STYLES


def is_mark_run(el) -> bool:
    """A footnote/endnote's own number at the start of its text (kept, not translated)."""
    return el.tag == w("r") and any(c.tag in _MARK_CHILDREN for c in el)


def paragraph_pieces(p, style_names: dict[str, str]) -> list[markup.Piece]:
    """The paragraph's content as markup pieces (codes carry the XML to re-insert)."""
    pieces: list[markup.Piece] = []
    field: list = []  # runs of an open complex field
    depth = 0
    for el, link in _content(p):
        if el.tag == w("r") and is_mark_run(el):
            continue
        if el.tag != w("r"):  # fldSimple, sdt, math...: one code
            pieces.append(markup.Piece(fmt=None, link=link, code=(etree.tostring(el),),
                                       label=etree.QName(el).localname))
            continue
        fld = [c for c in el if c.tag == w("fldChar")]
        if depth or fld:
            field.append(el)
            for c in fld:
                kind = c.get(w("fldCharType"))
                depth += 1 if kind == "begin" else -1 if kind == "end" else 0
            if depth <= 0:
                depth = 0
                pieces.append(markup.Piece(fmt=None, link=link, label="field",
                                           code=tuple(etree.tostring(r) for r in field)))
                field = []
            continue
        pieces.extend(_run_pieces(el, link, style_names))
    if field:
        pieces.append(markup.Piece(fmt=None, label="field",
                                   code=tuple(etree.tostring(r) for r in field)))
    return pieces


def _content(p):
    """(element, hyperlink key) for the runs and opaque inline elements of *p*, in order."""
    for child in p:
        tag = child.tag
        if tag == w("r"):
            yield child, None
        elif tag == w("hyperlink"):
            key = _link_key(child)
            for r in child.iter(w("r")):
                yield r, key
        elif tag in (w("ins"), w("smartTag"), w("customXml")):
            yield from _content(child)
        elif tag in (w("fldSimple"), w("sdt"), f"{{{_M}}}oMath", f"{{{_M}}}oMathPara"):
            yield child, None


_M = "http://schemas.openxmlformats.org/officeDocument/2006/math"


def _link_key(h) -> tuple:
    """A hashable copy of the hyperlink element's attributes (re-created at export)."""
    return tuple(sorted((k, v) for k, v in h.attrib.items()))


def _run_pieces(r, link, style_names) -> list[markup.Piece]:
    rpr = r.find(w("rPr"))
    key = rpr_key(rpr, style_names)
    keep = is_dnt(rpr, style_names)
    out = []
    label = describe(rpr, style_names)
    for c in r:
        if c.tag == w("t"):
            out.append(markup.Piece(c.text or "", key, link, label=label, keep=keep))
        elif c.tag in _CODE_CHILDREN:
            code_run = etree.Element(w("r"))
            if rpr is not None:
                code_run.append(_copy(rpr))
            code_run.append(_copy(c))
            name = etree.QName(c).localname
            code_label = _LABELS.get(name, name)
            if name == "br" and c.get(w("type")) == "page":
                code_label = "page break"
            out.append(markup.Piece(fmt=key, link=link, code=(etree.tostring(code_run),),
                                    label=code_label))
        elif c.tag == w("softHyphen"):
            out.append(markup.Piece("\u00ad", key, link, keep=keep))
    return out


_DESCRIBE = (("b", "bold"), ("i", "italic"), ("u", "underline"), ("strike", "struck"),
             ("caps", "capitals"), ("smallCaps", "small capitals"), ("highlight", "highlight"),
             ("color", "colour"))


def describe(rpr, style_names: dict[str, str]) -> str:
    """A short human name of a run's formatting ("bold italic", "superscript"), for the
    translator's comment and the review UI."""
    if rpr is None:
        return "plain"
    words = []
    for tag, word in _DESCRIBE:
        el = rpr.find(w(tag))
        if el is not None and el.get(w("val"), "true") not in ("0", "false", "none"):
            words.append(word)
    va = rpr.find(w("vertAlign"))
    if va is not None and va.get(w("val")) in ("superscript", "subscript"):
        words.append(va.get(w("val")))
    style = rpr.find(w("rStyle"))
    if style is not None:
        words.append(f"style {style_names.get(style.get(w('val')), style.get(w('val')))!r}")
    return " ".join(words) or "plain"
