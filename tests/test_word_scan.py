"""The word checks' whole-catalogue scan (issue 9, session 6) finds exactly what the plain
rules find.

``SpellingCheck.candidates`` works out every message's spelling problems at once
(:func:`workflow.checks.word_scan.spelling_found`: catalogue-wide suspects, one intersection
per text, the source-word exemption only for texts with a suspect that is a source word,
suspects ordered by ``words.index``); ``leftover_kept`` screens the leftover check's
messages from the catalogue's unknown words; ``source_words`` reads a source without a
capital past its first word from the token memo. Each is compared with the rule it stands
for: the check run message by message with no screen (the per-text memo path) and the
word-by-word reference of ``tests/test_gate_speed.py``, on a real Hunspell dictionary.
"""

from __future__ import annotations

import random

import pytest

from tests.checks_support import catalog, msg
from tests.test_gate_speed import SOURCE_EN, _Glossary, _ref_suspicious, _texts
from workflow.checks import registry
from workflow.checks.base import Unit
from workflow.checks.batch import Batch

#: sources whose words (some capitalised, some French) are also in the translations
SOURCES = (SOURCE_EN, "Forcibly returned defectors, crimes against humanity.",
           "{count} defectors support the Council", "Human rights: urgent support.",
           "Les droits de Zorglubix et la commission", "rapport Genève Xqwertz Maria")
#: words the French dictionary does not know, capitalised or not, at sentence starts or not
ODD = ("Zorglubix", "zorglubix", "Xqwertz", "xqwertz", "ZORG", "Auspicios", "Defectors",
       "Zorglubix-Xqwertz", "l'Xqwertz", "queestálargo", "Queestálargo", "ab", "Ab")


@pytest.fixture
def verdicts(tmp_path, monkeypatch):
    monkeypatch.setenv("LETTERFLOW_CACHE_DIR", str(tmp_path / "cache"))


def _mixed(n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for text in _texts(n, seed=seed):
        words = text.split()
        for _ in range(rnd.randint(0, 4)):
            words.insert(rnd.randint(0, len(words)), rnd.choice(ODD))
        out.append(" ".join(words).replace(" . ", ". ") if rnd.random() < 0.4
                   else " ".join(words))
    return out


def _batch(lang: str, texts: list[str], glossary=None, seed: int = 1) -> Batch:
    """One catalogue of *texts*: some plural, some with two strings, some fuzzy."""
    rnd = random.Random(seed)
    messages = []
    for i, text in enumerate(texts):
        source = rnd.choice(SOURCES)
        if i % 9 == 0:
            messages.append(msg(source, text, rnd.choice(texts), plural=source + "s",
                                context=f"t/{i}"))
        else:
            messages.append(msg(source, text, context=f"t/{i}", fuzzy=i % 5 == 0))
    shared = {"glossary": glossary, "run": {}, "deferred": {}}
    return Batch(messages, catalog(lang, messages), lang, None, shared)


def _plain_spelling(unit: Unit, dictionary) -> list[str]:
    """The spelling problems of *unit* from the word-by-word reference."""
    out = []
    total = len(unit.strings)
    for i, _source, text in unit.forms():
        words = _ref_suspicious(unit, text, dictionary)
        if words:
            shown = ", ".join(map(repr, words[:8]))
            more = f" and {len(words) - 8} more" if len(words) > 8 else ""
            out.append(f"{unit.where(i, total)}not in the {dictionary.tag} dictionary: "
                       f"{shown}{more}")
    return out


@pytest.mark.parametrize("tokens_max", [None, 7], ids=["memo", "memo-emptied"])
@pytest.mark.parametrize("glossary", [None, _Glossary()], ids=["no-glossary", "dnt-names"])
def test_spelling_from_the_scan_matches_the_plain_check(verdicts, monkeypatch, glossary,
                                                        tokens_max):
    from workflow.checks import word_scan
    from workflow.checks.spelling import FOUND, dictionary_for

    if tokens_max:  # the token memo emptied many times on the way
        monkeypatch.setattr(word_scan, "_TOKENS_MAX", tokens_max)

    dictionary = dictionary_for("fr")
    assert dictionary is not None, "hunspell-fr is a system dependency"
    spelling = registry["spelling"]
    texts = _mixed(1500, seed=5) + ["Zorglubix zorglubix. Zorglubix", "{count} Xqwertz",
                                    "Les défenseurs Zorglubix sont là. Xqwertz.", "ab ZORG"]
    scanned = _batch("fr", texts, glossary)
    assert spelling.candidates(scanned) is None  # every message is still asked
    memo = scanned.shared["run"][FOUND]
    fresh = _batch("fr", texts, glossary)  # no candidates(): the per-text memo path
    found = names_skipped = 0
    for unit, plain in zip(scanned.units, fresh.units, strict=True):
        assert unit in memo
        want = spelling.check(plain)
        assert spelling.check(unit) == want, unit.strings
        assert want == _plain_spelling(plain, dictionary), unit.strings
        found += bool(want)
        names_skipped += any(w in s for s in unit.strings for w in ("Zorglubix", "Xqwertz")
                             ) and not any("Zorglubix'" in p or "Xqwertz'" in p for p in want)
    assert found > 300 and names_skipped > 30
    assert len(memo) == len(scanned.units)


def test_spelling_source_words_are_exempt_only_in_their_own_message(verdicts):
    """A suspect that is a word of one message's source is still reported in another."""
    from workflow.checks.spelling import dictionary_for

    dictionary = dictionary_for("fr")
    messages = [msg("Les droits de Zorglubix", "la zorglubix xqwertz", context="t/1"),
                msg("Nothing here", "la zorglubix xqwertz", context="t/2")]
    b = Batch(messages, catalog("fr", messages), "fr", None, {"glossary": None, "run": {}})
    registry["spelling"].candidates(b)
    first, second = (registry["spelling"].check(u) for u in b.units)
    assert first == ["not in the fr_FR dictionary: 'xqwertz'"]
    assert second == ["not in the fr_FR dictionary: 'zorglubix', 'xqwertz'"]
    assert first == _plain_spelling(b.units[0], dictionary)


def test_leftover_kept_matches_the_plain_rule(verdicts):
    from workflow.checks.leftover import _ALL_CANDIDATES, source_candidates
    from workflow.checks.spelling import dictionary_for, unknown_words
    from workflow.checks.word_scan import leftover_kept

    dictionary = dictionary_for("fr")
    texts = _mixed(1500, seed=8) + ["defectors forcibly", "Zorglubix rapport support",
                                    "la commission", "{count} {country_of} support"]
    for glossary in (None, _Glossary()):
        b = _batch("fr", texts, glossary, seed=3)
        cands = source_candidates([(u.source, u.source_plural) for u in b.units])
        kept = leftover_kept(b, dictionary, cands, _ALL_CANDIDATES)
        fresh = _batch("fr", texts, glossary, seed=3)
        want = {i for i, (u, c) in enumerate(zip(fresh.units, cands, strict=True))
                if c and any(dictionary.any_suspect_in(unknown_words(u, t, dictionary)[2], c)
                             for _i, _s, t in u.forms())}
        assert kept == want
        assert 20 < len(kept) < len(b.units)
        assert kept == registry["leftover"].candidates(_batch("fr", texts, glossary, seed=3))


@pytest.mark.parametrize("source", [
    "the Council met", "The Council met", "  The council met", "{count} Widespread abuse",
    "support. The Council", "x İstanbul", "İstanbul x", "ǅemal x", "x ǅemal", "1 The x",
    "(The x", "the x: Maria", "", "  ", "123", "Éa éa", "éa Éa", "l'Union de l'ONU",
    "de-Facto x", "x\u00a0Y", "The\u00a0x", "ǅ", "aB c", "İ",
])
def test_source_words_without_capitals_match_the_plain_rule(source):
    from tests.test_word_checks_memo import _ref_source_words
    from workflow.checks.words import source_words

    source_words.cache_clear()
    assert source_words((source,)) == _ref_source_words((source,))
    source_words.cache_clear()
    assert source_words((source, "the Plural x")) == _ref_source_words((source, "the Plural x"))


def test_leftover_kept_reads_capitalised_and_lowercase_suspects(verdicts):
    """A source word left in capitalised ("Defectors"), or only in lower case, or only in
    a plural form: each message is kept, as the plain rule keeps it; known words are not."""
    from workflow.checks.leftover import _ALL_CANDIDATES, source_candidates
    from workflow.checks.spelling import dictionary_for
    from workflow.checks.word_scan import leftover_kept

    dictionary = dictionary_for("fr")
    messages = [msg(SOURCE_EN, "Le rapport Defectors du Nord", context="t/1"),
                msg(SOURCE_EN, "le rapport forcibly", context="t/2"),
                msg(SOURCE_EN, "le rapport du Conseil", context="t/3"),
                msg("{n} defectors", "{n} réfugié", "{n} Defectors", plural="{n} defectors",
                    context="t/4"),
                msg(SOURCE_EN, "la commission humanity", context="t/5")]
    b = Batch(messages, catalog("fr", messages), "fr", None, {"glossary": None, "run": {}})
    cands = source_candidates([(u.source, u.source_plural) for u in b.units])
    assert leftover_kept(b, dictionary, cands, _ALL_CANDIDATES) == {0, 1, 3, 4}
    for i, unit in enumerate(b.units):
        assert bool(registry["leftover"].check(unit)) == (i != 2), unit.strings


def test_leftover_candidates_from_the_length_memo_match_the_plain_rule(monkeypatch):
    """The candidates of a source: its casefolded words, names aside, of 3 letters or
    more (the word-length memo emptied many times on the way)."""
    from workflow.checks import leftover
    from workflow.checks.words import source_words

    monkeypatch.setattr(leftover, "_LONG_MAX", 5)
    rnd = random.Random(3)
    pool = ["The", "the", "Council", "of", "UN", "x", "Éa", "İ", "ab", "abc", "l'Union",
            ".", " ", ":", "{count}", "ǅx", "Ab", "défenseurs"]
    for _ in range(3000):
        sources = tuple(" ".join(rnd.choice(pool) for _ in range(rnd.randint(0, 9)))
                        for _ in range(rnd.randint(1, 2)))
        leftover._words_and_names.cache_clear()
        words, names, candidates = leftover._words_and_names(sources)
        assert (words, names) == source_words(sources)
        assert candidates == {w for w in words - names if len(w) >= 3}, sources


def test_problem_text_from_the_repr_memo_matches_the_plain_format(monkeypatch):
    from workflow.checks import spelling

    monkeypatch.setattr(spelling, "_REPRS_MAX", 4)  # emptied many times on the way
    rnd = random.Random(2)
    pool = ["mot", "l'Union", 'say"x', "back\\slash", "aujourd’hui", "é", "\u200bzw", "Ǆ",
            "tab\tx", "it's", "\x7f", "日本"]
    for _ in range(3000):
        words = [rnd.choice(pool) for _ in range(rnd.randint(1, 11))]
        where = rnd.choice(["", "form 1: "])
        more = f" and {len(words) - 8} more" if len(words) > 8 else ""
        want = f"{where}not in the fr_FR dictionary: {', '.join(map(repr, words[:8]))}{more}"
        assert spelling.problem(where, "fr_FR", words) == want


def test_other_chars_are_what_the_other_char_class_matches():
    """complex_units looks for _OTHER_CHAR's characters with ``in``: the same set, every
    code point."""
    from workflow.checks.words import _OTHER_CHAR, _OTHER_CHARS

    matched = {c for c in map(chr, range(0x110000)) if _OTHER_CHAR.fullmatch(c)}
    assert matched == set(_OTHER_CHARS)
    assert len(_OTHER_CHARS) == len(set(_OTHER_CHARS))


@pytest.mark.parametrize("extra", ["", "a/b", "x&amp;", "\u00b2", "[1]", "www.x", "%(n)s",
                                   "mail@x", "\u2079x", "<b>"])
def test_complex_units_match_the_one_pass_per_pattern_rule(extra):
    from workflow.checks.words import _OTHER_CHAR, complex_units

    plain = [f"le rapport {i} de la Commission" for i in range(300)]
    for texts, glossary in [(plain, None), (_mixed(300, seed=11), None),
                            (_mixed(300, seed=11), _Glossary())]:
        texts[17] = texts[17] + " " + extra
        b = _batch("fr", texts, glossary, seed=4)
        want = set(b.multi)
        for pattern in (_OTHER_CHAR, "www.", "%("):
            want |= b.text_hits(pattern)
        if glossary is not None:
            for name in glossary.dnt_names():
                want |= b.text_hits(name)
            want.update(i for i, u in enumerate(b.units) if glossary.in_source(u.source))
        got = complex_units(b)
        assert got == want
        assert 17 in got or not extra


def _ref_starts(clean: str) -> list[str]:
    """The sentence-starting words as in_order found them before (session 6): the words
    after a mark, then the first word if the text (white space aside) begins with it."""
    from workflow.checks.spelling import _AFTER_MARK
    from workflow.checks.words import _WORD

    starts = _AFTER_MARK.findall(clean)
    first = _WORD.search(clean)
    if first is not None and clean.lstrip().startswith(first.group()):
        starts.append(first.group())
    return starts


def test_sentence_starts_match_the_search_and_test_rule():
    """in_order reads the first word with one anchored match: the same words, in the same
    order, as the mark pattern plus the first-word search and test."""
    from workflow.checks.spelling import sentence_starts

    rnd = random.Random(7)
    pool = ["Zorg", "zorg", ".", ". ", "(", "( ", '"', "\u00ab", ":", " ", "  ", "\t",
            "\u00a0", "l'Union", "Ab-Cd", "-", "1", "2x", "Éa", "\u201c", "[", "?!", "\n",
            "x.Y", "{n}", "\u2019", "'"]
    for _ in range(20000):
        text = "".join(rnd.choice(pool) for _ in range(rnd.randint(0, 9)))
        assert sentence_starts(text) == _ref_starts(text), repr(text)
