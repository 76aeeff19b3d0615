"""Real Apertium: the seed letter drafted into es, ca, gl directly and into fr, pt, it
through the Spanish pivot, with one Apertium process per language pair (counted by a
wrapper script around the real binary)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, write_project
from tests.tool_support import find, missing, need, optional

APERTIUM = find("apertium")
LANGS = ("es", "ca", "gl", "fr", "pt", "it")
MODES = {"es": "eng-spa", "ca": "eng-cat", "gl": "en-gl", "fr": "es-fr", "pt": "es-pt",
         "it": "spa-ita"}

PAIRS = ("apertium-eng-spa apertium-eng-cat apertium-en-gl apertium-fr-es apertium-es-pt "
         "apertium-spa-ita")


def _modes_missing() -> list[str]:
    if APERTIUM is None:
        return []
    out = subprocess.run([APERTIUM, "-l"], capture_output=True, text=True).stdout.split()
    return [m for m in MODES.values() if m not in out]


@pytest.fixture
def proj(tmp_path: Path):
    need("apertium")
    modes = _modes_missing()
    if modes:
        missing(f"Apertium modes {', '.join(modes)}", f"apt-get install {PAIRS}")
    # a wrapper that logs each Apertium process, then runs the real one
    bindir = tmp_path / "bin"
    bindir.mkdir()
    log = tmp_path / "apertium.log"
    wrapper = bindir / "apertium"
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexec "{APERTIUM}" "$@"\n')
    wrapper.chmod(0o755)
    root = write_project(
        tmp_path / "proj", languages=LANGS,
        extra=f'\n[mt]\nprovider = "apertium"\napertium = "{wrapper}"\n'
        'pivot = { fr = "es", pt = "es", it = "es" }\n',
    )
    from workflow.catalogs import read_template_store, update_catalog
    from workflow.config import load_config
    from workflow.extract import extract_template

    cfg = load_config(root)
    extract_template(cfg)
    template = read_template_store(cfg.template)
    for lang in cfg.languages:
        update_catalog(template, cfg.catalog(lang), lang, cfg.domain)
    return root, cfg, log


def processes(log: Path) -> list[str]:
    if not log.exists():
        return []
    return [line for line in log.read_text().splitlines() if line.strip() != "-l"]


def cli(root: Path, *args: str):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LETTERFLOW_")}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "workflow.cli", "--project", str(root), *args],
        capture_output=True, text=True, env=env, timeout=300,
    )


def entry_blocks(path: Path) -> dict[str, str]:
    """context -> the exact text of its entry in the file."""
    out = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        m = re.search(r'^msgctxt "([^"]*)"', block, re.M)
        if m:
            out[m.group(1)] = block
    return out


PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def test_seed_letter_drafted_in_six_languages(proj):
    root, cfg, log = proj
    from workflow.catalogs import Change, apply_changes, load_catalog

    # a reviewer approved two Spanish entries and hand-edited a French draft beforehand
    es, fr = cfg.catalog("es"), cfg.catalog("fr")
    apply_changes(es, [
        Change("icnk-2012/place", ["Seúl, República de Corea"], fuzzy=False,
               note="approved by ana"),
        Change("icnk-2012/salutation", ["Señor Ministro de Relaciones Exteriores:"],
               fuzzy=False, note="approved by ana"),
    ])
    apply_changes(fr, [Change("icnk-2012/salutation", ["Monsieur le Ministre,"], fuzzy=True,
                              note="edited by bob")])
    before_es, before_fr = entry_blocks(es), entry_blocks(fr)

    # MT alone (the approved es place would otherwise fill the signature's place from the
    # translation memory: tests/test_tm.py covers that)
    r = cli(root, "draft", "--lang", ",".join(LANGS), "--format", "json", "--no-memory")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    total = len(load_catalog(cfg.catalog("ca")).active())
    assert summary["failed"] == 0 and summary["damaged"] == 0
    assert summary["skipped"] == 3
    assert summary["drafted"] == total * 6 - 3
    # one process per language pair: the en->es leg of fr/pt/it comes from the cache
    assert summary["engine_calls"] == 6
    runs = processes(log)
    assert sorted(runs) == sorted(f"-u {m}" for m in MODES.values())

    # approved and human-edited entries: byte-identical
    after_es, after_fr = entry_blocks(es), entry_blocks(fr)
    for ctx in ("icnk-2012/place", "icnk-2012/salutation"):
        assert after_es[ctx] == before_es[ctx]
    assert after_fr["icnk-2012/salutation"] == before_fr["icnk-2012/salutation"]

    for lang in LANGS:
        cat = load_catalog(cfg.catalog(lang))
        route = MODES[lang] if lang in ("es", "ca", "gl") else f"eng-spa + {MODES[lang]} via spa"
        for m in cat.active():
            if (lang, m.context) in {("es", "icnk-2012/place"), ("es", "icnk-2012/salutation"),
                                     ("fr", "icnk-2012/salutation")}:
                continue
            assert m.state == "draft" and m.fuzzy, (lang, m.context)
            assert m.provenance == f"machine translation: apertium {route}"
            assert "letterflow-mt-damaged" not in m.flags
            for s in m.strings:
                assert s and s == s.strip()
                assert not re.search(r"[*#@]", s), (lang, s)  # no unknown-word marks
                # placeholders byte-exact
                assert sorted(PLACEHOLDER.findall(s)) == sorted(PLACEHOLDER.findall(m.source))
            assert len(m.strings) == (cat.nplurals if m.plural else 1)
        msgfmt = optional("msgfmt")
        if msgfmt:
            check = subprocess.run([msgfmt, "-c", "--use-fuzzy", "-o", os.devnull,
                                    str(cfg.catalog(lang))], capture_output=True, text=True)
            assert check.returncode == 0, check.stderr

    sender = load_catalog(cfg.catalog("es")).get("icnk-2012/sender")
    assert all(s.startswith("{count} ") for s in sender.strings)
    cc = load_catalog(cfg.catalog("it")).get("icnk-2012/cc")
    assert cc is not None and "{country_of}" in cc.strings[0]


def test_second_run_uses_the_cache_and_is_free(proj):
    root, cfg, log = proj
    r = cli(root, "draft", "--lang", ",".join(LANGS), "--format", "json")
    assert r.returncode == 0, r.stderr
    first = {lang: cfg.catalog(lang).read_bytes() for lang in LANGS}
    # nothing left to do: no process, files byte-identical
    n = len(processes(log))
    r = cli(root, "draft", "--lang", ",".join(LANGS), "--format", "json")
    summary = json.loads(r.stdout)
    assert summary["engine_calls"] == 0 and summary["drafted"] == 0
    assert len(processes(log)) == n
    assert {lang: cfg.catalog(lang).read_bytes() for lang in LANGS} == first
    # fresh catalogues: everything comes back from the cache, zero engine calls
    from workflow.catalogs import load_catalog, read_template_store, update_catalog

    for lang in LANGS:
        cfg.catalog(lang).unlink()
        update_catalog(read_template_store(cfg.template), cfg.catalog(lang), lang, cfg.domain)
    r = cli(root, "draft", "--lang", ",".join(LANGS), "--format", "json")
    summary = json.loads(r.stdout)
    assert summary["engine_calls"] == 0
    assert summary["drafted"] == 0 and summary["cached"] == 6 * len(
        load_catalog(cfg.catalog("es")).active())
    assert len(processes(log)) == n
    for lang in LANGS:
        a = {m.context: m.strings for m in load_catalog(cfg.catalog(lang)).active()}
        assert a  # same drafts as the first run
    text_out = r.stderr + r.stdout
    assert "Traceback" not in text_out


def test_batch_keeps_paragraph_boundaries_in_one_process(proj):
    root, cfg, log = proj
    from workflow.mt import get_translator

    t = get_translator("apertium", cfg)
    texts = [f"Paragraph {i} is about the {i} camps." for i in range(1, 31)]
    texts.insert(5, "First part of {country}.\n\nSecond part, after a blank line.")
    texts.insert(9, "  Leading spaces and a trailing newline.\n")
    out = t.translate_batch(texts, "en", "es")
    assert len(out) == len(texts)
    assert len(processes(log)) == 1
    numbered = [o for o, s in zip(out, texts, strict=True) if s.startswith("Paragraph")]
    for i, o in enumerate(numbered, start=1):
        assert re.findall(r"\d+", o) == [str(i), str(i)], o
    assert out[5].count("\n\n") == 1 and "{country}" in out[5]
    assert out[9].startswith("  ") and out[9].endswith("\n")
    # through the pivot (this translator has no cache): one process per leg
    t.translate_batch(texts[:3], "en", "fr")
    assert processes(log)[1:] == ["-u eng-spa", "-u es-fr"]


def test_back_translation(proj):
    root, cfg, log = proj
    from workflow.mt.backtranslate import back_translate

    es = back_translate(cfg, "es", "Estimado Ministro de {country}:")
    assert es is not None and es.route == "spa-eng" and es.engine == "apertium"
    assert "{country}" in es.text and "Minister" in es.text
    fr = back_translate(cfg, "fr", "Cher ministre des affaires étrangères")
    assert fr.route == "fr-es + spa-eng via spa" and "minister" in fr.text.lower()
    # cached like any MT: asking again spawns no process
    n = len(processes(log))
    again = back_translate(cfg, "es", "Estimado Ministro de {country}:")
    assert again.cached and again.text == es.text and len(processes(log)) == n
    # no reverse pair (direct or via the pivot) for Japanese: None, not an error
    assert back_translate(cfg, "ja", "こんにちは") is None


def test_lost_paragraph_boundary_fails_only_that_item(proj, tmp_path):
    """Fault injection: a wrapper drops the output paragraph of one text. The batch is
    halved until the culprit is alone; the others are still translated correctly."""
    root, cfg, log = proj
    from workflow.mt.apertium import ApertiumTranslator

    broken = tmp_path / "bin" / "apertium-broken"
    broken.write_text(
        f'#!/bin/sh\necho "$@" >> "{log}"\n'
        f"\"{APERTIUM}\" \"$@\" | awk 'BEGIN{{RS=\"\";ORS=\"\\n\\n\"}} !/ZAPME/'\n"
    )
    broken.chmod(0o755)
    t = ApertiumTranslator(cfg, executable=str(broken))
    texts = ["The camps.", "ZAPME is here.", "The prisoners.", "The famine."]
    out = t.translate_each(texts, "en", "es")
    assert [o.text for o in out] == ["Los campamentos.", None, "Los prisioneros.",
                                     "La hambruna."]
    assert "returned 0 paragraphs for 1" in str(out[1].error)
    assert t.calls == 5  # 1 for the batch, then halves: 2 + 2
