"""Numbers: the same numbers in the source and the translation.

Locale spellings count as equal: Arabic-Indic (١٧٩) and Persian (۱۷۹) digits, full-width
digits (１７９) and any other Unicode decimal digits; thousands separators "1 000",
"1.000", "1,000", "1'000" (also with no-break and narrow no-break spaces); decimal
comma or point ("1,5" = "1.5"; Arabic ٫).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from workflow.checks.base import ERROR, Check, Unit
from workflow.checks.markup import TAG_RE
from workflow.checks.messages import N_
from workflow.checks.placeholders import strip_placeholders

GROUP_SEPS = " \u00a0\u202f\u2009.,'\u2019\u066c"
DECIMAL_SEPS = ".,\u066b"
NUMBER_RE = re.compile(r"\d+(?:[ \u00a0\u202f\u2009.,'\u2019\u066c\u066b]\d+)*")
_SPLIT_RE = re.compile(r"(\d+)")
_DIGIT_RE = re.compile(r"\d")


def _ascii_digits(token: str) -> str:
    if token.isascii():
        return token
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in token)


@lru_cache(maxsize=4096)
def readings(token: str) -> tuple[frozenset[Decimal], ...]:
    """The possible values of a number token, as one or more numbers.

    Returns a tuple with one set of candidate values per number the token stands for
    (a token like "2012 179" whose groups are not thousands stands for two).
    """
    token = _ascii_digits(token)
    parts = _SPLIT_RE.split(token)[1:-1] if token[0].isdigit() else _SPLIT_RE.split(token)
    groups = parts[0::2]
    seps = parts[1::2]
    if not seps:
        return (frozenset({Decimal(groups[0])}),)
    values: set[Decimal] = set()
    tail_ok = all(len(g) == 3 for g in groups[1:])
    if tail_ok and len(set(seps)) == 1 and seps[0] in GROUP_SEPS:
        values.add(Decimal("".join(groups)))  # all separators group thousands
    last = seps[-1]
    if last in DECIMAL_SEPS and all(len(g) == 3 for g in groups[1:-1]):
        rest = seps[:-1]
        if not rest or (len(set(rest)) == 1 and rest[0] in GROUP_SEPS and rest[0] != last):
            try:
                values.add(Decimal("".join(groups[:-1]) + "." + groups[-1]))
            except InvalidOperation:
                pass
    if values:
        return (frozenset(values),)
    # not one number ("1, 2", "2012 179"): every group stands alone
    return tuple(frozenset({Decimal(g)}) for g in groups)


def numbers(text: str) -> list[frozenset[Decimal]]:
    """Candidate-value sets of every number in *text*, placeholders and tags removed."""
    text = strip_placeholders(text)
    if "<" in text:
        text = TAG_RE.sub(" ", text)
    found: list[frozenset[Decimal]] = []
    for m in NUMBER_RE.finditer(text):
        found.extend(readings(m.group().rstrip(GROUP_SEPS)))
    return found


@lru_cache(maxsize=65536)
def _source_numbers(text: str) -> list[frozenset[Decimal]]:
    return numbers(text) if _DIGIT_RE.search(text) else []


#: What numbers() removes before reading (placeholders, printf, masks, tags) starts so.
_STRIPPED = re.compile(r"[{%\[<]")


@lru_cache(maxsize=65536)
def _plain_numbers(source: str) -> list[str] | None:
    """The number tokens of a source in order, if numbers() reads them as they stand
    (nothing stripped) and each as one value; else None."""
    if _STRIPPED.search(source):
        return None
    tokens = NUMBER_RE.findall(source)
    for token in tokens:
        if any(len(values) != 1 for values in readings(token)):
            return None
    return sorted(tokens)


def _show(values: frozenset[Decimal]) -> str:
    return " or ".join(sorted(format(v.normalize(), "f") for v in values))


def compare(source: list[frozenset[Decimal]], target: list[frozenset[Decimal]]):
    """(source numbers missing from target, target numbers not in source)."""
    left = list(target)
    missing = []
    for want in sorted(source, key=len):
        for j, got in enumerate(left):
            if want & got:
                del left[j]
                break
        else:
            missing.append(want)
    return missing, left


MISSING_NUMBER = N_("number %(numbers)s missing")
EXTRA_NUMBER = N_("number %(numbers)s not in the source")


class NumberCheck(Check):
    """Numbers match the source.

    Every number of the source must be in the translation and the translation may add
    none: "179" must stay 179. Localised digits (١٧٩, ۱۷۹, １７９) and locale separators
    ("1 000", "1.000", "1,000") count as the same number. Placeholders are not numbers.
    """

    id = "numbers"
    severity = ERROR
    messages = (MISSING_NUMBER, EXTRA_NUMBER)
    trigger = r"\d"

    def candidates(self, batch) -> list[int]:
        # a translation with the very number tokens of its source, each one value, nothing
        # to strip: the same numbers, nothing to report
        findall = NUMBER_RE.findall

        def differs(_i: int, s: str, t: str) -> bool:
            want = _plain_numbers(s)
            return want is None or bool(_STRIPPED.search(t)) or sorted(findall(t)) != want
        return batch.unsettled(self.trigger, differs)

    def check(self, unit: Unit) -> list[str]:
        out: list[str] = []
        total = len(unit.strings)
        srcs = unit.sources()
        if not any(_DIGIT_RE.search(s) for s in srcs) and not any(
            _DIGIT_RE.search(t) for t in unit.strings
        ):
            return out
        src_numbers = [_source_numbers(s) for s in srcs]
        for i, _source, text in unit.forms():
            got = numbers(text) if _DIGIT_RE.search(text) else []
            if not got and not any(src_numbers):
                continue
            # a plural form may use the numbers of either source form
            best = None
            for want in src_numbers:
                result = compare(want, got)
                if best is None or len(result[0]) + len(result[1]) < len(best[0]) + len(best[1]):
                    best = result
            missing, extra = best
            where = unit.where(i, total)
            if missing:
                out.append(where + MISSING_NUMBER % {"numbers": ", ".join(map(_show, missing))})
            if extra:
                out.append(where + EXTRA_NUMBER % {"numbers": ", ".join(map(_show, extra))})
        return out
