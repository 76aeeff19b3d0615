"""``letterflow export --dry-run`` (issue 10, requirement 1): every recipient -> file,
language, state and approvers, in text or JSON, and nothing written at all."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from export_support import make_project

CSV = ("country,language,name,fallback\nFR,fr,Anne,\nMX,es,Rosa,\nJP,ja,Aiko,\n"
       "TW,,Lin,yes\nKR,ja,Kim,yes\n")


def run(root: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workflow.cli", "--project", str(root),
                           "export", "r.csv", "--out", "dist", "--dry-run", *extra], cwd=root,
                          capture_output=True, text=True, timeout=300)


def tree(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mtime_ns
            for p in root.rglob("*") if p.is_file()}


def test_dry_run_lists_every_recipient_and_writes_nothing(tmp_path: Path):
    root = make_project(tmp_path / "p", approved=("fr",), drafts=("es",), empty=("ja",))
    (root / "r.csv").write_text(CSV, encoding="utf-8")
    before = tree(root)
    proc = run(root, "--format", "json")
    assert proc.returncode == 1, proc.stderr  # a real run would be blocked (es, ja)
    data = json.loads(proc.stdout)
    assert data["dry_run"] is True and data["rows_read"] == 5
    by_row = {r["row"]: r for r in data["recipients"]}
    assert sorted(by_row) == [2, 3, 4, 5, 6]
    fr = by_row[2]
    assert fr["file"] == "FR-fr-anne.docx" and fr["state"] == "approved"
    assert fr["approved_by"] == ["Test Translator <tt@example.org>"]
    assert fr["paragraphs"]["untranslated"] == 0 and fr["paragraphs"]["approved"] > 0
    assert by_row[3]["state"] == "blocked" and "es is not ready" in by_row[3]["reason"]
    assert by_row[4]["state"] == "blocked" and "not one paragraph" in by_row[4]["reason"]
    assert by_row[5]["file"] == "TW-en-lin.docx" and by_row[5]["state"] == "fallback"
    assert by_row[5]["fallback_reason"] == "no catalogue"
    assert by_row[6]["file"] == "KR-en-kim.docx"
    assert by_row[6]["fallback_reason"] == "nothing translated"
    assert tree(root) == before
    assert not (root / "dist").exists()
    assert not [p for p in os.listdir(root) if "letterflow" in p and p != "letterflow.toml"]


def test_dry_run_text_and_drafts_allowed(tmp_path: Path):
    root = make_project(tmp_path / "p", approved=("fr",), drafts=("es",), empty=("ja",))
    (root / "r.csv").write_text(CSV, encoding="utf-8")
    proc = run(root, "--allow-drafts", "--skip-blocked")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("Dry run: read 5 recipient row(s)")
    assert "4 letter(s) would be written, 1 blocked; nothing written" in lines[0]
    assert any(line.strip().startswith("row 3 MX Rosa -> MX-es-rosa.docx: es, draft")
               for line in lines), lines
    assert any("row 4 JP Aiko -> no letter (ja): blocked" in line for line in lines)
    assert any("-> TW-en-lin.docx: en (fallback for zh_Hant: no catalogue)" in line
               or "-> TW-en-lin.docx: en (fallback for" in line for line in lines), lines
    assert not (root / "dist").exists()
