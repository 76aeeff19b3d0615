"""A text letter's body -> its blocks: ``[role id]`` headers, each block's text (plain or
``one:``/``other:`` plural lines, braces checked), then its messages: paragraphs, list items
and footnotes (parsed by :mod:`.textformat`), with ids, roles and positions.

:func:`workflow.letter.parse_letter` reads the front matter and calls :func:`read_blocks`.
"""

from __future__ import annotations

import re
from dataclasses import MISSING, fields

from ..errors import LetterError
from ..letter import DATA_ROLES, Block, Letter, _clean, check_braces, placeholders_in
from .textformat import footnote_labels, parse_block

_HEADER = re.compile(r"^\[(?P<role>[a-z][a-z0-9_-]*)(?:\s+(?P<id>[a-z0-9][a-z0-9_-]*))?\]\s*$")
_PLURAL_LINE = re.compile(r"^(one|other):\s?(.*)$")

#: (header line, role, id or None, [(line, text)...]): one ``[role id]`` block as written
RawBlock = list


def read_blocks(letter: Letter, lines: list[str], first_line: int, where: str) -> dict[str, int]:
    """Add the blocks of the body *lines* (the first is line *first_line* of the file) to
    *letter*. Returns block id -> header line of the blocks written in the file."""
    raw_blocks = _split_body(lines, first_line, letter.roles, where)
    role_counts: dict[str, int] = {}
    for _, role, _, _ in raw_blocks:
        role_counts[role] = role_counts.get(role, 0) + 1
    seen_ids: dict[str, int] = {}
    role_pos: dict[str, int] = {}
    labels = footnote_labels_of(raw_blocks)
    specs: list[dict] = []
    for header_line, role, block_id, content in raw_blocks:
        role_pos[role] = role_pos.get(role, 0) + 1
        block_id = _block_id(role, block_id, role_pos[role], role_counts[role], seen_ids,
                             where, header_line)
        seen_ids[block_id] = header_line
        if any("{" in t or "}" in t for _, t in content):
            check_braces([(ln, _without_plural_key(t)) for ln, t in content],
                         letter.placeholders, where)
        text, text_plural = _block_text(role, content, where, header_line)
        names = _placeholder_names(letter, text, text_plural, where, header_line)
        specs.extend(expand(block_id, role, text, text_plural, content, names, labels,
                            where, header_line))
    make_blocks(letter, specs)
    return seen_ids


def _split_body(lines: list[str], first_line: int, roles: dict[str, str],
                where: str) -> list[RawBlock]:
    """The body split into raw blocks: a ``[role]`` line starts one, a blank line ends one
    that has text."""
    raw_blocks: list[RawBlock] = []
    current: RawBlock | None = None
    for lineno, raw in enumerate(lines, start=first_line):
        line = raw.strip()
        if not line:
            if current is not None and current[3]:
                current = None  # a blank line ends a block that has text
            continue
        # a header opens its line (the regex's ^\[), so no other line is matched
        m = _HEADER.match(raw.rstrip()) if raw[:1] == "[" else None
        if m:
            role = m.group("role")
            if role not in roles:
                known = ", ".join(sorted(roles))
                raise LetterError(
                    f"unknown role [{role}] (known roles: {known}; a letter may declare "
                    "extra_roles in its front matter)",
                    where,
                    lineno,
                )
            current = [lineno, role, m.group("id"), []]
            raw_blocks.append(current)
            continue
        if current is None and line.startswith("["):
            raise LetterError(
                f"malformed block header {line.strip()!r} (expected [role] or [role id])",
                where,
                lineno,
            )
        if current is None:
            raise LetterError(
                "text outside a block: start each block with a [role] line", where, lineno
            )
        current[3].append((lineno, line))
    if not raw_blocks:
        raise LetterError("the letter has no blocks", where)
    return raw_blocks


def _block_id(role: str, block_id: str | None, position: int, count: int,
              seen_ids: dict[str, int], where: str, header_line: int) -> str:
    """The block's id: the header's, else its role (when the role appears once)."""
    if block_id is None:
        if position > 1 or (count > 1 and role == "body"):
            raise LetterError(
                f"[{role}] appears more than once: give it an id, e.g. [{role} my-id]",
                where,
                header_line,
            )
        block_id = role
    if block_id in seen_ids:
        raise LetterError(
            f"block id {block_id!r} is already used at line {seen_ids[block_id]}",
            where,
            header_line,
        )
    return block_id


def _placeholder_names(letter: Letter, text: str, text_plural: str | None, where: str,
                       header_line: int) -> list[str]:
    """The placeholders the block uses, in order; each must be declared, and a plural block
    must use the plural placeholder."""
    names: list[str] = []
    for t in (text, text_plural):
        if t is not None:
            for n in placeholders_in(t, path=where, line=header_line):
                if n not in letter.placeholders and ":" not in n:
                    raise LetterError(
                        f"placeholder {{{n}}} is not declared in [placeholders]",
                        where,
                        header_line,
                    )
                if n not in names:
                    names.append(n)
    plural_placeholder = letter.plural_placeholder
    if text_plural is not None and plural_placeholder and plural_placeholder not in names:
        raise LetterError(
            f"plural block must use the {{{plural_placeholder}}} placeholder",
            where,
            header_line,
        )
    return names


def _without_plural_key(line: str) -> str:
    """A line of a plural block without its ``one:``/``other:`` key (for column numbers the
    key is replaced by spaces)."""
    m = _PLURAL_LINE.match(line)
    return " " * m.start(2) + m.group(2) if m else line


def _block_text(
    role: str, content: list[tuple[int, str]], where: str, header_line: int
) -> tuple[str, str | None]:
    if role == "signatories":
        if not content:
            raise LetterError("[signatories] block is empty", where, header_line)
        return "\n".join(_clean(t, where, ln) for ln, t in content), None
    if role in DATA_ROLES:
        if content:
            raise LetterError(
                f"[{role}] holds no text: its value comes from the front matter",
                where,
                content[0][0],
            )
        return "", None
    if not content:
        raise LetterError(f"[{role}] block is empty", where, header_line)
    if any(_PLURAL_LINE.match(t) for _, t in content):
        return _plural_text(content, where, header_line)
    return _clean(" ".join(t for _, t in content), where, header_line), None


def _plural_text(content: list[tuple[int, str]], where: str, header_line: int
                 ) -> tuple[str, str]:
    forms: dict[str, str] = {}
    key = None
    for ln, t in content:
        m = _PLURAL_LINE.match(t)
        if m:
            key = m.group(1)
            if key in forms:
                raise LetterError(f"plural form {key}: given twice", where, ln)
            forms[key] = m.group(2).strip()
        elif key is None:
            raise LetterError("a plural block starts with 'one:'", where, ln)
        else:
            forms[key] += " " + t
    if set(forms) != {"one", "other"}:
        raise LetterError(
            "a plural block needs both 'one:' and 'other:' lines", where, header_line
        )
    return _clean(forms["one"], where, header_line), _clean(forms["other"], where, header_line)


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


#: ``_SYNTAX``'s characters alone: a search the regex engine runs as a fast class scan.
_SYNTAX_CHARS = re.compile(r"[*_`\[\]\\<>&!~]")


def _plain(content) -> bool:
    """No ``_SYNTAX`` in the block's lines. Its line-start part can only match a line that
    opens with whitespace, ``-``, ``+`` or a digit (or is empty); only then is ``_SYNTAX``
    itself asked, otherwise the class scan decides (``tests/test_letter_fastpaths.py``)."""
    text = "\n".join(t for _, t in content)
    if _SYNTAX_CHARS.search(text) is not None:
        return False
    for line in text.split("\n"):
        first = line[:1]
        if not first or first in "-+" or first.isdigit() or first.isspace():
            return _SYNTAX.search(text) is None
    return True


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
        letter.blocks.append(new_block(
            spec, f"{letter.id}/{spec['id']}", pos[spec["role"]], counts[spec["role"]],
            len(letter.blocks) + 1))


#: Block's fields in their order, each with its default (``_NEED`` for a required one)
_NEED = object()
_FIELDS = {f.name: _NEED if f.default is MISSING else f.default for f in fields(Block)}
_MORE = frozenset({"context", "position", "of", "index"})


def new_block(spec: dict, context: str, position: int, of: int, index: int) -> Block:
    """``Block(context=, position=, of=, index=, **spec)``, made without the frozen
    dataclass's ``__init__`` (one ``object.__setattr__`` per field): the same ``__dict__``
    in field order. A *spec* that names another field, repeats one of these four or leaves
    a required one out goes to ``Block`` itself (the same object, or its TypeError).
    ``tests/test_letter_fastpaths.py`` compares both ways."""
    values = _FIELDS.copy()
    values.update(spec)
    if len(values) != len(_FIELDS) or not _MORE.isdisjoint(spec):
        return Block(context=context, position=position, of=of, index=index, **spec)
    values["context"] = context
    values["position"] = position
    values["of"] = of
    values["index"] = index
    if _NEED in values.values():
        return Block(context=context, position=position, of=of, index=index, **spec)
    block = _new(Block)
    _setattr(block, "__dict__", values)
    return block


_new = object.__new__
_setattr = object.__setattr__


def footnote_labels_of(raw_blocks) -> set[str]:
    labels: set[str] = set()
    for _line, role, _id, content in raw_blocks:
        if role not in DATA_ROLES and content and "[^" in " ".join(t for _, t in content):
            labels.update(footnote_labels("\n".join(t for _, t in content)))
    return labels
