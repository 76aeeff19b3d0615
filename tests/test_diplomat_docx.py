"""Issue 11 without LibreOffice: country phrases from the reviewed countries catalogue, forms of
address, the finished page (footer page field, keep-together, hyphenation), CLDR digits, szCs
and the localised title -- read back from every exported .docx; and the gate's rules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import docx
import pytest
from diplomat_support import OF, make_project
from docx.oxml.ns import qn
from tool_support import need

from workflow.config import load_config
from workflow.export.run import GateClosed, plan_export, run_export

#: file -> (salutation, cc line): written by hand
EXPECTED = {
    "US-en.docx": ("Dear Foreign Minister:",
                   "cc: Permanent Representative of the United States of America to the "
                   "United Nations"),
    "FR-fr.docx": ("Madame la Ministre,",
                   "cc : Représentant permanent de la France auprès des Nations Unies"),
    "CA-fr.docx": ("Monsieur le Ministre,",
                   "cc : Représentant permanent du Canada auprès des Nations Unies"),
    "BR-pt.docx": ("Senhor Ministro,",
                   "cc: Representante Permanente do Brasil junto às Nações Unidas"),
    "RU-ru.docx": ("Уважаемый господин министр!",
                   "Копия: Постоянному представителю Российской Федерации при ООН"),
    "PL-pl.docx": ("Szanowna Pani Minister,",
                   "Do wiadomości: Stały Przedstawiciel Rzeczypospolitej Polskiej przy ONZ"),
    "SA-ar.docx": ("صاحب المعالي،",
                   "نسخة إلى: المندوب الدائم للمملكة العربية السعودية لدى الأمم المتحدة"),
    "EG-ar.docx": ("معالي الوزير،",
                   "نسخة إلى: المندوب الدائم لجمهورية مصر العربية لدى الأمم المتحدة"),
    "KR-ko.docx": ("외교부 장관님께", "참조: 유엔 주재 대한민국 상임대표"),
}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    base = tmp_path_factory.mktemp("dip")
    root = make_project(base / "proj")
    result = run_export(load_config(root), root / "recipients.csv", base / "out")
    return base / "out", result


def _doc(out, name):
    return docx.Document(str(out / name))


def test_country_phrase_and_salutation_variant_read_back(exported):
    out, result = exported
    assert sorted(f.filename for f in result.files) == sorted(EXPECTED)
    for name, (salutation, cc) in EXPECTED.items():
        paras = {p.style.name: p.text for p in _doc(out, name).paragraphs}
        assert paras["Letter Cc"] == cc, name
        assert paras["Letter Salutation"] == salutation, name


def test_closing_variant_follows_the_form(exported):
    out, _ = exported
    closing = {p.style.name: p.text for p in _doc(out, "FR-fr.docx").paragraphs}["Letter Closing"]
    assert closing == ("Veuillez agréer, Madame la Ministre, l’expression de notre très haute "
                       "considération.")
    closing = {p.style.name: p.text for p in _doc(out, "CA-fr.docx").paragraphs}["Letter Closing"]
    assert closing.startswith("Veuillez agréer, Monsieur le Ministre,")


def test_footer_page_field_keep_together_and_hyphenation(exported):
    out, _ = exported
    for name in EXPECTED:
        doc = _doc(out, name)
        footer = doc.sections[0].footer._element
        instrs = [f.get(qn("w:instr")).strip() for f in footer.iter(qn("w:fldSimple"))]
        assert instrs == ["PAGE", "NUMPAGES"], name
        paras = doc.paragraphs
        roles = [p.style.name for p in paras]
        tail = paras[roles.index("Letter Closing"):]
        assert [p.style.name for p in tail] == ["Letter Closing", "Letter Signature", "Letter Cc"]
        for p in tail[:-1]:
            assert p.paragraph_format.keep_with_next is True, (name, p.text)
        for p in tail:
            assert p.paragraph_format.keep_together is True, (name, p.text)
        assert not paras[0].paragraph_format.keep_with_next  # only the end is kept together
        assert doc.styles["Normal"].paragraph_format.widow_control is True
        settings = doc.settings.element
        assert settings.find(qn("w:autoHyphenation")) is not None
        assert doc.styles["Letter Body"].paragraph_format.alignment == 3  # justified (BOTH)


def test_digits_szcs_page_format_and_title(exported):
    out, _ = exported
    for name, date, count in (("EG-ar.docx", "٣١ أكتوبر ٢٠١٢", "١٧٩"),
                              ("SA-ar.docx", "٣١ أكتوبر ٢٠١٢", "١٧٩"),
                              ("RU-ru.docx", "31 октября 2012\u202fг.", "179"),
                              ("KR-ko.docx", "2012년 10월 31일", "179")):
        doc = _doc(out, name)
        texts = {p.style.name: p.text for p in doc.paragraphs}
        assert texts["Letter Date"] == date, name
        assert texts["Letter Sender"].startswith(count) or count in texts["Letter Sender"]
        pg = doc.sections[-1]._sectPr.find(qn("w:pgNumType"))
        fmt = "hindiNumbers" if name.endswith("-ar.docx") else "decimal"
        assert pg.get(qn("w:fmt")) == fmt, name
    ar = _doc(out, "EG-ar.docx")
    for p in ar.paragraphs:
        for r in p.runs:
            size = r._r.rPr.find(qn("w:szCs"))
            assert size is not None and size.get(qn("w:val")) in ("22", "18"), p.text
    assert ar.core_properties.title == "رسالة إلى وزراء الخارجية"
    ko = _doc(out, "KR-ko.docx")
    ppr = ko.paragraphs[0]._p.pPr
    assert ppr.find(qn("w:autoSpaceDE")).get(qn("w:val")) == "0"
    assert ko.core_properties.title == "외교부 장관들께 드리는 서한"


def test_manifest_records_form_and_no_overrides(exported):
    out, _ = exported
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    files = {f["file"]: f for f in manifest["files"]}
    assert files["FR-fr.docx"]["form_of_address"] == "minister-f"
    assert files["KR-ko.docx"]["form_of_address"] is None
    assert all(f["country_overrides"] == {} and f["unreviewed"] == [] for f in files.values())
    assert all(f["pdf"] is None for f in files.values())


def test_gate_requires_only_the_country_forms_used(tmp_path):
    root = make_project(tmp_path / "p", approve_countries=False)
    cfg = load_config(root)
    (root / "fr.csv").write_text("country,language,form\nFR,fr,minister-f\n", encoding="utf-8")
    with pytest.raises(GateClosed) as info:
        plan_export(cfg, root / "fr.csv")
    blocking = info.value.blocked[0].blocking
    assert blocking == ["country/FR/of: not in countries.po (run `letterflow countries seed`) "
                        "(countries.po)"]
    from export_support import approve_countries

    approve_countries(cfg, "fr", {"FR": {"of": OF[("fr", "FR")]}})
    plan = plan_export(cfg, root / "fr.csv")  # name/to forms are not used: not required
    assert plan.statuses["fr"].ok
    # a seeded draft is not enough: only an approved entry opens the gate
    from workflow.export.country_catalog import seed_catalog

    seed_catalog(cfg, "fr", ["CA"])
    (root / "ca.csv").write_text("country,language\nCA,fr\n", encoding="utf-8")
    with pytest.raises(GateClosed) as info:
        plan_export(cfg, root / "ca.csv")
    assert info.value.blocked[0].blocking == ["country/CA/of: draft (countries.po)"]


def test_csv_override_and_free_salutation_are_recorded(tmp_path):
    root = make_project(tmp_path / "p", approve_countries=False)
    (root / "r.csv").write_text(
        "country,language,country_of,salutation\n"
        "FR,fr,de la République française,Cher ami\n", encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "workflow.cli", "--project", str(root),
                          "export", "r.csv", "--out", str(tmp_path / "out")],
                         capture_output=True, text=True, timeout=300, cwd=root)
    assert res.returncode == 0, res.stderr
    assert "1 with a free-text salutation from the recipients file (NOT reviewed)" in res.stdout
    assert "1 with a country phrase from the recipients file" in res.stdout
    doc = docx.Document(str(tmp_path / "out" / "FR-fr.docx"))
    texts = {p.style.name: p.text for p in doc.paragraphs}
    assert texts["Letter Cc"] == ("cc : Représentant permanent de la République française "
                                  "auprès des Nations Unies")
    assert texts["Letter Salutation"] == "Cher ami"
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["files"][0]
    assert entry["country_overrides"] == {"of": "de la République française"}
    assert entry["unreviewed"] == ["salutation: free text from the recipients file"]


def test_unknown_form_and_missing_libreoffice_are_one_line_errors(tmp_path):
    root = make_project(tmp_path / "p")
    (root / "bad.csv").write_text("country,language,form\nFR,fr,duchess\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "workflow.cli", "--project", str(root), "export"]
    res = subprocess.run([*cmd, "bad.csv"], capture_output=True, text=True, timeout=300,
                         cwd=root)
    assert res.returncode == 2
    assert res.stderr.strip().splitlines()[-1] == (
        "Error: recipients row 2: form of address 'duchess' is not declared by letter dip "
        "(declared: minister-m, minister-f, excellency; see [forms_of_address])")
    env = {**os.environ, "LETTERFLOW_SOFFICE": str(tmp_path / "no-soffice")}
    res = subprocess.run([*cmd, "recipients.csv", "--pdf", "--out", str(tmp_path / "o")],
                         capture_output=True, text=True, timeout=300, env=env, cwd=root)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "no such program" in res.stderr and not (tmp_path / "o").exists()


def test_seeded_countries_catalogue(tmp_path):
    """Seeds are fuzzy drafts from iso-codes + CLDR, inverted names turned round, with the
    article contractions and the Arabic li- prefix; msgfmt -c accepts the file."""
    from workflow.catalogs import load_catalog
    from workflow.export.countries import inverted
    from workflow.export.country_catalog import seed_catalog

    assert inverted("Corée, République de") == "République de Corée"
    assert inverted("Iran, République islamique d'") == "République islamique d'Iran"
    assert inverted("Korea, Republic of") == "Republic of Korea"
    root = make_project(tmp_path / "p", approve_countries=False)
    cfg = load_config(root)
    expect = {
        ("fr", "KR", "name"): "la République de Corée",
        ("fr", "CA", "of"): "du Canada",
        ("fr", "US", "of"): "des États-Unis d'Amérique",
        ("fr", "FR", "of"): "de la République française",
        ("en", "US", "of"): "of the United States of America",
        ("en", "CA", "name"): "Canada",
        ("pt", "BR", "of"): "da República Federativa do Brasil",
        ("ru", "RU", "name"): "Российская Федерация",
        ("ar", "SA", "of"): "للمملكة العربيّة السّعوديّة",
    }
    for lang in ("fr", "en", "pt", "ru", "ar"):
        path, added = seed_catalog(cfg, lang, ["KR", "CA", "US", "FR", "BR", "RU", "SA"])
        assert added == 21
        catalog = load_catalog(path, lang)
        assert all(m.state == "draft" for m in catalog.active())
        for (lg, cc, form), text in expect.items():
            if lg == lang:
                assert catalog.get(f"country/{cc}/{form}").strings[0] == text
        assert seed_catalog(cfg, lang, ["KR"])[1] == 0  # existing entries are kept
        res = subprocess.run([need("msgfmt"), "-c", "-o", "/dev/null", str(path)],
                             capture_output=True, text=True)
        assert res.returncode == 0, res.stderr


def test_sentence_with_country_of_passes_msgfmt_c(tmp_path):
    """The slot design: the translation keeps msgid's {country_of}, so `msgfmt -c` accepts
    it, whereas a form switch inside the brace ({country:gen}) is a fatal msgfmt error."""
    root = make_project(tmp_path / "p")
    cfg = load_config(root)
    res = subprocess.run([need("msgfmt"), "-c", "-o", "/dev/null", str(cfg.catalog("ru"))],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    po = cfg.catalog("ru").read_text(encoding="utf-8").replace(
        "Постоянному представителю {country_of}", "Постоянному представителю {country_of:gen}")
    bad = tmp_path / "bad.po"
    bad.write_text(po, encoding="utf-8")
    res = subprocess.run([need("msgfmt"), "-c", "-o", "/dev/null", str(bad)],
                         capture_output=True, text=True)
    assert res.returncode != 0


def test_zip_holds_the_letters(exported):
    out, result = exported
    with zipfile.ZipFile(out / "letters.zip") as z:
        assert sorted(n for n in z.namelist() if n.endswith(".docx")) == sorted(EXPECTED)


def test_check_gate_parses_countries_but_never_requires_them(tmp_path):
    """`letterflow check` (the repo's CI gate): a countries catalogue full of drafts is fine,
    even for a required language; a broken one fails the build with file:line."""
    root = make_project(tmp_path / "p", approve_countries=False)
    cfg = load_config(root)
    from workflow.export.country_catalog import seed_catalog

    path, _ = seed_catalog(cfg, "fr", ["FR", "CA"])
    cmd = [sys.executable, "-m", "workflow.cli", "--project", str(root), "check",
           "--require", "fr"]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgid "x"\nmsgstr\n', encoding="utf-8")
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert res.returncode == 1
    assert "countries.po" in res.stdout + res.stderr and "[syntax]" in res.stdout + res.stderr


def test_signatories_appendix_reference_and_hyphenation_off(tmp_path):
    """Names from the front matter on a page of their own under the translated heading, never
    translated; the recipients file's reference number; hyphenate=false sets the body flush
    left and drops w:autoHyphenation."""
    from diplomat_support import HEADINGS

    root = make_project(tmp_path / "p", signatories=True,
                        extra_toml="[export.page]\nhyphenate = false\n")
    (root / "r.csv").write_text("country,language,reference\nRU,ru,ICNK/2012/047\n",
                                encoding="utf-8")
    run_export(load_config(root), root / "r.csv", tmp_path / "out")
    doc = docx.Document(str(tmp_path / "out" / "RU-ru.docx"))
    paras = doc.paragraphs
    styles = [p.style.name for p in paras]
    start = styles.index("Letter Signatories Heading")
    assert 'w:br w:type="page"' in paras[start - 1]._p.xml  # on a new page
    assert paras[start].text == HEADINGS["ru"]
    assert [p.text for p in paras[start + 1:]] == ["Kim Young-soon", "Shin Dong-hyuk",
                                                   "Human Rights Watch"]
    assert {p.style.name: p.text for p in paras}["Letter Reference"] == "ICNK/2012/047"
    assert styles.index("Letter Reference") < styles.index("Letter Salutation")
    assert doc.settings.element.find(qn("w:autoHyphenation")) is None
    assert doc.styles["Letter Body"].paragraph_format.alignment == 0  # LEFT
