"""Protected text kept exactly: UN symbols, URLs, e-mails, footnote marks, names."""

from __future__ import annotations

import re

from workflow.checks.base import ERROR, Check, Unit
from workflow.checks.messages import N_

#: What every built-in protected pattern needs (workflow.mt.protect._MAYBE_BUILTIN), as a
#: character class and a plain string: each found fast in a whole batch of sources.
_MAYBE_CHAR = re.compile(r"[</@\[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]")


CHANGED = N_("protected text changed or missing: %(texts)s")


class ProtectedTextCheck(Check):
    """Protected text unchanged

    Text that must reach every translation exactly as in the source: UN document symbols
    (A/HRC/25/63, S/RES/2094 (2013)), URLs, e-mail addresses, footnote marks ([1], ²),
    spans marked <dnt>...</dnt> in the letter and do-not-translate glossary entries
    (organisation names). Missing or changed ("Un/HRC/25/63") is an error.
    """

    id = "protected"
    severity = ERROR
    messages = (CHANGED,)

    def candidates(self, batch) -> set[int] | None:
        # only a source with a protected span can lose one: the cheap test of every
        # built-in pattern, or a do-not-translate name, over every source at once
        glossary = batch.shared.get("glossary")
        names = glossary.dnt_names() if glossary is not None else ()
        if "" in names:
            return None
        found = batch.source_hits(_MAYBE_CHAR) | batch.source_hits("www.")
        for name in set(names):
            found |= batch.source_hits(name)
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
                out.append(unit.where(i, total) + CHANGED % {"texts": shown})
        return out
