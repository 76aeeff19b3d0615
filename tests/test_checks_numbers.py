"""Numbers: good/bad table, including localised digits and separators."""

from __future__ import annotations

import pytest
from checks_support import problems

GOOD = [
    ("The letter was signed by 179 defectors.", "La lettre a été signée par 179 transfuges.", "fr"),
    ("signed by 179 defectors", "وقعها ١٧٩ منشقا", "ar"),  # Arabic-Indic digits
    ("signed by 179 defectors", "وقعها ۱۷۹ منشقا", "ar"),  # Persian digits
    ("signed by 179 defectors", "１７９名の脱北者が署名した", "ja"),  # full-width digits
    ("179 defectors", "179名脱北者", "zh"),
    ("1,000 prisoners", "1 000 prisonniers", "fr"),
    ("1,000 prisoners", "1\u202f000 prisonniers", "fr"),  # narrow no-break space
    ("1,000 prisoners", "1\u00a0000 prisonniers", "fr"),
    ("1,000 prisoners", "1.000 Gefangene", "de"),
    ("1,000 prisoners", "1000 Gefangene", "de"),
    ("1,000 prisoners", "1'000 Gefangene", "de"),
    ("1,000,000 people", "1.000.000 Menschen", "de"),
    ("1.5 million", "1,5 million", "fr"),
    ("1,234.5 tonnes", "1 234,5 tonnes", "fr"),
    ("October 31, 2012", "31 octobre 2012", "fr"),
    ("31.10.2012", "2012年10月31日", "ja"),
    ("October 31, 2012", "٣١ أكتوبر ٢٠١٢", "ar"),
    ("Dear Minister of {country}", "Monsieur le Ministre, {country}", "fr"),
    ("{0} defectors", "{0} transfuges", "fr"),  # placeholder digits are not numbers
    ("No numbers here.", "Pas de chiffres ici.", "fr"),
]

BAD = [
    ("signed by 179 defectors", "signée par 178 transfuges", "fr", "number 179 missing"),
    ("signed by 179 defectors", "signée par des transfuges", "fr", "number 179 missing"),
    ("signed by defectors", "signée par 180 transfuges", "fr", "180 not in the source"),
    ("signed by 179 defectors", "وقعها ١٧٨ منشقا", "ar", "179 missing"),
    ("signed by 179 defectors", "１７８名の脱北者", "ja", "179 missing"),
    ("October 31, 2012", "31 octobre 2013", "fr", "2012 missing"),
    ("1,000 prisoners", "100 prisonniers", "fr", "missing"),
    ("1,000 prisoners", "1 00 prisonniers", "fr", "number"),
    ("in 2012 and 2013", "en 2012 et 2012", "fr", "2013 missing"),
]


@pytest.mark.parametrize(("source", "translation", "lang"), GOOD)
def test_numbers_good(source, translation, lang):
    assert problems("numbers", source, translation, lang=lang) == []


@pytest.mark.parametrize(("source", "translation", "lang", "expected"), BAD)
def test_numbers_bad(source, translation, lang, expected):
    found = problems("numbers", source, translation, lang=lang)
    assert any(expected in p for p in found), found


def test_numbers_in_plural_forms_may_follow_either_source():
    # "one" spelled out in the singular, "2" in the plural source: both readings accepted
    assert (
        problems(
            "numbers",
            "1 defector",
            "1 transfuge",
            "2 transfuges",
            "2 transfuges",
            plural="2 defectors",
            lang="fr",
        )
        == []
    )
    found = problems(
        "numbers",
        "1 defector",
        "1 transfuge",
        "3 transfuges",
        "2 transfuges",
        plural="2 defectors",
        lang="fr",
    )
    assert any("form 1" in p for p in found), found
