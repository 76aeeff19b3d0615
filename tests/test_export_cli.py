"""`letterflow export` and `letterflow preview`, run as the real console command."""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import sys
import zipfile
from html import unescape
from pathlib import Path

import docx
import pytest
from export_support import make_project

from workflow import audit, db
from workflow.catalogs import Change, apply_changes
from workflow.config import load_config
from workflow.export.docx import DRAFT_HEADER, UNREVIEWED_MARK
from workflow.export.run import plan_export, stream_zip

RECIPIENTS = """\
country,name,title,email
FR,Laurent Fabius,Ministre des Affaires étrangères,lf@example.org
EG,,,
KR,,,
JP,,,
CN,,,
RU,,,
PL,,,
US,John Kerry,Secretary of State,
"""


def cli(root: Path, *args: str, cwd: Path | None = None):
    return subprocess.run(
        [sys.executable, "-m", "workflow.cli", "--project", str(root), *args],
        cwd=cwd or root, capture_output=True, text=True, timeout=300,
    )


@pytest.fixture(scope="module")
def approved(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("cli") / "proj", approved=(
        "fr", "ar", "ko", "ja", "zh", "ru", "pl", "es"), empty=("de",))
    (root / "recipients.csv").write_text(RECIPIENTS, encoding="utf-8")
    return root


def test_export_writes_letters_manifest_and_zip(approved):
    out = approved / "dist"
    result = cli(approved, "export", "recipients.csv", "--out", "dist")
    assert result.returncode == 0, result.stderr
    assert "Exporting letters" in result.stderr  # the progress bar
    assert re.search(r"Exported 8 letter\(s\) to .*dist \(ar 1, en 1, fr 1, ja 1, ko 1, "
                     r"pl 1, ru 1, zh 1\)", result.stdout)
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([
        "FR-fr-laurent-fabius.docx", "EG-ar.docx", "KR-ko.docx", "JP-ja.docx", "CN-zh.docx",
        "RU-ru.docx", "PL-pl.docx", "US-en-john-kerry.docx", "manifest.json", "letters.zip"])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    files = {f["file"]: f for f in manifest["files"]}
    fr = files["FR-fr-laurent-fabius.docx"]
    assert fr["recipient"] == {"row": 2, "country": "FR", "name": "Laurent Fabius",
                               "title": "Ministre des Affaires étrangères",
                               "email": "lf@example.org"}
    assert fr["language"] == "fr" and fr["paper"] == "A4" and fr["draft"] is False
    po = approved / "locales" / "fr" / "LC_MESSAGES" / "letter.po"
    assert fr["catalogue_sha256"] == hashlib.sha256(po.read_bytes()).hexdigest()
    assert fr["sha256"] == hashlib.sha256((out / fr["file"]).read_bytes()).hexdigest()
    assert fr["approved_at"]  # from the catalogue header when there is no database
    assert manifest["languages"]["fr"]["approval_source"] == "catalogue headers"
    assert files["US-en-john-kerry.docx"]["paper"] == "Letter"
    with zipfile.ZipFile(out / "letters.zip") as z:
        assert sorted(z.namelist()) == sorted(n for n in names if n != "letters.zip")
        assert z.read("EG-ar.docx") == (out / "EG-ar.docx").read_bytes()
    doc = docx.Document(str(out / "FR-fr-laurent-fabius.docx"))
    assert doc.paragraphs[3].text == "Laurent Fabius"
    assert doc.paragraphs[-1].text == (
        "cc : Représentant permanent de France auprès des Nations Unies")
    # no temporary folder left behind next to the output
    assert not [p for p in approved.iterdir() if p.name.startswith(".dist.letterflow-")]


def test_export_json_summary(approved, tmp_path):
    result = cli(approved, "export", "recipients.csv", "--out", str(tmp_path / "o"),
                 "--format", "json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["ok"] is True and summary["letters"] == 8 and summary["drafts"] == 0


def test_manifest_approver_from_audit_trail(tmp_path):
    root = make_project(tmp_path / "p", approved=("fr",), empty=())
    (root / "r.csv").write_text("country\nFR\n", encoding="utf-8")
    conn = db.connect(load_config(root).database)
    for who, ctx in [("alice", "test-letter/place"), ("bob", "test-letter/cc")]:
        audit.record(conn, user=who, language="fr", context=ctx, action="approve",
                     before=["x"], after=["y"], before_fuzzy=True)
    conn.close()
    result = cli(root, "export", "r.csv", "--out", "dist")
    assert result.returncode == 0, result.stderr
    manifest = json.loads((root / "dist" / "manifest.json").read_text(encoding="utf-8"))
    (entry,) = manifest["files"]
    assert entry["approved_by"] == ["alice", "bob"]
    assert entry["approved_at"].startswith("20")
    assert manifest["languages"]["fr"]["approval_source"] == "audit"


def test_gate_blocks_and_names_language_and_messages(tmp_path):
    root = make_project(tmp_path / "p", approved=("fr",), drafts=("es",), empty=())
    (root / "r.csv").write_text("country\nFR\nMX\n", encoding="utf-8")
    result = cli(root, "export", "r.csv", "--out", "dist")
    assert result.returncode == 1
    assert "Export blocked" in result.stderr
    assert "es: 0% approved (7 draft, 0 untranslated)" in result.stderr
    assert "test-letter/closing: draft" in result.stderr
    assert "fr:" not in result.stderr  # fr is fine
    assert not (root / "dist").exists()  # nothing written


def test_gate_blocks_on_qa_error(tmp_path):
    root = make_project(tmp_path / "p", approved=("fr",), empty=())
    apply_changes(load_config(root).catalog("fr"),
                  [Change("test-letter/cc", ["cc : Représentant permanent"], fuzzy=False)])
    (root / "r.csv").write_text("country\nFR\n", encoding="utf-8")
    result = cli(root, "export", "r.csv", "--out", "dist")
    assert result.returncode == 1
    assert re.search(r"test-letter/cc: \[placeholders?\]", result.stderr), result.stderr


def test_allow_drafts_marks_every_page_and_paragraph(tmp_path):
    root = make_project(tmp_path / "p", approved=("fr",), drafts=("es",), empty=())
    (root / "r.csv").write_text("country\nFR\nMX\n", encoding="utf-8")
    result = cli(root, "export", "r.csv", "--out", "dist", "--allow-drafts")
    assert result.returncode == 0, result.stderr
    assert "1 marked DRAFT" in result.stdout
    es = docx.Document(str(root / "dist" / "MX-es.docx"))
    assert es.sections[0].header.paragraphs[0].text == DRAFT_HEADER
    translated = [p.text for p in es.paragraphs if p.style.name != "Letter Date"]
    assert all(t.startswith(UNREVIEWED_MARK) for t in translated)
    assert "Gracias por su atención." in [t[len(UNREVIEWED_MARK):] for t in translated]
    fr = docx.Document(str(root / "dist" / "FR-fr.docx"))
    assert all(DRAFT_HEADER not in p.text for p in fr.sections[0].header.paragraphs)
    manifest = json.loads((root / "dist" / "manifest.json").read_text(encoding="utf-8"))
    drafts = {f["file"]: f["draft"] for f in manifest["files"]}
    assert drafts == {"FR-fr.docx": False, "MX-es.docx": True}


def test_failure_part_way_leaves_nothing_in_out(tmp_path):
    root = make_project(tmp_path / "p", approved=("fr", "ko"), empty=())
    cfg = load_config(root)
    # a control character slips into a translation: the gate reports it through the QA check
    apply_changes(cfg.catalog("ko"),
                  [Change("test-letter/closing", ["감사\x07합니다"], fuzzy=False)])
    (root / "r.csv").write_text("country,name\nFR,A\nFR,B\nKR,C\n", encoding="utf-8")
    out = root / "dist"
    out.mkdir()
    (out / "old.txt").write_text("from an earlier run")
    result = cli(root, "export", "r.csv", "--out", "dist")
    assert result.returncode == 1
    assert re.search(r"test-letter/closing: \[control-chars\] .*U\+0007", result.stderr)
    # --allow-drafts passes the gate; rendering fails on the 3rd letter with a clear error
    result = cli(root, "export", "r.csv", "--out", "dist", "--allow-drafts")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "Error: ko test-letter/closing: control character U+0007 cannot go into a document "
        "(the QA check 'control characters' reports it; fix the translation)")
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["old.txt"]
    assert not [p for p in root.iterdir() if ".letterflow-" in p.name]


def test_missing_catalogue_falls_back_only_when_the_file_says_so(approved, tmp_path):
    csv = tmp_path / "r.csv"
    csv.write_text("country,language\nFR,fr\nTW,\n", encoding="utf-8")
    result = cli(approved, "export", str(csv), "--out", str(tmp_path / "o"))
    assert result.returncode == 2
    assert "row 3: unsupported language: no catalogue for the official languages of TW" in (
        result.stderr)
    csv.write_text("country,language,fallback\nFR,fr,\nTW,,yes\n", encoding="utf-8")
    result = cli(approved, "export", str(csv), "--out", str(tmp_path / "o"))
    assert result.returncode == 0, result.stderr
    assert "1 in the source language (fallback: no catalogue)" in result.stdout
    doc = docx.Document(str(tmp_path / "o" / "TW-en.docx"))
    assert doc.paragraphs[0].text == "179 defectors from North Korea"
    assert doc.paragraphs[-1].text == (
        "cc: Permanent Representative of Taiwan to the United Nations")
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text(encoding="utf-8"))
    assert [f["source_fallback"] for f in manifest["files"]] == [False, True]


@pytest.mark.parametrize(
    ("csv", "message"),
    [
        ("country\nFR\nZZ\n", "row 3: unknown country code 'ZZ'"),
        ("country,language\nFR,xx-yy\n", "row 2: unsupported language 'xx-yy'"),
        ("country,name\nFR,A\nFR,A\n", "row 3: duplicate recipient"),
        ("name\nA\n", "row 1: missing required column 'country'"),
    ],
)
def test_recipients_errors_exit_2_with_one_line(approved, tmp_path, csv, message):
    path = tmp_path / "r.csv"
    path.write_text(csv, encoding="utf-8")
    result = cli(approved, "export", str(path), "--out", str(tmp_path / "o"))
    assert result.returncode == 2
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_bad_encoding_via_cli(approved, tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(b"country,name\nDE,M\xfcller\n")
    result = cli(approved, "export", str(path), "--out", str(tmp_path / "o"))
    assert result.returncode == 2
    assert "row 2: bad encoding" in result.stderr


def test_template_and_appendix_options(approved, tmp_path):
    tpl = docx.Document()
    tpl.sections[0].header.paragraphs[0].text = "ICNK letterhead"
    tpl.save(tmp_path / "tpl.docx")
    app = docx.Document()
    app.add_paragraph("Signatures: 179")
    app.save(tmp_path / "app.docx")
    csv = tmp_path / "r.csv"
    csv.write_text("country\nKR\n", encoding="utf-8")
    result = cli(approved, "export", str(csv), "--out", str(tmp_path / "o"),
                 "--template", str(tmp_path / "tpl.docx"), "--appendix", str(tmp_path / "app.docx"))
    assert result.returncode == 0, result.stderr
    doc = docx.Document(str(tmp_path / "o" / "KR-ko.docx"))
    assert doc.sections[0].header.paragraphs[0].text == "ICNK letterhead"
    assert doc.paragraphs[0].text == "북한 이탈주민 179명"
    assert doc.paragraphs[-1].text == "Signatures: 179"
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["template"]["name"] == "tpl.docx"
    assert manifest["appendix"]["name"] == "app.docx"


def test_preview_renders_the_same_model_as_the_docx(approved, tmp_path):
    result = cli(approved, "preview", "--lang", "ar", "--country", "EG")
    assert result.returncode == 0, result.stderr
    html = result.stdout
    assert html.startswith("<!doctype html>") and 'dir="rtl"' in html
    preview = [unescape(t) for t in re.findall(r"<p [^>]*>(.*?)</p>", html)]
    export = cli(approved, "export", "recipients.csv", "--out", str(tmp_path / "o"))
    assert export.returncode == 0, export.stderr
    doc = docx.Document(str(tmp_path / "o" / "EG-ar.docx"))
    assert preview == [p.text for p in doc.paragraphs]
    text = cli(approved, "preview", "--lang", "fr", "--country", "FR", "--format", "text")
    assert text.stdout.splitlines()[0] == "179 transfuges de Corée du Nord"


def test_preview_errors(approved):
    result = cli(approved, "preview", "--lang", "fr", "--country", "XX")
    assert result.returncode == 2 and "unknown country code 'XX'" in result.stderr
    result = cli(approved, "preview", "--lang", "it", "--country", "IT")
    assert result.returncode == 2 and "language 'it' is not configured" in result.stderr


def test_stream_zip_for_the_web(approved):
    cfg = load_config(approved)
    plan = plan_export(cfg, approved / "recipients.csv", languages=["ko", "fr"])
    chunks = list(stream_zip(plan))
    assert len(chunks) == 3  # one per letter, then the manifest and the directory
    with zipfile.ZipFile(io.BytesIO(b"".join(chunks))) as z:
        assert z.testzip() is None
        assert sorted(z.namelist()) == ["FR-fr-laurent-fabius.docx", "KR-ko.docx",
                                        "manifest.json"]
        doc = docx.Document(io.BytesIO(z.read("KR-ko.docx")))
        assert doc.paragraphs[0].text == "북한 이탈주민 179명"
