"""The word checks over a whole catalogue at once, for a language with a Hunspell dictionary.

:func:`scan` reads every translated form of a run once: its exempt text (for the messages
:func:`workflow.checks.words.complex_units` leaves out, the text with its placeholders
blanked, :func:`plain_exempt`; for the others :func:`exempt_text`) and its *suspects*: the
occurrences, in order, of the words spelling may report (unknown to the dictionary, 3
letters or more, not all capitals). They come token by token from a memo kept per
dictionary (:class:`_TokenSuspects`: a word never spans white space, so the words of a text
are those of its white-space separated tokens), which gives each new word its verdict.
The spelling check's problems (:func:`spelling_found`) and the leftover check's screen
(:func:`leftover_kept`) are then one loop over those forms, with no word list and no memo
per text.
"""

from __future__ import annotations

from itertools import chain
from operator import itemgetter

from workflow.checks.base import Unit
from workflow.checks.hunspell import _Dictionary
from workflow.checks.spelling import in_order, problem
from workflow.checks.tokens import text_tokens
from workflow.checks.words import (
    _TOKEN_WORDS,
    complex_units,
    exempt_text,
    plain_exempt,
    source_words,
)

#: The run memo's key for the scan
_SCAN = "word-scan"
_TOKENS_MAX = 60_000  # per dictionary (a catalogue has a few thousand distinct tokens)
_first = itemgetter(0)

#: (form index, exempt text, its suspects in order) of every translated form of a message
Forms = tuple[tuple[int, str, list[str]], ...]


class _TokenSuspects(dict):
    """A white-space separated token -> the words of it (``_WORD.findall``) that spelling
    may report with *dictionary* (unknown to it, 3 letters or more, not all capitals), a
    tuple in order; each new word gets its verdict here."""

    def __init__(self, dictionary: _Dictionary):
        super().__init__()
        self.dictionary = dictionary

    def __missing__(self, token: str) -> tuple[str, ...]:
        if len(self) >= _TOKENS_MAX:
            self.clear()
        check = self.dictionary.check
        found = self[token] = tuple(w for w in _TOKEN_WORDS[token]
                                    if not check(w) and len(w) >= 3 and not w.isupper())
        return found


def token_suspects(dictionary: _Dictionary) -> _TokenSuspects:
    """The token memo of *dictionary* (made on first use)."""
    memo = getattr(dictionary, "token_suspects", None)
    if memo is None:
        memo = dictionary.token_suspects = _TokenSuspects(dictionary)
    return memo


def suspects_of(clean: str, memo: _TokenSuspects) -> list[str]:
    """The words of *clean* spelling may report (see :class:`_TokenSuspects`), in order,
    every occurrence."""
    return list(chain.from_iterable(map(memo.__getitem__, clean.split())))


class Scan:
    """What :func:`scan` read: per unit, its :data:`Forms`; every suspect of them."""

    __slots__ = ("batch", "dictionary", "forms", "suspects")

    def __init__(self, batch, dictionary: _Dictionary, forms: list[Forms], suspects: set[str]):
        self.batch = batch
        self.dictionary = dictionary
        self.forms = forms
        self.suspects = suspects


def scan(batch, dictionary: _Dictionary) -> Scan:
    """The forms of every unit of *batch* with their exempt text and suspects, worked out
    once per run (kept in ``batch.shared["run"]``)."""
    run = batch.shared.get("run")
    got = run.get(_SCAN) if run is not None else None
    if got is not None and got.batch is batch and got.dictionary is dictionary:
        return got
    units = batch.units
    odd = complex_units(batch)
    memo = token_suspects(dictionary)
    forms: list[Forms] = [()] * len(units)
    get = memo.__getitem__
    index, _sources, texts = batch.columns
    for i, text, tokens in zip(index, texts, text_tokens(batch), strict=True):
        if i in odd:
            continue
        if "{" not in text:  # one string, no plural: its one form (tokens split once)
            forms[i] = ((0, text, list(chain.from_iterable(map(get, tokens)))),)
        else:
            clean = plain_exempt(text)
            forms[i] = ((0, clean, suspects_of(clean, memo)),)
    for i in odd:
        unit = units[i]
        forms[i] = tuple((n, clean, suspects_of(clean, memo)) for n, _source, text
                         in unit.forms() for clean in (exempt_text(unit, text),))
    every = set(chain.from_iterable(s for f in forms for _n, _c, s in f))
    if dictionary.dirty >= 500:
        dictionary.save()
    got = Scan(batch, dictionary, forms, every)
    if run is not None:
        run[_SCAN] = got
    return got


def spelling_found(batch, dictionary: _Dictionary) -> dict[int, list[str]]:
    """Unit index -> the spelling check's problems, for every unit of *batch* with one
    (what ``SpellingCheck.check`` finds, form by form). A suspect whose casefolded form is
    a word of its message's source is exempt: the catalogue's suspects that are a word of
    some source are found first, so most texts need no look at their source."""
    got = scan(batch, dictionary)
    units = batch.units
    fold = dict(zip(got.suspects, map(str.casefold, got.suspects), strict=True))
    capitals = got.suspects & dictionary.suspect_capital
    in_sources = set().union(*map(_first, map(source_words, map(Unit.sources, units))))
    sourced = {w for w, f in fold.items() if f in in_sources}
    tag = dictionary.tag
    out: dict[int, list[str]] = {}
    for i, forms in enumerate(got.forms):
        problems: list[str] = []
        for n, clean, seq in forms:
            if not seq:
                continue
            found = set(seq)
            if not sourced.isdisjoint(found):
                unit = units[i]
                from_source = source_words(unit.sources())[0]
                found = {w for w in found if fold[w] not in from_source}
                if not found:
                    continue
            caps = found & capitals
            # (without capitals, in_order is the order of first occurrence)
            found = in_order(clean, seq, found, caps) if caps else sorted(found, key=seq.index)
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
    hits = every_candidate.intersection(map(str.casefold, got.suspects))
    if not hits:
        return set()
    any_suspect_in = dictionary.any_suspect_in
    return {i for i, (c, forms) in enumerate(zip(cands, got.forms, strict=True))
            if c and not c.isdisjoint(hits)
            and any(any_suspect_in(set(seq), c) for _n, _clean, seq in forms)}
