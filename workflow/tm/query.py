"""Which units of the memory are scored for a text: the length window, then a bounded
FTS5 query on the text's rarest words.

* **Length window.** A unit scoring *threshold* (rapidfuzz ratio, ``2 * common /
  (len_a + len_b)``) is between ``t / (200 - t)`` and ``(200 - t) / t`` times the text's
  length (0.54x to 1.86x at 70). Rows outside it are never scored, and when the window
  holds few units (short texts: a salutation, a title) they are all scored, which finds
  every match whatever words it shares (``store.SCAN``).
* **Query.** FTS5 reads the doclist of every word of the query and ranks (bm25) every
  row it matches, so a paragraph of common words ORed together ranks thousands of rows.
  The query is built from the text's rarest words (document frequencies from the
  fts5vocab tables) so that a candidate may lack up to ``SLACK`` of them: any of the
  ``SLACK + 1`` (or more, up to ``WORDS``) rarest words, or at least *s* of the
  ``s + SLACK`` rarest (*s* = 2 .. ``MAX_GROUP``, one nested expression). Each plan's
  cost and rows are estimated (``cost``, ``rows``: words taken as independent); the
  plan kept fits the budget and matches few enough rows for bm25's LIMIT to cut
  nothing. When no plan fits, a candidate may lack one word fewer. A near match that
  shares only common words is still found: it shares most of the text's words, and
  each edited word costs it at most one of them.
* **Budget.** One suggestions request (a paragraph and each of its sentences) shares
  ``REQUEST_BUDGET``; each lookup may spend at least ``BUDGET``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import combinations
from math import prod

_WORD = re.compile(r"\w+")
#: Estimated cost (µs, both indexes) a candidate query may have, at least.
BUDGET = 3000.0
#: ... and what one suggestions request may spend on all its lookups (the paragraph and
#: each of its sentences share it; a lone sentence or a title may use it all).
REQUEST_BUDGET = 12000.0
#: µs per word read (set-up), per doclist entry read, per matching row ranked (bm25):
#: fitted on 120 random queries (any of 1-4 words, 2 of 2-5, 3 of 3-5; df 50-15,000) in
#: bench_web.py's 100,000-unit memory, both indexes.
SETUP, READ, RANK = 64.0, 0.15, 2.3
#: Most words in an OR of single rare words, and the most rows it may match.
WORDS, ROWS = 6, 400
#: Rows an AND plan may match to be chosen for its cost rather than for its size: about
#: what the caller keeps of bm25's ranking (store.LIMIT), so that the LIMIT cuts nothing.
RANKED = 100
#: How many of the rarest words an AND-group candidate may lack.
SLACK = 2
#: Largest AND group (beyond it, the words are common enough that the query runs as is).
MAX_GROUP = 4


def fts_term(word: str) -> str:
    """A word as the FTS5 unicode61 tokenizer (remove_diacritics 2) indexes it."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def terms(text: str, df: dict[str, int]) -> list[str]:
    """The distinct indexed words (3+ letters) of *text*, rarest first (ties by word)."""
    found = dict.fromkeys(fts_term(w) for w in _WORD.findall(text) if len(w) > 2)
    return sorted((t for t in found if df.get(t)), key=lambda t: (df[t], t))


def _quote(term: str) -> str:
    return '"' + term.replace('"', "") + '"'


def _or_plans(words: list[str], slack: int, most: int) -> list[list[tuple[str, ...]]]:
    """Any of the k rarest words, k = slack + 1 .. *most* (a candidate may lack k - 1)."""
    return [[(t,) for t in words[:k]] for k in range(slack + 1, min(most, len(words)) + 1)]


def _and_plans(words: list[str], slack: int) -> list[list[tuple[str, ...]]]:
    """At least s of the s + *slack* rarest words, s = 2 .. MAX_GROUP."""
    return [list(combinations(words[:s + slack], s)) for s in range(2, MAX_GROUP + 1)
            if s + slack <= len(words)]


def rows(plan: list[tuple[str, ...]], df: dict[str, int], size: int) -> float:
    """Estimated rows the plan matches (words and groups taken as independent)."""
    size = max(size, 1)
    missed = prod(1 - min(1.0, prod(df[t] / size for t in g)) for g in plan)
    return size * (1 - missed)


def _at_least(words: list[str], s: int) -> tuple[str, list[str]]:
    """The FTS5 expression "at least *s* of *words*", nested so that each word's doclist
    is read as few times as can be ((a AND 1 of bcd) OR (b AND 1 of cd) OR (c AND d)
    for 2 of abcd: 9 words read, not 12), and the words it reads."""
    if s <= 1 or s >= len(words):
        op = " OR " if s <= 1 else " AND "
        return "(" + op.join(_quote(t) for t in words) + ")", list(words)
    head, read_h = _at_least(words[1:], s - 1)
    rest, read_r = _at_least(words[1:], s)
    return f"(({_quote(words[0])} AND {head}) OR {rest})", [words[0], *read_h, *read_r]


def _pool(plan: list[tuple[str, ...]]) -> tuple[list[str], int]:
    """A plan's words (rarest first) and how many of them a candidate must have."""
    return list(dict.fromkeys(t for g in plan for t in g)), len(plan[0])


@lru_cache(maxsize=64)
def _reads(n: int, s: int) -> tuple[int, ...]:
    """How many times "at least *s* of *n* words" reads each word (by rank)."""
    read = _at_least([str(i) for i in range(n)], s)[1]
    return tuple(read.count(str(i)) for i in range(n))


def cost(plan: list[tuple[str, ...]], df: dict[str, int], size: int) -> float:
    """Estimated µs: a set-up per word read, every doclist entry read, every matching
    row ranked."""
    words, s = _pool(plan)
    times = _reads(len(words), s)
    return (SETUP * sum(times) + READ * sum(df[t] * k for t, k in zip(words, times, strict=True))
            + RANK * rows(plan, df, size))


def plan(words: list[str], df: dict[str, int], size: int, most: int = 0,
         budget: float = 0.0) -> list[tuple[str, ...]]:
    """The groups of the query (an OR of ANDs) for *words* (rarest first), among the
    plans that let a candidate lack SLACK of the rarest words and fit *budget* (at
    least BUDGET): an OR of as many single words as match at most ROWS rows (up to
    *most*); else the cheapest plan matching at most RANKED rows; else the plan matching
    the fewest (the more rows bm25 ranks, the more its LIMIT may cut). If no plan
    fits, one word fewer may be lacking, ...; at none, the cheapest plan."""
    most, budget = most or WORDS, max(budget, BUDGET)
    for slack in range(min(SLACK, len(words) - 1), -1, -1):
        plans = [(p, cost(p, df, size), rows(p, df, size))
                 for p in _or_plans(words, slack, most) + _and_plans(words, slack)]
        fits = [x for x in plans if x[1] <= budget]
        few = [x for x in fits if len(x[0][0]) == 1 and x[2] <= ROWS]
        if few:
            return max(few, key=lambda x: len(x[0]))[0]
        enough = [x for x in fits if x[2] <= RANKED]
        if enough:
            return min(enough, key=lambda x: x[1])[0]
        if fits:
            return min(fits, key=lambda x: (x[2], x[1]))[0]
        if slack == 0:
            return min(plans, key=lambda x: x[1])[0]
    return [tuple(words[:1])]  # not reached: slack 0 always returns


def window(text: str, threshold: float) -> tuple[int, int]:
    """The lengths (characters) a unit may have to score *threshold* against *text*."""
    n, t = len(text), min(max(threshold, 1.0), 100.0)
    return int(n * t / (200 - t)), -(-int(n * (200 - t) * 1000) // int(t * 1000))


def build(text: str, df: dict[str, int], size: int, most: int = 0,
          budget: float = 0.0) -> str:
    """The FTS5 MATCH expression for *text*'s candidates ("" if no word is indexed);
    *df*: term -> units containing it, *size*: units in the memory, *most*: most words
    in an OR of single words (default WORDS), *budget*: see :func:`plan`."""
    words = terms(text, df)
    if not words:
        return ""
    return _at_least(*_pool(plan(words, df, size, most, budget)))[0]
