"""Warning-level text checks: untranslated, whitespace, end punctuation, brackets, length,
repeated word. Good/bad tables."""

from __future__ import annotations

import pytest
from checks_support import problems

TABLES = {
    "untranslated": (
        [  # good: (source, translation, lang)
            ("Seoul, Republic of Korea", "Séoul, République de Corée", "fr"),
            ("Seoul", "Seoul", "de"),  # on German's list of words written as in English
            ("ICNK", "ICNK", "fr"),
            ("{country}", "{country}", "fr"),  # placeholders only
            ("179", "179", "ja"),
            ("cc:", "cc:", "es"),
        ],
        [  # bad: (source, translation, lang, expected fragment)
            (
                "Thank you for your consideration.",
                "Thank you for your consideration.",
                "fr",
                "identical to the English source",
            ),
            ("Seoul", "Seoul", "fr", "identical"),  # French writes Séoul
            ("Dear Foreign Minister:", "dear foreign minister:", "de", "identical"),
        ],
    ),
    "whitespace": (
        [
            ("Thank you.", "Merci.", "fr"),
            ("  indented", "  en retrait", "fr"),
            ("end ", "fin ", "fr"),
            ("support.  We request", "soutien.  Nous demandons", "fr"),  # as in the source
            ("support.  We request", "soutien. Nous demandons", "fr"),  # fewer is fine
            ("Minister:", "Ministre\u00a0:", "fr"),
        ],
        [
            ("Thank you.", " Merci.", "fr", "leading whitespace ' '"),
            ("Thank you.", "Merci. ", "fr", "trailing whitespace ' '"),
            ("Thank you.\n", "Merci.", "fr", "trailing whitespace ''"),
            ("We thank you.", "Nous  vous remercions.", "fr", "1 double space(s)"),
        ],
    ),
    "end-punctuation": (
        [
            ("Thank you.", "Merci.", "fr"),
            ("Thank you.", "ありがとうございます。", "ja"),
            ("Thank you.", "谢谢。", "zh"),
            ("Is it possible?", "هل هذا ممكن؟", "ar"),
            ("Thank you.", "شكرا.", "ar"),
            ("Is it possible?", "¿Es posible?", "es"),
            ("Dear Foreign Minister:", "Monsieur le Ministre,", "fr"),  # salutation
            ("Dear Foreign Minister:", "Monsieur le Ministre\u00a0:", "fr"),
            ("Is it possible?", "Est-ce possible\u202f?", "fr"),
            ("We were “border crossers.”", "Nous étions des «\u00a0passeurs\u00a0».", "fr"),
            ("Seoul, Republic of Korea", "Séoul, République de Corée", "fr"),
            ("Wait...", "Attendez…", "fr"),
        ],
        [
            ("Thank you.", "Merci", "fr", "ends with no mark, the source with '.'"),
            ("Thank you.", "Merci !", "fr", "ends with '!', the source with '.'"),
            ("Is it possible?", "C'est possible.", "fr", "ends with '.', the source with '?'"),
            ("Thank you.", "ありがとうございます", "ja", "no mark"),
            ("Is it possible?", "Est-ce possible?", "fr", "no space before '?'"),
            ("Is it possible?", "Est-ce possible ?", "fr", "a plain space before '?'"),
        ],
    ),
    "brackets": (
        [
            ("(DPRK)", "(RPDC)", "fr"),
            ("the (DPRK)", "la RPDC", "fr"),
            ("“border crossers”", "„Grenzgänger“", "de"),
            ("“border crossers”", "«\u00a0passeurs\u00a0»", "fr"),
            ("“border crossers”", "「越境者」", "ja"),
            ("(DPRK)", "（朝鲜）", "zh"),
            ("{country} (x)", "{country} (x)", "fr"),
            ("1) first", "1) premier", "fr"),  # unbalanced in the source too
        ],
        [
            ("(DPRK)", "(RPDC", "fr", "unbalanced round"),
            ("the DPRK", "la RPDC)", "fr", "unbalanced round"),
            ("“border crossers”", "„Grenzgänger", "de", "unbalanced double quotes"),
            ("“border crossers”", "«\u00a0passeurs", "fr", "unbalanced guillemets"),
            ("“border crossers”", "「越境者", "ja", "unbalanced corner quotes"),
            ("[note]", "[note", "fr", "unbalanced square"),
        ],
    ),
    "length": (
        [
            (
                "We are survivors of severe human rights violations.",
                "Nous sommes des survivants de graves violations des droits de l'homme.",
                "fr",
            ),
            (
                "We are survivors of severe human rights violations.",
                "我们是严重侵犯人权行为的幸存者。",
                "zh",
            ),
            (
                "Thank you.",
                "Merci beaucoup, vraiment, du fond du cœur.",
                "fr",
            ),  # too short to judge
        ],
        [
            (
                "We are survivors of severe human rights violations in North Korea.",
                "Nous.",
                "fr",
                "too short for fr",
            ),
            (
                "We are survivors of severe human rights violations in North Korea.",
                "我们是严重侵犯人权行为的幸存者。" * 8,
                "zh",
                "too long for zh",
            ),
        ],
    ),
    "repeated-word": (
        [
            ("We were imprisoned.", "Nous nous sommes retrouvés emprisonnés.", "fr"),
            ("the women who", "die Frauen, die die Lager", "de"),
            ("that that is", "dat dat is", "nl"),
            ("had had", "habían habido", "es"),
            ("国际", "国际国际", "zh"),  # not checked: no spaces
        ],
        [
            ("in the camps", "dans les les camps", "fr", "word 'les' repeated"),
            ("in the camps", "in den den Lagern", "de", "word 'den' repeated"),
            ("in the camps", "в в лагерях", "ru", "word 'в' repeated"),
        ],
    ),
}

GOOD = [(cid, *row) for cid, (good, _bad) in TABLES.items() for row in good]
BAD = [(cid, *row) for cid, (_good, bad) in TABLES.items() for row in bad]


@pytest.mark.parametrize(("check_id", "source", "translation", "lang"), GOOD)
def test_good(check_id, source, translation, lang):
    assert problems(check_id, source, translation, lang=lang) == []


@pytest.mark.parametrize(("check_id", "source", "translation", "lang", "expected"), BAD)
def test_bad(check_id, source, translation, lang, expected):
    found = problems(check_id, source, translation, lang=lang)
    assert any(expected in p for p in found), found
