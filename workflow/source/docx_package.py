"""The parts of a Word package a letter's text lives in, read with lxml (no python-docx):
the XML roots of the document, headers, footers, footnotes and endnotes (found through
``[Content_Types].xml``), style names, relationships and core properties."""

from __future__ import annotations

import datetime as _dt
import io
import zipfile
from dataclasses import dataclass

from lxml import etree

from ..errors import LetterError

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


MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def paragraphs(root) -> list:
    """The part's paragraphs in document order (text-box paragraphs right after the paragraph
    that anchors the box), without footnote separators and without the copies of text boxes
    that Word and LibreOffice keep for old readers (``mc:Fallback``; export refreshes them)."""
    out = []
    for p in root.iter(w("p")):
        ancestors = list(p.iterancestors())
        if any(a.tag == f"{{{MC}}}Fallback" for a in ancestors):
            continue
        if any(a.tag == w("p") for a in ancestors) and not any(
                a.tag == w("txbxContent") for a in ancestors):
            continue
        note = next((a for a in p.iterancestors() if a.tag in (w("footnote"), w("endnote"))),
                    None)
        if note is not None and note.get(w("type")) in ("separator", "continuationSeparator",
                                                        "continuationNotice"):
            continue
        out.append(p)
    return out


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


def _relationships(members: dict[str, bytes], part: str) -> dict[str, str]:
    folder, _, base = part.rpartition("/")
    xml = members.get(f"{folder}/_rels/{base}.rels")
    if not xml:
        return {}
    root = etree.fromstring(xml)
    return {r.get("Id"): r.get("Target", "") for r in root}
