"""Inline markup parity: the same tags in the source and each translated form."""

from __future__ import annotations

import re
from collections import Counter

from workflow.checks.base import ERROR, Check, Unit
from workflow.checks.messages import N_
from workflow.source.markup import MISSING_TAG, NOTHING, TAG_PROBLEMS, has_tags, problems

TAG_RE = re.compile(r"<(/?)([A-Za-z][\w:.-]*)(?:\s[^<>]*?)?\s*(/?)>")


EXTRA_TAG = N_("tag %(tags)s not in the source")


def tags(text: str) -> Counter[str]:
    """Multiset of tags as "<b>", "</b>", "<br/>"."""
    if "<" not in text:
        return Counter()
    return Counter(
        f"<{close}{name.lower()}{selfclose}>" for close, name, selfclose in TAG_RE.findall(text)
    )


class MarkupCheck(Check):
    """Inline markup tags match the source.

    The tags (<b>, </b>, <br/>, <a href=...>) of the source must all be in each translated
    form, none added; attributes may be translated, tag names may not. Numbered inline tags
    (<g1>…</g1>, <x2/>, from Word letters) must also be properly nested, each used once, and
    a do-not-translate span (<g3 translate="no">) must keep its text.
    """

    id = "markup"
    severity = ERROR
    trigger = "<>"
    messages = (*TAG_PROBLEMS, EXTRA_TAG)  # (MISSING_TAG is one of TAG_PROBLEMS)
    words = (NOTHING,)

    def check(self, unit: Unit) -> list[str]:
        out: list[str] = []
        total = len(unit.strings)
        for i, source, text in unit.forms():
            if "<" not in source and "<" not in text:
                continue
            want, got = tags(source), tags(text)
            where = unit.where(i, total)
            if want == got:
                if text.strip() and has_tags(source):
                    out.extend(f"{where}{p}" for p in problems(source, text))
                continue
            if want - got:
                missing = " ".join(sorted((want - got).elements()))
                out.append(where + MISSING_TAG % {"tags": missing})
            if got - want:
                extra = " ".join(sorted((got - want).elements()))
                out.append(where + EXTRA_TAG % {"tags": extra})
        return out
