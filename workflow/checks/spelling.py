"""Spelling of the translation with Hunspell dictionaries (:mod:`workflow.checks.hunspell`).

Speed (the cold gate reads 300,000 texts): in a whole-catalogue run the check's
:meth:`SpellingCheck.candidates` works out every message's problems at once from
:func:`workflow.checks.word_scan.scan` (each text's exempt words read once, every word of
the catalogue given its verdict in one go) and keeps them in the run's memo; ``check()``
of a message answers from it, or works its problems out alone (one message, or a message
the run did not scan). A text's suspects are a few C-level set operations against the
dictionary's bad words (:meth:`_Dictionary.suspects`). Names (capitalised inside a
sentence) need no word-by-word walk unless a capitalised suspect also begins a sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

from workflow.checks.base import WARNING, Check, Unit
from workflow.checks.hunspell import (
    _Dictionary,
    dictionary_for,
    save_verdicts,
    unit_dictionary,
)
from workflow.checks.messages import N_
from workflow.checks.words import (
    _WORD,
    exempt_text,
    exempt_words,
    per_text,
    source_words,
    words_of,
)

__all__ = ["SpellingCheck", "dictionary_for", "exempt_text", "exempt_words", "save_verdicts",
           "source_words", "suspicious_words", "unit_dictionary", "words_of"]

#: A word that begins a sentence after a mark (only white space between it and one of
#: these marks; or the text's start).
_AFTER_MARK = re.compile(r"[.!?:;\"\u201c\u00ab(\[]\s*(" + _WORD.pattern + ")")
#: The first word of a text, where only white space is before it (``match``)
_FIRST = re.compile(r"\s*(" + _WORD.pattern + ")")
#: Every word of a text (as _WORD.findall) with the sentence mark before it (only white
#: space between them), or "" where there is none.
_MARKED = re.compile(r"(?:([.!?:;\"\u201c\u00ab(\[])\s*)?(" + _WORD.pattern + ")")
#: The run memo's key for the problems SpellingCheck.candidates worked out (unit -> list)
FOUND = "spelling-found"


def unknown_words(unit: Unit, text: str, dictionary: _Dictionary
                  ) -> tuple[str, list[str], set[str]]:
    """(:func:`exempt_text`, its words, those the dictionary does not know), worked out once
    per unit and text: the leftover check's screen asks first, spelling next."""
    def make() -> tuple[str, list[str], set[str]]:
        clean, words = exempt_words(unit, text)
        return clean, words, dictionary.unknown(words) if words else set()
    return per_text(unit, "_unknown", text, make)


def suspicious_words(unit: Unit, text: str, dictionary: _Dictionary) -> list[str]:
    """Words of *text* the dictionary does not know, names and source words aside, each
    once, in the order of their first occurrence that is not a name."""
    clean, words, rest = unknown_words(unit, text, dictionary)
    if not rest:
        return []
    return suspects_in_order(clean, words, rest, source_words(unit.sources())[0], dictionary)


def suspects_in_order(clean: str, words: list[str], rest: set[str],
                      from_source: frozenset[str], dictionary: _Dictionary) -> list[str]:
    """:func:`suspicious_words` of a text from what it reads: its exempt text *clean*, the
    words of *clean*, those the dictionary does not know (*rest*, not empty) and the
    casefolded words of the message's source."""
    unknown = dictionary.suspects(words, from_source, rest)
    if not unknown:
        return []
    return in_order(clean, words, unknown, unknown & dictionary.suspect_capital)


def sentence_starts(clean: str) -> list[str]:
    """The words that begin a sentence in *clean*, in order: a word after a mark (only
    white space between them), then the first word if only white space is before it."""
    starts = _AFTER_MARK.findall(clean)
    first = _FIRST.match(clean)
    if first is not None:
        starts.append(first.group(1))
    return starts


def in_order(clean: str, seq: list[str], unknown: set[str], capitals: set[str]) -> list[str]:
    """The words of *unknown* (a set of words of *clean*; it is changed) that spelling
    reports, in the order of their first occurrence that is not a name: the words of
    *capitals* (those of *unknown* with a capital first letter) are names where they do
    not begin a sentence. *seq*: the words of *clean* in order, or only some of them, with
    every occurrence of every word of *unknown*."""
    if capitals:
        starts = sentence_starts(clean)
        begin = capitals.intersection(starts)
        if begin:
            if any(seq.count(w) != starts.count(w) for w in begin):
                # a capitalised word is a name somewhere and begins a sentence elsewhere:
                # occurrence by occurrence
                first = _WORD.search(clean).group()  # (unknown holds one: there is a word)
                return _in_order(clean, first, unknown, capitals)
            capitals -= begin  # words that begin a sentence wherever they occur
        unknown -= capitals  # names wherever they occur
        if not unknown:
            return []
    # (the order of first occurrence: every word of unknown is one of seq; each word's
    # first index from one pass, not a seq.index scan per word)
    first = dict(zip(reversed(seq), range(len(seq) - 1, -1, -1), strict=True))
    return sorted(unknown, key=first.__getitem__)


def _in_order(clean: str, first_word: str, unknown: set[str], capitals: set[str]) -> list[str]:
    """The words of *unknown* in the order of their first occurrence in *clean* (whose
    first word is *first_word*), a word of *capitals* only where it begins a sentence: the
    first word after nothing but white space, or a word after a sentence mark (``_MARKED``
    reads every word of *clean* with the mark before it, if any)."""
    out: list[str] = []
    seen: set[str] = set()
    first = clean.lstrip().startswith(first_word)
    for n, (mark, word) in enumerate(_MARKED.findall(clean)):
        if word not in unknown or word in seen:
            continue
        if word in capitals and not mark and not (n == 0 and first):
            continue  # a name
        seen.add(word)
        out.append(word)
    return out


class _Reprs(dict):
    """A word -> ``repr(word)``, kept (a catalogue's suspects are a few hundred words that
    recur in thousands of problems)."""

    def __missing__(self, word: str) -> str:
        if len(self) >= _REPRS_MAX:
            self.clear()
        found = self[word] = repr(word)
        return found


_REPRS_MAX = 100_000
_REPRS = _Reprs()


#: (%(words)s last in NOT_IN_DICTIONARY: problem_head() is the text before it)
NOT_IN_DICTIONARY = N_("not in the %(dictionary)s dictionary: %(words)s")
NOT_IN_DICTIONARY_MORE = N_("not in the %(dictionary)s dictionary: %(words)s and %(more)s more")
#: what NOT_IN_DICTIONARY_MORE has after the words, around the count (" and ", " more")
_MORE_BEFORE, _MORE_AFTER = NOT_IN_DICTIONARY_MORE.split("%(words)s")[1].split("%(more)s")


@lru_cache(maxsize=256)
def problem_head(tag: str) -> str:
    """What every problem of a one-string form with the dictionary *tag* begins with:
    NOT_IN_DICTIONARY up to its words (``head + shown`` is the template filled)."""
    return NOT_IN_DICTIONARY % {"dictionary": tag, "words": ""}


def problem(where: str, tag: str, words: list[str]) -> str:
    """The problem reported for a form whose suspicious words are *words* (not empty)."""
    shown = ", ".join(map(_REPRS.__getitem__, words[:8]))
    if len(words) > 8:  # (NOT_IN_DICTIONARY_MORE filled, without a dict per problem)
        return f"{where}{problem_head(tag)}{shown}{_MORE_BEFORE}{len(words) - 8}{_MORE_AFTER}"
    return where + problem_head(tag) + shown


class SpellingCheck(Check):
    """Spelling (Hunspell)

    Words the language's Hunspell dictionary does not know: Spanish words left in a
    French draft ("auspicios"), words run together ("queestálargo"). Placeholders,
    markup, protected text, glossary terms, names (capitalised inside a sentence) and
    words copied from the source (the source leftover check's business) are exempt.
    Languages without an installed dictionary are not checked.
    """

    id = "spelling"
    severity = WARNING
    messages = (NOT_IN_DICTIONARY, NOT_IN_DICTIONARY_MORE)

    def applies(self, language: str, config: object = None) -> bool:
        return dictionary_for(language, config) is not None

    def candidates(self, batch) -> None:
        """Every message's problems worked out at once (:func:`workflow.checks.word_scan.
        spelling_found`) and kept in the run's memo for :meth:`check`. Every message is
        still asked (from the memo: no work per message)."""
        from workflow.checks.word_scan import spelling_found

        units = batch.units
        dictionary = unit_dictionary(units[0]) if units else None
        run = batch.shared.get("run")
        if dictionary is None or run is None:
            return None
        found = spelling_found(batch, dictionary)
        run[FOUND] = {u: found.get(i, ()) for i, u in enumerate(units)}
        return None

    def check(self, unit: Unit) -> list[str]:
        run = unit.cache.get("run")
        memo = run.get(FOUND) if run is not None else None
        if memo is not None:
            found = memo.get(unit)
            if found is not None:
                return list(found)
        dictionary = unit_dictionary(unit)
        if dictionary is None:
            return []
        out: list[str] = []
        total = len(unit.strings)
        for i, _source, text in unit.forms():
            words = suspicious_words(unit, text, dictionary)
            if words:
                out.append(problem(unit.where(i, total), dictionary.tag, words))
        if dictionary.dirty >= 500:
            dictionary.save()
        return out
