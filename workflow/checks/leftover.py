"""Source-language words copied into the translation ("179 defectors de la Corée")."""

from __future__ import annotations

import re
from functools import lru_cache

from workflow.checks.base import WARNING, Check, Unit
from workflow.checks.spelling import _WORD, dictionary_for, exempt_text

_MIN = 3


def _source_words(unit: Unit) -> tuple[frozenset[str], frozenset[str]]:
    """(casefolded words of the source, names: words capitalised inside a sentence)."""
    return _words_and_names(unit.sources())


@lru_cache(maxsize=4096)
def _words_and_names(sources: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """:func:`_source_words` of these source texts (the same for every check of a message,
    and for every save of it)."""
    words: set[str] = set()
    names: set[str] = set()
    for s in sources:
        for m in _WORD.finditer(s):
            w = m.group(0)
            words.add(w.casefold())
            if w[0].isupper():
                i = m.start() - 1
                while i >= 0 and s[i].isspace():
                    i -= 1
                if i >= 0 and s[i] not in ".!?:;":
                    names.add(w.casefold())
    return frozenset(words), frozenset(names)


def leftovers(unit: Unit, text: str) -> list[str]:
    """Runs of source words in *text* that are not words of the target language.

    With a Hunspell dictionary for the language one such word is enough; without one, a
    run needs two words in a row (shared words like "total" are then tolerated)."""
    words, names = _source_words(unit)
    dictionary = dictionary_for(unit.language, unit.config)
    runs: list[str] = []
    run: list[str] = []
    for m in _WORD.finditer(exempt_text(unit, text)):
        w = m.group(0)
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
            if re.sub(r"\W", "", text) == re.sub(r"\W", "", _source):
                continue  # an untranslated copy is the "untranslated" check's
            found = leftovers(unit, text)
            if found:
                shown = ", ".join(repr(r) for r in found[:6])
                out.append(f"{unit.where(i, total)}source words left in: {shown}")
        return out
