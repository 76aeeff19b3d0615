"""letter + catalogue + recipient -> LetterModel (CLDR fields, plurals, drafts) and its HTML."""

from __future__ import annotations

import re

import pytest
from export_support import make_project

from workflow.catalogs import Change, apply_changes, load_catalog
from workflow.config import load_config
from workflow.errors import ExportError
from workflow.export.cldr import fonts_for, lang_tag, paper_size
from workflow.export.html import render_html
from workflow.export.model import build_model
from workflow.export.recipients import Recipient
from workflow.letter import load_letter


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("render") / "proj")
    cfg = load_config(root)
    return cfg, load_letter(cfg.letters[0])


def model_for(project, lang, country, **kw):
    cfg, letter = project
    catalog = load_catalog(cfg.catalog(lang), lang) if lang != "en" else None
    recipient = kw.pop("recipient", None) or Recipient(row=2, country=country, language=lang)
    return build_model(letter, catalog, recipient, **kw)


def texts(model):
    return [(p.role, p.text) for p in model.paragraphs]


def test_french_letter_exact(project):
    m = model_for(project, "fr", "FR")
    assert texts(m) == [
        ("sender", "179 transfuges de Corée du Nord"),
        ("place", "Séoul, République de Corée"),
        ("date", "31 octobre 2012"),
        ("salutation", "Monsieur le Ministre des Affaires étrangères,"),
        ("body", "Nous demandons à votre gouvernement de soutenir une commission d’enquête."),
        ("closing", "Nous vous remercions de votre attention."),
        ("signature", "179 transfuges de Corée du Nord"),
        ("cc", "cc : Représentant permanent de France auprès des Nations Unies"),
    ]
    assert all(p.approved for p in m.paragraphs) and not m.draft
    assert (m.lang_tag, m.direction, m.paper, m.locale) == ("fr-FR", "ltr", "A4", "fr_FR")
    assert m.country_name == "France"


@pytest.mark.parametrize(
    ("lang", "country", "country_name", "date", "cc"),
    [
        ("fr", "KR", "Corée du Sud", "31 octobre 2012",
         "cc : Représentant permanent de Corée du Sud auprès des Nations Unies"),
        ("ar", "EG", "مصر", "٣١ أكتوبر ٢٠١٢",  # ar_EG: Arabic-Indic digits (CLDR)
         "نسخة إلى: المندوب الدائم لدولة مصر لدى الأمم المتحدة"),
        ("ko", "KR", "대한민국", "2012년 10월 31일", "참조: 유엔 주재 대한민국 상임대표"),
        ("ja", "JP", "日本", "2012年10月31日", "写し：日本国連常駐代表"),
        ("zh", "CN", "中国", "2012年10月31日", "抄送：中国常驻联合国代表"),
        ("ru", "RU", "Россия", "31 октября 2012\u202fг.",
         "Копия: Постоянному представителю страны Россия при ООН"),
        ("pl", "PL", "Polska", "31 października 2012",
         "Do wiadomości: Stały Przedstawiciel państwa Polska przy ONZ"),
        ("es", "MX", "México", "31 de octubre de 2012",
         "cc: Representante Permanente de México ante las Naciones Unidas"),
        ("en", "US", "United States", "October 31, 2012",
         "cc: Permanent Representative of United States to the United Nations"),
        ("en", "GB", "United Kingdom", "31 October 2012",
         "cc: Permanent Representative of United Kingdom to the United Nations"),
    ],
)
def test_cldr_country_name_and_long_date(project, lang, country, country_name, date, cc):
    m = model_for(project, lang, country)
    assert m.country_name == country_name
    assert m.date_text == date
    assert dict(texts(m))["date"] == date
    assert dict(texts(m))["cc"] == cc


@pytest.mark.parametrize(
    ("lang", "country", "expected"),
    [
        ("ru", "RU", {
            1: "1 перебежчик из Северной Кореи", 2: "2 перебежчика из Северной Кореи",
            5: "5 перебежчиков из Северной Кореи", 21: "21 перебежчик из Северной Кореи",
            179: "179 перебежчиков из Северной Кореи",
        }),
        ("pl", "PL", {
            1: "1 uciekinier z Korei Północnej", 2: "2 uciekinierzy z Korei Północnej",
            5: "5 uciekinierów z Korei Północnej", 21: "21 uciekinierów z Korei Północnej",
            179: "179 uciekinierów z Korei Północnej",
        }),
        ("ar", "EG", {  # ar_EG writes Arabic-Indic digits (CLDR default numbering system)
            1: "منشق واحد (١) من كوريا الشمالية", 2: "منشقان (٢) من كوريا الشمالية",
            5: "٥ منشقين من كوريا الشمالية", 21: "٢١ منشقًا من كوريا الشمالية",
            179: "١٧٩ منشقًا من كوريا الشمالية",
        }),
        ("fr", "FR", {1: "1 transfuge de Corée du Nord", 2: "2 transfuges de Corée du Nord",
                      179: "179 transfuges de Corée du Nord"}),
        ("ko", "KR", {1: "북한 이탈주민 1명", 179: "북한 이탈주민 179명"}),
        ("en", "GB", {1: "1 defector from North Korea", 21: "21 defectors from North Korea"}),
    ],
)
def test_signatory_count_uses_the_catalogue_plural_forms(project, lang, country, expected):
    for count, text in expected.items():
        m = model_for(project, lang, country, values={"signatories": count})
        assert m.count == count
        assert dict(texts(m))["sender"] == text, count
        assert dict(texts(m))["signature"] == text, count


def test_count_is_formatted_for_the_locale(project):
    m = model_for(project, "ru", "RU", values={"signatories": 1795})
    assert dict(texts(m))["sender"] == "1\xa0795 перебежчиков из Северной Кореи"


def test_recipient_name_title_address_and_salutation(project):
    r = Recipient(row=2, country="FR", language="fr", name="M. Laurent Fabius",
                  title="Ministre des Affaires étrangères",
                  address=("37 quai d'Orsay", "75007 Paris"))
    m = model_for(project, "fr", "FR", recipient=r)
    roles = [p.role for p in m.paragraphs]
    assert roles[:7] == ["sender", "place", "date", "recipient", "recipient", "address", "address"]
    assert [p.text for p in m.paragraphs[3:7]] == [
        "M. Laurent Fabius", "Ministre des Affaires étrangères", "37 quai d'Orsay", "75007 Paris"]
    # default salutation comes from the catalogue ...
    assert dict(texts(m))["salutation"] == "Monsieur le Ministre des Affaires étrangères,"
    # ... and a salutation column overrides it
    r2 = Recipient(row=3, country="FR", language="fr", salutation="Cher Laurent,")
    m2 = model_for(project, "fr", "FR", recipient=r2)
    assert dict(texts(m2))["salutation"] == "Cher Laurent,"


@pytest.mark.parametrize(
    ("country", "paper"),
    [("US", "Letter"), ("CA", "Letter"), ("MX", "Letter"), ("PH", "Letter"), ("CL", "Letter"),
     ("FR", "A4"), ("GB", "A4"), ("KR", "A4"), ("EG", "A4"), ("AU", "A4")],
)
def test_paper_size_from_cldr_territories(country, paper):
    assert paper_size(country) == paper


def test_direction_script_fonts_and_lang_tags(project):
    ar = model_for(project, "ar", "EG")
    assert (ar.direction, ar.script, ar.lang_tag) == ("rtl", "Arab", "ar-EG")
    assert ar.fonts.complex == "Noto Naskh Arabic" and ar.complex_script
    assert model_for(project, "ko", "KR").fonts.east_asia == "Noto Serif CJK KR"
    assert model_for(project, "ja", "JP").fonts.east_asia == "Noto Serif CJK JP"
    assert model_for(project, "zh", "CN").fonts.east_asia == "Noto Serif CJK SC"
    assert fonts_for("zh_Hant").east_asia == "Noto Serif CJK TC"
    assert fonts_for("he").complex == "Noto Serif Hebrew"
    assert fonts_for("fa").complex == "Noto Naskh Arabic"
    # configurable: by language, by script
    assert fonts_for("ko", {"ko": "Batang"}).east_asia == "Batang"
    assert fonts_for("ar", {"Arab": "Amiri"}).complex == "Amiri"
    # a French letter to Korea is proofed as French of France; to Belgium as fr-BE
    assert lang_tag("fr", "KR") == "fr-FR"
    assert lang_tag("fr", "BE") == "fr-BE"
    assert lang_tag("zh_Hant", "TW") == "zh-TW"


def test_drafts_are_marked_unapproved(tmp_path):
    root = make_project(tmp_path / "p", approved=("fr",), drafts=("es",), empty=("de",))
    cfg = load_config(root)
    letter = load_letter(cfg.letters[0])
    # one fuzzy message in an otherwise approved catalogue
    apply_changes(cfg.catalog("fr"), [Change("test-letter/closing", ["Merci."], fuzzy=True)])
    cat = load_catalog(cfg.catalog("fr"), "fr")
    m = build_model(letter, cat, Recipient(row=2, country="FR", language="fr"))
    assert m.draft
    assert [(p.context, p.state, p.text) for p in m.unapproved] == [
        ("test-letter/closing", "draft", "Merci.")]
    # an untranslated catalogue shows the source text, marked
    de = build_model(letter, load_catalog(cfg.catalog("de"), "de"),
                     Recipient(row=2, country="DE", language="de"))
    assert dict(texts(de))["closing"] == "Thank you for your consideration."
    assert {p.state for p in de.unapproved} == {"untranslated"}
    es = build_model(letter, load_catalog(cfg.catalog("es"), "es"),
                     Recipient(row=2, country="ES", language="es"))
    assert dict(texts(es))["closing"] == "Gracias por su atención."
    assert {p.state for p in es.unapproved} == {"draft"}
    assert dict(texts(es))["date"] == "31 de octubre de 2012"  # data: never a draft
    # QA-flagged contexts are never shown as approved
    m2 = build_model(letter, cat, Recipient(row=2, country="FR", language="fr"),
                     flagged={"test-letter/place"})
    assert {p.context for p in m2.unapproved} == {"test-letter/closing", "test-letter/place"}


@pytest.mark.parametrize(("context", "text", "error"), [
    ("test-letter/closing", "Merci\x07.", r"fr test-letter/closing: control character U\+0007"),
    ("test-letter/cc", "cc : {pays}", r"unknown placeholder \{pays\}"),
], ids=["control_character", "unknown_placeholder"])
def test_a_broken_approved_translation_is_a_clear_error(tmp_path, context, text, error):
    root = make_project(tmp_path / "p", approved=("fr",), empty=())
    cfg = load_config(root)
    apply_changes(cfg.catalog("fr"), [Change(context, [text], fuzzy=False)])
    with pytest.raises(ExportError, match=error):
        build_model(load_letter(cfg.letters[0]), load_catalog(cfg.catalog("fr"), "fr"),
                    Recipient(row=2, country="FR", language="fr"))


def test_html_preview_is_the_same_model_escaped(project):
    r = Recipient(row=2, country="FR", language="fr", name="<script>alert(1)</script> & Co")
    m = model_for(project, "fr", "FR", recipient=r)
    html = render_html(m)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    assert 'lang="fr-FR"' in html and 'dir="ltr"' in html and "paper-A4" in html
    paragraphs = re.findall(r'<p class="role-([a-z]+)[^"]*"[^>]*>(.*?)</p>', html)
    assert len(paragraphs) == len(m.paragraphs)
    assert "DRAFT" not in html
    ar = render_html(model_for(project, "ar", "EG"), standalone=True)
    assert 'dir="rtl"' in ar and 'lang="ar-EG"' in ar and "Noto Naskh Arabic" in ar
    assert ar.startswith("<!doctype html>")
