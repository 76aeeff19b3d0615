"""The registry and run_checks: ids, descriptions, order, skips, ignore flags, findings."""

from __future__ import annotations

import subprocess
import sys

import pytest
from checks_support import catalog, findings, msg

from workflow.checks import CHECKS, Check, Finding, registry, run_checks
from workflow.checks.base import Unit

REQUIRED = {
    "placeholders": "error",
    "markup": "error",
    "numbers": "error",
    "plurals": "error",
    "control-chars": "error",
    "untranslated": "warning",
    "wrong-language": "warning",
    "whitespace": "warning",
    "end-punctuation": "warning",
    "brackets": "warning",
    "length": "warning",
    "repeated-word": "warning",
    "glossary": "error",
    "protected": "error",
    "register": "error",
    "leftover": "warning",
    "spelling": "warning",
}


def test_registry_has_every_required_check_with_its_severity():
    assert {cid: c.severity for cid, c in registry.items()} == REQUIRED


@pytest.mark.parametrize("check", list(registry.values()), ids=list(registry))
def test_every_check_has_id_title_description_and_severity(check):
    assert check.id and check.id == check.id.lower() and " " not in check.id
    assert check.title(), f"{check.id} has no docstring title"
    assert len(check.description()) > 40, f"{check.id} has no description"
    assert check.severity in ("error", "warning")


def test_a_check_without_a_docstring_has_no_description():
    class Bare(Check):
        id = "bare"

    assert Bare.title() == "" and Bare.description() == ""


def test_cheap_checks_first_detector_last_untranslated_before_dependents():
    order = [c.id for c in CHECKS]
    assert order[-1] == "wrong-language"
    first_dependent = min(i for i, c in enumerate(CHECKS) if c.needs_translation)
    assert order.index("untranslated") < first_dependent


def test_finding_fields():
    m = msg(
        "Signed by 179 defectors.", "Signée par 178 transfuges.", context="icnk/sender", line=42
    )
    f = [f for f in findings(catalog("fr", [m])) if f.check_id == "numbers"][0]
    assert isinstance(f, Finding)
    assert (f.language, f.context, f.severity, f.line) == ("fr", "icnk/sender", "error", 42)
    assert f.path.endswith("fr/LC_MESSAGES/letter.po")
    assert "\n" not in f.message and "179" in f.message
    assert f.as_dict()["check_id"] == "numbers"


def test_drafts_are_checked_untranslated_and_obsolete_are_not():
    bad = "Signée par 178 transfuges."
    cat = catalog(
        "fr",
        [
            msg("Signed by 179.", bad, context="draft", fuzzy=True),
            msg("Signed by 179.", "", context="empty"),
            msg("Signed by 179.", bad, context="old", obsolete=True),
        ],
    )
    assert {f.context for f in findings(cat)} == {"draft"}


def test_identical_translation_skips_the_dependent_checks():
    # identical to the source: untranslated fires, glossary/wrong-language/... do not
    text = "We know crimes against humanity are committed in the DPRK , every day."
    cat = catalog("fr", [msg(text, text, context="copy")])
    assert [f.check_id for f in findings(cat)] == ["untranslated"]


def test_mt_damaged_entry_is_a_placeholder_error_even_when_copied():
    text = "Dear Minister of {country}"
    cat = catalog("fr", [msg(text, text, flags=("letterflow-mt-damaged",))])
    ids = {(f.check_id, f.severity) for f in findings(cat)}
    assert ("placeholders", "error") in ids


def test_entry_ignore_flag_silences_one_check():
    src = "We are survivors of severe human rights violations in North Korea."
    long_fr = ("Nous. " * 60).strip().rstrip(".")
    plain = catalog("fr", [msg(src, long_fr)])
    ignored = catalog("fr", [msg(src, long_fr, flags=("letterflow-ignore: length",))])
    assert "length" in {f.check_id for f in findings(plain)}
    assert "length" not in {f.check_id for f in findings(ignored)}
    # other checks still run on the ignored entry
    assert "end-punctuation" in {f.check_id for f in findings(ignored)}


def test_ignore_flag_may_list_several_checks():
    m = msg("Thank you.", "Merci", flags=("letterflow-ignore: end-punctuation length",))
    assert findings(catalog("fr", [m])) == []


def test_catalogue_header_silences_a_check_for_every_entry():
    msgs = [msg("Thank you.", "Merci", context="a"), msg("Goodbye.", "Au revoir", context="b")]
    assert {f.check_id for f in findings(catalog("fr", msgs))} == {"end-punctuation"}
    quiet = catalog("fr", msgs, headers={"X-Letterflow-Ignore": "end-punctuation, length"})
    assert findings(quiet) == []


def test_one_message_mode_skips_catalogue_level_checks():
    m = msg("Thank you.", "Merci")
    cat = catalog("fr", [m], nplurals=7)
    assert any(f.context == "" for f in run_checks(cat))
    assert [f.check_id for f in run_checks(cat, m)] == ["end-punctuation"]


def test_a_crashing_check_becomes_an_error_finding(monkeypatch):
    class Boom(Check):
        """Explodes."""

        id = "length"

        def check(self, unit: Unit):
            raise RuntimeError("kaboom")

    monkeypatch.setitem(registry, "length", Boom())
    (f,) = [f for f in findings(catalog("fr", [msg("Hello.", "Bonjour.")]))]
    assert (f.check_id, f.severity) == ("length", "error") and "kaboom" in f.message


def test_importing_checks_stays_light():
    code = (
        "import sys, workflow.checks\n"
        "heavy = [m for m in ('lingua', 'docx', 'flask', 'deep_translator', 'snowballstemmer')"
        " if m in sys.modules]\n"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


IGNORING_PO = r"""msgid ""
msgstr ""
"Language: fr\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;\n"
"X-Letterflow-Ignore: end-punctuation\n"

#, fuzzy, letterflow-ignore: length, letterflow-ignore: brackets
msgctxt "a"
msgid "We are survivors of severe human rights violations in North Korea (DPRK)."
msgstr "Nous (RPDC"

msgctxt "b"
msgid "We are survivors of severe human rights violations in North Korea (DPRK)."
msgstr "Nous (RPDC"
"""


def test_ignore_flags_read_from_a_real_po_file(tmp_path):
    from workflow.catalogs import load_catalog

    path = tmp_path / "fr.po"
    path.write_text(IGNORING_PO, encoding="utf-8")
    found = {(f.context, f.check_id) for f in run_checks(load_catalog(path, "fr"))}
    # the header silences end-punctuation everywhere, the flags length/brackets for "a"
    assert found == {("b", "length"), ("b", "brackets")}
