"""The tokens split once per run (``workflow/checks/tokens.py``, issue 9 session 6) stand for
the per-text rules they replace: ``text.casefold().split()`` in the repeated-word screen,
``text.split()`` in the word scan, and the set of the leftover screen without a dictionary.
"""

from __future__ import annotations

import operator
import random
import sys

from tests.checks_support import catalog, msg
from workflow.checks import registry
from workflow.checks.batch import Batch
from workflow.checks.tokens import distinct_tokens, folded, text_tokens

#: pieces whose casefolded forms meet: case, ß/ss, final sigma, long s, Kelvin sign,
#: dotted I, ligatures; and every kind of white space str.split knows
PIECES = ["the", "The", "THE", "ß", "ss", "SS", "ẞ", "σ", "ς", "Σ", "ſ", "s", "S", "\u212a",
          "k", "K", "İ", "i̇", "ﬀ", "ff", "de", "De", "die", "nous", "1", "-", ".", "é", "É"]
SPACES = [" ", "  ", "\t", "\n", "\u00a0", "\u2003", "\u3000", "\x1c", "\x85", "\u2028", ""]


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) + rng.choice(SPACES) for _ in range(rng.randrange(0, 7)))


def test_casefolding_keeps_white_space_where_it_is():
    # why casefold(text).split() == [casefold(t) for t in text.split()]: casefolding maps
    # white space to white space and nothing else to (or with) white space
    for c in map(chr, range(sys.maxunicode + 1)):
        f = c.casefold()
        if c.isspace():
            assert f.isspace(), hex(ord(c))
        else:
            assert f.split() == [f], hex(ord(c))


def _batch(texts: list[str], lang: str = "fr") -> Batch:
    messages = [msg(f"src {i}", t, context=f"t/{i}") for i, t in enumerate(texts)]
    messages.append(msg("one", "a a", "b b", plural="ones", context="t/p"))
    return Batch(messages, catalog(lang, messages), lang, None, {"run": {}})


def test_repeated_screen_matches_the_casefold_split_rule():
    rng = random.Random(9)
    texts = [_text(rng) or " " for _ in range(4000)]  # " ": a text with no token
    b = _batch(texts)
    eq = operator.eq
    want = {i for i, t in zip(b.columns[0], b.columns[2], strict=True)
            if any(map(eq, low := t.casefold().split(), low[1:]))}
    assert want  # the random texts do repeat words, in every spelling
    got = set(registry["repeated-word"].candidates(b)) - set(b.multi)
    assert got == want
    assert text_tokens(b) == [t.split() for t in b.columns[2]]
    fold = folded(b)
    assert all(fold[t] == t.casefold() for t in set(fold))


def test_distinct_tokens_are_every_token_of_every_form():
    rng = random.Random(14)
    b = _batch([_text(rng) for _ in range(500)] + ["x"])
    want = set("\n".join([s for u in b.units for s in u.strings]).split())
    assert distinct_tokens(b) == want


def test_text_tokens_are_the_split_texts_with_one_object_per_token():
    # the run's tokens are text.split() of each one-string translation, in order, and
    # equal tokens are the same string object (what the run keeps: the distinct tokens)
    rng = random.Random(21)
    texts = [_text(rng) or " " for _ in range(3000)]
    b = _batch(texts)
    tokens = text_tokens(b)
    assert tokens == [t.split() for t in b.columns[2]]
    assert all(type(row) is list for row in tokens)
    one: dict[str, str] = {}
    for token in (t for row in tokens for t in row):
        assert one.setdefault(token, token) is token
    assert len(one) < sum(map(len, tokens))  # (the texts do repeat tokens)
