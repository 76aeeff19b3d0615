"""A whole run's messages at once: :class:`Batch`, what ``Check.candidates`` looks at.

The runner asks each check which messages it must see before calling ``check()`` on
them. A check answers from the whole catalogue at once: one regex pass over every
translated text (or every source text) joined into one string, or one comprehension
over every (source, translation) pair, instead of one Python call per message. An answer
must be conservative: a message left out is one ``check()`` would find nothing in.
"""

from __future__ import annotations

import operator
import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache
from itertools import compress, repeat
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
        self._split_parts: dict[str, list[str]] = {}
        self._singles: list[tuple[int, str, str]] | None = None
        self._multi: list[int] | None = None
        self._columns: tuple | None = None
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
    def columns(self) -> tuple[tuple[int, ...], tuple[str, ...], tuple[str, ...]]:
        """:attr:`singles` as three columns (indices, sources, translations): for screens
        that map each step over every text at once, with no Python step per text."""
        if self._columns is None:
            singles = self.singles
            self._columns = tuple(zip(*singles, strict=True)) if singles else ((), (), ())
        return self._columns  # type: ignore[return-value]

    @property
    def multi(self) -> list[int]:
        """Indices of the other messages (plural, or more than one string): few, and
        a check's screen usually keeps them all."""
        if self._multi is None:
            self._split()
        return self._multi  # type: ignore[return-value]

    def _parts(self, side: str) -> list[str]:
        """The texts of *side*: per unit, its translated forms joined by SEP ("strings");
        per message, live or not, its source (and SEP and its plural source): the same
        for every language of a template, so what is found in them is kept ("sources")."""
        got = self._split_parts.get(side)
        if got is None:
            if side == "strings":
                got = [u.strings[0] if len(u.strings) == 1 else SEP.join(u.strings)
                       for u in self.units]
            else:
                got = [m.source if m.source_plural is None else
                       m.source + SEP + m.source_plural for m in self.messages]
            self._split_parts[side] = got
        return got

    def _text(self, side: str) -> tuple[str, list[int]]:
        """(SEP + the texts of *side* (:meth:`_parts`) joined by SEP + SEP, where each
        part starts)."""
        got = self._joined.get(side)
        if got is None:
            parts = self._parts(side)
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

    def unsettled(self, trigger: str, differs) -> list[int]:
        """A screen's answer for a check that compares a text with its source: of the
        messages *trigger* selects, every plural one, and each singular one for which
        ``differs(index, source, text)`` is true (what the screen cannot clear)."""
        todo = self.triggered(trigger)
        out = [i for i in self.multi if i in todo]
        out += [i for i, s, t in self.singles if i in todo and differs(i, s, t)]
        return out

    def add_triggers(self, triggers: list[str]) -> None:
        """Find the messages of every trigger in *triggers* at once (see :func:`_trigger_parts`),
        the sources' answer kept for the next language of the same template."""
        todo = tuple(t for t in dict.fromkeys(triggers) if t not in self._triggered)
        if not todo or not self.units:
            self._triggered.update((t, set()) for t in todo)
            return
        damaged = {i for i, u in enumerate(self.units) if u.flags and MT_DAMAGED_FLAG in u.flags}
        got = {t: damaged | hits for t, hits in _trigger_parts(
            todo, self._text("strings")[0], self._parts("strings")).items()}
        text = self._text("sources")[0]
        key = (todo, "chars", text)
        by_message = _SOURCE_HITS.get(key)
        if by_message is None:
            by_message = _keep(key, _trigger_parts(todo, text, self._parts("sources")))
        unit_of = self._unit_of
        for t, hits in by_message.items():
            got[t].update(u for p in hits if (u := unit_of[p]) >= 0)
        self._triggered.update(got)


def _trigger_parts(triggers: tuple[str, ...], joined: str, parts: list[str]) -> dict:
    """trigger -> the indices of the *parts* with one of its characters (*joined*: SEP +
    the parts joined by SEP + SEP). One regex pass over *joined* keeps only the triggers'
    characters and the separators; each trigger's class is then looked for in what is
    left of each text (mostly nothing, a few digits): no Python step per text."""
    classes = [_char_class(t) for t in triggers]
    residue = _residue(triggers, len(joined) > 100_000)
    left = residue.sub("", joined).split(SEP)[1:-1] if residue is not None else []
    owner = _owners(parts) if len(left) != len(parts) else None
    if residue is None or any(c.search(SEP) for c in classes) or (
            owner is not None and len(owner) != len(left)):
        pieces = range(len(parts))  # (never for the built-in triggers) text by text
        return {t: frozenset(compress(pieces, map(c.search, parts)))
                for t, c in zip(triggers, classes, strict=True)}
    pieces = range(len(left))
    if owner is None:
        return {t: frozenset(compress(pieces, map(c.search, left)))
                for t, c in zip(triggers, classes, strict=True)}
    return {t: frozenset(owner[j] for j in compress(pieces, map(c.search, left)))
            for t, c in zip(triggers, classes, strict=True)}


def _owners(parts: list[str]) -> list[int]:
    """For each SEP-separated piece of the *parts* (a plural's forms, say), its part."""
    with_sep = compress(range(len(parts)), map(operator.contains, parts, repeat(SEP)))
    owner: list[int] = []
    done = 0
    for i in with_sep:
        owner.extend(range(done, i))
        owner.extend(repeat(i, parts[i].count(SEP) + 1))
        done = i + 1
    owner.extend(range(done, len(parts)))
    return owner


@lru_cache(maxsize=16)
def _residue(triggers: tuple[str, ...], big: bool = False) -> re.Pattern[str] | None:
    r"""What is neither a character of *triggers* nor SEP (to be removed); None if the
    classes do not simply add up inside one negated class. *big*: for a long text, with
    \d as ranges (a superset: every astral character too), one table lookup per
    character instead of a Unicode lookup (the ranges cost ~13 ms once per process)."""
    if any(t.startswith(("^", "-")) or t.endswith("\\") for t in triggers):
        return None
    classes = [_digit_ranges() if big and t == r"\d" else t for t in triggers]
    try:
        return re.compile("[^" + SEP + "".join(classes) + "]+")
    except re.error:
        return None


@lru_cache(maxsize=1)
def _digit_ranges() -> str:
    r"""The characters of \d (Unicode decimal digits) in the BMP as ranges, and every
    astral character: a class that keeps at least what \d matches."""
    runs: list[str] = []
    start = prev = -2
    for c in map(ord, re.findall(r"\d", _bmp())):
        if c != prev + 1:
            if start >= 0:
                runs.append(f"{chr(start)}-{chr(prev)}")
            start = c
        prev = c
    runs.append(f"{chr(start)}-{chr(prev)}")
    return "".join(runs) + "\U00010000-\U0010ffff"


def _bmp() -> str:
    return "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x10000)))


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


@lru_cache(maxsize=32)
def _char_class(trigger: str) -> re.Pattern[str]:
    """The regex of one ``Check.trigger`` character class."""
    return re.compile("[" + trigger + "]")


#: (pattern, the joined sources) -> what was found: the next language's run (same
#: template, same sources) finds it here
_SOURCE_HITS: dict = {}


def _keep(key: tuple, value: Any) -> Any:
    if len(_SOURCE_HITS) >= 64:  # (a key holds the joined sources of the run that made it)
        _SOURCE_HITS.clear()
    _SOURCE_HITS[key] = value
    return value
