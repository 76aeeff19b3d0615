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
from typing import Any

from workflow.checks.base import MT_DAMAGED_FLAG, Unit

#: Between two texts in the joined strings (DEL: no trigger, no word character, no
#: space, not XML-illegal): a match that touches it counts for the messages on both sides.
SEP = "\x7f"


class Batch:
    """The live messages of one run (``units``, in file order) and what checks share."""

    def __init__(self, units: list[Unit], language: str, config: Any, shared: dict):
        self.units = units
        self.language = language
        self.config = config
        #: the run's shared cache (``unit.cache`` starts as a copy): glossary, run, deferred
        self.shared = shared
        self._joined: dict[str, tuple[str, list[int]]] = {}
        self._singles: list[tuple[int, str, str]] | None = None
        self._multi: list[int] | None = None
        self._triggered: dict[str, set[int]] = {}
        self._damaged: set[int] | None = None

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
        """(SEP + every message's texts of *side* joined by SEP + SEP, where each
        message's part starts)."""
        got = self._joined.get(side)
        if got is None:
            parts = [SEP.join(u.strings) if side == "strings" else
                     (u.source if u.source_plural is None else u.source + SEP + u.source_plural)
                     for u in self.units]
            starts, pos = [], 1
            for part in parts:
                starts.append(pos)
                pos += len(part) + 1
            got = self._joined[side] = (SEP + SEP.join(parts) + SEP, starts)
        return got

    def _hits(self, pattern: re.Pattern[str], side: str) -> set[int]:
        """The messages a match of *pattern* touches; after a match the search goes on
        from the separator before the next message (one match per message is enough)."""
        text, starts = self._text(side)
        found: set[int] = set()
        search, n, pos = pattern.search, len(starts), 0
        while (m := search(text, pos)) is not None:
            start = m.start()
            a = max(bisect_right(starts, start) - 1, 0)
            b = max(bisect_right(starts, max(m.end() - 1, start)) - 1, 0)
            found.update(range(a, b + 1))
            if b + 1 >= n:
                break
            pos = max(starts[b + 1] - 1, start + 1)
        return found

    def text_hits(self, pattern: re.Pattern[str]) -> set[int]:
        """Indices of the messages with a match of *pattern* in a translated form
        (one pass over every translation; SEP stands at both ends of each text)."""
        return self._hits(pattern, "strings") if self.units else set()

    def source_hits(self, pattern: re.Pattern[str]) -> set[int]:
        """Indices of the messages with a match of *pattern* in the source or the plural
        source (SEP at both ends of each)."""
        return self._hits(pattern, "sources") if self.units else set()

    def triggered(self, trigger: str) -> set[int]:
        """Messages a ``Check.trigger`` character class selects: the character in a source
        or a translation, or a letterflow-mt-damaged flag."""
        got = self._triggered.get(trigger)
        if got is None:
            pattern = re.compile("[" + trigger + "]")
            got = self.text_hits(pattern) | self.source_hits(pattern)
            if self._damaged is None:
                self._damaged = {i for i, u in enumerate(self.units)
                                 if u.flags and MT_DAMAGED_FLAG in u.flags}
            got |= self._damaged
            self._triggered[trigger] = got
        return got
