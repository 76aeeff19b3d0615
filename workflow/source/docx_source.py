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
  (numbers, dates in digits), and text in the character style "Do Not Translate" (the
  ``<dnt>…</dnt>`` mark when inside a translatable paragraph).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path

from ..errors import LetterError
from ..letter import Block, Letter, placeholders_in
from . import markup
from .docx_package import (  # noqa: F401 -- re-exported for the export writer
    MC,
    W14,
    Anchor,
    DocxParts,
    R,
    _core,
    _relationships,
    paragraphs,
    read_package,
    w,
)
from .docx_runs import describe, is_mark_run, paragraph_pieces  # noqa: F401

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
    "text-box": "text in a text box or frame (often the letterhead)",
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
    if any(a.tag == w("txbxContent") for a in p.iterancestors()):
        role = "text-box"
    elif kind != "document":
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


def _letter_id(path: Path) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return slug or "letter"


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


def _translatable_text(enc: markup.Encoded) -> str:
    """The text outside do-not-translate spans."""
    return markup.strip_tags(re.sub(r"<dnt>.*?</dnt>", "", enc.text))


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
            if n not in PLACEHOLDERS and ":" not in n:  # typed data ({date:…}) is not declared
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
