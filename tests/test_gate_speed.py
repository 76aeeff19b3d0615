"""The cold gate's short cuts (issue 9) find exactly what the plain rules find.

Each fast path (words checked as a set, the leftover pre-test, the protected-span
pre-test, letter facts from the front matter, checks that cannot apply left out, the
countries' cache) is compared with the word-by-word rule it replaces, on real Hunspell
dictionaries and the repository's real letters and catalogues.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from tests.checks_support import catalog, msg
from tests.conftest import REPO, write_project
from workflow.checks.base import Unit

WORDS_FR = ("les droits de l'homme sont universels Corée du Nord camps auspicios "
            "queestálargo défenseurs aujourd’hui ONU Genève Maria defectors forcibly "
            "réfugiés et la commission humanity crimes against Council rapport "
            "demandons votre soutien urgent").split()
SOURCE_EN = ("The Human Rights Council met in Geneva. Maria asks for support: 179 "
             "defectors from North Korea, crimes against humanity, forcibly returned.")
EXTRAS = ("{count}", "{country_of}", "<g1>", "</g1>", "<dnt>Human Rights Watch</dnt>",
          "A/HRC/25/63", "https://example.org/x", "un@ohchr.org", "[1]", "²", "&amp;",
          "www.hrw.org", ".", ",", ":", "!", "«", "»", "(", ")", "HRW", "UN", "de-facto")


class _Glossary:
    """The two glossary calls exempt_text makes, with do-not-translate names."""

    def dnt_names(self):
        return ("Human Rights Watch", "Maria")

    def in_source(self, source):
        return []


def _texts(n: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    pool = (*WORDS_FR, *EXTRAS)
    out = []
    for _ in range(n):
        words = [rnd.choice(pool) for _ in range(rnd.randint(1, 18))]
        if rnd.random() < 0.5:
            words[0] = words[0].capitalize()
        out.append(" ".join(words))
    return out


# ---- the rules as they were written before the short cuts (the reference) -------------
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
_SKIP = re.compile(r"\{[^{}]*\}|<[^<>]*>|&\w+;|https?://\S+|\S+@\S+")


def _ref_exempt(unit: Unit, text: str) -> str:
    from workflow.mt import protect

    glossary = unit.cache.get("glossary")
    names = glossary.dnt_names() if glossary is not None else ()
    spans = [protect.Span(m.start(), m.end(), m.group(0), "dnt")
             for m in protect._DNT.finditer(text)]
    for m in protect._BUILTIN.finditer(text):
        if m.lastgroup == "un" and not protect._UN_SHAPE.search(m.group(0)):
            continue
        spans.append(protect.Span(m.start(), m.end(), m.group(0), "x"))
    for name in sorted(set(names), key=len, reverse=True):
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            spans.append(protect.Span(m.start(), m.end(), m.group(0), "name"))
    for span in protect._disjoint(spans):
        text = text.replace(span.text, " ")
    return _SKIP.sub(" ", text)


def _ref_suspicious(unit: Unit, text: str, dictionary) -> list[str]:
    source_words = {w.casefold() for s in unit.sources() for w in _WORD.findall(s)}
    out: list[str] = []
    clean = _ref_exempt(unit, text)
    for m in _WORD.finditer(clean):
        word = m.group(0)
        if len(word) < 3 or word.isupper() or word.casefold() in source_words:
            continue
        before = clean[: m.start()].rstrip()
        if word[0].isupper() and not (not before or before[-1] in ".!?:;\"\u201c\u00ab(["):
            continue
        if not dictionary.check(word) and word not in out:
            out.append(word)
    return out


def _ref_leftovers(unit: Unit, text: str, dictionary) -> list[str]:
    words, names = set(), set()
    for s in unit.sources():
        for m in _WORD.finditer(s):
            w = m.group(0)
            words.add(w.casefold())
            before = s[: m.start()].rstrip()
            if w[0].isupper() and before and before[-1] not in ".!?:;":
                names.add(w.casefold())
    runs, run = [], []
    for m in _WORD.finditer(_ref_exempt(unit, text)):
        w = m.group(0)
        key = w.casefold()
        if (len(w) >= 3 and key in words and key not in names and not w.isupper()
                and (dictionary is None or not dictionary.check(w))):
            run.append(w)
            continue
        if run:
            runs.append(" ".join(run))
            run = []
    if run:
        runs.append(" ".join(run))
    if dictionary is None:
        runs = [r for r in runs if " " in r]
    return list(dict.fromkeys(runs))


# ---- the tests ------------------------------------------------------------------------
@pytest.fixture
def verdicts(tmp_path, monkeypatch):
    monkeypatch.setenv("LETTERFLOW_CACHE_DIR", str(tmp_path / "cache"))


@pytest.mark.parametrize("glossary", [None, _Glossary()], ids=["no-glossary", "dnt-names"])
@pytest.mark.parametrize("lang", ["fr", "sv"])  # sv: no Hunspell dictionary installed
def test_spelling_and_leftover_short_cuts_agree_with_the_plain_rules(verdicts, glossary, lang):
    from workflow.checks.leftover import leftovers
    from workflow.checks.spelling import dictionary_for, suspicious_words

    dictionary = dictionary_for(lang)
    if lang == "fr":
        assert dictionary is not None, "hunspell-fr is a system dependency"
    seen_spelling = seen_leftover = 0
    for i, text in enumerate(_texts(600)):
        m = msg(SOURCE_EN, text, context=f"t/{i}")
        unit = Unit(m, catalog(lang, [m]), lang, None, {"glossary": glossary, "run": {}})
        found = leftovers(unit, text)
        assert found == _ref_leftovers(unit, text, dictionary), text
        seen_leftover += bool(found)
        if dictionary is not None:
            words = suspicious_words(unit, text, dictionary)
            assert words == _ref_suspicious(unit, text, dictionary), text
            seen_spelling += bool(words)
    assert seen_leftover > 20  # the texts do exercise both checks
    assert lang != "fr" or seen_spelling > 100


def test_protected_spans_pre_test_never_drops_a_span():
    from workflow.mt import protect

    texts = _texts(400, seed=3) + ["see A/HRC/25/63 and S/RES/2094 (2013)", "x² y³",
                                   "mail un@ohchr.org", "www.hrw.org/report", "[^2] note"]
    for text in texts:
        spans = [protect.Span(m.start(), m.end(), m.group(0), "dnt")
                 for m in protect._DNT.finditer(text)]
        for m in protect._BUILTIN.finditer(text):
            kind = {"un": "un-symbol", "url": "url", "email": "email", "note": "footnote"}[
                m.lastgroup or "url"]
            if kind == "un-symbol" and not protect._UN_SHAPE.search(m.group(0)):
                continue
            spans.append(protect.Span(m.start(), m.end(), m.group(0), kind))
        assert protect.builtin_spans(text) == protect._disjoint(spans), text
    assert protect.builtin_spans("Plain words, nothing special.") == []


def _letters(tmp_path: Path) -> list[Path]:
    seed = (REPO / "letters" / "icnk-2012.txt").read_text(encoding="utf-8")
    variants = {
        "seed.txt": seed,
        "informal.txt": seed.replace('register = "formal"', 'register = "informal"'),
        "crlf.txt": seed.replace("\n", "\r\n"),
        "none.txt": re.sub(r'(?m)^register = .*\n', "", seed),
    }
    out = []
    for name, text in variants.items():
        (tmp_path / name).write_bytes(text.encode("utf-8"))
        out.append(tmp_path / name)
    return [*sorted((REPO / "letters").glob("*")), *out]


def test_letter_facts_from_the_front_matter_match_load_letter(tmp_path):
    from workflow.checks.letter_facts import letter_facts
    from workflow.letter import load_letter

    paths = _letters(tmp_path)
    assert 'register = "formal"' in paths[0].read_text(encoding="utf-8")
    registers = set()
    for path in paths:
        letter = load_letter(path)
        facts = letter_facts(path)
        assert tuple(facts) == (letter.id, letter.register, letter.plural_count), path
        registers.add(facts.register)
    assert registers == {"formal", "informal", ""}
    bad = tmp_path / "bad.txt"
    bad.write_text(paths[0].read_text(encoding="utf-8").replace(
        'register = "formal"', 'register = "casual"'), encoding="utf-8")
    with pytest.raises(Exception, match="register"):
        load_letter(bad)
    with pytest.raises(Exception, match="register"):
        letter_facts(bad)


def test_checks_that_cannot_apply_are_left_out_of_whole_catalogue_runs(monkeypatch, verdicts):
    from workflow.checks import registry, run_checks

    asked: list[str] = []
    for check_id in ("spelling", "register"):
        check = registry[check_id]
        original = check.check

        def spy(unit, _id=check_id, _original=original):
            asked.append(_id)
            return _original(unit)

        monkeypatch.setattr(check, "check", spy)
    m = msg("Thank you", "Tack så mycket, du", context="icnk-2012/x")
    sv = catalog("sv", [m])
    assert not registry["spelling"].applies("sv") and not registry["register"].applies("sv")
    run_checks(sv)  # Swedish: no Hunspell dictionary here, no informal-address list
    assert asked == []
    run_checks(sv, message=m)  # one message (the review UI) asks every check, as before
    assert sorted(asked) == ["register", "spelling"]
    asked.clear()
    fr = catalog("fr", [msg("Thank you", "Je te remercie", context="icnk-2012/x")])
    found = run_checks(fr)
    assert sorted(asked) == ["register", "spelling"]
    assert any(f.check_id == "register" and "'te'" in f.message for f in found)


def _gate_project(tmp_path: Path) -> object:
    from workflow.config import load_config

    root = write_project(tmp_path / "p", languages=("fr", "es", "pt"))
    (root / "locales").mkdir()
    shutil.copy(REPO / "locales" / "letter.pot", root / "locales" / "letter.pot")
    for lang in ("fr", "es", "pt"):
        folder = root / "locales" / lang / "LC_MESSAGES"
        folder.mkdir(parents=True)
        for name in ("letter.po", "countries.po"):
            shutil.copy(REPO / "locales" / lang / "LC_MESSAGES" / name, folder / name)
    return load_config(root)


def test_gate_workers_save_their_spelling_verdicts(tmp_path, monkeypatch):
    """Forked workers end without atexit: each saves its verdicts after every catalogue."""
    import json

    from workflow.gate import run_gate

    cache = tmp_path / "cache"
    monkeypatch.setenv("LETTERFLOW_CACHE_DIR", str(cache))
    cfg = _gate_project(tmp_path)
    report = run_gate(cfg, ["fr", "es", "pt"], [], use_cache=False, jobs=2)
    assert report.stats and not any(f.check_id == "syntax" for f in report.findings)
    from workflow.catalogs import load_catalog
    from workflow.checks.spelling import exempt_words

    for lang, tag in (("fr", "fr_FR"), ("es", "es_ES"), ("pt", "pt_PT")):
        saved = json.loads((cache / "spelling" / f"{tag}.json").read_text(encoding="utf-8"))
        assert any(saved["words"].values()) and not all(saved["words"].values()), tag
        cat = load_catalog(cfg.catalog(lang), lang)
        seen: set[str] = set()
        for m in cat.active():
            unit = Unit(m, cat, lang, cfg, {"glossary": None})
            for text in m.strings:
                seen.update(exempt_words(unit, text)[1] if text else ())
        assert len(seen) > 100 and not seen - set(saved["words"]), tag  # every verdict kept


def test_warm_gate_reads_the_countries_findings_from_the_cache(tmp_path, monkeypatch):
    import workflow.gate_countries as gc
    from workflow.gate import render, run_gate

    monkeypatch.setenv("LETTERFLOW_CACHE_DIR", str(tmp_path / "cache"))
    cfg = _gate_project(tmp_path)
    path = cfg.root / "locales" / "fr" / "LC_MESSAGES" / "countries.po"
    text = path.read_text(encoding="utf-8")
    entry = re.search(r'#, fuzzy\nmsgctxt "(country/[A-Z]+/name)"\nmsgid ".*"\nmsgstr "(.+)"\n',
                      text)
    assert entry is not None
    approved = entry.group(0).replace("#, fuzzy\n", "").replace(
        f'msgstr "{entry.group(2)}"', f'msgstr "{entry.group(2)}\\b"')  # a control character
    path.write_text(text.replace(entry.group(0), approved), encoding="utf-8")
    cold = render(run_gate(cfg, ["fr", "es", "pt"], []), "text", cfg.root)
    parsed: list[str] = []
    original = gc._findings
    monkeypatch.setattr(gc, "_findings", lambda p, lang: parsed.append(lang) or original(p, lang))
    warm = render(run_gate(cfg, ["fr", "es", "pt"], []), "text", cfg.root)
    assert warm == cold and parsed == []
    assert f"[control-chars] fr {entry.group(1)}" in warm
    path.write_text(text, encoding="utf-8")  # the file changed: read again
    again = render(run_gate(cfg, ["fr", "es", "pt"], []), "text", cfg.root)
    assert parsed == ["fr"] and "control-chars" not in again


def test_gate_workers_after_the_detector_ran_in_this_process(tmp_path, monkeypatch):
    """A library caller that already ran lingua gets spawned workers: lingua's native
    thread pool does not survive a fork (a forked worker waited forever)."""
    from workflow.checks.language import detector
    from workflow.gate import _fork_context, run_gate

    detector(frozenset({"fr", "es", "en"})).detect_languages_in_parallel_of(["un texte", "x"])
    assert _fork_context() is None
    monkeypatch.setenv("LETTERFLOW_CACHE_DIR", str(tmp_path / "cache"))
    cfg = _gate_project(tmp_path)
    report = run_gate(cfg, ["fr", "es", "pt"], [], use_cache=False, jobs=2)
    assert sorted(report.stats) == ["es", "fr", "pt"]
