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

from bisect import bisect_left
from functools import partial
from itertools import chain, compress, count, repeat
from operator import contains

from workflow.checks.base import Unit
from workflow.checks.hunspell import _Dictionary
from workflow.checks.spelling import _REPRS, in_order, problem, problem_head
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
    """What :func:`scan` read. Per one-string message of ``batch.columns`` (a *row*), in
    their order: its exempt text (``clean``) and its suspects in order (``seqs``); per
    other unit (plural, or more than one string: ``other``, unit index -> :data:`Forms`);
    every suspect of them (``suspects``)."""

    __slots__ = ("batch", "dictionary", "index", "clean", "seqs", "other", "suspects",
                 "_row_of")

    def __init__(self, batch, dictionary: _Dictionary, clean: list[str],
                 seqs: list[list[str]], other: dict[int, Forms], suspects: set[str]):
        self.batch = batch
        self.dictionary = dictionary
        self.index = batch.columns[0]
        self.clean = clean
        self.seqs = seqs
        self.other = other
        self.suspects = suspects
        self._row_of: dict[int, int] | None = None

    def forms(self, i: int) -> Forms:
        """The :data:`Forms` of unit *i*."""
        got = self.other.get(i)
        if got is None:
            if self._row_of is None:
                self._row_of = dict(zip(self.index, count()))
            k = self._row_of[i]
            got = ((0, self.clean[k], self.seqs[k]),)
        return got


def scan(batch, dictionary: _Dictionary) -> Scan:
    """The forms of every unit of *batch* with their exempt text and suspects, worked out
    once per run (kept in ``batch.shared["run"]``). A row without "{" that
    :func:`complex_units` leaves out is its own exempt text, and its suspects are those
    of its tokens (split once per run), joined with no Python step per text."""
    run = batch.shared.get("run")
    got = run.get(_SCAN) if run is not None else None
    if got is not None and got.batch is batch and got.dictionary is dictionary:
        return got
    units = batch.units
    odd = complex_units(batch)
    memo = token_suspects(dictionary)
    index, _sources, texts = batch.columns
    tokens = text_tokens(batch)
    # rows worked out alone: with "{" (placeholders blanked) or complex
    alone = list(compress(count(), map(contains, texts, repeat("{"))))
    if odd:
        alone = sorted(set(alone).union(k for i in odd if (k := bisect_left(index, i))
                                        < len(index) and index[k] == i))
    if alone:
        tokens = list(tokens)
        for k in alone:
            tokens[k] = ()
    seqs = list(map(list, map(chain.from_iterable, map(partial(map, memo.__getitem__),
                                                         tokens))))
    clean = list(texts)
    for k in alone:
        i = index[k]
        clean[k] = text = (exempt_text(units[i], texts[k]) if i in odd
                           else plain_exempt(texts[k]))
        seqs[k] = suspects_of(text, memo)
    other: dict[int, Forms] = {}
    for i in batch.multi:
        unit = units[i]
        other[i] = tuple((n, text, suspects_of(text, memo)) for n, _source, form
                         in unit.forms() for text in (exempt_text(unit, form),))
    every = set(chain.from_iterable(seqs))
    every.update(chain.from_iterable(s for f in other.values() for _n, _c, s in f))
    if dictionary.dirty >= 500:
        dictionary.save()
    got = Scan(batch, dictionary, clean, seqs, other, every)
    if run is not None:
        run[_SCAN] = got
    return got


def spelling_found(batch, dictionary: _Dictionary) -> dict[int, list[str]]:
    """Unit index -> the spelling check's problems, for every unit of *batch* with one
    (what ``SpellingCheck.check`` finds, form by form). A suspect whose casefolded form is
    a word of its message's source is exempt: the catalogue's suspects that are a word of
    some source are found first, so most texts need no look at their source. A form's
    suspects in the order of their first occurrence are ``dict.fromkeys`` of them (what
    ``sorted(found, key=seq.index)`` gives, in C)."""
    got = scan(batch, dictionary)
    units = batch.units
    fold = dict(zip(got.suspects, map(str.casefold, got.suspects), strict=True))
    capitals = got.suspects & dictionary.suspect_capital
    in_sources = every_source_word(batch)
    sourced = {w for w, f in fold.items() if f in in_sources}
    head, tag = problem_head(dictionary.tag), dictionary.tag
    reprs = _REPRS.__getitem__
    out: dict[int, list[str]] = {}
    # the rows (one string, no plural: no "form n: ") with a suspect
    for i, clean, seq in compress(zip(got.index, got.clean, got.seqs, strict=True), got.seqs):
        found = dict.fromkeys(seq)  # (in the order of first occurrence)
        if sourced and not sourced.isdisjoint(found):
            from_source = source_words(units[i].sources())[0]
            found = {w: None for w in found if fold[w] not in from_source}
            if not found:
                continue
        if capitals and not capitals.isdisjoint(found):
            words = in_order(clean, seq, set(found), capitals.intersection(found))
            if not words:
                continue
        else:
            words = list(found)
        # problem(), with no call per name
        out[i] = [head + ", ".join(map(reprs, words)) if len(words) <= 8
                  else problem("", tag, words)]
    for i, forms in got.other.items():
        unit = units[i]
        problems = [problem(Unit.where(n, len(unit.strings)), tag, words)
                    for n, clean, seq in forms if seq
                    for words in (_form_words(unit, clean, seq, fold, sourced, capitals),)
                    if words]
        if problems:
            out[i] = problems
    return out


def _form_words(unit: Unit, clean: str, seq: list[str], fold: dict[str, str],
                sourced: set[str], capitals: set[str]) -> list[str]:
    """The words spelling reports in one form (exempt text *clean*, suspects *seq*, not
    empty) of *unit*, in order (see :func:`spelling_found`)."""
    found = dict.fromkeys(seq)
    if sourced and not sourced.isdisjoint(found):
        from_source = source_words(unit.sources())[0]
        found = {w: None for w in found if fold[w] not in from_source}
    if capitals and found and not capitals.isdisjoint(found):
        return in_order(clean, seq, set(found), capitals.intersection(found))
    return list(found)


#: the sources key (``Batch.sources_key``) -> every casefolded word of every message's
#: source (a superset of the run's units' source words: only a screen), kept for the next
#: language of the same template
_SOURCE_WORDS: dict[tuple[str, ...], frozenset[str]] = {}


def every_source_word(batch) -> frozenset[str]:
    """The casefolded words (``source_words``) of the sources of every message of *batch*,
    live or not, worked out once per template."""
    key = batch.sources_key()
    got = _SOURCE_WORDS.get(key)
    if got is None:
        if len(_SOURCE_WORDS) >= 4:
            _SOURCE_WORDS.clear()
        got = _SOURCE_WORDS[key] = frozenset().union(*(
            source_words((m.source,) if m.source_plural is None
                         else (m.source, m.source_plural))[0] for m in batch.messages))
    return got


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
    return {i for i, c in enumerate(cands) if c and not c.isdisjoint(hits)
            and any(any_suspect_in(set(seq), c) for _n, _clean, seq in got.forms(i))}
