"""The `letterflow` command: extract, update, status and the CI gate `check`, run for real."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from conftest import REPO, run_cli, write_project
from tool_support import need

from workflow.catalogs import Change, apply_changes, load_catalog
from workflow.config import load_config


def _approve_all(cfg, lang, bad: dict[str, list[str]] | None = None):
    path = cfg.catalog(lang)
    cat = load_catalog(path)
    changes = []
    for m in cat.active():
        if bad and m.context in bad:
            strings = bad[m.context]
        elif m.plural:
            strings = [f"{{count}} variante {'abcdef'[i]}" for i in range(cat.nplurals)]
        else:
            strings = [m.source.replace("Thank", "Merci, thank")]
        changes.append(Change(m.context, strings, fuzzy=False, note="approved by test"))
    apply_changes(path, changes)


@pytest.fixture
def proj(tmp_path):
    root = write_project(tmp_path / "p", languages=("fr", "de", "ru"))
    for cmd in (["extract"], ["update"]):
        res = run_cli(*cmd, cwd=root)
        assert res.returncode == 0, res.stderr
    return root


def test_extract_update_status(proj):
    assert (proj / "locales" / "letter.pot").exists()
    for lang in ("fr", "de", "ru"):
        assert (proj / "locales" / lang / "LC_MESSAGES" / "letter.po").exists()
    res = run_cli("status", cwd=proj)
    assert res.returncode == 0
    assert "fr" in res.stdout and "0.0%" in res.stdout and "░" in res.stdout
    res = run_cli("status", "--format", "json", cwd=proj)
    rows = json.loads(res.stdout)
    assert {r["language"] for r in rows} == {"fr", "de", "ru"}
    assert all(r["untranslated"] == 19 and r["approved"] == 0 for r in rows)
    # extract again: unchanged
    res = run_cli("extract", cwd=proj)
    assert "unchanged" in res.stdout


def test_update_json_report_in_worker_processes_and_in_process(tmp_path):
    root = write_project(tmp_path / "p", languages=("fr", "de"))
    res = run_cli("update", "--jobs", "2", "--format", "json", cwd=root)
    assert res.returncode == 0, res.stderr
    rows = {r["language"]: r for r in json.loads(res.stdout)}
    assert set(rows) == {"fr", "de"}
    for lang, r in rows.items():
        assert r["created"] and r["written"] and r["new"] == 19
        assert r["path"] == str(root / "locales" / lang / "LC_MESSAGES" / "letter.po")
        assert (root / "locales" / lang / "LC_MESSAGES" / "letter.po").is_file()
    res = run_cli("update", "--jobs", "1", "--no-extract", "--format", "json", cwd=root)
    assert res.returncode == 0, res.stderr
    again = json.loads(res.stdout)
    assert [r["language"] for r in again] == ["fr", "de"]
    assert all(not r["created"] and not r["written"] for r in again)
    res = run_cli("update", "--no-extract", cwd=root)
    assert res.stdout.split() == ["fr", "unchanged", "de", "unchanged"]


def test_status_counts_states(proj):
    cfg = load_config(proj)
    _approve_all(cfg, "fr")
    apply_changes(cfg.catalog("fr"), [Change("icnk-2012/cc", ["brouillon {country}"], fuzzy=True)])
    rows = {
        r["language"]: r for r in json.loads(run_cli("status", "--format", "json", cwd=proj).stdout)
    }
    assert (
        rows["fr"]["approved"] == 18
        and rows["fr"]["draft"] == 1
        and rows["fr"]["untranslated"] == 0
    )


def test_gate_passes_with_nothing_required_and_fails_when_required_incomplete(proj):
    res = run_cli("check", "--require", "", cwd=proj)
    assert res.returncode == 0, res.stdout + res.stderr
    res = run_cli("check", "--require", "fr", cwd=proj)
    assert res.returncode == 1
    assert "required language is 0.0% approved" in res.stdout
    assert "locales/fr/LC_MESSAGES/letter.po:" in res.stdout


def test_gate_passes_when_required_language_is_complete(proj):
    cfg = load_config(proj)
    _approve_all(cfg, "fr")
    res = run_cli("check", "--require", "fr", cwd=proj)
    assert res.returncode == 0, res.stdout
    res = run_cli("check", "--require", "fr,de", cwd=proj)
    assert res.returncode == 1 and "[incomplete] de" in res.stdout


def test_gate_fails_on_broken_placeholder_in_approved_text(proj):
    cfg = load_config(proj)
    _approve_all(cfg, "fr", bad={"icnk-2012/cc": ["cc : Représentant permanent auprès de l'ONU"]})
    res = run_cli("check", "--require", "", cwd=proj)
    assert res.returncode == 1
    assert "icnk-2012/cc" in res.stdout and "country" in res.stdout


def test_gate_fails_on_wrong_plural_count(proj):
    cfg = load_config(proj)
    _approve_all(cfg, "ru")
    path = cfg.catalog("ru")
    text = path.read_text(encoding="utf-8")
    # drop msgstr[2] of the first plural message: ru needs 3 forms
    i = text.index("msgstr[2]")
    j = text.index("\n", i)
    path.write_text(text[:i] + text[j + 1 :], encoding="utf-8")
    res = run_cli("check", "--require", "", "--format", "json", cwd=proj)
    assert res.returncode == 1
    data = json.loads(res.stdout)
    assert any(
        f["language"] == "ru" and "plural" in f["check_id"]
        for f in data["findings"]
        if f["severity"] == "error"
    ), data["findings"]


def test_gate_fails_on_malformed_po_with_file_and_line(proj):
    path = proj / "locales" / "de" / "LC_MESSAGES" / "letter.po"
    lines = path.read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if line.startswith("msgstr ") and i > 20)
    lines[n] = 'msgstr "unterminated'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = run_cli("check", cwd=proj)
    assert res.returncode == 1
    assert f"locales/de/LC_MESSAGES/letter.po:{n + 1}: error: [syntax]" in res.stdout


def test_gate_fails_on_stale_template_and_stale_catalogue(proj):
    letter = proj / "letters" / "icnk-2012.txt"
    letter.write_text(
        letter.read_text().replace("Thank you for your", "Thanks for your"), encoding="utf-8"
    )
    res = run_cli("check", cwd=proj)
    assert res.returncode == 1
    assert "template is out of sync with the letter (changed: icnk-2012/closing)" in res.stdout
    run_cli("extract", cwd=proj)
    res = run_cli("check", cwd=proj)
    assert res.returncode == 1
    assert "catalogue out of sync with the template" in res.stdout
    run_cli("update", cwd=proj)
    assert run_cli("check", cwd=proj).returncode == 0


def test_babel_written_template_counts_as_in_sync(proj):
    """The gate's Babel-free staleness check agrees with pybabel's own output."""
    shutil.copy(REPO / "babel.cfg", proj / "babel.cfg")
    subprocess.run(
        [need("pybabel"), "extract", "-F", "babel.cfg", "-o", "locales/letter.pot", "."],
        cwd=proj,
        check=True,
        capture_output=True,
    )
    res = run_cli("check", cwd=proj)
    assert res.returncode == 0, res.stdout


def test_gate_output_formats(proj):
    cfg = load_config(proj)
    _approve_all(cfg, "fr", bad={"icnk-2012/cc": ["cc : sans pays"]})
    res = run_cli("check", "--require", "de", "--format", "junit", cwd=proj)
    assert res.returncode == 1
    root = ET.fromstring(res.stdout)
    assert root.tag == "testsuites" and int(root.get("failures")) >= 2
    failures = root.findall(".//failure")
    assert any("country" in (f.get("message") or "") for f in failures)
    res = run_cli("check", "--require", "de", "--format", "github", cwd=proj)
    assert res.returncode == 1
    assert "::error file=locales/fr/LC_MESSAGES/letter.po,line=" in res.stdout
    assert "::error file=locales/de/LC_MESSAGES/letter.po" in res.stdout
    res = run_cli("check", "--require", "de", "--format", "json", cwd=proj)
    data = json.loads(res.stdout)
    assert data["ok"] is False and data["required"] == ["de"]
    for f in data["findings"]:
        assert set(f) >= {"language", "context", "check_id", "severity", "message", "path", "line"}


@pytest.mark.parametrize(
    "args, message",
    [
        (["check", "--require", "xx"], "not configured"),
        (["check", "--require", "../x"], "is not a language code"),
        (["status", "--lang", "fr,zz_ZZ"], "not configured"),
        (["check", "--format", "yaml"], "Invalid value"),
    ],
)
def test_usage_errors_exit_2_with_one_line(proj, args, message):
    res = run_cli(*args, cwd=proj)
    assert res.returncode == 2
    assert message in res.stderr
    assert "Traceback" not in res.stderr


def test_missing_letter_and_unknown_language_are_clear_errors(tmp_path):
    root = write_project(tmp_path / "a", letters=["letters/missing.txt"])
    res = run_cli("extract", cwd=root)
    assert (
        res.returncode == 2
        and "letter file not found" in res.stderr
        and "Traceback" not in res.stderr
    )
    root = write_project(tmp_path / "b", languages=("fr", "klingon"))
    res = run_cli("status", cwd=root)
    assert res.returncode == 2 and "klingon" in res.stderr and "Traceback" not in res.stderr


def test_repo_gate_is_green_with_its_configured_required_set():
    """What CI runs over the shipped catalogues."""
    res = run_cli("check", cwd=REPO)
    assert res.returncode == 0, res.stdout + res.stderr


def test_msgfmt_accepts_every_shipped_catalogue():
    msgfmt = need("msgfmt")
    cfg = load_config(REPO)
    for lang in cfg.languages:
        res = subprocess.run(
            [msgfmt, "-c", "-o", "/dev/null", str(cfg.catalog(lang))],
            capture_output=True,
            text=True,
        )
        assert res.returncode == 0, (lang, res.stderr)


def test_shipped_catalogues_are_exactly_what_update_writes(tmp_path):
    """`letterflow extract` + `update` on the repo's own files changes no byte."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "letters", root / "letters")
    shutil.copytree(REPO / "locales", root / "locales", ignore=shutil.ignore_patterns("*.lock"))
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")

    def files():
        return {
            p: p.read_bytes() for p in (root / "locales").rglob("*")
            if p.suffix in (".po", ".pot") and p.stem == "letter"  # not the UI's "ui" domain
        }

    before = files()
    for cmd in (["extract"], ["update"]):
        res = run_cli(*cmd, cwd=root)
        assert res.returncode == 0, res.stderr
    assert len(before) == 15
    assert files() == before


def test_skip_leaves_a_check_out_and_rejects_unknown_ids(proj):
    cfg = load_config(proj)
    _approve_all(cfg, "fr", bad={"icnk-2012/cc": ["cc : sans pays"]})
    res = run_cli("check", "--skip", "placeholders", "--format", "json", cwd=proj)
    data = json.loads(res.stdout)
    assert not any(f["check_id"] == "placeholders" for f in data["findings"])
    res = run_cli("check", "--format", "json", cwd=proj)
    assert any(f["check_id"] == "placeholders" for f in json.loads(res.stdout)["findings"])
    res = run_cli("check", "--skip", "no-such-check", cwd=proj)
    assert res.returncode == 2 and "unknown check id" in res.stderr
