"""A letter is in the language it claims (issue 10, defect 3): untranslated paragraphs are
the source text tagged as the source language (direction, fonts, w:lang) with their own
mark; a letter with nothing translated is refused unless the row says fallback=yes, and is
then a source-language letter everywhere; per-letter paragraph counts; --skip-blocked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from export_support import changes_for, make_project

from workflow.catalogs import apply_changes
from workflow.config import load_config
from workflow.export.oxml import read_paragraph_xml
from workflow.textrules import UNREVIEWED_MARK, UNTRANSLATED_MARK


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """fr approved; ar and ja catalogues with nothing translated."""
    return make_project(tmp_path_factory.mktemp("lang") / "proj", approved=("fr",),
                        empty=("ar", "ja"))


def copy(base: Path, tmp_path: Path) -> Path:
    root = tmp_path / "p"
    subprocess.run(["cp", "-a", str(base), str(root)], check=True)
    return root


def export(root: Path, csv: str, *extra: str) -> subprocess.CompletedProcess:
    (root / "r.csv").write_text(csv, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "workflow.cli", "--project", str(root),
                           "export", "r.csv", "--out", "dist", *extra], cwd=root,
                          capture_output=True, text=True, timeout=300)


def manifest(root: Path) -> dict:
    return json.loads((root / "dist" / "manifest.json").read_text(encoding="utf-8"))


CSV = "country,language,name\nFR,fr,Anne\nEG,ar,Omar\nJP,ja,Aiko\n"


def test_english_in_disguise_is_refused_even_with_allow_drafts(base: Path, tmp_path: Path):
    root = copy(base, tmp_path)
    proc = export(root, CSV, "--allow-drafts")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "row 3 (EG ar Omar): not one paragraph of the letter is translated" in proc.stderr
    assert "row 4 (JP ja Aiko)" in proc.stderr
    assert not (root / "dist").exists()


def test_skip_blocked_writes_the_others_and_lists_the_skipped(base: Path, tmp_path: Path):
    root = copy(base, tmp_path)
    proc = export(root, CSV, "--allow-drafts", "--skip-blocked")
    assert proc.returncode == 0, proc.stderr
    assert "skipped 2 blocked recipient(s)" in proc.stdout and "row 3 (EG ar Omar)" in proc.stdout
    data = manifest(root)
    assert [f["file"] for f in data["files"]] == ["FR-fr-anne.docx"]
    assert [(s["row"], s["country"]) for s in data["skipped"]] == [(3, "EG"), (4, "JP")]


def test_fallback_yes_makes_it_a_source_language_letter(base: Path, tmp_path: Path):
    root = copy(base, tmp_path)
    csv = "country,language,name,fallback\nFR,fr,Anne,\nEG,ar,Omar,yes\nJP,ja,Aiko,yes\n"
    proc = export(root, csv)
    assert proc.returncode == 0, proc.stderr
    assert "2 in the source language (fallback: nothing translated)" in proc.stdout
    files = {f["file"]: f for f in manifest(root)["files"]}
    assert set(files) == {"FR-fr-anne.docx", "EG-en-omar.docx", "JP-en-aiko.docx"}
    eg = files["EG-en-omar.docx"]
    assert eg["source_fallback"] is True and eg["fallback_reason"] == "nothing translated"
    assert eg["language"] == "en" and eg["wanted_language"] == "ar"
    assert eg["approved_at"] is None and eg["approved_by"] in (None, [])
    doc = docx.Document(str(root / "dist" / "EG-en-omar.docx"))
    for para in doc.paragraphs:
        xml = read_paragraph_xml(para)
        assert not xml["bidi"] and all(not r["rtl"] for r in xml["runs"])
        assert all((r["lang"] or "en").startswith("en") for r in xml["runs"])


def test_untranslated_paragraphs_are_tagged_as_the_source_language(base: Path, tmp_path: Path):
    root = copy(base, tmp_path)
    cfg = load_config(root)
    half = {"salutation", "closing", "sender", "signature"}
    for lang in ("ar", "ja"):
        apply_changes(cfg.catalog(lang), changes_for(lang, fuzzy=True, only=half))
    proc = export(root, CSV, "--allow-drafts")
    assert proc.returncode == 0, proc.stderr
    files = {f["file"]: f for f in manifest(root)["files"]}
    for name, lang, tag in (("EG-ar-omar.docx", "ar", "ar-EG"), ("JP-ja-aiko.docx", "ja", "ja-JP")):
        counts = files[name]["paragraphs"]
        assert counts["draft"] == 4 and counts["untranslated"] > 0 and counts["approved"] == 0
        assert f"{name}: 0 approved, 4 draft, {counts['untranslated']} untranslated" in proc.stdout
        doc = docx.Document(str(root / "dist" / name))
        seen = {"untranslated": 0, "draft": 0}
        for para in doc.paragraphs:
            xml = read_paragraph_xml(para)
            if para.text.startswith(UNTRANSLATED_MARK):
                seen["untranslated"] += 1
                text_run = xml["runs"][-1]
                assert text_run["lang"].startswith("en-") and not text_run["rtl"]
                assert text_run["lang_east_asia"] is None and text_run["lang_bidi"] is None
                assert not xml["bidi"]  # English reads left to right in the Arabic letter
            elif para.text.startswith(UNREVIEWED_MARK):
                seen["draft"] += 1
                assert xml["runs"][-1]["lang"] == tag
                assert xml["bidi"] == (lang == "ar")
        assert seen == {"untranslated": counts["untranslated"], "draft": 4}
        assert UNTRANSLATED_MARK != UNREVIEWED_MARK
