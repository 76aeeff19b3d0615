"""A text letter's block -> its messages: paragraphs, list items and footnotes (parsed by
:mod:`.textformat`), with ids, roles and positions."""

from __future__ import annotations

import re

from ..errors import LetterError
from ..letter import DATA_ROLES, Block, Letter, _clean
from .textformat import footnote_labels, parse_block


def expand(block_id, role, text, text_plural, content, names, labels, where, header_line):
    """One block's messages: itself, or (Markdown-like text) its paragraphs, list items and
    footnotes, each with its tags. Yields dicts of Block fields."""
    if text_plural is not None or role in DATA_ROLES or _plain(content):
        yield {"id": block_id, "role": role, "text": text, "text_plural": text_plural,
               "line": header_line, "placeholders": tuple(names)}
        return
    items, notes = parse_block("\n".join(t for _, t in content), labels)
    if not items and not notes:
        raise LetterError(f"[{role}] block is empty", where, header_line)
    for n, item in enumerate(items):
        item_role = {"paragraph": role, "bullet": "bulleted-item",
                     "number": "numbered-item"}[item.kind]
        yield {"id": block_id if n == 0 else f"{block_id}-{n + 1}", "role": item_role,
               "text": _clean(item.text, where, header_line), "text_plural": None,
               "line": header_line, "tags": item.tags,
               "placeholders": tuple(x for x in names if "{" + x + "}" in item.text),
               "notes": (f"list level {item.level}",) if item.level > 1 else ()}
    for note in notes:
        yield {"id": footnote_id(note.label), "role": "footnote", "anchor": note.label,
               "text": _clean(note.text, where, header_line), "text_plural": None,
               "line": header_line, "tags": note.tags,
               "placeholders": tuple(x for x in names if "{" + x + "}" in note.text)}


#: Characters and line starts that mean something to the Markdown parser. A block without
#: any is plain text, which the parser would return unchanged: it is not parsed (the gate
#: reads every letter on each run).
_SYNTAX = re.compile(r"[*_`\[\]\\<>&!~]|^\s*(?:[-+]|\d{1,9}[.)])(?:\s|$)", re.M)


def _plain(content) -> bool:
    return _SYNTAX.search("\n".join(t for _, t in content)) is None


def footnote_id(label: str) -> str:
    """The block id of footnote *label* (``[^1]`` -> ``fn-1``)."""
    return "fn-" + (re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") or "note")


def make_blocks(letter: Letter, specs: list[dict]) -> None:
    """Blocks from *specs* in letter order, footnotes last, with role positions."""
    specs = [s for s in specs if s["role"] != "footnote"] + [
        s for s in specs if s["role"] == "footnote"]
    counts: dict[str, int] = {}
    for spec in specs:
        counts[spec["role"]] = counts.get(spec["role"], 0) + 1
    pos: dict[str, int] = {}
    seen: set[str] = set()
    for spec in specs:
        if spec["id"] in seen:
            raise LetterError(f"block id {spec['id']!r} is used twice (a list item or "
                              "footnote takes <block id>-2, fn-<label>)", str(letter.path),
                              spec["line"])
        seen.add(spec["id"])
        pos[spec["role"]] = pos.get(spec["role"], 0) + 1
        letter.blocks.append(Block(
            context=f"{letter.id}/{spec['id']}", position=pos[spec["role"]],
            of=counts[spec["role"]], index=len(letter.blocks) + 1, **spec))


def footnote_labels_of(raw_blocks) -> set[str]:
    labels: set[str] = set()
    for _line, role, _id, content in raw_blocks:
        if role not in DATA_ROLES and content and "[^" in " ".join(t for _, t in content):
            labels.update(footnote_labels("\n".join(t for _, t in content)))
    return labels
