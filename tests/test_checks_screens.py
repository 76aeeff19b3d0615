"""The other checks' whole-catalogue screens and the Batch's column helpers (issue 9, session
6) find exactly what the plain rules find.

Each is compared with the rule it stands for on random texts: the register screen's regex
(first letters as a case-sensitive class, the words as a trie) with the plain pattern, the
untranslated and length screens with the rule their check applies, the brackets check's
reading of its own characters with a loop over every character, and the Batch's columns,
source columns, trigger pass (a positive class for a long text with no astral character)
and unit positions with plain comprehensions.
"""

from __future__ import annotations

import math
import random
import re
import sys

import pytest

from tests.checks_support import catalog, msg
from workflow.checks import registry
from workflow.checks.base import MT_DAMAGED_FLAG
from workflow.checks.batch import SEP, Batch, _trigger_parts

WORDS = ["tu", "Tu", "TOI", "ton", "tes", "t'", "t’", "te", "du", "dich", "Deinen", "euch",
         "ты", "ТЕБЕ", "твоё", "vosotros", "os", "contigo", "ciebie", "cię", "tobą", "et",
         "vós", "túa", "voi", "tuo"]
BITS = [" ", "-", "'", "’", "a", "x", "é", "1", "_", SEP, "\n", "\u00a0", "ᲄ", "ᲅ", "İ",
        "ſ", "\u212a", "ß", ".", ",", "(", "«"]


def _random_text(rng: random.Random, pool: list[str]) -> str:
    return "".join(rng.choice(pool) for _ in range(rng.randrange(0, 9)))


def _batch(pairs: list[tuple[str, tuple[str, ...]]], lang: str = "fr") -> Batch:
    messages = [msg(src, *strings, plural=f"{src}s" if len(strings) > 1 else None,
                    context=f"t/{i}", flags=(MT_DAMAGED_FLAG,) if i % 7 == 3 else ())
                for i, (src, strings) in enumerate(pairs)]
    return Batch(messages, catalog(lang, messages), lang, None, {})


@pytest.mark.parametrize("lang", ["fr", "es", "de", "it", "pt", "ru", "pl", "ca", "gl"])
def test_register_screen_finds_what_the_pattern_finds(lang):
    from workflow.checks.register import INFORMAL, _pattern, _screen

    screen, pattern = _screen(lang), _pattern(lang)
    assert screen is not None and pattern is not None
    # every character that IGNORECASE matches with a word's first letter starts a match
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    for word in INFORMAL[lang]:
        for c in set(re.findall(f"(?i:{re.escape(word[0])})", every)):
            text = f"x {c}{word[1:]} y"
            assert pattern.search(text) and screen.search(text), (lang, c, word)
    rng = random.Random(lang)
    pool = WORDS + list(INFORMAL[lang]) + [w.upper() for w in INFORMAL[lang]] + BITS
    for _ in range(3000):
        text = _random_text(rng, pool)
        assert bool(screen.search(text)) == bool(pattern.search(text)), (lang, text)
    # and over a batch: the same messages as the plain pattern's one pass
    texts = [_random_text(rng, pool).replace(SEP, " ") or "x" for _ in range(300)]
    b = _batch([(f"source {i}", (t,)) for i, t in enumerate(texts)], lang)
    assert b.text_hits(screen) == b.text_hits(pattern)
    assert registry["register"].candidates(b) == b.text_hits(pattern)


def _pairs(rng: random.Random, n: int) -> list[tuple[str, tuple[str, ...]]]:
    """Sources and translations of all kinds: the same text in another case, with space
    around, casefolding that changes the length (ß), short and long, some plural."""
    words = ["Seoul", "ICNK", "Straße", "STRASSE", "Total", "total", "the", "letter", "ok",
             "{n}", "179", "Dear Minister,", "ﬁn", "İ", "x" * 30]
    out = []
    for i in range(n):
        src = " ".join(rng.choice(words) for _ in range(rng.randrange(1, 6)))
        kind = rng.randrange(6)
        if kind == 0:
            text = src
        elif kind == 1:
            text = f"  {src.upper()} "
        elif kind == 2:
            text = src.casefold()
        elif kind == 3:
            text = src * rng.randrange(1, 8)
        else:
            text = " ".join(rng.choice(words) for _ in range(rng.randrange(1, 12)))
        out.append((src, (text, text + " s") if i % 13 == 5 else (text,)))
    return out


@pytest.mark.parametrize("lang", ["fr", "de", "zh", "sv"])
def test_untranslated_and_length_screens_keep_what_their_checks_report(lang):
    from workflow.checks.length import DEFAULT_RATIO, TYPICAL_RATIO, _measure

    rng = random.Random(lang)
    b = _batch(_pairs(rng, 400), lang)
    index, sources, texts = b.columns
    for check_id in ("untranslated", "length"):
        check = registry[check_id]
        picked = set(check.candidates(b))
        reported = {i for i, u in enumerate(b.units) if check.check(u)}
        assert reported <= picked, check_id
        assert set(b.multi) <= picked
    # untranslated: the same (stripped) length and the same casefolded text
    want = {i for i, s, t in zip(index, sources, texts, strict=True)
            if len(t.strip()) == len(s.strip()) and t.strip().casefold() == s.strip().casefold()}
    assert set(registry["untranslated"].candidates(b)) - set(b.multi) == want
    # length: exactly the old loop's ratio test
    typical = TYPICAL_RATIO.get(lang, DEFAULT_RATIO)
    want = set()
    for i, s, t in zip(index, sources, texts, strict=True):
        if (measured := _measure(s)) is not None:
            ratio = len(t.strip()) / measured[0]
            if ratio > typical * measured[1] or ratio < typical / measured[1]:
                want.add(i)
    assert set(registry["length"].candidates(b)) - set(b.multi) == want
    assert want, "the table has outliers"


def test_brackets_read_only_their_characters():
    from workflow.checks import brackets
    from workflow.checks.placeholders import strip_placeholders

    def reference(text: str) -> set[str]:  # the loop over every character
        text = strip_placeholders(text)
        depth: dict[str, int] = {}
        bad: set[str] = set()
        quotes = 0
        for c in text:
            if c in brackets._DELTA:
                cat, d = brackets._DELTA[c]
                depth[cat] = depth.get(cat, 0) + d
                if depth[cat] < 0:
                    bad.add(cat)
            elif c in brackets._PAIRED_QUOTES:
                quotes += 1
        bad.update(cat for cat, d in depth.items() if d != 0)
        if quotes % 2:
            bad.add("double quotes")
        return bad

    rng = random.Random(5)
    pool = list("()[]{}«»‹›「」『』（）［］｛｝【】〔〕《》〈〉\"“”„ax ") + ["{n}", "%s", "{0}"]
    for _ in range(3000):
        text = _random_text(rng, pool)
        assert brackets.unbalanced(text) == reference(text), text


def test_batch_columns_positions_and_source_columns():
    rng = random.Random(3)
    pairs = _pairs(rng, 120)
    messages = [msg(src, *strings, plural=f"{src}s" if len(strings) > 1 else None,
                    context=f"t/{i}") for i, (src, strings) in enumerate(pairs)]
    messages[4] = msg("dead", "", context="t/4")  # untranslated: no unit
    messages[9] = msg("two", "a", "b", context="t/9")  # two strings, no plural
    b = Batch(messages, catalog("fr", messages), "fr", None, {"run": {}})
    live = [m for m in messages if not m.obsolete and any(m.strings)]
    assert [u.message for u in b.units] == live
    assert b._unit_of == [live.index(m) if m in live else -1 for m in messages]
    singles = [(i, u.source, u.strings[0]) for i, u in enumerate(b.units)
               if not u.plural and len(u.strings) == 1]
    assert b.singles == singles and list(zip(*b.columns, strict=True)) == singles
    assert b.multi == [i for i, u in enumerate(b.units) if u.plural or len(u.strings) != 1]
    assert b.source_column("upper", str.upper) == [s.upper() for _, s, _ in singles]
    # kept for the next language of the same sources, by name
    again = Batch(messages, catalog("de", messages), "de", None, {"run": {}})
    assert again.source_column("upper", str.lower) == [s.upper() for _, s, _ in singles]
    assert again.source_column("lower", str.lower) == [s.lower() for _, s, _ in singles]
    trigger = registry["placeholders"].trigger
    todo = b.triggered(trigger)
    assert todo >= {i for i, u in enumerate(b.units)
                    if "{" in u.source or "{" in "".join(u.strings)}

    def differs(i: int, s: str, t: str) -> bool:
        assert (s, t) == (b.units[i].source, b.units[i].strings[0])
        return len(t) % 2 == 0
    want = {i for i in b.multi if i in todo} | {i for i, s, t in singles
                                                  if i in todo and differs(i, s, t)}
    assert set(b.unsettled(trigger, differs)) == want


def test_long_trigger_pass_with_and_without_astral_characters():
    """A long text (over 100,000 characters) with no astral character is read with one
    positive class; with one, by removing the rest: both name what a search per text does."""
    rng = random.Random(11)
    alphabet = ["a", " ", "1", "٣", "{", "}", "%", "<", "«", "」", "\x07", "\ud800", "é", SEP,
                "\U0001d7d8"]
    triggers = tuple(dict.fromkeys(c.trigger for c in registry.values() if c.trigger))
    for astral in (False, True):
        pool = alphabet if astral else alphabet[:-1]
        parts = ["".join(rng.choice(pool) for _ in range(rng.randrange(0, 40)))
                 for _ in range(6000)]
        parts.append("a ٣ b " * 3000)
        joined = SEP + SEP.join(parts) + SEP
        assert len(joined) > 100_000
        want = {t: frozenset(i for i, p in enumerate(parts) if re.search(f"[{t}]", p))
                for t in triggers}
        assert _trigger_parts(triggers, joined, parts) == want, astral


def test_length_never_measures_a_short_source():
    from workflow.checks.length import _measure_or_never

    assert _measure_or_never("short") == (1, math.inf)
    assert _measure_or_never("x" * 40)[0] == 40


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_end_punctuation_screen_is_the_last_characters_test(lang):
    """The screen (the sources' last characters kept per source) picks what the plain
    comparison of last and before-last characters picks, and all check() reports."""
    from workflow.checks.punctuation import _NOT_PLAIN, _NOT_PLAIN_FR

    rng = random.Random(lang)
    ends = ["", ".", "..", "...", "!", "?", " !", "\u00a0?", ":", ",", "…", "。", "»", ".)", " "]
    pairs = []
    for i in range(600):
        src = "Text" + rng.choice(ends)
        text = "Texte" + rng.choice(ends)
        pairs.append((src, (text, text + "s") if i % 17 == 4 else (text,)))
    b = _batch(pairs, lang)
    special = _NOT_PLAIN_FR if lang == "fr" else _NOT_PLAIN
    want = set(b.multi)
    for i, s, t in zip(*b.columns, strict=True):
        if (t[-1:] != s[-1:] or t[-1:] in special
                or (t[-1:] == "." and (t[-2:-1] == "." or s[-2:-1] == "."))):
            want.add(i)
    check = registry["end-punctuation"]
    assert check.candidates(b) == want
    assert {i for i, u in enumerate(b.units) if check.check(u)} <= want



def test_long_mostly_ascii_texts_are_thinned_by_bytes_before_the_trigger_pass():
    """A long text mostly in ASCII loses its plain ASCII characters in one bytes pass first
    (batch._without_plain_ascii): the trigger pass then names what a search per text
    names, with letters outside ASCII, astral digits, lone surrogates and SEP in texts; a
    text mostly outside ASCII skips that step and gets the same answer."""
    from workflow.checks import batch as batch_module

    rng = random.Random(12)
    triggers = tuple(dict.fromkeys(c.trigger for c in registry.values() if c.trigger))
    for script in ("Latin", "Cyrillic"):
        pool = (["a b c d e f g h ", "å", "é", "’", "ж"] if script == "Latin" else
                ["жизнь права ", "a"]) + ["1", "٣", "\U0001d7d8", "{", "}", "%", "<", "«",
                                         "」", "\x07", "\ud800", "(", ")", '"', SEP, "["]
        weights = [60] + [1] * (len(pool) - 1)
        parts = ["".join(rng.choices(pool, weights, k=rng.randrange(0, 30)))
                 for _ in range(8000)]
        joined = SEP + SEP.join(parts) + SEP
        assert len(joined) > 100_000
        fewer = batch_module._without_plain_ascii(triggers, joined)
        assert (fewer is not None) == (script == "Latin")
        if fewer is not None:
            assert len(fewer) < len(joined) // 4 and fewer.count(SEP) == joined.count(SEP)
        want = {t: frozenset(i for i, p in enumerate(parts) if re.search(f"[{t}]", p))
                for t in triggers}
        assert _trigger_parts(triggers, joined, parts) == want, script
    # every ASCII character is dropped unless it is SEP or a trigger's
    dropped = set(batch_module._plain_ascii(triggers).decode("ascii"))
    for c in map(chr, range(128)):
        wanted = c == SEP or any(re.match(f"[{t}]", c) for t in triggers)
        assert (c in dropped) != wanted, repr(c)


def test_register_screen_is_the_one_re_casefix_built():
    """The register screen's first letters come from ``re``'s own IGNORECASE matching (a
    public API), not from the private table ``re._casefix``; on this Python the screen is
    exactly the one that table built (each letter, its lower and upper case, the table's
    extra cases of those)."""
    from re._casefix import _EXTRA_CASES

    from workflow.checks.register import INFORMAL, _alternatives, _screen, _trie

    for lang, words in INFORMAL.items():
        tree = _trie(words)
        firsts = set()
        for first in tree:
            for c in (first, first.lower(), first.upper()):
                firsts.update([c], map(chr, _EXTRA_CASES.get(ord(c), ())))
        rest = "|".join(f"(?<={re.escape(f)}){_alternatives(sub)}"
                        for f, sub in sorted(tree.items()))
        chars = re.escape("".join(sorted(firsts)))
        old = rf"(?-i:[{chars}])(?<![\w'\u2019-].)(?:{rest})(?![\w-])"
        assert _screen(lang).pattern == old, lang
