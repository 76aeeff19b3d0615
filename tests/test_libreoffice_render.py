"""Real rendering: LibreOffice turns one ar, one ko and one fr letter into PDF; pdftotext reads
them back. Checks the localised strings, the fonts LibreOffice picked from w:cs / w:eastAsia,
and that the Arabic letter is flush right."""

from __future__ import annotations

import re
import subprocess
import unicodedata

import pytest
from export_support import make_project
from tool_support import need

from workflow.config import load_config
from workflow.export.run import run_export

pytestmark = pytest.mark.slow


_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670]")


def squash(text: str) -> str:
    """Compare text independent of how pdftotext splits lines and bidi runs: no bidi controls,
    no Arabic vowel marks (pdftotext puts them on lines of their own), no white space."""
    text = unicodedata.normalize("NFC", text)
    text = _BIDI_CONTROLS.sub("", text)
    text = _ARABIC_MARKS.sub("", text)
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    soffice, pdftotext, pdffonts = need("soffice"), need("pdftotext"), need("pdffonts")
    base = tmp_path_factory.mktemp("lo")
    root = make_project(base / "proj", approved=("fr", "ar", "ko"), empty=())
    (root / "r.csv").write_text("country\nFR\nEG\nKR\n", encoding="utf-8")
    result = run_export(load_config(root), root / "r.csv", base / "out")
    docs = [base / "out" / f.filename for f in result.files]
    profile = (base / "lo-profile").as_uri()
    proc = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(base / "pdf"), *map(str, docs)],
        capture_output=True, text=True, timeout=240,
    )
    assert proc.returncode == 0, proc.stderr
    out = {}
    for lang, country in [("fr", "FR"), ("ar", "EG"), ("ko", "KR")]:
        pdf = base / "pdf" / f"{country}-{lang}.pdf"
        assert pdf.is_file(), proc.stdout + proc.stderr
        text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        bbox = subprocess.run([pdftotext, "-bbox", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        fonts = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True).stdout
        out[lang] = {"text": text, "bbox": bbox, "fonts": fonts}
    return out


def test_french_pdf_text(pdfs):
    text = squash(pdfs["fr"]["text"])
    for expected in [
        "179 transfuges de Corée du Nord", "Séoul, République de Corée", "31 octobre 2012",
        "Monsieur le Ministre des Affaires étrangères,",
        "Nous demandons à votre gouvernement de soutenir une commission d’enquête.",
        "cc : Représentant permanent de France auprès des Nations Unies",
    ]:
        assert squash(expected) in text, expected


def test_korean_pdf_text_and_cjk_font(pdfs):
    text = squash(pdfs["ko"]["text"])
    for expected in ["북한 이탈주민 179명", "대한민국 서울", "2012년 10월 31일", "외교부 장관님께",
                     "귀국 정부가 조사위원회를 지지해 주실 것을 요청합니다.",
                     "참조: 유엔 주재 대한민국 상임대표"]:
        assert squash(expected) in text, expected
    assert "NotoSerifCJK" in pdfs["ko"]["fonts"]  # the w:eastAsia font was used


def test_arabic_pdf_text_font_and_right_alignment(pdfs):
    text = squash(pdfs["ar"]["text"])
    for expected in ["سيول، جمهورية كوريا", "31 أكتوبر 2012", "معالي وزير الخارجية،",
                     "نطلب من حكومتكم دعم لجنة تحقيق.",
                     "نسخة إلى: المندوب الدائم لدولة مصر لدى الأمم المتحدة",
                     "منشقا من كوريا الشمالية", "179"]:
        assert squash(expected) in text, expected
    assert "NotoNaskhArabic" in pdfs["ar"]["fonts"]  # the w:cs font was used
    # flush right: the salutation line ends at the right margin (A4 595.3pt - 2.5 cm)
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)<',
                       pdfs["ar"]["bbox"])
    # (-bbox gives the glyphs of a right-to-left word in visual order: reversed)
    line_y = next(float(y) for _, y, _, w in words if "معالي" in (w, w[::-1]))
    on_line = [(float(x0), float(x1)) for x0, y, x1, _ in words if abs(float(y) - line_y) < 1]
    right_margin = 595.3 - 70.9
    assert abs(max(x1 for _, x1 in on_line) - right_margin) < 2
    assert min(x0 for x0, _ in on_line) > 300  # a short line, so it does not reach the left
