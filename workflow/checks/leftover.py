"""Source-language words copied into the translation ("179 defectors de la Corée")."""

from __future__ import annotations

import re
from functools import lru_cache

from workflow.checks.base import WARNING, Check, Unit
from workflow.checks.spelling import unit_dictionary
from workflow.checks.words import exempt_words, source_words

_MIN = 3


def _source_words(unit: Unit) -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    """(casefolded words of the source, names: words capitalised inside a sentence, the
    words that could be left over: neither names nor shorter than the minimum)."""
    return _words_and_names(unit.sources())


@lru_cache(maxsize=65536)
def _words_and_names(
    sources: tuple[str, ...],
) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    words, names = source_words(sources)
    # a leftover is a word of the text whose casefolded form is one of these
    candidates = frozenset(w for w in words - names if len(w) >= _MIN)
    return words, names, candidates


def leftovers(unit: Unit, text: str) -> list[str]:
    """Runs of source words in *text* that are not words of the target language.

    With a Hunspell dictionary for the language one such word is enough; without one, a
    run needs two words in a row (shared words like "total" are then tolerated)."""
    words, names, candidates = _source_words(unit)
    if not candidates:
        return []
    # A word of the exempt text is a piece of *text* without white space, and casefolding
    # goes character by character: a source word that is not even a piece of the casefolded
    # text cannot be one of its words (no words, no exempt text needed).
    folded = text.casefold()
    if not any(map(folded.__contains__, candidates)):
        return []
    _clean, found = exempt_words(unit, text)
    if candidates.isdisjoint(map(str.casefold, found)):
        return []  # no word of the text is a source word (one C-level pass)
    dictionary = unit_dictionary(unit)
    runs: list[str] = []
    run: list[str] = []
    for w in found:
        key = w.casefold()
        copied = (len(w) >= _MIN and key in words and key not in names and not w.isupper()
                  and (dictionary is None or not dictionary.check(w)))
        if copied:
            run.append(w)
            continue
        if run:
            runs.append(" ".join(run))
            run = []
    if run:
        runs.append(" ".join(run))
    if dictionary is None:
        runs = [r for r in runs if " " in r]
    return list(dict.fromkeys(runs))


_NON_WORD = re.compile(r"\W")


class SourceLeftoverCheck(Check):
    """Source words left in the translation

    English words the engine copied through ("179 defectors de la Corée du Nord",
    "forcibly disparu", "sprawling encampments"). A word counts when it is in the source
    and not in the target language's Hunspell dictionary (without a dictionary: two such
    words in a row). Names (capitalised inside a source sentence), protected text and
    glossary terms are exempt.
    """

    id = "leftover"
    severity = WARNING

    def check(self, unit: Unit) -> list[str]:
        out: list[str] = []
        total = len(unit.strings)
        for i, _source, text in unit.forms():
            found = leftovers(unit, text)
            if found and _NON_WORD.sub("", text) == _NON_WORD.sub("", _source):
                continue  # an untranslated copy is the "untranslated" check's
            if found:
                shown = ", ".join(repr(r) for r in found[:6])
                out.append(f"{unit.where(i, total)}source words left in: {shown}")
        return out
