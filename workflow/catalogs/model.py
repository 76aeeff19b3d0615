"""The read-only catalogue model: Message, Stats, Catalog, the message states, the
provenance comment prefixes, and the Plural-Forms helpers. Standard library only."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..textrules import plural_function

APPROVED, DRAFT, UNTRANSLATED, OBSOLETE = "approved", "draft", "untranslated", "obsolete"
STATES = (APPROVED, DRAFT, UNTRANSLATED, OBSOLETE)

#: Translator-comment prefixes that record who or what produced the current text.
PROVENANCE_PREFIXES = ("machine translation:", "edited by ", "approved by ", "reverted by ",
                       "translation memory,")


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    source_plural: str | None
    strings: tuple[str, ...]
    fuzzy: bool
    obsolete: bool
    flags: frozenset[str]
    auto_comments: tuple[str, ...] = ()
    translator_comments: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    previous_source: str | None = None
    line: int = 0

    @property
    def plural(self) -> bool:
        return self.source_plural is not None

    @property
    def translated(self) -> bool:
        return bool(self.strings) and all(s != "" for s in self.strings)

    @property
    def state(self) -> str:
        if self.obsolete:
            return OBSOLETE
        strings = self.strings
        if not any(strings):
            return UNTRANSLATED
        if self.fuzzy or "" in strings:  # (some form empty: not translated)
            return DRAFT
        return APPROVED

    @property
    def revision(self) -> str:
        """A short hash of what a reviewer sees: the strings and the fuzzy mark
        (computed once per message: the message is immutable)."""
        rev = self.__dict__.get("_revision")
        if rev is None:
            h = hashlib.sha1(b"F" if self.fuzzy else b"A")
            for s in self.strings:
                h.update(b"\0" + s.encode("utf-8"))
            rev = h.hexdigest()[:12]
            object.__setattr__(self, "_revision", rev)  # not a field: eq/hash ignore it
        return rev

    @property
    def provenance(self) -> str | None:
        for c in reversed(self.translator_comments):
            if c.startswith(PROVENANCE_PREFIXES):
                return c
        return None


_new = object.__new__
_set = object.__setattr__


def new_message(
    context, source, source_plural, strings, fuzzy, obsolete, flags,
    auto_comments, translator_comments, locations, previous_source, line,
) -> Message:
    """``Message(...)`` (every field, in order) at a third of the cost: the reader makes
    one per entry, and a frozen dataclass sets each field through ``object.__setattr__``."""
    msg = _new(Message)
    _set(msg, "__dict__", {
        "context": context, "source": source, "source_plural": source_plural,
        "strings": strings, "fuzzy": fuzzy, "obsolete": obsolete, "flags": flags,
        "auto_comments": auto_comments, "translator_comments": translator_comments,
        "locations": locations, "previous_source": previous_source, "line": line,
    })
    return msg


@dataclass
class Stats:
    approved: int = 0
    draft: int = 0
    untranslated: int = 0
    obsolete: int = 0

    @property
    def total(self) -> int:
        return self.approved + self.draft + self.untranslated

    @property
    def percent(self) -> float:
        return 100.0 * self.approved / self.total if self.total else 100.0

    def as_dict(self) -> dict[str, int | float]:
        return {
            "approved": self.approved,
            "draft": self.draft,
            "untranslated": self.untranslated,
            "obsolete": self.obsolete,
            "total": self.total,
            "percent": round(self.percent, 1),
        }


@dataclass
class Catalog:
    path: Path
    language: str
    nplurals: int
    plural_expr: str
    headers: dict[str, str]
    messages: list[Message] = field(default_factory=list)
    _index: dict[str, Message] | None = field(default=None, repr=False, compare=False)

    def get(self, context: str) -> Message | None:
        if self._index is None:
            self._index = {m.context: m for m in self.messages if not m.obsolete}
        return self._index.get(context)

    def active(self) -> list[Message]:
        return [m for m in self.messages if not m.obsolete]

    @property
    def stats(self) -> Stats:
        counts = dict.fromkeys(STATES, 0)
        for m in self.messages:
            counts[m.state] += 1
        return Stats(**counts)

    def plural_index(self, n: int) -> int:
        """Which msgstr[] form the catalogue's Plural-Forms picks for *n*."""
        return plural_function(self.plural_expr)(n)


# ---------------------------------------------------------------------------
# Plural forms


def plural_header(language: str) -> str:
    """The gettext Plural-Forms header for *language* from Babel's CLDR-based table."""
    from babel.messages.plurals import get_plural

    return get_plural(language).plural_forms


_PLURAL_FORMS = re.compile(r"nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?);?\s*$")


def parse_plural_forms(header: str) -> tuple[int, str]:
    """(nplurals, plural expression) of a Plural-Forms header; ValueError if it is not one.
    Memoised per header text (every write of a catalogue parses the same header again):
    the answer is an immutable tuple, and a bad header is never kept (it raises)."""
    found = _PLURAL_MEMO.get(header)
    if found is None:
        found = _parse_plural_forms(header)
        if len(_PLURAL_MEMO) < 256:
            _PLURAL_MEMO[header] = found
    return found


_PLURAL_MEMO: dict[str, tuple[int, str]] = {}


def _parse_plural_forms(header: str) -> tuple[int, str]:
    """The rule that :func:`parse_plural_forms` memoises."""
    m = _PLURAL_FORMS.search(header or "")
    if not m:
        raise ValueError(f"bad Plural-Forms header {header!r}")
    return int(m.group(1)), m.group(2).strip().rstrip(";")
