"""Repeated word ("the the")."""

from __future__ import annotations

import operator
import re
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate, chain, compress, count, islice

from workflow.checks.base import Check, Unit
from workflow.checks.messages import N_
from workflow.checks.tokens import folded, text_tokens

REPEAT_RE = re.compile(r"(?<!\w)([^\W\d_]+)(?:\s+\1)+(?!\w)", re.IGNORECASE)
#: Legitimate doubles: French reflexives ("nous nous sommes"), German/Dutch articles
#: and relatives ("die die", "dat dat").
ALLOWED_REPEATS = {
    "fr": frozenset({"nous", "vous"}),
    "de": frozenset({"die", "der", "das"}),
    "nl": frozenset({"dat", "die"}),
    "en": frozenset({"that", "had"}),
}
#: Neighbours split by punctuation-less non-space separators (rare): let the regex look.
_GLUED_RE = re.compile(r"[\u00a0\u202f\u3000\t]")
#: Scripts written without spaces: no words to repeat.
NO_SPACES = frozenset({"zh", "ja"})


REPEATED = N_("word %(word)s repeated")


class RepeatedWordCheck(Check):
    """No accidentally repeated word.

    The same word twice in a row ("de de", "the the") is a typing or MT slip unless the
    source repeats it too or the language allows it (French "nous nous", German "die
    die"). Chinese and Japanese are not checked (no spaces between words).
    """

    id = "repeated-word"
    messages = (REPEATED,)

    def applies(self, language: str, config: object = None) -> bool:
        return language.split("_")[0] not in NO_SPACES

    def candidates(self, batch) -> list[int]:
        # _repeats' own prefilter, for every text at once: two equal neighbours among its
        # casefolded tokens (split once per run, each distinct token folded once), looked
        # for in the run's tokens end to end; a pair that spans two texts does not count
        out = list(batch.multi)
        tokens = text_tokens(batch)
        low = list(map(folded(batch).__getitem__, chain.from_iterable(tokens)))
        pairs = list(compress(count(), map(operator.eq, low, islice(low, 1, None))))
        if pairs:
            index = batch.columns[0]
            ends = list(accumulate(map(len, tokens)))  # text t: tokens ends[t-1]..ends[t]-1
            for k in pairs:
                t = bisect_right(ends, k)
                if k + 1 < ends[t]:
                    out.append(index[t])
        return out

    def check(self, unit: Unit) -> list[str]:
        out: list[str] = []
        lang = unit.language.split("_")[0]
        if lang in NO_SPACES:
            return out
        allowed = ALLOWED_REPEATS.get(lang, frozenset())
        total = len(unit.strings)
        for i, source, text in unit.forms():
            for word in _repeats(text):
                if word.casefold() in allowed or word.casefold() in _source_repeats(source):
                    continue
                out.append(unit.where(i, total) + REPEATED % {"word": repr(word)})
        return out


def _repeats(text: str) -> list[str]:
    """Words written twice in a row, separated by whitespace only."""
    low = text.casefold().split()
    if not any(map(operator.eq, low, low[1:])):  # C-speed prefilter: no equal neighbours
        return []
    words = text.split()
    return [words[i] for i in range(len(low) - 1) if low[i] == low[i + 1] and low[i].isalpha()]


@lru_cache(maxsize=65536)
def _source_repeats(text: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _repeats(text))
