"""The gate checks what the export needs (issue 10, defect 6): Plural-Forms that parse,
give a valid form for every n and CLDR's form for the letter's numbers; UTF-8; a Language
header that names the folder; no empty or truncated catalogue; ``update`` refuses to
overwrite a catalogue it cannot read. Real files, the real ``letterflow`` process."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_project

EXE = Path(sys.executable).parent / "letterflow"


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    root = write_project(tmp_path / "proj", languages=("ru", "fr", "de"))
    assert _lf(root, "update").returncode == 0
    return root


def _lf(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(EXE), "--project", str(root), *args], capture_output=True,
                          text=True, timeout=120)


def _po(root: Path, lang: str = "ru") -> Path:
    return root / "locales" / lang / "LC_MESSAGES" / "letter.po"


def set_header(path: Path, name: str, value: str) -> None:
    """Replace one header field (which may be wrapped over several lines)."""
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\n\n")
    pattern = re.compile(rf'^"{re.escape(name)}:.*?\\n"$', re.M | re.S)
    assert pattern.search(head), name
    head = pattern.sub(lambda _m: f'"{name}: {value}\\n"', head, count=1)
    path.write_text(head + sep + rest, encoding="utf-8")


def _errors(proc: subprocess.CompletedProcess) -> list[str]:
    return [line for line in proc.stdout.splitlines() if ": error: " in line]


def test_the_fresh_project_passes(proj: Path):
    proc = _lf(proj, "check")
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize(("value", "expected"), [
    ("nplurals=3; plural=0;",
     "179 is \"many\" in ru (CLDR, form 2), but Plural-Forms picks form 0"),
    ("nplurals=3; plural=(n > 1;", "does not parse"),
    ("nplurals=3; plural=n%4;", "gives form 3 for n=3, but nplurals=3"),
    ("nplurals=2; plural=(n != 1);", "nplurals=2, ru needs 3"),
    ("nplurals=3; plural=n/0;", "fails for n=0"),
])
def test_bad_plural_forms_fail_the_gate(proj: Path, value: str, expected: str):
    set_header(_po(proj), "Plural-Forms", value)
    proc = _lf(proj, "check")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    errors = _errors(proc)
    assert any(expected in e and "[plurals]" in e for e in errors), errors


def test_another_nplurals_passes_when_the_catalogue_says_why(proj: Path):
    po = _po(proj, "de")
    set_header(po, "Plural-Forms", "nplurals=1; plural=0;")
    assert _lf(proj, "check").returncode == 1
    text = po.read_text(encoding="utf-8").replace(
        '"Plural-Forms:', '"X-Letterflow-Plural-Forms-Reason: one form on purpose\\n"\n'
        '"Plural-Forms:', 1)
    po.write_text(text, encoding="utf-8")
    proc = _lf(proj, "check")
    assert proc.returncode == 0, proc.stdout


def test_a_charset_other_than_utf8_fails_the_gate(proj: Path):
    set_header(_po(proj), "Content-Type", "text/plain; charset=KOI8-X")
    proc = _lf(proj, "check")
    assert proc.returncode == 1
    assert any("[header]" in e and "charset is KOI8-X" in e for e in _errors(proc))


def test_a_language_header_naming_another_language_fails_the_gate(proj: Path):
    set_header(_po(proj), "Language", "fr")
    proc = _lf(proj, "check")
    assert proc.returncode == 1
    assert any("Language header says 'fr'" in e for e in _errors(proc))


def test_an_empty_catalogue_fails_the_gate_and_update_keeps_it(proj: Path):
    po = _po(proj)
    po.write_bytes(b"")
    proc = _lf(proj, "check")
    assert proc.returncode == 1
    assert any("catalogue is empty" in e for e in _errors(proc))
    proc = _lf(proj, "update")
    assert proc.returncode == 2
    assert "refusing to overwrite" in proc.stderr and "Traceback" not in proc.stderr
    assert po.read_bytes() == b""  # not recreated: the translations are not silently lost


def test_a_catalogue_truncated_to_its_header_fails_the_gate(proj: Path):
    po = _po(proj)
    head = po.read_text(encoding="utf-8").partition("\n\n")[0]
    po.write_text(head + "\n", encoding="utf-8")
    proc = _lf(proj, "check")
    assert proc.returncode == 1
    assert any("no messages (truncated?)" in e for e in _errors(proc))


def test_update_refuses_a_catalogue_it_cannot_parse(proj: Path):
    po = _po(proj)
    cut = po.read_bytes()[:3000]
    po.write_bytes(cut)
    proc = _lf(proj, "update")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()[-1]) < 400
    assert po.read_bytes() == cut
