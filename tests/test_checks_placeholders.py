"""Placeholders, inline markup and control characters: good/bad tables."""

from __future__ import annotations

import pytest
from checks_support import problems

PY = ("python-format",)
C = ("c-format",)
AR_PLURAL = ("{count} defectors",)

GOOD = [
    # (source, translation(s), lang, plural source, flags)
    ("{country} supports us", ("{country} nous soutient",), "fr", None, ()),
    ("Dear Minister of {country}", ("Monsieur le Ministre ({country})",), "fr", None, ()),
    ("{0} and {1}", ("{1} et {0}",), "fr", None, ()),
    ("{count:d} defectors", ("{count:d} transfuges",), "fr", None, ()),
    ("{{literal}} and {x}", ("{{littéral}} et {x}",), "fr", None, ()),
    ("%(name)s wrote", ("%(name)s a écrit",), "fr", None, PY),
    ("%s of %d", ("%s de %d",), "fr", None, C),
    ("%1$s of %2$d", ("%2$d de %1$s",), "fr", None, C),
    ("100% sure", ("sûr à 100 %",), "fr", None, ()),  # no flag: "% s" is not a directive
    ("{country}", ("{country}",), "ja", None, ()),
    # Arabic: the zero, one and two forms are used for a single n each: may spell it out
    (
        "One defector",
        ("لا أحد", "منشق واحد", "منشقان", "{count} منشقين", "{count} منشقا", "{count} منشق"),
        "ar",
        "{count} defectors",
        (),
    ),
    (
        "{count} defector",
        ("لا منشقين", "منشق واحد", "منشقان", "{count} منشقين", "{count} منشقا", "{count} منشق"),
        "ar",
        "{count} defectors",
        (),
    ),
    # Russian form 0 covers 1, 21, 31...: it keeps {count}
    (
        "One defector",
        ("{count} перебежчик", "{count} перебежчика", "{count} перебежчиков"),
        "ru",
        "{count} defectors",
        (),
    ),
    ("{count} defector", ("{count} 名の脱北者",), "ja", "{count} defectors", ()),
]

BAD = [
    # (source, translation(s), lang, plural source, flags, expected fragment)
    ("{country} supports us", ("nous soutient",), "fr", None, (), "missing placeholder {country}"),
    (
        "Dear Minister",
        ("Monsieur le Ministre de {pays}",),
        "fr",
        None,
        (),
        "{pays} not in the source",
    ),
    (
        "Minister of {country}",
        ("Ministro de {país}",),
        "es",
        None,
        (),
        "{country} renamed to {país}",
    ),
    ("{0} and {1}", ("{0} et {0}",), "fr", None, (), "{1} renamed to {0}"),
    ("%(name)s wrote", ("%(nom)s a écrit",), "fr", None, PY, "%(name)s renamed to %(nom)s"),
    ("%(name)s wrote", ("a écrit",), "fr", None, PY, "missing placeholder %(name)s"),
    ("%s of %d", ("%d de %s",), "fr", None, C, "printf directives %s %d became %d %s"),
    ("%s of %d", ("%s de",), "fr", None, C, "printf directives %s %d became %s"),
    ("Seoul, {date}", ("Séoul, [[1]]",), "fr", None, (), "leftover MT mask [[1]]"),
    ("{country}", ("{country}",), "fr", None, ("letterflow-mt-damaged",), "damaged"),
    (
        "One defector",
        ("перебежчик", "{count} перебежчика", "{count} перебежчиков"),
        "ru",
        "{count} defectors",
        (),
        "form 0: missing placeholder {count}",
    ),
    (
        "{count} defector",
        ("{count} перебежчик", "{count} перебежчика", "перебежчиков"),
        "ru",
        "{count} defectors",
        (),
        "form 2: missing placeholder {count}",
    ),
    (
        "{count} of {country}",
        (
            "{count} {country}",
            "{count} x",
            "{count} {country}",
            "{count} {country}",
            "{count} {country}",
            "{count} {country}",
        ),
        "ar",
        "{count} of {country}",
        (),
        "form 1: missing placeholder {country}",
    ),
    (
        "{count} of {country}",
        ("", "x", "", "", "", ""),
        "ar",
        "{count} of {country}",
        (),
        "form 1: missing placeholder {country}, {count}",
    ),
    (
        "One defector",
        ("{count} transfuge", "{count} transfuges", "{n} transfuges"),
        "fr",
        "{count} defectors",
        (),
        "form 2: placeholder {count} renamed to {n}",
    ),
    (
        "One defector",
        ("لا أحد", "منشق واحد", "منشقان", "منشقين", "{count} منشقا", "{count} منشق"),
        "ar",
        "{count} defectors",
        (),
        "form 3: missing",
    ),
]


@pytest.mark.parametrize(("source", "strings", "lang", "plural", "flags"), GOOD)
def test_placeholders_good(source, strings, lang, plural, flags):
    assert problems("placeholders", source, *strings, lang=lang, plural=plural, flags=flags) == []


@pytest.mark.parametrize(("source", "strings", "lang", "plural", "flags", "expected"), BAD)
def test_placeholders_bad(source, strings, lang, plural, flags, expected):
    found = problems("placeholders", source, *strings, lang=lang, plural=plural, flags=flags)
    assert any(expected in p for p in found), found


MARKUP_GOOD = [
    ("<b>179</b> defectors", "<b>179</b> transfuges"),
    ("Read <a href='x'>this</a>", "Lisez <a href='y'>ceci</a>"),
    ("Line<br/>break", "Ligne<br/>coupée"),
    ("a < b and c > d", "a < b et c > d"),
]
MARKUP_BAD = [
    ("<b>179</b> defectors", "179 transfuges", "missing tag </b> <b>"),
    ("<b>179</b> defectors", "<b>179</b> <i>transfuges</i>", "tag </i> <i> not in the source"),
    ("<b>179</b> defectors", "<strong>179</strong> transfuges", "missing tag"),
]


@pytest.mark.parametrize(("source", "translation"), MARKUP_GOOD)
def test_markup_good(source, translation):
    assert problems("markup", source, translation) == []


@pytest.mark.parametrize(("source", "translation", "expected"), MARKUP_BAD)
def test_markup_bad(source, translation, expected):
    found = problems("markup", source, translation)
    assert any(expected in p for p in found), found


CONTROL_GOOD = ["Ligne\tavec tab", "Deux\nlignes", "CR\r\nLF", "Texte\u00a0insécable", "😀 ok"]
CONTROL_BAD = [
    ("Bell\x07", "U+0007"),
    ("Form\x0cfeed", "U+000C"),
    ("\x00nul", "U+0000"),
    ("esc\x1b[0m", "U+001B"),
    ("bad \ufffe", "U+FFFE"),
]


@pytest.mark.parametrize("translation", CONTROL_GOOD)
def test_control_chars_good(translation):
    assert problems("control-chars", "Some text", translation) == []


@pytest.mark.parametrize(("translation", "code"), CONTROL_BAD)
def test_control_chars_bad(translation, code):
    found = problems("control-chars", "Some text", translation)
    assert len(found) == 1 and code in found[0], found


@pytest.mark.parametrize(
    ("text", "refused"), [(t, False) for t in CONTROL_GOOD] + [(t, True) for t, _ in CONTROL_BAD]
)
def test_control_chars_match_what_python_docx_refuses(text, refused):
    """The check flags exactly what python-docx would refuse at export."""
    import docx  # a project dependency
    paragraph = docx.Document().add_paragraph()
    if refused:
        with pytest.raises(ValueError):
            paragraph.add_run(text)
    else:
        paragraph.add_run(text)
    assert bool(problems("control-chars", "Some text", text)) is refused
