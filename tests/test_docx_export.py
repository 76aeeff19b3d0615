"""LetterModel -> .docx, read back with python-docx: text, scripts, languages, paper, template,
appendix, drafts."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt
from export_support import make_project

from workflow.catalogs import Change, apply_changes, load_catalog
from workflow.config import load_config
from workflow.errors import ExportError
from workflow.export.docx import DRAFT_HEADER, UNREVIEWED_MARK, DocxWriter
from workflow.export.model import build_model
from workflow.export.oxml import read_paragraph_xml
from workflow.export.recipients import Recipient
from workflow.letter import load_letter

NOW = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("docx") / "proj")
    cfg = load_config(root)
    return cfg, load_letter(cfg.letters[0])


@pytest.fixture(scope="module")
def writer():
    return DocxWriter()


def model(project, lang, country, **kw):
    cfg, letter = project
    catalog = load_catalog(cfg.catalog(lang), lang) if lang != "en" else None
    recipient = kw.pop("recipient", None) or Recipient(row=2, country=country, language=lang)
    return build_model(letter, catalog, recipient, **kw)


def read(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None  # every member's CRC is right
    return docx.Document(io.BytesIO(data))


def all_runs(document):
    body = document.element.body
    return body.iter(qn("w:r"))


EXPECTED = {
    ("fr", "FR"): [
        "179 transfuges de Corée du Nord", "Séoul, République de Corée", "31 octobre 2012",
        "Monsieur le Ministre des Affaires étrangères,",
        "Nous demandons à votre gouvernement de soutenir une commission d’enquête.",
        "Nous vous remercions de votre attention.", "179 transfuges de Corée du Nord",
        "cc : Représentant permanent de France auprès des Nations Unies",
    ],
    ("ar", "EG"): [
        "179 منشقًا من كوريا الشمالية", "سيول، جمهورية كوريا", "31 أكتوبر 2012",
        "معالي وزير الخارجية،", "نطلب من حكومتكم دعم لجنة تحقيق.", "شكرًا لكم على اهتمامكم.",
        "179 منشقًا من كوريا الشمالية", "نسخة إلى: المندوب الدائم لدولة مصر لدى الأمم المتحدة",
    ],
    ("ko", "KR"): [
        "북한 이탈주민 179명", "대한민국 서울", "2012년 10월 31일", "외교부 장관님께",
        "귀국 정부가 조사위원회를 지지해 주실 것을 요청합니다.", "관심을 가져 주셔서 감사합니다.",
        "북한 이탈주민 179명", "참조: 유엔 주재 대한민국 상임대표",
    ],
    ("ja", "JP"): [
        "北朝鮮からの脱北者179名", "大韓民国ソウル", "2012年10月31日", "外務大臣閣下",
        "貴国政府が調査委員会を支持されるようお願い申し上げます。",
        "ご検討いただき、ありがとうございます。", "北朝鮮からの脱北者179名",
        "写し：日本国連常駐代表",
    ],
    ("zh", "CN"): [
        "179名朝鲜脱北者", "大韩民国首尔", "2012年10月31日", "尊敬的外交部长：",
        "我们请求贵国政府支持设立调查委员会。", "感谢您的关注。", "179名朝鲜脱北者",
        "抄送：中国常驻联合国代表",
    ],
    ("ru", "RU"): [
        "179 перебежчиков из Северной Кореи", "Сеул, Республика Корея", "31 октября 2012\u202fг.",
        "Уважаемый господин министр иностранных дел!",
        "Мы просим ваше правительство поддержать создание комиссии по расследованию.",
        "Благодарим вас за внимание.", "179 перебежчиков из Северной Кореи",
        "Копия: Постоянному представителю страны Россия при ООН",
    ],
    ("pl", "PL"): [
        "179 uciekinierów z Korei Północnej", "Seul, Republika Korei", "31 października 2012",
        "Szanowny Panie Ministrze,", "Prosimy Pański rząd o poparcie komisji śledczej.",
        "Dziękujemy za uwagę.", "179 uciekinierów z Korei Północnej",
        "Do wiadomości: Stały Przedstawiciel państwa Polska przy ONZ",
    ],
    ("en", "US"): [
        "179 defectors from North Korea", "Seoul, Republic of Korea", "October 31, 2012",
        "Dear Foreign Minister:", "We ask your government to support a commission of inquiry.",
        "Thank you for your consideration.", "179 defectors from North Korea",
        "cc: Permanent Representative of United States to the United Nations",
    ],
}
LANG_TAGS = {"fr": "fr-FR", "ar": "ar-EG", "ko": "ko-KR", "ja": "ja-JP", "zh": "zh-CN",
             "ru": "ru-RU", "pl": "pl-PL", "en": "en-US"}
EAST_ASIA_FONTS = {"ko": "Noto Serif CJK KR", "ja": "Noto Serif CJK JP", "zh": "Noto Serif CJK SC"}


@pytest.mark.parametrize(("lang", "country"), list(EXPECTED))
def test_text_lang_and_scripts_read_back(project, writer, lang, country):
    doc = read(writer.render(model(project, lang, country), now=NOW))
    assert [p.text for p in doc.paragraphs] == EXPECTED[(lang, country)]
    tag = LANG_TAGS[lang]
    runs = list(all_runs(doc))
    assert len(runs) == len(EXPECTED[(lang, country)])
    for r in runs:  # every run carries w:lang with the letter's language
        assert r.find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:val")) == tag
    for p in doc.paragraphs:
        info = read_paragraph_xml(p)
        if lang == "ar":
            assert info["bidi"] is True
            # right alignment: bidi paragraphs read jc left/right as start/end, so flush right
            # (the start of a right-to-left line) is written "left"; the body is justified
            assert info["jc"] == ("both" if p.style.name == "Letter Body" else "left")
            for run in info["runs"]:
                assert run["rtl"] is True
                assert run["font_cs"] == "Noto Naskh Arabic"
                assert run["lang_bidi"] == "ar-EG"
        else:
            assert info["bidi"] is False
            assert all(not run["rtl"] for run in info["runs"])
        if lang in EAST_ASIA_FONTS:
            for run in info["runs"]:
                assert run["font_east_asia"] == EAST_ASIA_FONTS[lang]
                assert run["lang_east_asia"] == tag
        else:
            assert all(run["font_east_asia"] is None for run in info["runs"])


def test_styles_per_role(project, writer):
    doc = read(writer.render(model(project, "fr", "FR")))
    assert [p.style.name for p in doc.paragraphs] == [
        "Letter Sender", "Letter Place", "Letter Date", "Letter Salutation", "Letter Body",
        "Letter Closing", "Letter Signature", "Letter Cc"]
    assert doc.styles["Normal"].font.name == "Noto Serif"  # the built-in clean style


@pytest.mark.parametrize(
    ("country", "lang", "width", "height"),
    [("US", "en", 8.5, 11), ("MX", "es", 8.5, 11), ("CA", "fr", 8.5, 11),
     ("FR", "fr", 8.27, 11.69), ("KR", "ko", 8.27, 11.69), ("EG", "ar", 8.27, 11.69)],
)
def test_paper_size(project, writer, country, lang, width, height):
    doc = read(writer.render(model(project, lang, country)))
    section = doc.sections[-1]
    assert round(section.page_width.inches, 2) == width
    assert round(section.page_height.inches, 2) == height


def test_core_properties(project, writer):
    doc = read(writer.render(model(project, "ko", "KR"), now=NOW))
    props = doc.core_properties
    assert props.title == "Letter of the defectors to the Foreign Ministers"
    assert props.language == "ko-KR"
    assert props.author == "북한 이탈주민 179명"  # the localised sender
    assert props.subject == "대한민국"
    assert props.created == NOW
    m = model(project, "fr", "FR", author="ICNK")
    assert read(writer.render(m)).core_properties.author == "ICNK"


def test_writer_reuse_leaks_nothing_between_letters(project):
    fr = model(project, "fr", "FR")
    fresh = DocxWriter().render(fr, now=NOW)
    busy = DocxWriter()
    for lang, country in [("ar", "EG"), ("ko", "KR"), ("en", "US")]:
        busy.render(model(project, lang, country), now=NOW)
    assert busy.render(fr, now=NOW) == fresh  # byte for byte


def test_drafts_header_on_every_page_and_marked_paragraphs(tmp_path):
    root = make_project(tmp_path / "p", approved=("fr",), empty=())
    cfg = load_config(root)
    apply_changes(cfg.catalog("fr"), [Change("test-letter/closing", ["Merci."], fuzzy=True)])
    letter = load_letter(cfg.letters[0])
    m = build_model(letter, load_catalog(cfg.catalog("fr"), "fr"),
                    Recipient(row=2, country="FR", language="fr"))
    writer = DocxWriter()
    doc = read(writer.render(m))
    header = doc.sections[0].header
    assert not header.is_linked_to_previous
    assert header.paragraphs[0].text == DRAFT_HEADER
    closing = [p for p in doc.paragraphs if p.style.name == "Letter Closing"][0]
    assert closing.text == UNREVIEWED_MARK + "Merci."
    info = read_paragraph_xml(closing)
    assert [r["highlight"] for r in info["runs"]] == [True, True]
    assert [r["lang"] for r in info["runs"]] == ["en-US", "fr-FR"]
    others = [p for p in doc.paragraphs if p._p is not closing._p]
    assert all(not p.text.startswith(UNREVIEWED_MARK) for p in others)
    # the same writer then makes an approved letter without the header
    m_ok = build_model(letter, None, Recipient(row=3, country="GB", language="en"))
    clean = read(writer.render(m_ok))
    assert all(DRAFT_HEADER not in p.text for p in clean.sections[0].header.paragraphs)


def _template(path, *, first_page=False):
    doc = docx.Document()
    section = doc.sections[0]
    section.header.paragraphs[0].text = "ICNK Letterhead — Seoul"
    section.footer.paragraphs[0].text = "www.example.org"
    if first_page:
        section.different_first_page_header_footer = True
        section.first_page_header.paragraphs[0].text = "ICNK First Page"
    body = doc.styles.add_style("Letter Body", 1)
    body.base_style = doc.styles["Normal"]
    body.font.size = Pt(13)
    doc.add_paragraph("template body text that must not survive")
    doc.save(path)
    return path


def _png() -> bytes:
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    raw = b"\x00\xff\x00\x00"  # one red pixel
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _appendix(path, tmp_path):
    doc = docx.Document()
    doc.add_heading("Signatures of the 179 defectors", level=1)
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "1"
    table.cell(0, 1).text = "Kim"
    (tmp_path / "sig.png").write_bytes(_png())
    doc.add_picture(str(tmp_path / "sig.png"))
    doc.save(path)
    return path


def test_template_supplies_styles_header_footer(project, tmp_path):
    tpl = _template(tmp_path / "letterhead.docx", first_page=True)
    doc = read(DocxWriter(template=tpl).render(model(project, "fr", "FR")))
    assert doc.paragraphs[0].text == "179 transfuges de Corée du Nord"
    assert "template body text" not in "\n".join(p.text for p in doc.paragraphs)
    assert doc.sections[0].header.paragraphs[0].text == "ICNK Letterhead — Seoul"
    assert doc.sections[0].first_page_header.paragraphs[0].text == "ICNK First Page"
    assert doc.sections[0].footer.paragraphs[0].text == "www.example.org"
    body = [p for p in doc.paragraphs if p.style.name == "Letter Body"]
    assert body and body[0].style.font.size == Pt(13)  # the template's own style is used


def test_template_draft_header_keeps_letterhead(project, tmp_path):
    tpl = _template(tmp_path / "letterhead.docx", first_page=True)
    m = model(project, "fr", "FR", flagged={"test-letter/place"})
    doc = read(DocxWriter(template=tpl).render(m))
    for header in (doc.sections[0].header, doc.sections[0].first_page_header):
        assert [p.text for p in header.paragraphs] == [
            DRAFT_HEADER, header.paragraphs[1].text]
        assert header.paragraphs[1].text.startswith("ICNK")


def test_appendix_is_appended_unchanged(project, tmp_path):
    app = _appendix(tmp_path / "signatures.docx", tmp_path)
    writer = DocxWriter(appendix=app)
    for lang, country in [("fr", "FR"), ("ko", "KR")]:
        data = writer.render(model(project, lang, country))
        doc = read(data)
        texts = [p.text for p in doc.paragraphs]
        assert texts[: len(EXPECTED[(lang, country)])] == EXPECTED[(lang, country)]
        assert "Signatures of the 179 defectors" in texts
        assert doc.tables[0].cell(0, 1).text == "Kim"
        assert len(doc.inline_shapes) == 1
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert any(n.startswith("word/media/") for n in z.namelist())
        # a page break separates the letter from the appendix
        breaks = doc.element.body.findall(".//" + qn("w:br"))
        assert any(b.get(qn("w:type")) == "page" for b in breaks)


def test_bad_template_is_a_clear_error(tmp_path):
    bad = tmp_path / "letterhead.docx"
    bad.write_text("not a zip")
    with pytest.raises(ExportError, match="template .*letterhead.docx: not a Word .docx file"):
        DocxWriter(template=bad)
    with pytest.raises(ExportError, match="appendix .*missing.docx: cannot read"):
        DocxWriter(appendix=tmp_path / "missing.docx")
