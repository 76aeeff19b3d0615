"""Plural forms: count per language, no empty form, a sane Plural-Forms header."""

from __future__ import annotations

import pytest
from checks_support import catalog, findings, msg, problems

SRC, PL = "One defector signed", "{count} defectors signed"

GOOD = [
    (
        "fr",
        (
            "{count} transfuge a signé",
            "{count} de transfuges ont signé",
            "{count} transfuges ont signé",
        ),
    ),
    ("de", ("Ein Überläufer hat unterschrieben", "{count} Überläufer haben unterschrieben")),
    ("ja", ("{count} 名の脱北者が署名した",)),
    ("ru", ("{count} перебежчик", "{count} перебежчика", "{count} перебежчиков")),
    ("ar", ("لا أحد", "منشق واحد", "منشقان", "{count} منشقين", "{count} منشقا", "{count} منشق")),
]
BAD = [
    ("de", ("{count} Überläufer",), "1 plural forms, the catalogue (de) needs 2"),
    ("ja", ("{count} 名", "{count} 名"), "2 plural forms, the catalogue (ja) needs 1"),
    ("ru", ("{count} перебежчик", "", "{count} перебежчиков"), "plural form 1 empty"),
    ("ar", ("a", "b", "c", "{count} d", "{count} e"), "5 plural forms, the catalogue (ar) needs 6"),
]


@pytest.mark.parametrize(("lang", "strings"), GOOD)
def test_plurals_good(lang, strings):
    assert problems("plurals", SRC, *strings, lang=lang, plural=PL) == []


@pytest.mark.parametrize(("lang", "strings", "expected"), BAD)
def test_plurals_bad(lang, strings, expected):
    found = problems("plurals", SRC, *strings, lang=lang, plural=PL)
    assert expected in found, found


def test_non_plural_message_has_no_plural_findings():
    assert problems("plurals", "Seoul", "Séoul", lang="fr") == []


@pytest.mark.parametrize(
    ("lang", "nplurals", "ok"),
    [
        ("fr", 3, True),
        ("fr", 2, False),  # GNU gettext's older value: only with a reason (below)
        ("es", 2, False),
        ("fr", 1, False),
        ("ru", 3, True),
        ("ru", 2, False),
        ("ja", 1, True),
        ("ja", 2, False),
        ("ar", 6, True),
        ("ar", 3, False),
        ("de", 2, True),
    ],
)
def test_plural_forms_header(lang, nplurals, ok):
    found = [f for f in findings(catalog(lang, [], nplurals=nplurals)) if f.check_id == "plurals"]
    assert (found == []) is ok, found
    if not ok:
        assert found[0].severity == "error" and found[0].context == "" and found[0].line == 1
        assert f"nplurals={nplurals}" in found[0].message


@pytest.mark.parametrize("lang", ["fr", "es", "pt", "it", "ca"])
def test_gnu_two_forms_pass_with_a_declared_reason(lang):
    """CLDR has one, many, other there; GNU's nplurals=2 needs the catalogue's reason."""
    from workflow.checks.plurals import REASON_HEADER

    (f,) = [f for f in findings(catalog(lang, [], nplurals=2)) if f.check_id == "plurals"]
    assert f"nplurals=2, {lang} needs 3 (CLDR) (GNU gettext's older value" in f.message
    reason = {REASON_HEADER: "two forms: the letter never counts in millions"}
    assert [f for f in findings(catalog(lang, [], nplurals=2, headers=reason))
            if f.check_id == "plurals"] == []


def test_empty_plural_form_in_a_draft_is_still_reported():
    m = msg(SRC, "{count} перебежчик", "", "", plural=PL, fuzzy=True)
    found = [f for f in findings(catalog("ru", [m])) if f.check_id == "plurals"]
    assert [f.message for f in found] == ["plural form 1, 2 empty"]
