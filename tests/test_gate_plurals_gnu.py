"""GNU gettext's older nplurals=2 for fr, es, pt, it and ca (issue 10, defect 6): CLDR has
three categories there (one, many, other), so the gate accepts two forms only when the
catalogue says why (``X-Letterflow-Plural-Forms-Reason``). The real ``letterflow`` process
and GNU ``msgfmt -c`` on real files."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from test_gate_header import _errors, _lf, _po, set_header

from tests.conftest import write_project
from tests.tool_support import need

REASON = ("X-Letterflow-Plural-Forms-Reason: GNU gettext's two forms; no plural message "
          "of this letter is filled with a multiple of a million")


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    root = write_project(tmp_path / "proj", languages=("fr", "es", "it"))
    assert _lf(root, "update").returncode == 0
    return root


def _gnu_two_forms(po: Path) -> None:
    """What msginit writes for these languages: nplurals=2 and two msgstr forms."""
    set_header(po, "Plural-Forms", "nplurals=2; plural=(n != 1);")
    lines = po.read_text(encoding="utf-8").splitlines(keepends=True)
    po.write_text("".join(x for x in lines if not x.startswith('msgstr[2] ""')),
                  encoding="utf-8")


@pytest.mark.parametrize("lang", ["fr", "es", "it"])
def test_gnu_two_forms_need_a_reason(proj: Path, lang: str):
    po = _po(proj, lang)
    _gnu_two_forms(po)
    proc = _lf(proj, "check")
    assert proc.returncode == 1, proc.stdout
    errors = [e for e in _errors(proc) if "[plurals]" in e]
    assert len(errors) == 1, errors
    assert (f"nplurals=2, {lang} needs 3 (CLDR) (GNU gettext's older value; CLDR's "
            "categories: one, many, other)") in errors[0]
    assert "X-Letterflow-Plural-Forms-Reason" in errors[0]

    text = po.read_text(encoding="utf-8").replace('"Plural-Forms:', f'"{REASON}\\n"\n'
                                                  '"Plural-Forms:', 1)
    po.write_text(text, encoding="utf-8")
    proc = _lf(proj, "check")
    assert proc.returncode == 0, proc.stdout
    msgfmt = need("msgfmt")
    assert subprocess.run([msgfmt, "-c", "-o", "/dev/null", str(po)],
                          capture_output=True).returncode == 0


def test_every_catalogue_of_this_repository_has_cldr_counts_or_a_reason():
    """The repository's own catalogues (letter, countries, ui) pass msgfmt -c, and each has
    CLDR's nplurals or a reason header (the gate runs on them in CI)."""
    from workflow.catalogs import load_catalog
    from workflow.checks.plurals import REASON_HEADER, expected_nplurals

    repo = Path(__file__).resolve().parents[1]
    files = sorted((repo / "locales").glob("*/LC_MESSAGES/*.po"))
    assert len(files) > 20
    msgfmt = need("msgfmt")
    for po in files:
        lang = po.parent.parent.name
        cat = load_catalog(po, lang)
        assert cat.nplurals in expected_nplurals(lang) or cat.headers.get(REASON_HEADER), po
        proc = subprocess.run([msgfmt, "-c", "-o", "/dev/null", str(po)], capture_output=True,
                              text=True)
        assert proc.returncode == 0, (po, proc.stderr)
