"""Engines and glossary shields kept between suggestions requests (workflow.mt.memo,
workflow.mt.terms.shield_for) never answer from stale inputs: a config edited in place or
replaced, an API key set, changed or removed, a glossary edited (even with the same size
and time), an Apertium program installed or removed on the PATH, a new table of installed
pairs. Online engines talk to a local LibreTranslate-speaking server through the real
deep-translator client."""

from __future__ import annotations

import os
import shutil

import pytest
from conftest import REPO, write_project

from workflow.config import load_config
from workflow.errors import MTError
from workflow.mt import MTUnavailable, get_translator, memo
from workflow.mt.drafting import open_cache
from workflow.mt.terms import shield_for, shielded
from workflow.tm.suggest import mt_suggestions

NEEDS_APERTIUM = pytest.mark.skipif(
    shutil.which("apertium") is None and os.environ.get("CI") != "true",
    reason="apertium is not installed (scripts/system-deps.sh)")
TEXT = "We support the commission of inquiry."
KEYS = ("LETTERFLOW_DEEPL_KEY", "LETTERFLOW_LIBRE_KEY", "LETTERFLOW_LIBRE_URL")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for k in KEYS:
        monkeypatch.delenv(k, raising=False)
    memo.clear()
    yield
    memo.clear()


def _project(tmp_path, extra: str = ""):
    root = write_project(tmp_path / "p", languages=("fr", "es"),
                         extra='glossary = "glossary.tbx"\n[mt]\nprovider = "pseudo"\n' + extra)
    shutil.copy(REPO / "locales" / "glossary.tbx", root / "glossary.tbx")
    return load_config(root)


def _cache_pseudo(cfg, lang: str = "fr") -> None:
    """Put the pseudo engine's answer for TEXT in the project's MT cache."""
    cache = open_cache(cfg)
    try:
        shielded(get_translator("pseudo", cfg, cache=cache), shield_for(cfg), [TEXT], "en",
                 lang)
    finally:
        cache.close()


def _ask(cfg, lang: str = "fr"):
    out, skipped = mt_suggestions(cfg, lang, [TEXT])
    return {s.engine: s.target for s in out}, skipped


def test_a_config_edited_in_place_or_replaced_is_seen(tmp_path):
    cfg = _project(tmp_path)
    _cache_pseudo(cfg)
    got, skipped = _ask(cfg)
    assert "commission d'enquête" in got["pseudo"]
    assert skipped["google"] == "not cached (ask for a second opinion)"
    assert _ask(cfg) == (got, skipped)  # the kept engines answer the same
    cfg.languages.remove("fr")  # the same list object, edited
    got2, skipped2 = _ask(cfg)
    assert "pseudo" not in got2 and skipped2["pseudo"] == "no en->fr pair"
    cfg.languages.append("fr")
    assert _ask(cfg) == (got, skipped)
    cfg.mt["timeout"] = "soon"  # the same dict, edited: the online engines refuse it
    _, skipped3 = _ask(cfg)
    assert "timeout must be a number" in skipped3["google"]
    assert "timeout must be a number" in skipped3["mymemory"]
    del cfg.mt["timeout"]
    assert _ask(cfg)[1] == skipped
    # a fresh config object with other settings: no engine of the old one is reused
    cfg2 = _project(tmp_path / "two", extra="cache = false\n")
    assert _ask(cfg2) == ({}, {**skipped, "pseudo": "not cached (ask for a second opinion)"})


def test_an_api_key_set_changed_or_removed_is_seen(tmp_path, monkeypatch):
    from tests.test_mt_online import KEY, FakeLibre

    srv, other = FakeLibre(), FakeLibre()
    try:
        cfg = _project(tmp_path, extra=f'libre_url = "{srv.url}"\ntimeout = 5\nretries = 0\n')
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        for _ in range(2):  # the kept failure is raised again, as a fresh exception
            with pytest.raises(MTUnavailable, match="libre: no API key") as caught:
                memo.engine("libre", cfg)
            assert caught.value.engine == "libre"
        _, skipped = _ask(cfg)
        assert "no API key" in skipped["libre"] and "no API key" in skipped["deepl"]
        monkeypatch.setenv("LETTERFLOW_LIBRE_KEY", KEY)
        assert memo.engine("libre", cfg).translate("Hello", "en", "es") == "es: HELLO"
        monkeypatch.setenv("LETTERFLOW_LIBRE_KEY", "a-refused-key")
        with pytest.raises(MTError, match="API key was refused"):
            memo.engine("libre", cfg).translate("Hello again", "en", "es")
        assert srv.requests[-1]["api_key"] == "a-refused-key"
        monkeypatch.setenv("LETTERFLOW_LIBRE_KEY", KEY)
        monkeypatch.setenv("LETTERFLOW_LIBRE_URL", other.url)  # the URL from the env wins
        assert memo.engine("libre", cfg).translate("Hi", "en", "es") == "es: HI"
        assert other.texts() == ["Hi"] and "Hi" not in srv.texts()
        monkeypatch.setenv("LETTERFLOW_DEEPL_KEY", "k")
        _, skipped = _ask(cfg)
        assert skipped["deepl"] == skipped["libre"] == "not cached (ask for a second opinion)"
        monkeypatch.delenv("LETTERFLOW_DEEPL_KEY")
        assert "no API key" in _ask(cfg)[1]["deepl"]
    finally:
        srv.close()
        other.close()


def test_a_glossary_edit_is_seen_even_with_the_same_size_and_time(tmp_path):
    cfg = _project(tmp_path)
    _cache_pseudo(cfg)
    assert "commission d'enquête" in _ask(cfg)[0]["pseudo"]
    path = cfg.glossary
    st = os.stat(path)
    text = path.read_text(encoding="utf-8")
    edited = text.replace("commission d'enquête", "commission d'évaluer")  # same length
    assert len(edited.encode()) == len(text.encode()) and edited != text
    tmp = path.with_suffix(".new")
    tmp.write_text(edited, encoding="utf-8")
    os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(tmp, path)  # a new inode, same size, same time
    target = _ask(cfg)[0]["pseudo"]
    assert "commission d'évaluer" in target and "enquête" not in target
    path.write_text(text.replace("commission d'enquête", "commission Q"), encoding="utf-8")
    assert "commission Q" in _ask(cfg)[0]["pseudo"]
    path.unlink()  # no glossary: the term is no longer enforced (nothing cached for that)
    got, skipped = _ask(cfg)
    assert got == {} and skipped["pseudo"] == "not cached (ask for a second opinion)"


def test_kept_engines_count_and_cache_apart(tmp_path):
    cfg = _project(tmp_path)
    cache = open_cache(cfg)
    try:
        a = memo.engine("pseudo", cfg, cache=cache)
        b = memo.engine("pseudo", cfg)
        assert a is not b and a.cache is cache and b.cache is None
        assert a.translate("Dear {name},", "en", "fr") == "⟦Déár {name},⟧"
        assert (a.calls, b.calls) == (1, 0)
        assert a.translate("Dear {name},", "en", "fr") == "⟦Déár {name},⟧"
        assert a.calls == 1  # from the cache
        b.translate("Dear {name},", "en", "fr")
        assert b.calls == 1 and memo.engine("pseudo", cfg).calls == 0
    finally:
        cache.close()


@NEEDS_APERTIUM
def test_apertium_installed_or_removed_on_the_path_is_seen(tmp_path, monkeypatch):
    cfg = _project(tmp_path)
    real = shutil.which("apertium")
    assert memo.engine("apertium", cfg).executable == real
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    assert memo.engine("apertium", cfg).executable == real
    (folder / "apertium").symlink_to(real)  # installed in a folder earlier on the PATH
    assert memo.engine("apertium", cfg).executable == str(folder / "apertium")
    (folder / "apertium").unlink()
    assert memo.engine("apertium", cfg).executable == real
    monkeypatch.setenv("PATH", str(folder))  # no apertium anywhere
    engine = memo.engine("apertium", cfg)
    assert engine.executable is None
    with pytest.raises(MTError, match="apertium is not installed"):
        engine.supported_pairs()


@NEEDS_APERTIUM
def test_apertium_pairs_follow_the_pivot_table_and_the_discovery(tmp_path, monkeypatch):
    from workflow.mt import apertium

    cfg = _project(tmp_path)
    found = memo.engine("apertium", cfg).supported_pairs()
    assert ("en", "es") in found and ("en", "fr") in found  # fr through the pivot es
    assert memo.engine("apertium", cfg).route("en", "fr") == ["en", "es", "fr"]
    cfg.mt["pivot"] = {}  # edited in place: no pivoting
    direct = memo.engine("apertium", cfg).supported_pairs()
    assert ("en", "es") in direct and ("en", "fr") not in direct
    with pytest.raises(MTError, match="no language pair en->fr"):
        memo.engine("apertium", cfg).route("en", "fr")
    # the discovery answers with a new table (as after list_modes.cache_clear())
    original = apertium.list_modes
    monkeypatch.setattr(apertium, "list_modes", lambda exe: {("en", "ca"): "eng-cat"})
    assert memo.engine("apertium", cfg).supported_pairs() == {("en", "ca")}
    monkeypatch.setattr(apertium, "list_modes", original)
    assert memo.engine("apertium", cfg).supported_pairs() == direct
    del cfg.mt["pivot"]
    assert memo.engine("apertium", cfg).supported_pairs() == found
