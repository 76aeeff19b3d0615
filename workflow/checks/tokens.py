"""The white-space separated tokens of a run's translations, split once for the word checks.

The repeated-word screen, the word scan of a dictionary language and the leftover screen
without a dictionary all read the translations token by token (a word never spans white
space). :func:`text_tokens` splits every one-string translation of a
:class:`workflow.checks.batch.Batch` once per run (kept in ``batch.shared["run"]``), and
:func:`folded` gives a token's casefolded form from a memo of the run's distinct tokens
(a few thousand per catalogue): ``text.casefold().split()`` is
``[folded(t) for t in text.split()]``, since casefolding maps white space to itself and
nothing else to white space (``tests/test_tokens.py`` checks every code point).
"""

from __future__ import annotations

from functools import partial
from itertools import chain

#: The run memo's keys
_TOKENS = "text-tokens"
_FOLDED = "folded-tokens"


class _Canon(dict):
    """token -> the one string object kept for it (the first one met)."""

    def __missing__(self, token: str) -> str:
        self[token] = token
        return token


class Folded(dict):
    """token -> ``token.casefold()``, each distinct token folded once."""

    def __missing__(self, token: str) -> str:
        got = self[token] = token.casefold()
        return got


def text_tokens(batch) -> list[list[str]]:
    """``text.split()`` of each translation of ``batch.columns`` (the one-string
    messages), in their order; worked out once per run. Equal tokens are one string
    object (a catalogue's ~200,000 tokens are a few thousand distinct ones): each text's
    fresh tokens are freed as soon as it is split, so the run keeps the distinct tokens
    only (memory reused at once instead of ~15 MB of fresh pages per catalogue), and their
    hashes are worked out once for every later look-up."""
    run = batch.shared.get("run")
    got = run.get(_TOKENS) if run is not None else None
    if got is not None and got[0] is batch:
        return got[1]
    one = _Canon().__getitem__
    tokens = list(map(list, map(partial(map, one), map(str.split, batch.columns[2]))))
    if run is not None:
        run[_TOKENS] = (batch, tokens)
    return tokens


def folded(batch) -> Folded:
    """The run's memo of casefolded tokens (one per run)."""
    run = batch.shared.get("run")
    got = run.get(_FOLDED) if run is not None else None
    if got is None:
        got = Folded()
        if run is not None:
            run[_FOLDED] = got
    return got


def distinct_tokens(batch) -> set[str]:
    """Every white-space separated token of every translated form of *batch*."""
    units = batch.units
    out = set(chain.from_iterable(text_tokens(batch)))
    out.update(chain.from_iterable(s.split() for i in batch.multi for s in units[i].strings))
    return out
