"""The word checks over a whole catalogue at once, for a language with a Hunspell dictionary.

:func:`scan` reads every translated form of a run once: its exempt text and words (for
the messages :func:`workflow.checks.words.complex_units` leaves out, the text with its
placeholders blanked, :func:`plain_exempt`; for the others :func:`exempt_words`), and gives
every word of the catalogue its verdict in one go. The spelling check's problems
(:func:`spelling_found`) and the leftover check's screen (:func:`leftover_kept`) are then
one loop over those forms with no memo per text: a text's unknown words are the
dictionary's bad words among its words (one C-level intersection).
"""

from __future__ import annotations

from itertools import chain
from operator import itemgetter

from workflow.checks.base import Unit
from workflow.checks.hunspell import _Dictionary
from workflow.checks.spelling import in_order, problem
from workflow.checks.words import (
    complex_units,
    exempt_words,
    plain_exempt,
    source_words,
    words_of,
)

#: The run memo's key for the scan
_SCAN = "word-scan"

_first = itemgetter(0)

#: (form index, exempt text, its words) of every translated form of a message
Forms = tuple[tuple[int, str, list[str]], ...]


class Scan:
    """What :func:`scan` read: per unit, its :data:`Forms`; every word of them."""

    __slots__ = ("batch", "dictionary", "forms", "words")

    def __init__(self, batch, dictionary: _Dictionary, forms: list[Forms], words: set[str]):
        self.batch = batch
        self.dictionary = dictionary
        self.forms = forms
        self.words = words


def scan(batch, dictionary: _Dictionary) -> Scan:
    """The forms of every unit of *batch* with their exempt text and words, worked out once
    per run (kept in ``batch.shared["run"]``), every word given its verdict."""
    run = batch.shared.get("run")
    got = run.get(_SCAN) if run is not None else None
    if got is not None and got.batch is batch and got.dictionary is dictionary:
        return got
    units = batch.units
    odd = complex_units(batch)
    forms: list[Forms] = [()] * len(units)
    for i, text in zip(*batch.columns[::2], strict=True):
        if i not in odd:  # one string, no plural: its one form
            clean = text if "{" not in text else plain_exempt(text)
            forms[i] = ((0, clean, words_of(clean)),)
    for i in odd:
        unit = units[i]
        forms[i] = tuple((n, *exempt_words(unit, text)) for n, _source, text in unit.forms())
    every = set(chain.from_iterable(w for f in forms for _n, _c, w in f))
    dictionary.unknown(every)  # a verdict for every word not seen before
    if dictionary.dirty >= 500:
        dictionary.save()
    got = Scan(batch, dictionary, forms, every)
    if run is not None:
        run[_SCAN] = got
    return got


def spelling_found(batch, dictionary: _Dictionary) -> dict[int, list[str]]:
    """Unit index -> the spelling check's problems, for every unit of *batch* with one
    (what ``SpellingCheck.check`` finds, form by form). :meth:`_Dictionary.suspects` for
    the whole catalogue first: its unknown words that spelling may report, and those of
    them whose casefolded form is a word of some source (exempt where it is their own
    message's); per text, one intersection with them."""
    got = scan(batch, dictionary)
    units = batch.units
    unknown = dictionary.bad & got.words
    fold = {w: w for w in unknown & dictionary.suspect_folded}
    fold.update((w, dictionary.suspect_cased[w]) for w in unknown & dictionary.suspect_cased_keys)
    suspects = set(fold)
    capitals = suspects & dictionary.suspect_capital
    in_sources = set().union(*map(_first, map(source_words, map(Unit.sources, units))))
    sourced = {w for w, f in fold.items() if f in in_sources}
    tag = dictionary.tag
    out: dict[int, list[str]] = {}
    for i, forms in enumerate(got.forms):
        problems: list[str] = []
        for n, clean, words in forms:
            found = suspects.intersection(words)
            if not found:
                continue
            if not sourced.isdisjoint(found):
                unit = units[i]
                from_source = source_words(unit.sources())[0]
                found = {w for w in found if fold[w] not in from_source}
                if not found:
                    continue
            found = in_order(clean, words, found, found & capitals)
            if found:
                unit = units[i]
                problems.append(problem(unit.where(n, len(unit.strings)), tag, found))
        if problems:
            out[i] = problems
    return out


def leftover_kept(batch, dictionary: _Dictionary, cands: list[frozenset[str]],
                  every_candidate: set[str]) -> set[int]:
    """The units of *batch* with a word spelling reports in a form that casefolds to one of
    their leftover candidates (*cands*, per unit; *every_candidate* holds them all). First
    for the whole catalogue: which such words are candidates of some source at all."""
    got = scan(batch, dictionary)
    unknown = dictionary.bad & got.words  # every word of the catalogue spelling may report
    keys = unknown & dictionary.suspect_folded
    keys.update(map(dictionary.suspect_cased.__getitem__,
                    unknown & dictionary.suspect_cased_keys))
    hits = every_candidate.intersection(keys)
    if not hits:
        return set()
    bad, any_suspect_in = dictionary.bad.intersection, dictionary.any_suspect_in
    return {i for i, (c, forms) in enumerate(zip(cands, got.forms, strict=True))
            if c and not c.isdisjoint(hits)
            and any(any_suspect_in(bad(words), c) for _n, _clean, words in forms)}
