"""What QA checks need to know of a letter (its id, register and plural count), read from
the front matter alone.

The ``register`` and ``plurals`` checks used to parse the whole letter for these three
front-matter values: 0.3-0.7 s for a 10,000-block letter in every gate worker. A text
letter's front matter is read up to its closing ``+++`` line; a Word letter, or a front
matter this reader is not sure of, goes through :func:`workflow.letter.load_letter` as
before. A front matter load_letter refuses raises here too (callers skip the letter).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import NamedTuple

from workflow.statmemo import FileMemo

_MAX_LINES = 500


class LetterFacts(NamedTuple):
    id: str
    register: str
    plural_count: int | None


#: path -> the facts of one version of the letter (``statmemo.FileMemo``)
_memo = FileMemo(size=64)


def letter_facts(path: str | Path) -> LetterFacts:
    """(id, register, plural count) of the letter at *path*; raises what load_letter would
    raise for a front matter it refuses (and OSError). Kept while the file is the same
    version (its stat, and its bytes while the stat is too fresh to vouch for them)."""
    path = str(path)
    return _memo.get(path, lambda data: _facts(path, data))


def _facts(path: str, data: bytes) -> LetterFacts:
    facts = None if Path(path).suffix.lower() == ".docx" else _from_front_matter(path, data)
    if facts is None:
        from workflow.letter import load_letter

        letter = load_letter(path)
        facts = LetterFacts(letter.id, letter.register, letter.plural_count)
    return facts


def _from_front_matter(path: str, data: bytes) -> LetterFacts | None:
    from workflow.errors import LetterError
    from workflow.letter import _ID, REGISTERS, _front_matter

    head: list[str] = []
    # (decoded as open() would: only as far as the front matter is read)
    with io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="") as fh:
        for n, line in enumerate(fh):
            head.append(line.rstrip("\r\n"))
            if n and head[-1].strip() == "+++":
                break
            if n > _MAX_LINES:
                return None  # a long front matter: the full reader decides
    meta, _ = _front_matter(head, path)
    letter_id = meta.get("id") or Path(path).stem
    if not isinstance(letter_id, str) or not _ID.match(letter_id):
        raise LetterError(f"front matter id {letter_id!r} is refused", path, 2)
    register = meta.get("register", "")
    if register not in REGISTERS:
        raise LetterError(f"register {register!r} is refused", path, 2)
    fields = meta.get("fields") or {}
    plural = meta.get("plural") or {}
    if not isinstance(fields, dict) or not isinstance(plural, dict):
        return None
    field = plural.get("field")
    if field is not None and field not in fields:
        raise LetterError(f"plural field {field!r} is not in [fields]", path, 2)
    value = fields.get(field) if field is not None else None
    count = value if isinstance(value, int) else None  # as Letter.plural_count
    return LetterFacts(letter_id, register, count)
