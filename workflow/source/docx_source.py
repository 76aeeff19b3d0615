"""A Word ``.docx`` letter as the source: every paragraph with text becomes one message.

Read with lxml straight from the package (no python-docx, so ``letterflow check`` stays
light). Parts read, in this order: headers, the document body (paragraphs, headings, list
items, table cells), footnotes, endnotes, footers.

- **Inline formatting** becomes numbered tags (:mod:`.markup`): a run whose properties differ
  from the paragraph's usual ones is ``<gN>…</gN>``, a hyperlink is ``<gN>…</gN>``, a line
  break, tab, footnote reference, field or picture is ``<xN/>``. Runs with identical
  properties are merged first (Word and LibreOffice split runs for spell-check and revision
  ids), and the proofing language is ignored when comparing, so no meaningless tag is left.
- **msgctxt** is ``<letter>/<part>-<id>``, where *id* is the paragraph's ``w14:paraId`` when
  every paragraph of the part has a unique one (Word writes them and keeps them while the
  paragraph is edited, so an edited paragraph keeps its context and its translation becomes
  fuzzy instead of lost), else a hash of the paragraph's style and text, with ``-2``, ``-3``
  for repeats. Neither depends on other paragraphs, so editing, inserting or deleting another
  paragraph changes no context. (A hash of the neighbourhood would change two contexts with
  every edit.)
- **Not translatable**, copied as they are: empty paragraphs, paragraphs without a letter
  (numbers, dates in digits), and text in the character style "Do Not Translate" (a tag with
  ``translate="no"`` when inside a translatable paragraph).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree

from ..errors import LetterError
from ..letter import Block, Letter, placeholders_in
from . import markup

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NS = {"w": W, "w14": W14, "r": R}


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


#: part kind -> content type suffix, in message order.
PART_KINDS = (
    ("header", "wordprocessingml.header+xml"),
    ("document", "wordprocessingml.document.main+xml"),
    ("footnote", "wordprocessingml.footnotes+xml"),
    ("endnote", "wordprocessingml.endnotes+xml"),
    ("footer", "wordprocessingml.footer+xml"),
)
ROLES = {
    "title": "the document title",
    "subtitle": "the document subtitle",
    "heading": "a heading",
    "list-item": "an item of a numbered or bulleted list",
    "table-cell": "a paragraph in a table cell",
    "footnote": "a footnote's text",
    "endnote": "an endnote's text",
    "header": "page header text (letterhead)",
    "footer": "page footer text",
    "body": "a paragraph of the letter's body",
}
#: Placeholders a Word letter may use (filled per recipient at export).
PLACEHOLDERS = {
    "country": "the recipient's country, in the letter's language (filled per recipient)",
    "name": "the recipient's name (filled per recipient)",
    "title": "the recipient's title (filled per recipient)",
    "email": "the recipient's e-mail address (filled per recipient)",
    "date": "the letter's date, written in the reader's locale",
}
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


@dataclass(frozen=True)
class Anchor:
    part: str  # zip member name, e.g. "word/document.xml"
    index: int  # position of the paragraph among the part's paragraphs


@dataclass
class DocxParts:
    """The parsed package: XML roots of the parts with text, style names, hyperlinks."""

    members: dict[str, bytes]
    parts: list[tuple[str, str]]  # (kind, member name) in message order
    roots: dict[str, etree._Element]
    style_names: dict[str, str]
    style_numbered: set[str]


def read_package(data: bytes, where: str) -> DocxParts:
    try:
        with zipfile.ZipFile(_io(data)) as z:
            members = {i.filename: z.read(i.filename) for i in z.infolist()}
    except (zipfile.BadZipFile, OSError) as exc:
        raise LetterError(f"not a Word .docx file ({exc})", where) from None
    try:
        types = etree.fromstring(members["[Content_Types].xml"])
    except (KeyError, etree.XMLSyntaxError):
        raise LetterError("not a Word .docx file (no [Content_Types].xml)", where) from None
    overrides = {o.get("PartName").lstrip("/"): o.get("ContentType", "")
                 for o in types.iter(f"{{{CT}}}Override")}
    parts: list[tuple[str, str]] = []
    for kind, suffix in PART_KINDS:
        names = sorted(n for n, t in overrides.items() if t.endswith(suffix) and n in members)
        parts.extend((kind, n) for n in names)
    if not any(kind == "document" for kind, _ in parts):
        raise LetterError("not a Word .docx file (no main document part)", where)
    roots = {}
    for _kind, name in parts:
        try:
            roots[name] = etree.fromstring(members[name])
        except etree.XMLSyntaxError as exc:
            raise LetterError(f"broken XML in {name}: {exc}", where) from None
    style_names, numbered = _styles(members.get("word/styles.xml"))
    return DocxParts(members, parts, roots, style_names, numbered)


def _io(data: bytes):
    import io

    return io.BytesIO(data)


def _styles(xml: bytes | None) -> tuple[dict[str, str], set[str]]:
    if not xml:
        return {}, set()
    root = etree.fromstring(xml)
    names, numbered = {}, set()
    for style in root.iter(w("style")):
        sid = style.get(w("styleId"))
        name = style.find(w("name"))
        names[sid] = name.get(w("val")) if name is not None else sid
        if style.find(f"{w('pPr')}/{w('numPr')}") is not None:
            numbered.add(sid)
    return names, numbered


def paragraphs(root) -> list:
    """The part's paragraphs in document order, without those nested in another paragraph
    (text boxes) and without footnote separators."""
    out = []
    for p in root.iter(w("p")):
        if any(a.tag == w("p") for a in p.iterancestors()):
            continue
        note = next((a for a in p.iterancestors() if a.tag in (w("footnote"), w("endnote"))),
                    None)
        if note is not None and note.get(w("type")) in ("separator", "continuationSeparator",
                                                        "continuationNotice"):
            continue
        out.append(p)
    return out


# --------------------------------------------------------------------------- runs -> pieces


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


# --------------------------------------------------------------------------- letter


def paragraph_role(kind: str, p, parts: DocxParts) -> tuple[str, list[str]]:
    """(role, notes) of a paragraph: from its part, style, numbering and table position."""
    ppr = p.find(w("pPr"))
    style_id = None
    if ppr is not None and ppr.find(w("pStyle")) is not None:
        style_id = ppr.find(w("pStyle")).get(w("val"))
    style = parts.style_names.get(style_id, style_id) if style_id else "Normal"
    notes = [f"Word style: {style}"]
    numbered = (ppr is not None and ppr.find(w("numPr")) is not None) or (
        style_id in parts.style_numbered)
    cell = next((a for a in p.iterancestors() if a.tag == w("tc")), None)
    if kind != "document":
        role = kind
    elif style.lower() in ("title", "subtitle"):
        role = style.lower()
    elif re.match(r"(?i)heading \d", style):
        role = "heading"
    elif cell is not None:
        role = "table-cell"
    elif numbered or style.lower().startswith("list"):
        role = "list-item"
    else:
        role = "body"
    if numbered:
        level = ppr.find(f"{w('numPr')}/{w('ilvl')}") if ppr is not None else None
        lvl = int(level.get(w("val"), "0")) + 1 if level is not None else 1
        notes.append(f"list item, level {lvl}")
    if cell is not None:
        row = cell.getparent()
        tbl = row.getparent()
        notes.append(f"table cell: row {list(tbl.iterchildren(w('tr'))).index(row) + 1}, "
                     f"column {list(row.iterchildren(w('tc'))).index(cell) + 1}")
    return role, notes


def load_docx_letter(path: str | Path) -> Letter:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise LetterError("letter file not found", str(path)) from None
    except OSError as exc:
        raise LetterError(f"cannot read letter file: {exc.strerror}", str(path)) from None
    return parse_docx_letter(data, path)


def _letter_id(path: Path) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return slug or "letter"


def _core(members: dict[str, bytes]) -> tuple[str, str, _dt.date]:
    title, language, date = "", "en", _dt.date(1970, 1, 1)
    xml = members.get("docProps/core.xml")
    if xml:
        root = etree.fromstring(xml)
        for el in root:
            name = etree.QName(el).localname
            text = (el.text or "").strip()
            if name == "title" and text:
                title = text
            elif name == "language" and text:
                language = text.split("-")[0].lower()
            elif name == "created" and text[:10]:
                try:
                    date = _dt.date.fromisoformat(text[:10])
                except ValueError:
                    pass
    return title, language, date


def parse_docx_letter(data: bytes, path: str | Path = "<letter>.docx") -> Letter:
    where = str(path)
    parts = read_package(data, where)
    letter_id = _letter_id(Path(path))
    title, language, date = _core(parts.members)
    letter = Letter(id=letter_id, title=title or letter_id, language=language, date=date,
                    path=Path(path), placeholders=dict(PLACEHOLDERS),
                    roles={**ROLES}, kind="docx")
    found = []  # (kind, anchor, role, notes, encoded, key)
    number = 0
    for kind, name in parts.parts:
        paras = paragraphs(parts.roots[name])
        ids = [p.get(f"{{{W14}}}paraId") for p in paras]
        use_ids = all(ids) and len(set(ids)) == len(ids)
        seen: dict[str, int] = {}
        for index, p in enumerate(paras):
            number += 1
            enc = markup.encode(paragraph_pieces(p, parts.style_names))
            enc.tags = tuple(_with_target(t, parts.members, name) for t in enc.tags)
            if not any(ch.isalpha() for ch in _translatable_text(enc)):
                continue
            role, notes = paragraph_role(kind, p, parts)
            if use_ids:
                key = f"{kind}-{ids[index].lower()}"
            else:
                digest = hashlib.sha1(f"{notes[0]}\n{enc.text}".encode()).hexdigest()[:8]
                key = f"{kind}-{digest}"
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > 1:
                key = f"{key}-{seen[key]}"
            found.append((Anchor(name, index), role, notes, enc, key, number))
    if not found:
        raise LetterError("the Word letter has no paragraph with text", where)
    _blocks(letter, found, where)
    return letter


def _with_target(tag: markup.Tag, members: dict[str, bytes], part: str) -> markup.Tag:
    """Name a hyperlink tag after its target ("link to https://…"), for the translator."""
    if tag.link is None:
        return tag
    attrs = dict(tag.link)
    target = None
    rid = attrs.get(f"{{{R}}}id")
    if rid:
        target = _relationships(members, part).get(rid)
    elif attrs.get(w("anchor")):
        target = "#" + attrs[w("anchor")]
    return replace(tag, label=f"link to {target}") if target else tag


def _relationships(members: dict[str, bytes], part: str) -> dict[str, str]:
    folder, _, base = part.rpartition("/")
    xml = members.get(f"{folder}/_rels/{base}.rels")
    if not xml:
        return {}
    root = etree.fromstring(xml)
    return {r.get("Id"): r.get("Target", "") for r in root}


def _translatable_text(enc: markup.Encoded) -> str:
    """The text outside do-not-translate spans."""
    text = enc.text
    for tag in enc.tags:
        if tag.keep:
            text = re.sub(rf"<g{tag.number}[^>]*>.*?</g{tag.number}>", "", text)
    return markup.strip_tags(text)


def _blocks(letter: Letter, found: list, where: str) -> None:
    counts: dict[str, int] = {}
    for item in found:
        counts[item[1]] = counts.get(item[1], 0) + 1
    pos: dict[str, int] = {}
    for anchor, role, notes, enc, key, number in found:
        pos[role] = pos.get(role, 0) + 1
        names = placeholders_in(markup.strip_tags(enc.text).replace("{{", "").replace(
            "}}", ""), path=where, line=number) if "{" in enc.text else []
        for n in names:
            if n not in PLACEHOLDERS:
                raise LetterError(
                    f"placeholder {{{n}}} is not one a Word letter can use "
                    f"({', '.join('{' + k + '}' for k in PLACEHOLDERS)}); "
                    "write {{ and }} for literal braces", where, number)
        tag_notes = [f"tag {t.opening}: {t.label}" for t in enc.tags]
        letter.blocks.append(Block(
            id=key, role=role, context=f"{letter.id}/{key}", text=enc.text, text_plural=None,
            line=number, placeholders=tuple(names), position=pos[role], of=counts[role],
            index=len(letter.blocks) + 1, tags=enc.tags, notes=tuple(notes + tag_notes),
            anchor=anchor,
        ))
