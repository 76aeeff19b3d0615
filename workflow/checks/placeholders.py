"""Placeholders: ``{country}``, ``{0}``, ``%(name)s``, ``%s``, ``%1$d`` and MT mask tokens.

The parsing helpers here are shared with the numbers, brackets and whitespace checks
(they strip placeholders before looking at the text).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from workflow.checks.base import ERROR, MT_DAMAGED_FLAG, Check, Problem, Unit
from workflow.checks.messages import N_
from workflow.textrules import PLACEHOLDER as BRACE_RE

#: printf directives as python-format / c-format know them.
PRINTF_RE = re.compile(
    r"%%|%(?:\((?P<key>\w+)\)|(?P<pos>\d+)\$)?[-+ #0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?"
    r"(?:hh|h|ll|l|L|q|j|z|t)?(?P<conv>[diouxXeEfFgGcrsaAbp])"
)
#: The same without the space and quote flags, for entries that carry no format flag
#: (so "100% sure" is not read as "% s").
PRINTF_STRICT_RE = re.compile(
    r"%%|%(?:\((?P<key>\w+)\)|(?P<pos>\d+)\$)?[-+#0]*(?:\d+)?(?:\.\d+)?"
    r"(?:hh|h|ll|l|L|q|j|z|t)?(?P<conv>[diouxXeEfFgGcrsaAbp])(?![A-Za-z])"
)
#: Mask tokens the MT layer puts around placeholders; one left in a translation is damage.
MASK_RE = re.compile(r"\[\[\s*\d+\s*\]\]")

PRINTF_FLAGS = frozenset({"python-format", "c-format"})
NO_PRINTF_FLAGS = frozenset({"no-python-format", "no-c-format"})


def printf_regex(flags: frozenset[str], source: str) -> re.Pattern[str] | None:
    """The printf regex to use for an entry, or None if it has no printf directives."""
    if flags & PRINTF_FLAGS:
        return PRINTF_RE
    if flags & NO_PRINTF_FLAGS or "%" not in source:
        return None
    for m in PRINTF_STRICT_RE.finditer(source):
        if m.group(0) != "%%":
            return PRINTF_STRICT_RE
    return None


def placeholders(text: str, printf: re.Pattern[str] | None = None) -> Counter[str]:
    """Multiset of placeholder keys in *text*, each spelled as it would be written."""
    keys: Counter[str] = Counter()
    if "{" in text:
        auto = 0
        for m in BRACE_RE.finditer(text):
            if m.group(1) is None:
                continue  # "{{" / "}}"
            name = m.group(1)
            if name == "":
                name = f"#{auto}"  # "{}" auto-numbering
                auto += 1
                keys[f"{{}}{name}"] += 1
            else:
                keys["{" + name + "}"] += 1
    if printf is not None and "%" in text:
        seq = 0
        for m in printf.finditer(text):
            if m.group(0) == "%%":
                continue
            conv = m.group("conv")
            if m.group("key"):
                keys[f"%({m.group('key')}){conv}"] += 1
            elif m.group("pos"):
                keys[f"%{m.group('pos')}${conv}"] += 1
            else:
                seq += 1
                keys[f"%{conv} (#{seq})"] += 1
    if "[[" in text:
        for m in MASK_RE.finditer(text):
            keys["[[" + m.group(0).strip("[] ") + "]]"] += 1
    return keys


def strip_placeholders(text: str) -> str:
    """*text* with brace fields, printf directives and mask tokens replaced by a space."""
    if "{" in text:
        text = BRACE_RE.sub(" ", text)
    if "%" in text:
        text = PRINTF_STRICT_RE.sub(" ", text)
    if "[[" in text:
        text = MASK_RE.sub(" ", text)
    return text


_COUNT_NAME_RE = re.compile(r"(?:n|num|number|count|total|amount|qty|\d+)", re.IGNORECASE)


def _count_keys(keys: Counter[str]) -> Counter[str]:
    """The placeholders of a plural source that may carry the count."""
    names = Counter(
        {
            k: v
            for k, v in keys.items()
            if _COUNT_NAME_RE.fullmatch(k.strip("{}%()").split(")")[0].split(":")[0])
            or (k.startswith("%") and k.split(" (#")[0][-1] in "diu")
        }
    )
    if not names and len(keys) == 1:
        return Counter(keys)
    return names


@lru_cache(maxsize=65536)
def _source_side(
    sources: tuple[str, ...], mode: str
) -> tuple[re.Pattern[str] | None, Counter[str], Counter[str]]:
    """(printf regex, expected placeholders, count placeholders) of an entry's sources.

    Cached: the same source is checked once per catalogue.
    """
    printf = None
    if mode == "full":
        printf = PRINTF_RE
    elif mode == "auto":
        for s in sources:
            printf = printf or printf_regex(frozenset(), s)
    expected: Counter[str] = Counter()
    for s in sources:
        expected |= placeholders(s, printf)
    return printf, expected, _count_keys(placeholders(sources[-1], printf))


#: The placeholder pattern with the whole match as a group (findall gives each field as
#: written: "{{" and "{}" apart).
_WHOLE = re.compile(f"({BRACE_RE.pattern})")


@lru_cache(maxsize=65536)
def _brace_fields(source: str) -> list[tuple[str, str]] | None:
    """The brace fields of a source as written, sorted; None if it has printf or masks."""
    if "%" in source or "[[" in source:
        return None
    return sorted(_WHOLE.findall(source))


MT_DAMAGED = N_("machine translation damaged the placeholders (flag %(flag)s)")
LEFTOVER_MASK = N_("leftover MT mask %(masks)s in the translation")
PRINTF_CHANGED = N_("printf directives %(want)s became %(got)s")
RENAMED = N_("placeholder %(old)s renamed to %(new)s")
MISSING = N_("missing placeholder %(names)s")
INVENTED = N_("placeholder %(names)s not in the source")
NONE = N_("none")


def _sequence(text: str, printf: re.Pattern[str] | None) -> str:
    """The unnumbered printf directives of *text* in order ("%s %d"), or "none"."""
    if printf is None:
        return NONE
    seq = [m.group(0) for m in printf.finditer(text) if m.group(0) != "%%"]
    seq = [d for d in seq if "(" not in d and "$" not in d]
    return " ".join(seq) if seq else NONE


def _show(keys: Counter[str]) -> str:
    return ", ".join(sorted(k.split(" (#")[0] for k in keys.elements()))


class PlaceholderCheck(Check):
    """Placeholders present, none invented, none renamed.

    Every placeholder of the source ({country}, {0}, %(name)s, %s, %1$d) must appear in
    each translated form, and the translation may add none. A plural form used for a
    single number (n == 1, Arabic zero/two) may leave out one placeholder of the plural
    source (the count, spelled out), as msgfmt -c allows. An entry the MT layer flagged
    letterflow-mt-damaged (the engine mangled the placeholder mask) is always an error,
    and so is a leftover [[n]] mask.
    """

    id = "placeholders"
    severity = ERROR
    messages = (MT_DAMAGED, LEFTOVER_MASK, PRINTF_CHANGED, RENAMED, MISSING, INVENTED)
    words = (NONE,)
    needs_translation = False  # an mt-damaged entry is an error even if copied
    trigger = r"{}%\[\]"  # (the runner also runs it for letterflow-mt-damaged entries)

    def candidates(self, batch) -> list[int]:
        # the brace fields of the source, as written, and nothing else that could be a
        # placeholder (printf, masks): what the source expects is what the text has
        units = batch.units

        def differs(i: int, s: str, t: str) -> bool:
            want = _brace_fields(s)
            return (want is None or "%" in t or "[[" in t or sorted(_WHOLE.findall(t)) != want
                    or MT_DAMAGED_FLAG in units[i].flags)
        return batch.unsettled(self.trigger, differs)

    def check(self, unit: Unit) -> list[str | Problem]:
        out: list[str | Problem] = []
        flags = unit.flags
        if MT_DAMAGED_FLAG in flags:
            out.append(MT_DAMAGED % {"flag": MT_DAMAGED_FLAG})
        sources = unit.sources()
        mode = "full" if flags & PRINTF_FLAGS else ("off" if flags & NO_PRINTF_FLAGS else "auto")
        printf, expected, count_keys = _source_side(sources, mode)
        single_forms = unit.single_value_forms() if unit.plural else frozenset()
        total = len(unit.strings)
        for i, text in enumerate(unit.strings):
            if not text:
                continue
            if not expected and "{" not in text and "%" not in text and "[[" not in text:
                continue  # fast path: nothing in the source, nothing in the translation
            found = placeholders(text, printf)
            if found == expected:
                continue
            missing = expected - found
            if i in single_forms and sum(missing.values()) == 1 and not missing - count_keys:
                # a form used for one n only may spell the number out: drop the count
                missing = Counter()
            invented = found - expected
            where = unit.where(i, total)
            masks = Counter({k: v for k, v in invented.items() if k.startswith("[[")})
            invented -= masks
            if masks:
                out.append(where + LEFTOVER_MASK % {"masks": _show(masks)})
            if any(" (#" in k for k in (missing | invented)):
                want = " ".join(_sequence(s, printf) for s in sources[:1])
                got = _sequence(text, printf)
                out.append(where + PRINTF_CHANGED % {"want": want, "got": got})
                missing = Counter({k: v for k, v in missing.items() if " (#" not in k})
                invented = Counter({k: v for k, v in invented.items() if " (#" not in k})
            if missing and invented and sum(missing.values()) == sum(invented.values()):
                out.append(where + RENAMED % {"old": _show(missing), "new": _show(invented)})
                continue
            if missing:
                out.append(where + MISSING % {"names": _show(missing)})
            if invented:
                out.append(where + INVENTED % {"names": _show(invented)})
        return out
