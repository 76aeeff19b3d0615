"""Cross-check against independent tools: translate-toolkit's pofilter and GNU msgfmt -c.

Two seeded bad catalogues (tests/data/qa-seeded-fr.po, qa-seeded-ar.po) go through
pofilter's placeholder, number, plural and markup tests and through ``msgfmt -c``.
letterflow must find every error they find, except the listed false positives (each
with the reason it is not an error); the findings that are ours alone are listed too.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import DATA, REPO
from tool_support import need

from workflow.catalogs import load_catalog
from workflow.checks import run_checks

SEEDED = {"fr": DATA / "qa-seeded-fr.po", "ar": DATA / "qa-seeded-ar.po"}
POFILTER_TESTS = ["variables", "printf", "pythonbraceformat", "numbers", "nplurals", "xmltags"]
#: pofilter test / msgfmt complaint -> the letterflow check that covers it
CATEGORY = {
    "variables": "placeholders",
    "printf": "placeholders",
    "pythonbraceformat": "placeholders",
    "numbers": "numbers",
    "nplurals": "plurals",
    "xmltags": "markup",
}
#: Their findings that are not errors, and why.
FALSE_POSITIVES = {
    ("num/separators", "numbers"): "1,000 = 1 000 and 1.5 = 1,5 in French notation",
    ("num/arabic-indic", "numbers"): "١٧٩ is 179 in Arabic-Indic digits",
    (
        "plural/ar-zero-one-two",
        "placeholders",
    ): "Arabic zero/one/two forms are used for one n each and may spell the number out "
    "(msgfmt -c accepts them too)",
}
#: Ours alone: (context, check id) we expect to find that neither tool reports.
OURS_ALONE = {
    ("plural/empty", "plurals"),  # an empty plural form: msgfmt treats it as untranslated
    ("ctrl", "control-chars"),  # U+0007: python-docx would refuse it at export
    ("glossary", "glossary"),  # "délits en contre de l'humanité" is not the UN term
    ("wrong-language", "wrong-language"),  # English pasted into the French catalogue
    ("wrong-language", "end-punctuation"),  # "!" for "." and no no-break space
    ("identical", "untranslated"),
    ("mt-damaged", "placeholders"),  # flagged by the MT layer although the text looks fine
    ("mt-damaged", "end-punctuation"),  # French ":" needs a no-break space
    ("ph/invented", "end-punctuation"),
    ("punct", "end-punctuation"),
}


@pytest.fixture(autouse=True)
def _tools():
    """Both tools are installed by CI: translate-toolkit's pofilter and GNU gettext's msgfmt."""
    need("pofilter")
    need("msgfmt")


def config_for(lang: str):
    return SimpleNamespace(
        glossary=REPO / "locales" / "glossary.tbx", languages=[lang], source_language="en"
    )


def ours(lang: str) -> set[tuple[str, str]]:
    cat = load_catalog(SEEDED[lang], lang)
    return {(f.context, f.check_id) for f in run_checks(cat, config=config_for(lang))}


def pofilter(lang: str, tmp_path: Path) -> set[tuple[str, str]]:
    out = tmp_path / f"pofilter-{lang}.po"
    cmd = [need("pofilter"), "--progress=none", "-i", str(SEEDED[lang]), "-o", str(out)]
    for test in POFILTER_TESTS:
        cmd += ["--test", test]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    found = set()
    for msg in load_catalog(out, lang).messages:
        for comment in msg.translator_comments:
            m = re.match(r"\(pofilter\) (\w+):", comment)
            if m:
                found.add((msg.context or msg.source, CATEGORY[m.group(1)]))
    return found


def msgfmt(lang: str) -> set[tuple[str, str]]:
    res = subprocess.run(
        [need("msgfmt"), "-c", "-o", "/dev/null", str(SEEDED[lang])],
        capture_output=True,
        text=True,
        timeout=60,
    )
    cat = load_catalog(SEEDED[lang], lang)
    starts = sorted((m.line, m.context or m.source) for m in cat.messages)
    found = set()
    for line in res.stderr.splitlines():
        m = re.match(r".*?\.po:(\d+): (?!warning)(.*)", line)
        if not m:
            continue
        where, text = int(m.group(1)), m.group(2)
        entry = ""
        for start, ctx in starts:
            if start <= where:
                entry = ctx
        found.add((entry, "plurals" if "plural" in text else "placeholders"))
    return found


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_letterflow_finds_every_error_pofilter_and_msgfmt_find(lang, tmp_path):
    mine = ours(lang)
    theirs = pofilter(lang, tmp_path) | msgfmt(lang)
    assert theirs, "the tools found nothing: the seeded catalogue is not being read"
    header = {t for t in theirs if t[0] == ""}
    for _, category in header:  # msgfmt reports "only 2 plural forms" against the header
        assert any(check == category for _, check in mine)
    missed = {t for t in theirs - header - mine if t not in FALSE_POSITIVES}
    assert not missed, f"letterflow misses what pofilter/msgfmt find: {sorted(missed)}"
    # the false positives really are reported by them and really are not by us
    for key in FALSE_POSITIVES:
        if key[0] in {c for c, _ in theirs}:
            assert key in theirs and key not in mine


def test_findings_that_are_ours_alone(tmp_path, capsys):
    mine = ours("fr") | ours("ar")
    theirs = pofilter("fr", tmp_path) | msgfmt("fr") | pofilter("ar", tmp_path) | msgfmt("ar")
    alone = mine - theirs
    assert alone == OURS_ALONE
    with capsys.disabled():
        print("\nletterflow findings that pofilter/msgfmt -c do not report:")
        for ctx, check in sorted(alone):
            print(f"  {ctx:<24} {check}")
