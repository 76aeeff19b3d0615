"""Source-language words copied into the translation ("179 defectors de la Corée")."""

from __future__ import annotations

import re
from functools import lru_cache

from workflow.checks.base import WARNING, Check, Unit
from workflow.checks.messages import N_
from workflow.checks.spelling import unit_dictionary
from workflow.checks.tokens import distinct_tokens
from workflow.checks.word_scan import leftover_kept
from workflow.checks.words import (
    _WORD,
    complex_units,
    exempt_words,
    folded_words,
    plain_exempt,
    source_words,
)

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
    candidates = frozenset(filter(_LONG.__getitem__, words - names if names else words))
    return words, names, candidates


class _LongEnough(dict):
    """A word -> whether it has :data:`_MIN` characters or more (a leftover's minimum),
    kept: the same words make up every source."""

    def __missing__(self, word: str) -> bool:
        if len(self) >= _LONG_MAX:
            self.clear()
        found = self[word] = len(word) >= _MIN
        return found


_LONG_MAX = 200_000
_LONG = _LongEnough()


#: (source, plural source) -> its leftover candidates, kept across the languages a
#: process checks (the key is the source text itself: an edited source is a new key)
_CANDIDATES: dict[tuple[str, str | None], frozenset[str]] = {}
_CANDIDATES_MAX = 100_000
#: every word of the memo's candidates (and perhaps more)
_ALL_CANDIDATES: set[str] = set()


def source_candidates(keys: list[tuple[str, str | None]]) -> list[frozenset[str]]:
    """The leftover candidates of each (source, plural source) in *keys*: the words of the
    source that could be left over in a translation (see :func:`_words_and_names`)."""
    memo = _CANDIDATES
    got = list(map(memo.get, keys))
    if None in got:
        emptied = len(memo) + len(keys) > _CANDIDATES_MAX
        if emptied:
            memo.clear()
            _ALL_CANDIDATES.clear()
        for n, (key, found) in enumerate(zip(keys, got, strict=True)):
            if found is None:
                source, plural = key
                sources = (source,) if plural is None else (source, plural)
                found = got[n] = memo[key] = _words_and_names(sources)[2]
                _ALL_CANDIDATES.update(found)
        if emptied:  # the answers found in the memo before it was emptied
            _ALL_CANDIDATES.update(*got)
    return got


def leftovers(unit: Unit, text: str) -> list[str]:
    """Runs of source words in *text* that are not words of the target language.

    With a Hunspell dictionary for the language one such word is enough; without one, a
    run needs two words in a row (shared words like "total" are then tolerated)."""
    words, names, candidates = _source_words(unit)
    if not candidates:
        return []
    # no words, no exempt text needed
    if not _maybe_left(candidates, text):
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


def _maybe_left(candidates: frozenset[str], text: str) -> bool:
    """Whether a word of *candidates* is a piece of the casefolded *text*: a word of the
    exempt text is a piece of *text* without white space, and casefolding goes character
    by character, so a source word that is not even a piece of it cannot be one of its
    words."""
    return any(map(text.casefold().__contains__, candidates))


#: A placeholder inside one white-space separated token of a translation: where a
#: text's own placeholders are, too (not one with white space or DEL inside: kept, its
#: words read as well)
_TOKEN_BRACES = re.compile(r"\{[^{}\s\x7f]*\}")


def _screen(batch, cands: list[frozenset[str]]) -> set[int]:
    """The leftover screen without a dictionary. First for the whole catalogue: which
    source words are words of it, casefolded (its distinct white-space separated tokens,
    read at once: a word never spans white space; a placeholder inside a token is one of
    the text's, blanked); then, for the messages with one of those among their candidates,
    whether it is a word of the translation (its exempt text is :func:`plain_exempt`, its
    words come casefolded from the token memo of :func:`folded_words`). The few
    :func:`complex_units` get the pre-test of :func:`leftovers` instead."""
    units = batch.units
    # (joined by white space: a token is a piece of one text, few are distinct)
    tokens = "\n".join(distinct_tokens(batch))  # (split once per run: checks/tokens.py)
    odd = complex_units(batch, tokens)
    out = {i for i in odd if cands[i] and any(_maybe_left(cands[i], t) for t in units[i].strings)}
    words = _WORD.findall(_TOKEN_BRACES.sub(" ", tokens))
    found = _ALL_CANDIDATES.intersection(map(str.casefold, words))
    if not found:
        return out
    for i, (u, c) in enumerate(zip(units, cands, strict=True)):
        if c and not c.isdisjoint(found) and i not in odd:
            if not c.isdisjoint(folded_words(plain_exempt(u.strings[0]))):
                out.add(i)
    return out


_NON_WORD = re.compile(r"\W")


LEFT_IN = N_("source words left in: %(words)s")


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
    messages = (LEFT_IN,)

    def candidates(self, batch) -> set[int]:
        """The messages with a word of their source's leftover candidates in a translation,
        for every message at once (the candidates of each source come from a memo kept
        across languages). With a dictionary, such a word must also be one spelling
        reports (from the words and verdicts spelling reads next anyway, see
        :func:`workflow.checks.word_scan.leftover_kept`); without one, see :func:`_screen`."""
        units = batch.units
        if not units:
            return set()
        cands = source_candidates([(u.source, u.source_plural) for u in units])
        dictionary = unit_dictionary(units[0])
        if dictionary is not None:
            return leftover_kept(batch, dictionary, cands, _ALL_CANDIDATES)
        return _screen(batch, cands)

    def check(self, unit: Unit) -> list[str]:
        out: list[str] = []
        total = len(unit.strings)
        for i, _source, text in unit.forms():
            found = leftovers(unit, text)
            if found and _NON_WORD.sub("", text) == _NON_WORD.sub("", _source):
                continue  # an untranslated copy is the "untranslated" check's
            if found:
                shown = ", ".join(repr(r) for r in found[:6])
                out.append(unit.where(i, total) + LEFT_IN % {"words": shown})
        return out
