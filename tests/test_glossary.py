"""The TBX glossary: the real file, bad files, inflection-aware matching (true positives
and false-positive traps per language), the check's severities, `letterflow glossary`."""

from __future__ import annotations

import os
import shutil
import tomllib
from pathlib import Path

import pytest
from checks_support import catalog, findings, msg
from conftest import REPO, run_cli

from workflow.checks.glossary import MANDATORY, load_glossary, term_in
from workflow.errors import QAError

GLOSSARY = REPO / "locales" / "glossary.tbx"
CONFIGURED = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["letterflow"]["languages"]
UN_TERMS = [
    "crimes against humanity",
    "commission of inquiry",
    "Human Rights Council",
    "General Assembly",
    "Security Council",
    "International Criminal Court",
    "Office of the Prosecutor",
    "Rome Statute",
    "Universal Declaration of Human Rights",
    "Special Rapporteur",
    "forced labour",
    "arbitrary detention",
    "forced repatriation",
    "Permanent Representative",
    "Democratic People's Republic of Korea",
    # do-not-translate entries (organisation names; issue 12)
    "Human Rights Watch",
    "Freedom House",
]


# --- the real glossary ---------------------------------------------------------------------


def test_real_glossary_has_every_un_term_in_every_configured_language():
    g = load_glossary(GLOSSARY, CONFIGURED)  # raises if a term lacks a language
    assert [c.name for c in g.concepts] == UN_TERMS
    assert set(CONFIGURED) <= g.languages
    for c in g.concepts:
        assert c.requirement in ("mandatory", "advised")
        for lang in CONFIGURED:
            assert c.preferred(lang), (c.name, lang)
    assert {c.name for c in g.concepts if c.requirement == MANDATORY} >= {
        "crimes against humanity",
        "Human Rights Council",
        "Security Council",
        "International Criminal Court",
        "Rome Statute",
    }


def test_real_glossary_is_tbx_that_translate_toolkit_reads():
    from translate.storage import tbx

    store = tbx.tbxfile.parsefile(str(GLOSSARY))
    assert [u.source for u in store.units] == UN_TERMS


def test_every_term_of_the_letter_is_found_in_its_english_text():
    letter = (REPO / "letters" / "icnk-2012.txt").read_text(encoding="utf-8")
    g = load_glossary(GLOSSARY)
    found = {c.name for c in g.in_source(letter)}
    # the letter writes "forced labor", "Democratic People’s Republic" (curly apostrophe)
    assert {
        "crimes against humanity",
        "forced labour",
        "Democratic People's Republic of Korea",
        "Rome Statute",
        "Security Council",
        "Permanent Representative",
    } <= found


# --- bad glossary files --------------------------------------------------------------------

ENTRY = """<termEntry id="{id}"><descrip type="requirement">{req}</descrip>
<langSet xml:lang="en"><tig><term>Rome Statute</term></tig></langSet>
{more}</termEntry>"""


def tbx(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "glossary.tbx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX" xml:lang="en">\n'
        f"<text><body>\n{body}\n</body></text></martif>\n",
        encoding="utf-8",
    )
    return path


FR = '<langSet xml:lang="fr"><tig><term>Statut de Rome</term></tig></langSet>'


@pytest.mark.parametrize(
    ("body", "languages", "expected"),
    [
        (ENTRY.format(id="rs", req="mandatory", more=FR) + "<oops>", ["fr"], "not well-formed XML"),
        (
            ENTRY.format(id="rs", req="mandatory", more=FR),
            ["fr", "de"],
            "glossary term 'Rome Statute' has no translation for language 'de'",
        ),
        (
            ENTRY.format(id="rs", req="compulsory", more=FR),
            ["fr"],
            "requirement 'compulsory' is not 'mandatory' or 'advised'",
        ),
        (ENTRY.format(id="rs", req="advised", more=FR) * 2, ["fr"], "duplicate termEntry id 'rs'"),
        (
            '<termEntry id="x"><langSet xml:lang="fr"><tig><term>Statut</term></tig></langSet>'
            "</termEntry>",
            ["fr"],
            "termEntry 'x' has no 'en' term",
        ),
        (
            ENTRY.format(
                id="e",
                req="advised",
                more='<langSet xml:lang="fr"><tig><term> </term></tig></langSet>',
            ),
            ["fr"],
            "empty term for 'fr'",
        ),
        ("", ["fr"], "no termEntry found"),
    ],
)
def test_bad_glossary_gets_a_clear_one_line_error(tmp_path, body, languages, expected):
    path = tbx(tmp_path, body)
    with pytest.raises(QAError) as err:
        load_glossary(path, languages)
    text = str(err.value)
    assert expected in text and str(path) in text and "\n" not in text


def test_missing_glossary_file_is_a_clear_error(tmp_path):
    with pytest.raises(QAError, match="cannot read glossary"):
        load_glossary(tmp_path / "nope.tbx")


def test_a_language_missing_a_term_is_refused_on_every_load(tmp_path, monkeypatch):
    """Coverage is checked once per language and version of the file (the review UI loads
    the glossary once per approval), yet a language without a term is refused every time,
    and a new version of the file is checked again."""
    from workflow.checks.glossary_tbx import Glossary

    path = tbx(tmp_path, ENTRY.format(id="rs", req="mandatory", more=FR))
    calls = []
    real = Glossary.require
    monkeypatch.setattr(Glossary, "require", lambda self, langs: calls.append(list(langs))
                        or real(self, langs))
    for _ in range(3):
        load_glossary(path, ["fr"])
    assert calls == [["fr"]]
    for _ in range(2):
        with pytest.raises(QAError, match="no translation for language 'de'"):
            load_glossary(path, ["fr", "de"])
    assert calls[1:] == [["de"], ["de"]]
    os.utime(path, ns=(1, 1))  # another version of the file (here: only its date)
    load_glossary(path, ["fr"])
    assert calls[-1] == ["fr"]


def test_error_names_the_line_of_the_entry(tmp_path):
    path = tbx(tmp_path, ENTRY.format(id="rs", req="mandatory", more=FR))
    with pytest.raises(QAError, match=r"glossary.tbx:4: glossary term 'Rome Statute'"):
        load_glossary(path, ["gl"])


# --- matching: true positives and false-positive traps, per language -------------------------

MATCH = [
    # (lang, term, text, expected)
    ("en", "crimes against humanity", "constituting a crime against humanity", True),
    ("en", "crimes against humanity", "crimes against peace and humanity", False),
    ("en", "Human Rights Council", "the National Human Rights Commission", False),
    ("en", "forced labor", "subjected to forced labor so severe", True),
    ("es", "crímenes de lesa humanidad", "constituyen un crimen de lesa humanidad", True),
    ("es", "crímenes de lesa humanidad", "los crímenes de lesa humanidad cometidos", True),
    ("es", "crímenes de lesa humanidad", "son crímenes de guerra", False),
    (
        "ru",
        "преступления против человечности",
        "признать их преступлениями против человечности",
        True,
    ),
    ("ru", "преступления против человечности", "о преступлении против человечности", True),
    ("ru", "преступления против человечности", "преступления против человека", False),
    ("ru", "Совет Безопасности", "резолюции Совета Безопасности", True),
    ("ru", "Совет Безопасности", "резолюции Совета по правам человека", False),
    ("fr", "crimes contre l'humanité", "constituent un crime contre l’humanité", True),
    ("fr", "crimes contre l'humanité", "des crimes contre la paix et l'humanité", False),
    ("fr", "Conseil de sécurité", "les résolutions du Conseil de sécurité", True),
    ("fr", "Conseil de sécurité", "le Conseil des droits de l'homme", False),
    (
        "de",
        "Internationaler Strafgerichtshof",
        "an den Ankläger des Internationalen Strafgerichtshofs",
        True,
    ),
    ("de", "Internationaler Strafgerichtshof", "ein internationales Strafgericht", False),
    ("de", "Ständiger Vertreter", "an den Ständigen Vertreter Frankreichs", True),
    ("de", "Menschenrechtsrat", "im Menschenrechtsrat der Vereinten Nationen", True),
    ("de", "Menschenrechtsrat", "die Menschenrechtskommission", False),
    ("it", "crimini contro l'umanità", "costituiscono un crimine contro l'umanità", True),
    ("it", "crimini contro l'umanità", "crimini contro il patrimonio", False),
    ("pt", "crimes contra a humanidade", "constituem um crime contra a humanidade", True),
    ("pt", "crimes contra a humanidade", "crimes contra a economia", False),
    ("nl", "misdrijven tegen de menselijkheid", "een misdrijf tegen de menselijkheid", True),
    ("nl", "misdrijven tegen de menselijkheid", "misdrijven tegen de staat", False),
    (
        "pl",
        "Międzynarodowy Trybunał Karny",
        "do prokuratora Międzynarodowego Trybunału Karnego",
        True,
    ),
    ("pl", "praca przymusowa", "skazani na pracę przymusową", True),
    ("pl", "Rada Bezpieczeństwa", "rezolucje Rady Bezpieczeństwa ONZ", True),
    ("pl", "Rada Bezpieczeństwa", "rezolucje Rady Praw Człowieka", False),
    ("ca", "crims contra la humanitat", "constitueixen un crim contra la humanitat", True),
    ("ca", "crims contra la humanitat", "crims de guerra contra la població", False),
    # Galician: no Snowball stemmer, suffix fallback
    ("gl", "crimes contra a humanidade", "constitúen un crime contra a humanidade", True),
    ("gl", "Consello de Seguridade", "as resolucións do Consello de Seguridade", True),
    ("gl", "Consello de Seguridade", "o Consello de Dereitos Humanos", False),
    ("gl", "crimes contra a humanidade", "crimes contra a propiedade", False),
    # Arabic: Snowball's Arabic stemmer strips the article and attached prepositions
    ("ar", "جرائم ضد الإنسانية", "ترقى إلى الجرائم ضد الإنسانية", True),
    ("ar", "مجلس الأمن", "قرارات مجلس الأمن التابع للأمم المتحدة", True),
    ("ar", "مجلس الأمن", "قرارات مجلس حقوق الإنسان", False),
    ("ar", "جرائم ضد الإنسانية", "جرائم حرب ضد المدنيين", False),
    # Chinese, Japanese, Korean: substring fallback (no word boundaries; Korean particles)
    ("zh", "危害人类罪", "这些行为构成危害人类罪。", True),
    ("zh", "安全理事会", "人权理事会的决议", False),
    ("zh", "安理会", "联合国安理会的决议", True),
    ("ja", "人道に対する罪", "人道に対する罪を構成する", True),
    ("ja", "人道に対する罪", "人道的な罪", False),
    ("ja", "安全保障理事会", "国連人権理事会", False),
    ("ko", "인도에 반한 죄", "인도에 반한 죄를 구성한다", True),
    ("ko", "강제노동", "강제 노동에 시달렸다", True),  # spacing differs
    ("ko", "안전보장이사회", "유엔 인권이사회의 결의", False),
]


@pytest.mark.parametrize(("lang", "term", "text", "expected"), MATCH)
def test_term_matching(lang, term, text, expected):
    assert term_in(term, text, lang) is expected


def test_every_configured_language_has_a_true_positive_and_a_trap():
    langs_true = {lang for lang, _t, _x, ok in MATCH if ok}
    langs_trap = {lang for lang, _t, _x, ok in MATCH if not ok}
    assert set(CONFIGURED) <= langs_true & langs_trap


# --- the check ------------------------------------------------------------------------------

ICC = (
    "But the Office of the Prosecutor informed us that without a referral from the UN "
    "Security Council, our concerns were outside the jurisdiction of the Court."
)


def gcat(lang: str, text: str):
    # the catalogue sits in a project whose locales/ holds the real glossary
    return catalog(
        lang,
        [msg(ICC, text, context="icnk-2012/icc")],
        path=str(REPO / "locales" / lang / "LC_MESSAGES" / "letter.po"),
    )


def test_check_official_terms_pass():
    text = (
        "Mais le Bureau du Procureur nous a informés que sans renvoi du Conseil de sécurité "
        "de l'ONU, nos préoccupations ne relevaient pas de la compétence de la Cour."
    )
    assert [f for f in findings(gcat("fr", text)) if f.check_id == "glossary"] == []


def test_check_mandatory_term_missing_is_an_error_advised_a_warning():
    text = (
        "Mais l'Office du Procureur nous a informés que sans renvoi du Conseil de la "
        "sûreté de l'ONU, nos préoccupations ne relevaient pas de la compétence de la Cour."
    )
    got = {(f.severity, f.message) for f in findings(gcat("fr", text)) if f.check_id == "glossary"}
    assert got == {
        (
            "error",
            "mandatory term 'Security Council' should be translated as 'Conseil de sécurité'",
        ),
        (
            "warning",
            "advised term 'Office of the Prosecutor' should be translated as 'Bureau du Procureur'",
        ),
    }


def test_check_skipped_without_a_glossary(tmp_path):
    cat = catalog(
        "fr",
        [msg(ICC, "Sans renvoi, rien.")],
        path=str(tmp_path / "locales" / "fr" / "LC_MESSAGES" / "letter.po"),
    )
    assert [f for f in findings(cat) if f.check_id == "glossary"] == []


# --- letterflow glossary --------------------------------------------------------------------


@pytest.fixture
def gproject(project_dir: Path) -> Path:
    shutil.copy(GLOSSARY, project_dir / "locales" / "glossary.tbx")
    return project_dir


def test_cli_lists_the_terms(gproject):
    res = run_cli("--project", str(gproject), "glossary")
    assert res.returncode == 0, res.stderr
    assert "crimes against humanity  [mandatory]" in res.stdout
    assert "crimes contre l'humanité" in res.stdout and "危害人类罪" not in res.stdout  # no zh


def test_cli_shows_what_a_catalogue_misses(gproject):
    from workflow.catalogs import Change, apply_changes
    from workflow.config import load_config

    cfg = load_config(gproject)
    good = (
        "Ainsi, le Conseil des droits de l'homme et l'Assemblée générale doivent reconnaître "
        "que ces violations constituent des crimes contre l'humanité et du travail forcé."
    )
    bad = "Mais le Bureau du Procureur nous a dit que sans le Conseil de la sûreté, rien."
    apply_changes(
        cfg.catalog("fr"),
        [
            Change("icnk-2012/request", [good], fuzzy=True),
            Change("icnk-2012/icc", [bad], fuzzy=False),
        ],
    )
    res = run_cli("--project", str(gproject), "glossary", "--lang", "fr")
    assert res.returncode == 1, res.stderr  # a mandatory term is missing
    out = res.stdout
    assert "icnk-2012/icc: 'Security Council' -> 'Conseil de sécurité'" in out
    assert "'International Criminal Court' -> 'Cour pénale internationale'" in out
    assert "icnk-2012/request" not in out
    res = run_cli("--project", str(gproject), "glossary", "--lang", "es")
    assert res.returncode == 0 and "es: every glossary term used" in res.stdout


def test_cli_bad_glossary_is_one_line_exit_2(gproject):
    (gproject / "locales" / "glossary.tbx").write_text("<martif><text>", encoding="utf-8")
    res = run_cli("--project", str(gproject), "glossary")
    assert res.returncode == 2
    assert res.stderr.startswith("Error: ") and "malformed glossary" in res.stderr
    assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1


def test_cli_unknown_language_is_exit_2(gproject):
    res = run_cli("--project", str(gproject), "glossary", "--lang", "../etc")
    assert res.returncode == 2 and "Traceback" not in res.stderr
