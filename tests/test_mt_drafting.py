"""draft_catalogs on the real seed-letter project with the deterministic engines: fuzzy
drafts with provenance, plural forms per language, damaged masks flagged, concurrent
human edits never overwritten, progress, audit rows, unsupported languages, the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence

from tests.conftest import REPO
from workflow.catalogs import Change, apply_changes, load_catalog
from workflow.errors import MTError
from workflow.mt import get_translator
from workflow.mt.backtranslate import back_translate
from workflow.mt.base import Translator
from workflow.mt.drafting import DAMAGED_FLAG, draft_catalogs, open_cache


class ScriptedEngine(Translator):
    """en->es and en->fr; drops token [[1]] from texts mentioning "Korea" and runs a hook
    (a reviewer saving an entry) before translating."""

    name = "scripted"

    def __init__(self, config, hook=None, **kw):
        super().__init__(config, **kw)
        self.hook = hook

    def direct_pairs(self):
        return {("en", "es"), ("en", "fr")}

    def _translate(self, texts: Sequence[str], source, target) -> list[str | MTError]:
        self.count_call()
        if self.hook:
            self.hook()
        out: list[str | MTError] = []
        for t in texts:
            if "Thank you" in t:
                out.append(MTError("no translation", self.name, source, target, t))
            elif "North Korea" in t:
                out.append(f"[{target}] " + t.replace("[[1]]", "N"))
            else:
                out.append(f"[{target}] {t}")
        return out


def test_pseudo_drafts_every_language_with_plural_forms(config):
    seen = []
    report = draft_catalogs(config, None, "pseudo", lambda d, t, lang: seen.append((d, t, lang)))
    total = len(load_catalog(config.catalog("fr")).active())
    assert report.as_dict()["drafted"] == total * len(config.languages)
    assert report.engine_calls == len(config.languages)  # one batch per language
    assert seen[0] == (0, total * 5, "fr") and seen[-1][0] == seen[-1][1] == total * 5
    for lang in config.languages:
        cat = load_catalog(config.catalog(lang))
        sender = cat.get("icnk-2012/sender")
        assert sender.fuzzy and len(sender.strings) == cat.nplurals
        assert sender.provenance == f"machine translation: pseudo en-{lang}"
        # nplurals=1 (ja) takes the plural text; others: singular, then plural forms
        if cat.nplurals == 1:
            assert sender.strings == ("⟦{count} déféçtórs fróm Ñórth Kóréá⟧",)
        else:
            assert sender.strings[0] == "⟦{count} déféçtór fróm Ñórth Kóréá⟧"
            assert set(sender.strings[1:]) == {"⟦{count} déféçtórs fróm Ñórth Kóréá⟧"}
    # audit trail: one "mt" row per draft
    from workflow import audit, db

    conn = db.connect(config.database)
    rows = audit.history(conn, "fr", "icnk-2012/sender")
    assert [(r.action, r.user, r.after_fuzzy) for r in rows] == [("mt", "mt:pseudo", True)]


def test_damaged_masks_failures_and_concurrent_edits(config):
    es = config.catalog("es")

    def reviewer_saves():  # while the engine works, a reviewer approves the place
        apply_changes(es, [Change("icnk-2012/place", ["Seúl"], fuzzy=False,
                                  note="approved by ana")])

    engine = ScriptedEngine(config, hook=reviewer_saves, cache=open_cache(config))
    report = draft_catalogs(config, ["es"], translator=engine)
    rep = report.languages["es"]
    cat = load_catalog(es)
    total = len(cat.active())
    assert rep.skipped == 1  # the concurrently approved entry
    assert cat.get("icnk-2012/place").strings == ("Seúl",)
    assert not cat.get("icnk-2012/place").fuzzy
    # the closing and its 3 form-of-address variants share the source the script lacks
    assert rep.failed == 4 and "icnk-2012/closing" in rep.errors[0]
    assert cat.get("icnk-2012/closing").state == "untranslated"
    assert rep.drafted == total - 5
    sender = cat.get("icnk-2012/sender")  # "{count} defectors from North Korea": token lost
    assert DAMAGED_FLAG in sender.flags and sender.fuzzy
    assert sender.strings[0] == "[es] N defector from North Korea"
    assert sender.provenance == (
        "machine translation: scripted en-es (damaged by the engine, check: {count})"
    )
    assert rep.damaged == 2  # sender and signature share the text
    assert DAMAGED_FLAG in cat.get("icnk-2012/signature").flags
    assert [m.context for m in cat.active() if DAMAGED_FLAG in m.flags] == [
        "icnk-2012/sender", "icnk-2012/signature"]
    cc = cat.get("icnk-2012/cc")
    assert DAMAGED_FLAG not in cc.flags and "{country_of}" in cc.strings[0]


def test_unsupported_languages_are_listed_not_fatal(config):
    engine = ScriptedEngine(config)
    report = draft_catalogs(config, None, translator=engine)
    assert set(report.languages) == {"fr", "es"}
    assert report.unsupported == ["ru", "ar", "ja"]
    # naming an unsupported language explicitly is an error, before any work
    before = config.catalog("ru").read_bytes()
    try:
        draft_catalogs(config, ["ru"], translator=ScriptedEngine(config))
    except MTError as exc:
        assert str(exc) == "scripted en->ru: no language pair en->ru"
    else:
        raise AssertionError("expected MTError")
    assert config.catalog("ru").read_bytes() == before


def test_back_translate_with_pseudo(config):
    t = get_translator("pseudo", config)
    bt = back_translate(config, "fr", ["⟦Déár {country}⟧", "⟦Hí⟧"], translator=t)
    assert bt.strings == ("Dear {country}", "Hi") and bt.route == "fr-en"
    assert bt.note == "back-translation: pseudo fr-en"


def test_drafts_and_back_translation_with_the_cache_off(config):
    """``[tool.letterflow.mt] cache = false``: the engine runs without a cache (nothing to
    close afterwards) and the drafts are written as with one."""
    config.mt["cache"] = False
    assert open_cache(config) is None
    report = draft_catalogs(config, ["fr"], "pseudo")
    assert report.languages["fr"].drafted == len(load_catalog(config.catalog("fr")).active())
    assert report.languages["fr"].cached == 0
    bt = back_translate(config, "fr", "⟦Hí⟧", provider="pseudo")
    assert bt.strings == ("Hi",) and not bt.cached


def _cli(project_dir, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LETTERFLOW_")}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "workflow.cli", "--project", str(project_dir), *args],
        capture_output=True, text=True, env=env, timeout=120,
    )


def test_cli_draft_text_and_json_and_providers(project_dir):
    r = _cli(project_dir, "draft", "--provider", "pseudo", "--lang", "fr,es")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("provider pseudo: 52 drafted, 0 reused from cache, 0 failed, "
                               "0 skipped (already reviewed or drafted); 2 engine calls")
    r = _cli(project_dir, "draft", "--provider", "pseudo", "--lang", "fr", "--format", "json")
    data = json.loads(r.stdout)
    assert data["engine_calls"] == 0 and data["skipped"] == 26 and data["drafted"] == 0
    r = _cli(project_dir, "draft", "--provider", "nope")
    assert r.returncode == 2 and r.stderr.strip().splitlines()[-1].startswith(
        "Error: unknown MT provider 'nope'")
    r = _cli(project_dir, "draft", "--lang", "xx_YY")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    r = _cli(project_dir, "providers", "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = {row["name"]: row for row in json.loads(r.stdout)}
    assert set(rows) == {"apertium", "pseudo", "google", "mymemory", "deepl", "microsoft",
                         "libre", "papago"}
    assert rows["deepl"]["usable"] is False
    assert rows["deepl"]["status"] == "no key: set LETTERFLOW_DEEPL_KEY"
    assert rows["pseudo"]["usable"] is True
    if rows["apertium"]["usable"]:
        pairs = {(p["source"], p["target"]): p["via"] for p in rows["apertium"]["pairs"]}
        assert pairs[("en", "es")] is None and pairs[("en", "fr")] == "es"
    r = _cli(project_dir, "providers")
    assert r.returncode == 0 and "deepl" in r.stdout and "LETTERFLOW_DEEPL_KEY" in r.stdout
