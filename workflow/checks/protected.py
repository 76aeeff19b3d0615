"""Protected text kept exactly: UN symbols, URLs, e-mails, footnote marks, names."""

from __future__ import annotations

import re
from functools import lru_cache

from workflow.checks.base import ERROR, Check, Unit


@lru_cache(maxsize=16)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """Any of the do-not-translate *names*, anywhere (a superset of their spans)."""
    return re.compile("|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True)))


class ProtectedTextCheck(Check):
    """Protected text unchanged

    Text that must reach every translation exactly as in the source: UN document symbols
    (A/HRC/25/63, S/RES/2094 (2013)), URLs, e-mail addresses, footnote marks ([1], ²),
    spans marked <dnt>...</dnt> in the letter and do-not-translate glossary entries
    (organisation names). Missing or changed ("Un/HRC/25/63") is an error.
    """

    id = "protected"
    severity = ERROR

    def candidates(self, batch) -> set[int] | None:
        # only a source with a protected span can lose one: the cheap test of every
        # built-in pattern, or a do-not-translate name, over every source at once
        from workflow.mt.protect import _MAYBE_BUILTIN

        glossary = batch.shared.get("glossary")
        names = glossary.dnt_names() if glossary is not None else ()
        if "" in names:
            return None
        found = batch.source_hits(_MAYBE_BUILTIN)
        if names:
            found |= batch.source_hits(_names_pattern(names))
        return found

    def check(self, unit: Unit) -> list[str]:
        from workflow.mt.protect import missing_in

        glossary = unit.cache.get("glossary")
        names = glossary.dnt_names() if glossary is not None else ()
        out: list[str] = []
        total = len(unit.strings)
        for i, source, text in unit.forms():
            lost = missing_in(source, text, names)
            if lost:
                shown = ", ".join(repr(s.text) for s in lost)
                out.append(f"{unit.where(i, total)}protected text changed or missing: {shown}")
        return out
