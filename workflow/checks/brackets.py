"""Brackets and quotes balanced."""

from __future__ import annotations

import re
from functools import lru_cache

from workflow.checks.base import Check, Unit
from workflow.checks.messages import N_
from workflow.checks.placeholders import strip_placeholders

#: opening -> (category, +1) and closing -> (category, -1); CJK and full-width forms
#: share the category of the Latin bracket they replace.
_PAIRS = {
    N_("round"): ("(（", ")）"),
    N_("square"): ("[［【〔", "]］】〕"),
    N_("curly"): ("{｛", "}｝"),
    N_("guillemets"): ("«‹《〈", "»›》〉"),
    N_("corner quotes"): ("「『", "」』"),
}
DOUBLE_QUOTES = N_("double quotes")
UNBALANCED = N_("unbalanced %(kinds)s")
_DELTA: dict[str, tuple[str, int]] = {}
for _cat, (_open, _close) in _PAIRS.items():
    for _c in _open:
        _DELTA[_c] = (_cat, 1)
    for _c in _close:
        _DELTA[_c] = (_cat, -1)
#: Quotes whose opening and closing forms are the same or vary by language
#: („…“ in German, “…” in English, „…” in Polish): they must come in pairs.
_PAIRED_QUOTES = '"“”„'
_ALL = frozenset(_DELTA) | frozenset(_PAIRED_QUOTES)


_ANY_RE = re.compile("[" + re.escape("".join(sorted(_ALL))) + "]")


@lru_cache(maxsize=65536)
def _source_unbalanced(text: str) -> frozenset[str]:
    return frozenset(unbalanced(text))


def unbalanced(text: str) -> set[str]:
    """Categories of brackets/quotes that do not balance in *text*."""
    if not _ANY_RE.search(text):
        return set()
    text = strip_placeholders(text)
    if not _ANY_RE.search(text):  # the brackets were those of placeholders
        return set()
    depth: dict[str, int] = {}
    bad: set[str] = set()
    quotes = 0
    for c in _ANY_RE.findall(text):  # (the characters the loop looks at, in order)
        if c in _DELTA:
            cat, d = _DELTA[c]
            depth[cat] = depth.get(cat, 0) + d
            if depth[cat] < 0:
                bad.add(cat)
        elif c in _PAIRED_QUOTES:
            quotes += 1
    bad.update(cat for cat, d in depth.items() if d != 0)
    if quotes % 2:
        bad.add(DOUBLE_QUOTES)
    return bad


class BracketCheck(Check):
    """Brackets and quotes balanced.

    Round, square and curly brackets, guillemets and CJK corner quotes must open and
    close in order, and double quotes (" “ ” „) must come in pairs, unless the source is
    unbalanced in the same way. Placeholders such as {country} are not brackets.
    """

    id = "brackets"
    trigger = re.escape("".join(sorted(_ALL)))
    messages = (UNBALANCED,)
    words = (*_PAIRS, DOUBLE_QUOTES)

    def check(self, unit: Unit) -> list[str]:
        out: list[str] = []
        total = len(unit.strings)
        for i, source, text in unit.forms():
            bad = unbalanced(text)
            if bad:
                bad -= _source_unbalanced(source)
            if bad:
                out.append(unit.where(i, total) + UNBALANCED % {"kinds": ", ".join(sorted(bad))})
        return out
