"""Labels for the plural boxes of the editor: the CLDR category of each gettext plural
form with example numbers ("one: 1, 21, 31…", "many: 11–99…", "other: 100–102, 1.5…").

The form a number takes is the catalogue's own ``Plural-Forms`` expression (what the
export will use); the category name is CLDR's (Babel) for those numbers."""

from __future__ import annotations

import functools
from collections import Counter
from decimal import Decimal

from workflow.textrules import plural_function

#: Integers tried for examples, plus large round numbers (French uses form 1 for millions).
_SAMPLES = [*range(0, 230), 1000, 10_000, 100_000, 1_000_000, 2_000_000]
_LAST = 229
_DECIMALS = ["0.5", "1.5", "2.5", "0.1", "1.1", "2.1"]


def _runs(numbers: list[int], limit: int = 3) -> str:
    """"1, 21, 31…" / "3–10, 103–110…": the first *limit* runs of consecutive numbers."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = []
    for r in runs[:limit]:
        if r[-1] == _LAST and len(r) > 1:  # open-ended: the samples stop, the numbers don't
            parts.append(f"{r[0]}, {r[1]}…")
            return ", ".join(parts)
        parts.append(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}")
    return ", ".join(parts) + ("…" if len(runs) > limit else "")


@functools.lru_cache(maxsize=64)
def plural_labels(lang: str, plural_expr: str, nplurals: int) -> tuple[dict, ...]:
    """One ``{"index", "category", "examples"}`` per form; category "" if CLDR has no rule."""
    from babel import Locale

    try:
        form_of = plural_function(plural_expr)
    except (ValueError, SyntaxError):
        form_of = None
    try:
        rule = Locale.parse(lang).plural_form
    except (ValueError, LookupError):
        rule = None
    numbers: list[list[int]] = [[] for _ in range(nplurals)]
    for n in _SAMPLES:
        i = form_of(n) if form_of else min(n, nplurals - 1)
        if 0 <= i < nplurals:
            numbers[i].append(n)
    out = []
    for i, nums in enumerate(numbers):
        cats = Counter(rule(n) for n in nums) if rule else Counter()
        category = cats.most_common(1)[0][0] if cats else ""
        examples = _runs(nums)
        if rule and category:
            decimals = [d for d in _DECIMALS if rule(Decimal(d)) == category]
            if decimals:
                examples = (examples.rstrip("…") + ", " if examples else "") + decimals[0] + "…"
        out.append({"index": i, "category": category, "examples": examples})
    return tuple(out)
