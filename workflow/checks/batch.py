"""A whole run's messages at once: :class:`Batch`, what ``Check.candidates`` looks at.

The runner asks each check which messages it must see before calling ``check()`` on
them. A check answers from the whole catalogue at once: one regex pass over every
translated text (or every source text) joined into one string, or one comprehension
over every (source, translation) pair, instead of one Python call per message. An answer
must be conservative: a message left out is one ``check()`` would find nothing in.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from workflow.checks.base import MT_DAMAGED_FLAG, Unit

#: Between two texts in the joined strings (DEL: no trigger, no word character, no
#: space, not XML-illegal): a match that touches it counts for the messages on both sides.
SEP = "\x7f"


class Batch:
    """The live messages of one run (``units``, in file order) and what checks share."""

    def __init__(self, messages: list, catalog: Any, language: str, config: Any, shared: dict):
        #: every message of the run; the live ones (not obsolete, translated) become units
        self.messages = messages
        self.units: list[Unit] = []
        self._unit_of: list[int] = []  # per message: its unit's index, or -1
        for m in messages:
            if not m.obsolete and any(m.strings):
                self._unit_of.append(len(self.units))
                self.units.append(Unit(m, catalog, language, config, dict(shared)))
            else:
                self._unit_of.append(-1)
        self.language = language
        self.config = config
        #: the run's shared cache (``unit.cache`` starts as a copy): glossary, run, deferred
        self.shared = shared
        self._joined: dict[str, tuple[str, list[int]]] = {}
        self._singles: list[tuple[int, str, str]] | None = None
        self._multi: list[int] | None = None
        self._triggered: dict[str, set[int]] = {}

    def __len__(self) -> int:
        return len(self.units)

    def _split(self) -> None:
        singles: list[tuple[int, str, str]] = []
        multi: list[int] = []
        for i, u in enumerate(self.units):
            if u.plural or len(u.strings) != 1:
                multi.append(i)
            else:
                singles.append((i, u.source, u.strings[0]))
        self._singles, self._multi = singles, multi

    @property
    def singles(self) -> list[tuple[int, str, str]]:
        """(index, source, translation) of every message with one string and no plural."""
        if self._singles is None:
            self._split()
        return self._singles  # type: ignore[return-value]

    @property
    def multi(self) -> list[int]:
        """Indices of the other messages (plural, or more than one string): few, and
        a check's screen usually keeps them all."""
        if self._multi is None:
            self._split()
        return self._multi  # type: ignore[return-value]

    def _text(self, side: str) -> tuple[str, list[int]]:
        """(SEP + the texts of *side* joined by SEP + SEP, where each part starts). The
        translations are joined per unit; the sources per message, live or not: the same
        string for every language of a template, so what is found in it is kept."""
        got = self._joined.get(side)
        if got is None:
            if side == "strings":
                parts = [SEP.join(u.strings) for u in self.units]
            else:
                parts = [m.source if m.source_plural is None else
                         m.source + SEP + m.source_plural for m in self.messages]
            starts, pos = [], 1
            for part in parts:
                starts.append(pos)
                pos += len(part) + 1
            got = self._joined[side] = (SEP + SEP.join(parts) + SEP, starts)
        return got

    def _units(self, positions: Iterable[int]) -> set[int]:
        """Message positions -> the indices of their units (dead messages left out)."""
        unit_of = self._unit_of
        return {u for p in positions if (u := unit_of[p]) >= 0}

    def text_hits(self, pattern: re.Pattern[str] | str) -> set[int]:
        """Indices of the messages with a match of *pattern* (a regex or a plain string) in
        a translated form (one pass over every translation; SEP at both ends of each)."""
        return _hits(pattern, *self._text("strings")) if self.units else set()

    def source_hits(self, pattern: re.Pattern[str] | str) -> set[int]:
        """Indices of the messages with a match of *pattern* (a regex or a plain string) in
        the source or the plural source (SEP at both ends of each)."""
        if not self.units:
            return set()
        text, starts = self._text("sources")
        key = (pattern, text)
        found = _SOURCE_HITS.get(key)
        if found is None:
            found = _keep(key, frozenset(_hits(pattern, text, starts)))
        return self._units(found)

    def triggered(self, trigger: str) -> set[int]:
        """Messages a ``Check.trigger`` character class selects: the character in a source
        or a translation, or a letterflow-mt-damaged flag. Every trigger of the run is
        looked for in one pass (see :meth:`add_triggers`)."""
        if trigger not in self._triggered:
            self.add_triggers([trigger])
        return self._triggered[trigger]

    def add_triggers(self, triggers: list[str]) -> None:
        """Find the messages of every trigger in *triggers* in one pass per side."""
        todo = [t for t in dict.fromkeys(triggers) if t not in self._triggered]
        if not todo or not self.units:
            self._triggered.update((t, set()) for t in todo)
            return
        damaged = {i for i, u in enumerate(self.units) if u.flags and MT_DAMAGED_FLAG in u.flags}
        got: dict[str, set[int]] = {t: set(damaged) for t in todo}
        anything = re.compile("[" + "".join(todo) + "]+")
        which = _classifier(tuple(todo))
        text, starts = self._text("sources")
        key = (anything, "chars", text)
        by_message = _SOURCE_HITS.get(key)
        if by_message is None:
            by_message = _keep(key, _chars(anything, text, starts))
        unit_of = self._unit_of
        for side, found in (("units", _chars(anything, *self._text("strings"))),
                            ("messages", by_message)):
            for i, chars in found.items():
                if side == "messages" and (i := unit_of[i]) < 0:
                    continue
                for t in which(chars):
                    got[t].add(i)
        self._triggered.update(got)


def _hits(pattern: re.Pattern[str] | str, text: str, starts: list[int]) -> set[int]:
    """The parts of *text* (starting at *starts*) a match of *pattern* (a regex, or a plain
    string found with ``str.find``) touches. After a match the search goes on from the
    separator before the next part: one match per part is enough."""
    found: set[int] = set()
    n, pos = len(starts), 0
    if isinstance(pattern, str):
        find, width = text.find, len(pattern)
        while pos >= 0 and (start := find(pattern, pos)) >= 0:
            pos = _add(found, starts, start, start + width, n)
    else:
        search = pattern.search
        while pos >= 0 and (m := search(text, pos)) is not None:
            pos = _add(found, starts, m.start(), m.end(), n)
    return found


def _add(found: set[int], starts: list[int], start: int, end: int, n: int) -> int:
    """Count the match [start, end) for the parts it touches; where to go on (-1: done)."""
    a = max(bisect_right(starts, start) - 1, 0)
    b = max(bisect_right(starts, max(end - 1, start)) - 1, 0)
    found.update(range(a, b + 1))
    return max(starts[b + 1] - 1, start + 1) if b + 1 < n else -1


def _chars(pattern: re.Pattern[str], text: str, starts: list[int]) -> dict[int, set[str]]:
    """part index -> the characters of *pattern* (a character class, repeated) in it."""
    out: dict[int, set[str]] = {}
    for m in pattern.finditer(text):
        part = max(bisect_right(starts, m.start()) - 1, 0)
        chars = out.get(part)
        if chars is None:
            chars = out[part] = set()
        chars.update(m.group())
    return out


@lru_cache(maxsize=16)
def _classifier(triggers: tuple[str, ...]):
    """chars -> the triggers among *triggers* any of them belongs to (memo per char)."""
    classes = [(t, re.compile("[" + t + "]")) for t in triggers]
    memo: dict[str, tuple[str, ...]] = {}

    def which(chars: set[str]) -> set[str]:
        out: set[str] = set()
        for c in chars:
            got = memo.get(c)
            if got is None:
                got = memo[c] = tuple(t for t, cls in classes if cls.match(c))
            out.update(got)
        return out

    return which


#: (pattern, the joined sources) -> what was found: the next language's run (same
#: template, same sources) finds it here
_SOURCE_HITS: dict = {}


def _keep(key: tuple, value: Any) -> Any:
    if len(_SOURCE_HITS) >= 16:  # (each key holds a catalogue's joined sources)
        _SOURCE_HITS.clear()
    _SOURCE_HITS[key] = value
    return value
