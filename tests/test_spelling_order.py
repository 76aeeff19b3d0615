"""``spelling.in_order`` orders the reported words by their first occurrence from one pass
over the words (a dict of first indices): against the rule it stands for,
``sorted(unknown, key=seq.index)``, on random word sequences (no capitals: the order part
alone)."""

from __future__ import annotations

import random

from workflow.checks.spelling import in_order


def test_first_occurrence_order_is_seq_index_order():
    rng = random.Random(1)
    for _ in range(3000):
        words = [rng.choice("abcdefghij") * rng.randint(1, 2) for _ in range(rng.randint(1, 40))]
        unknown = set(rng.sample(words, rng.randint(1, len(set(words)))))
        want = sorted(unknown, key=words.index)
        assert in_order(" ".join(words), words, set(unknown), set()) == want
