"""Length: the translation/source length ratio is an outlier for the language pair."""

from __future__ import annotations

import math
from functools import lru_cache
from itertools import compress, repeat
from operator import gt, itemgetter, lt, mul, or_, truediv

from workflow.checks.base import Check, Unit
from workflow.checks.messages import N_

#: Typical characters-of-translation per character of English (CJK writes far fewer).
TYPICAL_RATIO = {
    "zh": 0.32,
    "ja": 0.48,
    "ko": 0.5,
    "ar": 0.95,
    "ru": 1.1,
    "es": 1.15,
    "fr": 1.2,
    "de": 1.2,
    "pt": 1.15,
    "it": 1.15,
    "nl": 1.15,
    "pl": 1.1,
    "ca": 1.15,
    "gl": 1.12,
}
DEFAULT_RATIO = 1.1
#: Below this many source characters a ratio says nothing.
MIN_SOURCE_CHARS = 20


def tolerance(source_len: int) -> float:
    """Allowed factor either side of the typical ratio; wider for short texts."""
    return 2.0 + 20.0 / math.sqrt(source_len)


@lru_cache(maxsize=65536)
def _measure(source: str) -> tuple[int, float] | None:
    """(length, tolerance) of a source text, or None: too short to say (once per source
    text for every language)."""
    n = len(source.strip())
    return None if n < MIN_SOURCE_CHARS else (n, tolerance(n))


def _measure_or_never(source: str) -> tuple[int, float]:
    return _measure(source) or (1, math.inf)


_FIRST, _SECOND = itemgetter(0), itemgetter(1)
#: (%(ratio)s and %(typical)s: "1.23x")
TOO_LONG = N_("translation is %(ratio)s the source's length, too long for %(lang)s "
              "(typical %(typical)s)")
TOO_SHORT = N_("translation is %(ratio)s the source's length, too short for %(lang)s "
               "(typical %(typical)s)")


class LengthCheck(Check):
    """Length in proportion to the source.

    The ratio of translation length to source length is compared with the typical ratio
    for the language (0.32 for Chinese, 1.2 for French...). A ratio more than about
    2.5 times (long texts) to 6 times (20-character texts) off is an outlier: often a
    truncated or doubled translation. Texts under 20 characters are not checked.
    """

    id = "length"
    messages = (TOO_LONG, TOO_SHORT)

    def candidates(self, batch) -> list[int]:
        # check()'s own test, each step mapped over every text at once (the sources'
        # lengths and tolerances kept for the next language): a source too short to say
        # is measured as (1, inf), which no ratio is outside of
        typical = TYPICAL_RATIO.get(batch.language.split("_")[0], DEFAULT_RATIO)
        index, _sources, texts = batch.columns
        measured = batch.source_column("length measure", _measure_or_never)
        tolerances = list(map(_SECOND, measured))
        ratios = list(map(truediv, map(len, map(str.strip, texts)), map(_FIRST, measured)))
        high = map(gt, ratios, map(mul, repeat(typical), tolerances))
        low = map(lt, ratios, map(truediv, repeat(typical), tolerances))
        return batch.multi + list(compress(index, map(or_, high, low)))

    def check(self, unit: Unit) -> list[str]:
        out: list[str] = []
        typical = TYPICAL_RATIO.get(unit.language.split("_")[0], DEFAULT_RATIO)
        total = len(unit.strings)
        for i, source, text in unit.forms():
            measured = _measure(source)
            if measured is None:
                continue
            n, tol = measured
            ratio = len(text.strip()) / n
            if ratio > typical * tol or ratio < typical / tol:
                params = {"ratio": f"{ratio:.2f}x", "lang": unit.language,
                          "typical": f"{typical:.2f}x"}
                out.append(unit.where(i, total)
                           + (TOO_LONG if ratio > typical else TOO_SHORT) % params)
        return out
