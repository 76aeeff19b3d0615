"""Untranslated: the translation is the source text again."""

from __future__ import annotations

import operator
import re
from itertools import compress

from workflow.checks.base import Check, Unit
from workflow.checks.messages import N_
from workflow.checks.placeholders import strip_placeholders

_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)

#: Words that may stay as in English in every language: the coalition's acronyms,
#: the UN abbreviations used as-is, and the copy line of a letter.
ALLOWED_EVERYWHERE = frozenset({"icnk", "cc", "un", "dprk", "ok"})

#: Words a language legitimately writes exactly like English (a small, per-language list).
ALLOWED_IDENTICAL: dict[str, frozenset[str]] = {
    "de": frozenset({"seoul", "name", "international", "information", "start", "status"}),
    "fr": frozenset({"information", "international", "date", "note", "total", "instructions"}),
    "nl": frozenset({"seoul", "international", "status", "start", "team"}),
    "es": frozenset({"total", "general", "final", "radio"}),
    "pt": frozenset({"total", "radio"}),
    "it": frozenset({"radio", "status", "film"}),
    "ca": frozenset({"total", "general", "final"}),
    "gl": frozenset({"total", "xeral"}),
    "pl": frozenset({"status", "radio"}),
}


def _stripped_length(text: str) -> int:
    return len(text.strip())


def allowed_identical(language: str) -> frozenset[str]:
    return ALLOWED_EVERYWHERE | ALLOWED_IDENTICAL.get(language.split("_")[0], frozenset())


IDENTICAL = N_("translation is identical to the English source")


class UntranslatedCheck(Check):
    """Translated, not copied.

    The translation is identical to the source (ignoring case and surrounding space).
    Texts made only of placeholders, numbers and punctuation pass, and so do texts whose
    words are all on the language's short list of words written as in English ("Seoul"
    in German, "ICNK" everywhere). When this check fails, the checks that compare a
    translation with its source are skipped for the entry.
    """

    id = "untranslated"
    needs_translation = False
    messages = (IDENTICAL,)

    def candidates(self, batch) -> list[int]:
        # what check() looks at: a translation as long as its source and the same, ignoring
        # case and surrounding space (the lengths mapped over every text at once, the
        # sources' kept for the next language; no Python step per text but the few left)
        index, sources, texts = batch.columns
        fold, strip = str.casefold, str.strip
        lengths = batch.source_column("stripped length", _stripped_length)
        same = compress(range(len(index)), map(operator.eq, map(len, map(strip, texts)), lengths))
        return batch.multi + [index[k] for k in same
                              if fold(strip(texts[k])) == fold(strip(sources[k]))]

    def check(self, unit: Unit) -> list[str]:
        out: list[str] = []
        total = len(unit.strings)
        for i, source, text in unit.forms():
            t, s = text.strip(), source.strip()
            if len(t) != len(s) or t.casefold() != s.casefold():
                continue
            words = {w.casefold() for w in _WORD_RE.findall(strip_placeholders(text))}
            if not words or words <= allowed_identical(unit.language):
                continue
            out.append(unit.where(i, total) + IDENTICAL)
        return out
