"""The word checks' short cuts (issue 9, session 4) find exactly what the plain rules find.

Each one (tokens read with ``str.split`` instead of one regex over the text, the spelling
suspects worked out with set operations, names told apart without reading every word's
position, the leftover pre-test on the casefolded text, letters counted on a prefix, the
function-word tally over the function words only) is compared with the rule it replaces,
on random texts built to hit their edges and on real Hunspell dictionaries.
"""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from tests.checks_support import catalog, msg
from workflow.checks.base import Unit

#: Letters, joiners, digits (decimal and not), marks, every kind of white space, the
#: characters casefolding and lower-casing change in length, and punctuation.
ALPHABET = [*"abcXYZéÉßİıΣς'’-_.,;:!?()[]{}\"«»“”…/@<>&%w0123456789²½ \t\n",
            "\u00a0", "\u2009", "\u3000", "\u0301", "\u05d0", "\u4e2d", "\u0663", "\x1c",
            "\x85", "\u1680", "ǅ", "ϒ", "ﬁ", "Ⅻ", "ᾼ", "www.", "%(", "(n)"]


def _random_texts(n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 30)))
            for _ in range(n)]


def test_word_tokens_are_the_regex_findall():
    from workflow.checks import function_words, words

    for text in _random_texts(10000, seed=11) + ["", " ", "mot.", "Un mot, deux-mots."]:
        assert words.words_of(text) == words._WORD.findall(text), repr(text)
        assert function_words.words_of(text) == function_words._WORD_RE.findall(
            text.lower()), repr(text)
        assert words._maybe_special(text) == (
            words._MAYBE_SPECIAL.search(text) is not None), repr(text)


def _ref_by_script(clean: str, lang: str, minimum: int):
    """language._by_script as it was: every letter counted first."""
    from workflow.checks import language as lg

    letters = sum(map(str.isalpha, clean))
    if letters < minimum:
        return ""
    scripts = lg.scripts_of(lang)
    if clean.isascii():
        own = letters if "latin" in scripts else 0
    elif scripts == lg._LATIN:
        own = letters - len(lg._NON_LATIN_RE.findall(clean))
    else:
        own = sum(len(lg._SCRIPT_RES[s].findall(clean)) for s in scripts)
    if own * 2 >= letters:
        return None
    counts = lg.script_counts(clean)
    return f"text is mostly {max(counts, key=counts.__getitem__).title()} script, not {lang} text"


@pytest.mark.parametrize("lang", ["fr", "ru", "zh", "ar", "ja", "ko", "sr", "el"])
def test_letters_counted_on_a_prefix_decide_as_the_full_count(lang):
    from workflow.checks.language import MIN_LETTERS, _by_script

    rnd = random.Random(5)
    # letters of several scripts, digits and marks inside a script's range (Arabic comma
    # and digits), spaces of several kinds, numbers that are not letters
    pieces = ["mot ", "слово ", "字", "12 ", ". ", "², ", "  ", "é", "Ⅻ", "عربي ", "١٢",
              "، ", "アイ", "한국 ", "αβ ", "\u00a0", "Ѐ", "\t"]
    for _ in range(3000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 40)))
        assert _by_script(text, lang, MIN_LETTERS) == _ref_by_script(text, lang, MIN_LETTERS)


def _ref_tally(words, langs):
    from workflow.checks.function_words import _index, _owners

    index, owners = _index(langs), _owners(langs)
    shares, exclusive = dict.fromkeys(langs, 0), dict.fromkeys(langs, 0)
    for w in words:
        for lang in index.get(w, ()):
            shares[lang] += 1
        if w in owners:
            exclusive[owners[w]] += 1
    return shares, exclusive


def _ref_verdict(target, langs, words):
    """function_words.verdict as it was: the full tally of every word, always."""
    from workflow.checks import function_words as fw

    if not words or fw._index(langs).keys().isdisjoint(words):
        return None
    shares, exclusive = _ref_tally(words, langs)
    best = sorted(langs, key=lambda lang: (-shares[lang], -exclusive[lang]))[0]
    if best != target and shares[target] == shares[best]:
        best = target
    runner_up = max((shares[lang] for lang in langs if lang != best), default=0)
    excl_other = max((exclusive[lang] for lang in langs if lang != best), default=0)
    n = len(words)
    if (shares[best] >= fw.MIN_RATIO * n and shares[best] - runner_up >= fw.MARGIN * n
            and exclusive[best] >= fw.MIN_HITS_WITH_SHARE
            and exclusive[best] >= 3 * excl_other):
        return ("ok", target) if best == target else ("wrong", best)
    mine = exclusive[target]
    others = {lang: exclusive[lang] for lang in langs if lang != target}
    rival = max(others, key=others.__getitem__, default="")
    other = others.get(rival, 0)
    if mine >= fw.MIN_HITS and other * 3 <= mine:
        return ("ok", target)
    if other >= fw.MIN_HITS and shares[target] == 0:
        return ("wrong", rival)
    return None


def _ref_not_a_leftover(words, source, langs):
    from workflow.checks.function_words import MAX_FUNCTION_SHARE, MAX_SOURCE_SHARE, _index

    if not words:
        return False
    index = _index(langs)
    if not index.keys().isdisjoint(words):
        if sum(1 for w in words if w in index) >= MAX_FUNCTION_SHARE * len(words):
            return False
    own = set(re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", source.lower()))
    return sum(1 for w in words if w in own) <= MAX_SOURCE_SHARE * len(words)


def test_function_word_tally_verdict_and_leftover_match_the_plain_rules():
    from workflow.checks import function_words as fw

    langs = ("ca", "de", "en", "es", "fr", "it", "pt")
    pool = sorted({w for lang in langs for w in fw.FUNCTION_WORDS[lang]})
    source = "x1 x2 le the"
    rnd = random.Random(3)
    seen: Counter = Counter()
    for _ in range(6000):
        share = rnd.random()
        words = [rnd.choice(pool) if rnd.random() < share else rnd.choice(("xa", "xb", "x1"))
                 for _ in range(rnd.randint(0, 14))]
        text = " ".join(words)
        assert fw._tally(words, langs) == _ref_tally(words, langs)
        for target in ("fr", "es", "en"):
            found = fw.verdict(text, target, langs, words)
            assert found == _ref_verdict(target, langs, words), (text, target)
            seen[found and found[0]] += 1
        assert fw.not_a_leftover(text, source, "fr", langs, "en", words) == (
            _ref_not_a_leftover(words, source, langs)), text
    assert seen["ok"] and seen["wrong"] and seen[None]  # every answer happens


@pytest.fixture
def verdicts(tmp_path, monkeypatch):
    monkeypatch.setenv("LETTERFLOW_CACHE_DIR", str(tmp_path / "cache"))


def test_a_verdict_merged_from_another_process_is_still_reported(verdicts):
    """A word whose verdict came from another gate worker's save (merged into `known`
    without the good/bad sets) is reported as before."""
    from workflow.checks.spelling import dictionary_for, suspicious_words

    dictionary = dictionary_for("fr")
    assert dictionary is not None, "hunspell-fr is a system dependency"
    dictionary.known.setdefault("queestálargo", False)  # as _merge_saved leaves it
    dictionary.known.setdefault("maison", True)
    m = msg("The house", "Une maison queestálargo.", context="t/merged")
    unit = Unit(m, catalog("fr", [m]), "fr", None, {"glossary": None, "run": {}})
    assert suspicious_words(unit, m.strings[0], dictionary) == ["queestálargo"]


def test_names_and_sentence_starts(verdicts):
    """A capitalised unknown word is a name inside a sentence and a word at a sentence
    start: both in one text keep the order of the first occurrence that counts."""
    from workflow.checks.spelling import dictionary_for, suspicious_words

    dictionary = dictionary_for("fr")
    cases = {
        "Zorglubix mange. Une zorglubix.": ["Zorglubix", "zorglubix"],
        "Une Zorglubix mange. Zorglubix encore.": ["Zorglubix"],
        "Une Zorglubix mange xqwertz.": ["xqwertz"],
        "  « Zorglubix » dit-il, xqwertz.": ["Zorglubix", "xqwertz"],
        "xqwertz (Zorglubix) et Zorglubix": ["xqwertz", "Zorglubix"],
    }
    for text, expected in cases.items():
        m = msg("Nothing in common", text, context="t/names")
        unit = Unit(m, catalog("fr", [m]), "fr", None, {"glossary": None, "run": {}})
        assert suspicious_words(unit, text, dictionary) == expected, text
