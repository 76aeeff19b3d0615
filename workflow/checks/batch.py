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
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from itertools import accumulate, compress, repeat
from operator import add, attrgetter, ge, is_not
from typing import Any

from workflow.checks.base import MT_DAMAGED_FLAG, Unit

#: Between two texts in the joined strings (DEL: no trigger, no word character, no
#: space, not XML-illegal): a match that touches it counts for the messages on both sides.
SEP = "\x7f"
_STRINGS = attrgetter("strings")
_SOURCE, _PLURAL = attrgetter("source"), attrgetter("source_plural")


class Batch:
    """The live messages of one run (``units``, in file order) and what checks share."""

    def __init__(self, messages: list, catalog: Any, language: str, config: Any, shared: dict):
        #: every message of the run; the live ones (not obsolete, translated) become units
        self.messages = messages
        self.units: list[Unit]
        self._unit_of: list[int]  # per message: its unit's index, or -1
        self.units, self._unit_of = Unit.of_run(messages, catalog, language, config, shared)
        self.language = language
        self.config = config
        #: the run's shared cache (``unit.cache`` starts as a copy): glossary, run, deferred
        self.shared = shared
        self._joined: dict[str, Any] = {}
        self._starts: dict[str, list[int]] = {}
        self._split_parts: dict[str, list[str]] = {}
        self._multi: list[int] | None = None
        self._columns: tuple | None = None
        self._single_pos: list[int] | None = None
        self._triggered: dict[str, set[int]] = {}

    def __len__(self) -> int:
        return len(self.units)

    @property
    def _positions(self) -> Sequence[int]:
        """Per unit, its message's position in ``messages``."""
        if len(self.units) == len(self.messages):
            return range(len(self.messages))
        return list(compress(range(len(self.messages)), map(ge, self._unit_of, repeat(0))))

    def _split(self) -> None:
        index: list[int] = []
        sources: list[str] = []
        texts: list[str] = []
        multi: list[int] = []
        for i, u in enumerate(self.units):
            if u.plural or len(u.strings) != 1:
                multi.append(i)
            else:
                index.append(i)
                sources.append(u.source)
                texts.append(u.strings[0])
        self._multi = multi
        self._columns = (index, sources, texts)

    @property
    def singles(self) -> list[tuple[int, str, str]]:
        """(index, source, translation) of every message with one string and no plural."""
        return list(zip(*self.columns, strict=True))

    @property
    def columns(self) -> tuple[list[int], list[str], list[str]]:
        """:attr:`singles` as three columns (indices, sources, translations): for screens
        that map each step over every text at once, with no Python step per text."""
        if self._columns is None:
            self._split()
        return self._columns  # type: ignore[return-value]

    @property
    def multi(self) -> list[int]:
        """Indices of the other messages (plural, or more than one string): few, and
        a check's screen usually keeps them all."""
        if self._multi is None:
            self._split()
        return self._multi  # type: ignore[return-value]

    def source_column(self, name: str, make: Callable[[str], Any]) -> list:
        """``make(source)`` for the source of each of :attr:`singles`, in their order. Worked
        out for every message's source at once and kept for the next language of the same
        template (keyed on *name* and every message's source): *make* must depend on the
        source alone, and *name* must name it."""
        key = (name, "column", self.sources_key())
        values = _SOURCE_HITS.get(key)
        if values is None:
            values = _keep(key, list(map(make, map(_SOURCE, self.messages))))
        if self._single_pos is None:  # the singles' message positions
            positions = self._positions
            self._single_pos = list(map(positions.__getitem__, self.columns[0]))
        return list(map(values.__getitem__, self._single_pos))

    def _parts(self, side: str) -> list[str]:
        """The texts of *side*: per unit, its translated forms joined by SEP ("strings");
        per message, live or not, its source (and SEP and its plural source): the same
        for every language of a template, so what is found in them is kept ("sources")."""
        got = self._split_parts.get(side)
        if got is None:
            if side == "strings":  # (SEP.join of one string is that string)
                got = list(map(SEP.join, map(_STRINGS, self.units)))
            else:
                messages = self.messages
                got = list(map(_SOURCE, messages))
                plural = map(is_not, map(_PLURAL, messages), repeat(None))
                for p in compress(range(len(messages)), plural):
                    got[p] = got[p] + SEP + messages[p].source_plural
            self._split_parts[side] = got
        return got

    def joined(self, side: str) -> str:
        """The texts of *side* (:meth:`_parts`: "strings" or "sources") as one string, SEP +
        each joined by SEP + SEP: what a screen searches in one pass. Kept for the run."""
        got = self._joined.get(side)
        if got is None:
            got = self._joined[side] = SEP + SEP.join(self._parts(side)) + SEP
        return got

    def sources_key(self) -> tuple[str, ...]:
        """Every message's source: the key of memos shared by the languages of a template
        (equal sources give one object per process: a memo finds it by identity)."""
        key = self._joined.get("sources key")
        if key is None:  # the equal key kept from an earlier run (compared once, here):
            key = tuple(self._parts("sources"))  # the memos then find it by identity
            kept = _SOURCE_KEYS.get(key)
            if kept is None:
                if len(_SOURCE_KEYS) >= 4:
                    _SOURCE_KEYS.clear()
                kept = _SOURCE_KEYS[key] = key
            key = self._joined["sources key"] = kept
        return key

    def _starts_of(self, side: str) -> list[int]:
        """Where each part of :meth:`joined` starts."""
        got = self._starts.get(side)
        if got is None:
            got = list(accumulate(map(add, map(len, self._parts(side)), repeat(1)), initial=1))
            got.pop()
            self._starts[side] = got
        return got

    def _units(self, positions: Iterable[int]) -> set[int]:
        """Message positions -> the indices of their units (dead messages left out)."""
        if len(self.units) == len(self.messages):  # (a position is its unit's index)
            return set(positions)
        found = set(map(self._unit_of.__getitem__, positions))
        found.discard(-1)
        return found

    def text_hits(self, pattern: re.Pattern[str] | str) -> set[int]:
        """Indices of the messages with a match of *pattern* (a regex or a plain string) in
        a translated form (one pass over every translation; SEP at both ends of each)."""
        if not self.units:
            return set()
        return _hits(pattern, self.joined("strings"), self._starts_of("strings"))

    def source_hits(self, pattern: re.Pattern[str] | str) -> set[int]:
        """Indices of the messages with a match of *pattern* (a regex or a plain string) in
        the source or the plural source (SEP at both ends of each)."""
        if not self.units:
            return set()
        key = (pattern, self.sources_key())
        found = _SOURCE_HITS.get(key)
        if found is None:
            found = _keep(key, frozenset(_hits(pattern, self.joined("sources"),
                                               self._starts_of("sources"))))
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
        _index, sources, texts = self.columns
        multi = self.multi
        out = [i for i in multi if i in todo]
        for i in sorted(todo):  # (a few: no step for the others) its place in the columns
            j = bisect_left(multi, i)  # is i less the plural messages before it
            if (j == len(multi) or multi[j] != i) and differs(i, sources[i - j], texts[i - j]):
                out.append(i)
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
            todo, self.joined("strings"), self._parts("strings")).items()}
        key = (todo, "chars", self.sources_key())
        by_message = _SOURCE_HITS.get(key)
        if by_message is None:
            by_message = _keep(key, _trigger_parts(todo, self.joined("sources"),
                                                   self._parts("sources")))
        for t, hits in by_message.items():
            got[t] |= self._units(hits)
        self._triggered.update(got)


def _trigger_parts(triggers: tuple[str, ...], joined: str, parts: list[str]) -> dict:
    """trigger -> the indices of the *parts* with one of its characters (*joined*: SEP +
    the parts joined by SEP + SEP). One regex pass over *joined* keeps only the triggers'
    characters and the separators; each trigger's class is then looked for in what is
    left of each text (mostly nothing, a few digits): no Python step per text."""
    classes = [_char_class(t) for t in triggers]
    kept = _kept(triggers, joined)
    left = kept.split(SEP)[1:-1] if kept is not None else []
    owner = _owners(parts) if len(left) != len(parts) else None
    if kept is None or any(c.search(SEP) for c in classes) or (
            owner is not None and len(owner) != len(left)):
        pieces = range(len(parts))  # (never for the built-in triggers) text by text
        return {t: frozenset(compress(pieces, map(c.search, parts)))
                for t, c in zip(triggers, classes, strict=True)}
    pieces = list(compress(range(len(left)), left))  # (most texts have nothing left)
    left = list(map(left.__getitem__, pieces))
    if owner is not None:
        pieces = list(map(owner.__getitem__, pieces))
    return {t: frozenset(compress(pieces, map(c.search, left)))
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


def _kept(triggers: tuple[str, ...], joined: str) -> str | None:
    """The characters of *joined* that are SEP or in a class of *triggers* (or a superset:
    any astral character for \\d), in order; None if the classes do not simply add up.
    A long text with no astral character (two bytes a character in UTF-16) is read with
    one positive class of BMP characters: the regex engine's own fast scan, about twice
    as fast as removing the rest."""
    big = len(joined) > 100_000
    if big and (fewer := _without_plain_ascii(triggers, joined)) is not None:
        joined, big = fewer, len(fewer) > 100_000
    if big and len(joined.encode("utf-16-le", "surrogatepass")) == 2 * len(joined):
        wanted = _wanted(triggers)
        if wanted is not None:
            return "".join(wanted.findall(joined))
    residue = _residue(triggers, big)
    return None if residue is None else residue.sub("", joined)


def _without_plain_ascii(triggers: tuple[str, ...], joined: str) -> str | None:
    """*joined* without the ASCII characters that are neither SEP nor in a class of
    *triggers* (every other character kept, in order): one C pass over its UTF-8 bytes
    (a character outside ASCII is bytes >= 0x80 only, so deleting ASCII bytes never cuts
    one). None if that leaves much of it (a text mostly not in ASCII, as its first 8,192
    characters tell: the regex alone is then cheaper)."""
    delete = _plain_ascii(triggers)
    first = joined[:8192]
    if delete is None or len(first.encode("utf-8", "surrogatepass")) > len(first) * 9 // 8:
        return None
    raw = joined.encode("utf-8", "surrogatepass")
    kept = raw.translate(None, delete)
    return kept.decode("utf-8", "surrogatepass") if len(kept) * 4 < len(raw) else None


@lru_cache(maxsize=16)
def _plain_ascii(triggers: tuple[str, ...]) -> bytes | None:
    """The ASCII characters (as bytes) that are neither SEP nor matched by a class of
    *triggers*, each tried against the classes themselves; None as for :func:`_residue`."""
    if _residue(triggers) is None:
        return None
    classes = [_char_class(t) for t in triggers]
    return bytes(b for b in range(128)
                 if chr(b) != SEP and not any(c.match(chr(b)) for c in classes))


@lru_cache(maxsize=16)
def _wanted(triggers: tuple[str, ...]) -> re.Pattern[str] | None:
    r"""One class of SEP and the characters of *triggers* (\d as its BMP ranges), for a
    text with no astral character; None as for :func:`_residue`."""
    if _residue(triggers) is None:
        return None
    bmp_digits = _digit_ranges().removesuffix(_ASTRAL)
    classes = [bmp_digits if t == r"\d" else t for t in triggers]
    try:
        return re.compile("[" + SEP + "".join(classes) + "]")
    except re.error:
        return None


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


_ASTRAL = "\U00010000-\U0010ffff"


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
    return "".join(runs) + _ASTRAL


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


#: (pattern, every message's source) -> what was found: the next language's run (same
#: template, same sources) finds it here
_SOURCE_HITS: dict = {}
#: every message's source, as the first run with them spelled it (see Batch.sources_key)
_SOURCE_KEYS: dict[tuple[str, ...], tuple[str, ...]] = {}


def _keep(key: tuple, value: Any) -> Any:
    if len(_SOURCE_HITS) >= 64:  # (a key holds every source of the run that made it)
        _SOURCE_HITS.clear()
    _SOURCE_HITS[key] = value
    return value
