"""Wrong language: the script test, the lingua detector (real, low-accuracy mode), its
lazy loading and its bounds."""

from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

import pytest
from checks_support import problems

LANGS = ["ar", "zh", "fr", "ru", "es", "de", "ja", "ko", "pt", "it", "nl", "pl", "ca", "gl"]
CONFIG = SimpleNamespace(languages=LANGS, source_language="en")
SRC = "We are survivors of severe human rights violations in North Korea to seek your support."
ENGLISH = (
    "We are survivors of severe human rights violations in North Korea to seek your urgent support."
)

GOOD = [
    (
        "fr",
        "Nous sommes des survivants de graves violations des droits de l'homme en Corée du Nord.",
    ),
    (
        "es",
        "Somos supervivientes de graves violaciones de los derechos humanos en Corea del Norte.",
    ),
    (
        "ca",
        "Som supervivents de greus violacions dels drets humans a Corea del Nord i demanem ajuda.",
    ),
    ("gl", "Somos sobreviventes de graves violacións dos dereitos humanos en Corea do Norte."),
    ("pt", "Somos sobreviventes de graves violações dos direitos humanos na Coreia do Norte."),
    ("it", "Siamo sopravvissuti a gravi violazioni dei diritti umani nella Corea del Nord."),
    ("de", "Wir sind Überlebende schwerer Menschenrechtsverletzungen in Nordkorea."),
    ("nl", "Wij zijn overlevenden van ernstige mensenrechtenschendingen in Noord-Korea."),
    ("pl", "Jesteśmy ocalałymi z poważnych naruszeń praw człowieka w Korei Północnej."),
    ("ru", "Мы пережили тяжкие нарушения прав человека в Северной Корее (КНДР, ICNK)."),
    ("ar", "نحن ناجون من انتهاكات جسيمة لحقوق الإنسان في كوريا الشمالية."),
    ("zh", "我们是朝鲜严重侵犯人权行为的幸存者，请求您的支持。"),
    ("ja", "私たちは北朝鮮における深刻な人権侵害の生存者です。"),
    ("ko", "우리는 북한에서 심각한 인권 침해를 겪은 생존자들입니다."),
    ("fr", "Merci."),  # short: not judged
    ("fr", "Thank you for your consideration."),  # 27 letters: under the threshold
]
BAD = [
    ("fr", ENGLISH, "reads as English"),
    ("de", ENGLISH, "reads as English"),
    ("gl", ENGLISH, "reads as English"),  # lingua knows no Galician, but this is not pt/es/ca
    (
        "it",
        "Somos supervivientes de graves violaciones de los derechos humanos en Corea del Norte.",
        "reads as Spanish",
    ),
    ("ru", ENGLISH, "mostly Latin script"),
    ("ja", ENGLISH, "mostly Latin script"),
    ("ar", ENGLISH, "mostly Latin script"),
    ("ko", "私たちは北朝鮮における深刻な人権侵害の生存者です。", "reads as Japanese"),
    ("ja", "我们是朝鲜严重侵犯人权行为的幸存者，请求您的支持。", "reads as Chinese"),
]


@pytest.mark.parametrize(("lang", "text"), GOOD)
def test_right_language(lang, text):
    assert problems("wrong-language", SRC, text, lang=lang, config=CONFIG) == []


@pytest.mark.parametrize(("lang", "text", "expected"), BAD)
def test_wrong_language(lang, text, expected):
    found = problems("wrong-language", SRC, text, lang=lang, config=CONFIG)
    assert any(expected in p for p in found), found


def test_placeholders_do_not_count_as_letters():
    # 30+ characters, but mostly placeholder names: skipped rather than guessed
    text = "{country_name_in_the_letter} {recipient_title_here} ok"
    assert problems("wrong-language", SRC, text, lang="fr", config=CONFIG) == []


LAZY = r"""
import sys
sys.path.insert(0, "tests")
from checks_support import catalog, msg
from workflow.checks import run_checks
from workflow.checks.language import DETECTOR_COST
short = [msg("Thank you.", "Merci.", context="a"), msg("Seoul", "Séoul", context="b")]
run_checks(catalog("fr", short))
print("after short:", "lingua" in sys.modules)
# English, but without the function words that would settle it before lingua
long_ = [msg("Survivors: severe human rights violations, North Korea, urgent support.",
             "Survivors: severe human rights violations, North Korea, urgent support!",
             context="c"),
         msg("We ask this from you because such criminal acts were committed against us.",
             "Nous vous le demandons parce que de tels actes criminels ont été commis contre nous.",
             context="d")]
fs = run_checks(catalog("fr", long_))
print("after long:", "lingua" in sys.modules)
print("loads:", DETECTOR_COST.loads)
print("languages:", ",".join(DETECTOR_COST.languages))
print("memory:", DETECTOR_COST.memory_mb)
print("seconds:", DETECTOR_COST.load_seconds)
print("calls:", DETECTOR_COST.calls)
print("findings:", sorted(f.check_id for f in fs if f.check_id == "wrong-language"))
"""


def test_detector_is_lazy_bounded_and_costed():
    out = subprocess.run(
        [sys.executable, "-c", LAZY], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    lines = dict(line.split(": ", 1) for line in out.strip().splitlines())
    assert lines["after short"] == "False"  # no detector for short texts
    assert lines["after long"] == "True"
    assert lines["loads"] == "1"
    # bounded: only the catalogue's language and the source language without a config
    assert lines["languages"] == "en,fr"
    assert float(lines["memory"]) < 150  # low-accuracy models for 2 languages
    assert 0 < float(lines["seconds"]) < 30
    assert "wrong-language" in lines["findings"]
    assert int(lines["calls"]) >= 1


def test_function_words_settle_plain_cases_without_lingua():
    from workflow.checks.language import DETECTOR_COST

    calls, words = DETECTOR_COST.calls, DETECTOR_COST.decided_by_words
    found = problems("wrong-language", SRC, ENGLISH, lang="es", config=CONFIG)
    ok = problems(
        "wrong-language",
        SRC,
        "Somos los supervivientes de las graves violaciones "
        "de los derechos humanos y pedimos su apoyo.",
        lang="es",
        config=CONFIG,
    )
    assert found == ["text reads as English, not es"] and ok == []
    assert DETECTOR_COST.calls == calls and DETECTOR_COST.decided_by_words == words + 2


def test_detector_only_loads_configured_languages_of_the_script():
    from workflow.checks.language import candidates

    assert candidates("fr", tuple(LANGS), "en") == frozenset(
        {"fr", "es", "de", "pt", "it", "nl", "pl", "ca", "en"}
    )  # gl: no lingua model
    assert candidates("ru", tuple(LANGS), "en") == frozenset({"ru"})  # script decides alone
    assert candidates("ja", tuple(LANGS), "en") == frozenset({"ja", "zh", "ko"})


# --- the cheap deciders and the batch (issue 9): real texts, compared with real lingua

PROSE = [
    (
        "es",
        "Muchos de nosotros los firmantes estuvimos sometidos a violencia y humillación "
        "mientras estábamos detenidos en los campos.",
    ),
    (
        "ca",
        "Alguns de nosaltres que signem aquesta carta vam ser desapareguts de les nostres "
        "cases i encara no sabem on són els nostres familiars.",
    ),
    (
        "pt",
        "Muitos de nós fomos detidos nos campos e as nossas famílias ainda não sabem onde "
        "estão os seus filhos.",
    ),
    (
        "de",
        "Viele von uns wurden in den Lagern festgehalten, und unsere Familien wissen bis "
        "heute nicht, wo sie sind.",
    ),
    ("en", ENGLISH),
]


def _lingua_reads(text: str, pool: frozenset[str]) -> str:
    from workflow.checks.language import _iso, _sample, detector

    return _iso(detector(pool).detect_language_of(_sample(text)))


@pytest.mark.parametrize(("written_in", "text"), PROSE)
def test_function_word_shares_decide_real_prose_as_lingua_does(written_in, text):
    from workflow.checks.function_words import verdict
    from workflow.checks.language import candidates

    for target in ("es", "ca", "pt", "de", "fr"):
        pool = candidates(target, tuple(LANGS), "en")
        opinion = verdict(text, target, tuple(sorted(pool)))
        assert opinion is not None, (target, text)  # decided without lingua ...
        assert opinion == (("ok", target) if target == written_in else ("wrong", written_in))
        assert _lingua_reads(text, pool) == written_in  # ... and as lingua reads it


def test_function_words_leave_lists_of_names_to_lingua():
    from workflow.checks.function_words import verdict

    names = "Pitcairn Ghana Niger Honduras Australie Albanie Åland Jamaïque Mozambique Zambie"
    assert verdict(names, "fr", ("ca", "de", "en", "es", "fr", "it", "nl", "pl", "pt")) is None
    # too few function words to be sure either way
    assert verdict("defectors de la Corée du Nord", "fr", ("en", "es", "fr")) is None


def test_cjk_scripts_decide_without_lingua():
    from workflow.checks.language import cjk_verdict

    pool = frozenset({"zh", "ja", "ko"})
    ja = "私たちは北朝鮮における深刻な人権侵害の生存者です。"
    zh = "我们是朝鲜严重侵犯人权行为的幸存者，请求您的支持。"
    ko = "우리는 북한에서 심각한 인권 침해를 겪은 생존자들입니다."
    assert cjk_verdict(ja, "ja", pool) == ("ok", "ja")
    assert cjk_verdict(zh, "ja", pool) == ("wrong", "zh")
    assert cjk_verdict(ja, "ko", pool) == ("wrong", "ja")
    assert cjk_verdict(ko, "ko", pool) == ("ok", "ko")
    assert cjk_verdict("北朝鮮", "zh", pool) is None  # too short to say
    for text, lang in ((ja, "ja"), (zh, "zh"), (ko, "ko")):
        assert _lingua_reads(text, pool) == lang


def test_whole_catalogue_batches_what_the_cheap_tests_leave_open():
    from checks_support import catalog, msg

    from workflow.checks import run_checks
    from workflow.checks.language import DETECTOR_COST

    undecided = [  # no function words: only lingua can tell
        "Survivors: severe human rights violations, North Korea, urgent support!",
        "Supervivientes: graves violaciones, derechos humanos, Corea del Norte, apoyo urgente.",
        "Survivants : graves violations, droits humains, Corée du Nord, soutien urgent.",
    ]
    messages = [msg(SRC, text, context=f"c/{i}", line=10 + i) for i, text in enumerate(undecided)]
    messages.append(msg(SRC, ENGLISH, context="c/9", line=30))  # settled by function words
    calls, batches = DETECTOR_COST.calls, DETECTOR_COST.batches
    whole = run_checks(catalog("fr", messages), config=CONFIG)
    assert DETECTOR_COST.calls == calls + 3 and DETECTOR_COST.batches == batches + 1
    # the same findings as one message at a time (one lingua call each)
    one_by_one = [
        f for m in messages for f in run_checks(catalog("fr", messages), m, config=CONFIG)
    ]
    key = sorted((f.context, f.message) for f in whole if f.check_id == "wrong-language")
    assert key == sorted(
        (f.context, f.message) for f in one_by_one if f.check_id == "wrong-language"
    )
    assert ("c/9", "text reads as English, not fr") in key
    assert ("c/1", "text reads as Spanish, not fr") in key
    assert not any(ctx == "c/2" for ctx, _ in key)


def test_lists_of_names_are_not_leftovers_and_skip_lingua():
    from checks_support import catalog, msg

    from workflow.checks import run_checks
    from workflow.checks.function_words import not_a_leftover
    from workflow.checks.language import DETECTOR_COST

    pool = ("ca", "de", "en", "es", "fr", "it", "nl", "pl", "pt")
    names = "Pitcairn Ghana Niger Honduras Australie Albanie Åland Jamaïque Mozambique Zambie"
    assert not_a_leftover(names, SRC, "fr", pool, "en")
    # a function word of any candidate, the source's own words, or a language without a
    # list among the candidates: not settled here
    assert not_a_leftover(names + " et Tonga", SRC, "fr", pool, "en")  # 1 in 12: not prose
    assert not not_a_leftover(names + " et la Tonga", SRC, "fr", pool, "en")  # 2 in 13
    assert not not_a_leftover("Survivors, severe violations, North Korea", SRC, "fr", pool, "en")
    assert not not_a_leftover(names, SRC, "fr", (*pool, "eu"), "en")
    calls, cleared = DETECTOR_COST.calls, DETECTOR_COST.decided_not_leftover
    found = run_checks(catalog("fr", [msg(SRC, names, context="n/1")]), config=CONFIG)
    assert not [f for f in found if f.check_id == "wrong-language"]
    assert DETECTOR_COST.calls == calls and DETECTOR_COST.decided_not_leftover == cleared + 1
    # English with no function word is its source's words: still read, still flagged
    english = "Survivors: severe human rights violations, North Korea, urgent support!"
    found = run_checks(catalog("fr", [msg(SRC, english, context="n/2")]), config=CONFIG)
    assert [f.message for f in found if f.check_id == "wrong-language"] == [
        "text reads as English, not fr"
    ]


def test_lingua_chooses_within_the_family_plus_the_source():
    from workflow.checks.language import candidates, lingua_pool

    pool = candidates("fr", tuple(LANGS), "en")
    assert lingua_pool("fr", pool, "en") == frozenset({"fr", "es", "pt", "it", "ca", "en"})
    assert lingua_pool("de", pool, "en") == frozenset({"de", "nl", "en"})
    assert lingua_pool("pl", pool, "en") == frozenset({"pl", "en"})
    assert lingua_pool("ja", frozenset({"ja", "zh", "ko"}), "en") == {"ja", "zh", "ko"}
