"""The word checks' whole-catalogue screens and cross-language memos (issue 9, session 5)
find exactly what the plain rules find.

The leftover check's screen (a word of the source's candidates among a translation's words,
and with a dictionary one that spelling reports), the memos kept across the languages a
process checks (a source's leftover candidates, a token's casefolded words), the exempt
text's short cut for texts whose only special character is "{", spelling's sentence starts
told apart by counting, and the glossary check's screen are each compared with the rule
they stand for, on random texts and real Hunspell dictionaries.
"""

from __future__ import annotations

import random

import pytest

from tests.checks_support import catalog, msg
from tests.test_gate_speed import (
    SOURCE_EN,
    _Glossary,
    _ref_exempt,
    _ref_leftovers,
    _ref_suspicious,
    _texts,
)
from workflow.checks import registry
from workflow.checks.base import Unit
from workflow.checks.batch import Batch


@pytest.fixture
def verdicts(tmp_path, monkeypatch):
    monkeypatch.setenv("LETTERFLOW_CACHE_DIR", str(tmp_path / "cache"))


SOURCES = (SOURCE_EN, "Forcibly returned defectors, crimes against humanity.",
           "{count} defectors support the Council", "Human rights: urgent support.")


def _batch(lang: str, texts: list[str], glossary=None, seed: int = 1) -> Batch:
    """One catalogue of *texts* (some plural, some with two strings) over a few sources."""
    rnd = random.Random(seed)
    messages = []
    for i, text in enumerate(texts):
        source = rnd.choice(SOURCES)
        if i % 11 == 0:  # a plural message: its forms are read one by one
            messages.append(msg(source, text, rnd.choice(texts), plural=source + "s",
                                context=f"t/{i}"))
        else:
            messages.append(msg(source, text, context=f"t/{i}"))
    shared = {"glossary": glossary, "run": {}, "deferred": {}}
    return Batch(messages, catalog(lang, messages), lang, None, shared)


@pytest.mark.parametrize("glossary", [None, _Glossary()], ids=["no-glossary", "dnt-names"])
@pytest.mark.parametrize("lang", ["fr", "sv"])  # sv: no Hunspell dictionary installed
def test_the_leftover_screen_keeps_every_message_with_a_leftover(verdicts, glossary, lang):
    from workflow.checks.leftover import leftovers

    texts = _texts(700, seed=23) + ["defectors forcibly", "{count} {country_of} support",
                                    "crimes against humanity", "Maria: support Council"]
    screened = _batch(lang, texts, glossary)
    kept = registry["leftover"].candidates(screened)
    fresh = _batch(lang, texts, glossary)  # check() on units the screen never touched
    found = 0
    for i, unit in enumerate(fresh.units):
        problems = registry["leftover"].check(unit)
        assert not problems or i in kept, unit.strings
        for _i, _source, text in unit.forms():
            dictionary = None
            if lang == "fr":
                from workflow.checks.spelling import dictionary_for

                dictionary = dictionary_for(lang)
            assert leftovers(unit, text) == _ref_leftovers(unit, text, dictionary), text
        found += bool(problems)
    assert found > 10 and len(kept) < len(fresh.units)  # the screen leaves messages out


@pytest.mark.parametrize("lang", ["fr", "sv"])
def test_the_leftover_screen_with_placeholders_across_tokens_and_texts(verdicts, lang):
    """Braces that open in one token (or one form) and close in another, the separator
    of joined texts inside a text, source words next to braces: every message with a
    leftover stays in."""
    rnd = random.Random(17)
    pieces = ["defectors", "forcibly", "returned", "crimes", "humanity", "support", "{",
              "}", "{count}", "{a b}", "x{", "}y", " ", " ", " ", "\x7f", "{defectors}",
              "défenseurs", "la", ".", "-", "'", "Council", "{\x7f}"]
    texts = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 14)))
             for _ in range(3000)]
    texts = [t if t.strip() else "x" for t in texts]
    # a brace opened at the end of one translation and closed in the next: two texts,
    # no placeholder (joined, they would read as one)
    edge = [msg(SOURCE_EN, "le {x", context="t/a"),
            msg(SOURCE_EN, "defectors,forcibly} la", context="t/b")]
    b = Batch(edge, catalog(lang, edge), lang, None, {"glossary": None, "run": {}})
    assert registry["leftover"].check(b.units[1])
    assert 1 in registry["leftover"].candidates(
        Batch(edge, catalog(lang, edge), lang, None, {"glossary": None, "run": {}}))
    found = left_out = 0
    for n in range(0, len(texts), 2):  # small catalogues: each text's words count
        pair = texts[n:n + 2]
        kept = registry["leftover"].candidates(_batch(lang, pair, seed=n))
        fresh = _batch(lang, pair, seed=n)
        for i, unit in enumerate(fresh.units):
            problems = registry["leftover"].check(unit)
            assert not problems or i in kept, unit.strings
            found += bool(problems)
            left_out += i not in kept
    assert found > 100 and left_out > 100


@pytest.mark.parametrize("lang", ["fr", "sv"])
def test_the_leftover_screen_needs_a_word_not_a_piece_of_one(verdicts, lang):
    """Source words inside placeholders or inside longer words are no leftover: the
    screen leaves those messages out (and with a dictionary, words it knows)."""
    texts = ["{count} défenseurs", "les supporters", "councillors", "Le Council support"]
    b = _batch(lang, texts)
    kept = registry["leftover"].candidates(b)
    assert {b.units[i].strings[0] for i in kept} <= {"Le Council support"}


def test_a_changed_source_never_gets_the_candidates_of_the_old_one():
    from workflow.checks import leftover

    before = leftover.source_candidates([("Support the defectors", None)])[0]
    assert before == {"support", "the", "defectors"}
    after = leftover.source_candidates([("Support the refugees", None)])[0]
    assert after == {"support", "the", "refugees"}
    plural = leftover.source_candidates([("Support the refugees", "Support all refugees")])
    assert plural[0] == {"support", "the", "all", "refugees"}
    # the same source again: the very same answer, from the memo
    assert leftover.source_candidates([("Support the defectors", None)])[0] is (
        leftover._CANDIDATES[("Support the defectors", None)])


def test_source_candidates_survive_the_memo_being_emptied(monkeypatch):
    from workflow.checks import leftover

    monkeypatch.setattr(leftover, "_CANDIDATES_MAX", 3)
    keys = [(f"Support {w} urgently", None) for w in ("alpha", "bravo", "charlie", "delta",
                                                      "echo")]
    for some in (keys[:2], keys, keys[3:], keys[1:4]):  # hits, then the memo emptied
        got = leftover.source_candidates(some)
        assert got == [leftover._words_and_names((k[0],))[2] for k in some]
        # the union the screen without a dictionary reads holds every answer given
        assert leftover._ALL_CANDIDATES.issuperset(frozenset().union(*got))
    assert len(leftover._CANDIDATES) <= 5


def _ref_source_words(sources):
    """source_words as it was: word by word, walking back over white space."""
    import re

    words, names = set(), set()
    for s in sources:
        for m in re.finditer(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*", s):
            w = m.group(0)
            words.add(w.casefold())
            i = m.start() - 1
            while i >= 0 and s[i].isspace():
                i -= 1
            if w[0].isupper() and i >= 0 and s[i] not in ".!?:;":
                names.add(w.casefold())
    return frozenset(words), frozenset(names)


def test_source_words_and_names_match_the_plain_rule():
    from workflow.checks.words import source_words

    rnd = random.Random(12)
    pool = ["The", "the", "Council", " ", "  ", ".", ":", ";", "!", "?", ",", "(", "\u00a0",
            "Geneva", "x", "É", "éa", "ǅ", "l'Union", "-", "{count}", "1", " \t", "İ"]
    for _ in range(20000):
        sources = tuple("".join(rnd.choice(pool) for _ in range(rnd.randint(0, 12)))
                        for _ in range(rnd.randint(1, 2)))
        source_words.cache_clear()
        assert source_words(sources) == _ref_source_words(sources), sources


def test_token_memo_words_are_the_words_of_the_text(monkeypatch):
    from tests.test_word_checks_speed import _random_texts
    from workflow.checks import words

    monkeypatch.setattr(words, "_TOKENS_MAX", 50)  # emptied many times on the way
    for text in _random_texts(4000, seed=31) + _texts(300, seed=2):
        want = [w.casefold() for w in words.words_of(text)]
        assert list(words.folded_words(text)) == want, repr(text)
        assert list(words.folded_words(text)) == want, repr(text)  # from the memo


@pytest.mark.parametrize("glossary", [None, _Glossary()], ids=["no-glossary", "dnt-names"])
def test_exempt_text_short_cuts_match_the_plain_rule(glossary):
    from workflow.checks.words import complex_units, exempt_text, plain_exempt

    rnd = random.Random(4)
    pieces = ["{count}", "{", "}", "{a b}", "x{y", "mot", "Maria", "un@ohchr.org", "a@b",
              "https://x.org/{id}", "<g1>", "&amp;", "[1]", "²", " ", "  ", "www.x.org",
              "Human Rights Watch", "{Maria}", "\x7f"]
    texts = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12)))
             for _ in range(2000)]
    b = _batch("fr", [t or "x" for t in texts], glossary)
    odd = complex_units(b)
    for i, unit in enumerate(b.units):
        for _i, _source, text in unit.forms():
            assert exempt_text(unit, text) == _ref_exempt(unit, text), repr(text)
            if i not in odd:
                assert plain_exempt(text) == exempt_text(unit, text), repr(text)
    assert len(odd) < len(b.units)


def test_spelling_sentence_starts_by_count_match_the_plain_rule(verdicts):
    """Capitalised unknown words as names, at sentence starts, or both in one text."""
    from workflow.checks.spelling import dictionary_for, suspicious_words

    dictionary = dictionary_for("fr")
    assert dictionary is not None, "hunspell-fr is a system dependency"
    rnd = random.Random(9)
    pool = ["Zorglubix", "Xqwertz", "zorglubix", "xqwertz", "maison", "Maison", "Defectors",
            "defectors", "le", ".", ",", "!", "«", "»", "(", ")", ":", "\u201c", "ZORG", "[",
            "Zorglubix-Xqwertz", "l'Xqwertz", "{count}"]
    seen = 0
    for i in range(3000):
        text = " ".join(rnd.choice(pool) for _ in range(rnd.randint(1, 12)))
        if rnd.random() < 0.3:
            text = text.replace(" . ", ". ").replace(" ,", ",")
        m = msg(SOURCE_EN, text, context=f"t/{i}")
        unit = Unit(m, catalog("fr", [m]), "fr", None, {"glossary": None, "run": {}})
        found = suspicious_words(unit, text, dictionary)
        assert found == _ref_suspicious(unit, text, dictionary), text
        seen += any(w[0].isupper() for w in found)
    assert seen > 100


def test_the_glossary_screen_keeps_the_messages_with_a_term(verdicts):
    from tests.conftest import REPO
    from workflow.checks.glossary import load_glossary

    glossary = load_glossary(REPO / "locales" / "glossary.tbx")
    texts = ["Les crimes contre l'humanité", "Le Conseil", "Rien"]
    messages = [msg("Crimes against humanity were committed", texts[0], context="t/1"),
                msg("The Human Rights Council", texts[1], context="t/2"),
                msg("Nothing here", texts[2], context="t/3"),
                msg("{n} letter", "{n} lettre", "{n} crimes against humanity",
                    plural="{n} crimes against humanity", context="t/4")]
    b = Batch(messages, catalog("fr", messages), "fr", None,
              {"glossary": glossary, "run": {}, "deferred": {}})
    kept = registry["glossary"].candidates(b)
    assert kept == {0, 1, 3}
    for i, unit in enumerate(b.units):
        assert i in kept or not registry["glossary"].check(unit)
    none = Batch(messages, catalog("fr", messages), "fr", None, {"glossary": None, "run": {}})
    assert registry["glossary"].candidates(none) == set()
