"""Issue 11 with real LibreOffice: `letterflow export --pdf` for en-US, fr-FR, fr-CA, pt-BR,
ru-RU, pl-PL, ar-SA, ar-EG and ko-KR letters; pdftotext reads each page back: the cc line and
the salutation exactly as written by hand below, the page numbers in the footer, closing +
signature + cc on one page, every font embedded, the PDFs in the manifest."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from diplomat_support import make_project
from test_diplomat_docx import EXPECTED
from test_libreoffice_render import squash
from tool_support import need

pytestmark = pytest.mark.slow

CLOSING = {
    "US-en": "Thank you for your consideration.",
    "FR-fr": "Veuillez agréer, Madame la Ministre, l’expression de notre très haute "
             "considération.",
    "CA-fr": "Veuillez agréer, Monsieur le Ministre, l’expression de notre très haute "
             "considération.",
    "BR-pt": "Agradecemos a vossa atenção.", "RU-ru": "Благодарим Вас за внимание.",
    "PL-pl": "Dziękujemy za uwagę.", "SA-ar": "وتفضلوا بقبول فائق الاحترام والتقدير.",
    "EG-ar": "وتفضلوا بقبول فائق الاحترام والتقدير.", "KR-ko": "관심을 가져 주셔서 감사합니다.",
}
SIGNATURE = {
    "US-en": "179 defectors from North Korea", "FR-fr": "179 transfuges de Corée du Nord",
    "CA-fr": "179 transfuges de Corée du Nord", "BR-pt": "179 desertores da Coreia do Norte",
    "RU-ru": "179 перебежчиков из Северной Кореи", "PL-pl": "179 uciekinierów z Korei Północnej",
    "SA-ar": "١٧٩ منشقًا من كوريا الشمالية", "EG-ar": "١٧٩ منشقًا من كوريا الشمالية",
    "KR-ko": "북한 이탈주민 179명",
}


def _pages(pdftotext, pdf, n):
    return [subprocess.run([pdftotext, "-f", str(k), "-l", str(k), str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout
            for k in range(1, n + 1)]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    need("soffice")
    pdftotext, pdfinfo, pdffonts = need("pdftotext"), need("pdfinfo"), need("pdffonts")
    base = tmp_path_factory.mktemp("dippdf")
    root = make_project(base / "proj")
    res = subprocess.run([sys.executable, "-m", "workflow.cli", "--project", str(root), "export",
                          str(root / "recipients.csv"), "--pdf", "--out", str(base / "out")],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    out = {}
    for name in EXPECTED:
        stem = name[:-5]
        pdf = base / "out" / f"{stem}.pdf"
        info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True).stdout
        n = int(next(x for x in info.splitlines() if x.startswith("Pages:")).split()[1])
        fonts = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True).stdout
        layout = subprocess.run([pdftotext, "-layout", "-f", "1", "-l", "1", str(pdf), "-"],
                                capture_output=True, text=True, check=True).stdout
        out[stem] = {"pages": _pages(pdftotext, pdf, n), "fonts": fonts, "layout": layout}
    manifest = json.loads((base / "out" / "manifest.json").read_text(encoding="utf-8"))
    return out, manifest, res.stdout


def _lines(page: str) -> list[str]:
    return [squash(x) for x in page.splitlines() if x.strip()]


@pytest.mark.parametrize("name", list(EXPECTED))
def test_cc_salutation_and_page_numbers(rendered, name):
    out, _, _ = rendered
    stem = name[:-5]
    salutation, cc = EXPECTED[name]
    pages = out[stem]["pages"]
    assert len(pages) == 2, stem  # the letter is made to run over one page
    lines = [_lines(p) for p in pages]
    text = "\n".join(pages)
    if stem.endswith("-ar"):
        # pdftotext may split a right-to-left line at its Latin/digit runs: compare squashed
        assert squash(salutation) in squash(pages[0]) and squash(cc) in squash(pages[1])
    else:
        assert salutation in pages[0].splitlines(), stem
        assert cc in text.splitlines(), stem
    # footer "PAGE / NUMPAGES": the last line of each page; an RTL footer reads right to left,
    # pdftotext writes it in visual order
    for k, page_lines in enumerate(lines, start=1):
        expected = f"2/{k}" if stem.endswith("-ar") else f"{k}/2"
        assert page_lines[-1] == expected, (stem, k, page_lines[-3:])


@pytest.mark.parametrize("name", list(EXPECTED))
def test_closing_signature_and_cc_on_one_page(rendered, name):
    out, _, _ = rendered
    stem = name[:-5]
    first, last = (squash(p) for p in out[stem]["pages"])
    cc = squash(EXPECTED[name][1])
    for part in (CLOSING[stem], SIGNATURE[stem]):
        if stem.endswith("-ar"):  # pdftotext puts the digit run of an RTL line after it
            assert all(squash(w) in last for w in part.split()), (stem, part)
        else:
            assert squash(part) in last, (stem, part)
    assert cc in last and cc not in first
    assert squash(CLOSING[stem]) not in first


def test_fonts_embedded_and_pdfs_in_manifest(rendered):
    out, manifest, stdout = rendered
    for stem, data in out.items():
        rows = data["fonts"].splitlines()[2:]
        assert rows, stem
        assert all(r.split()[-5] == "yes" for r in rows), (stem, data["fonts"])  # emb column
    files = {f["file"]: f["pdf"] for f in manifest["files"]}
    assert files == {name: name[:-5] + ".pdf" for name in EXPECTED}
    assert "9 PDF(s) written next to the .docx files" in stdout


@pytest.mark.parametrize("stem", ["RU-ru", "PL-pl", "FR-fr"])
def test_justified_text_is_hyphenated(rendered, stem):
    """w:autoHyphenation: LibreOffice (with Debian's hyphen-* patterns) breaks words at line
    ends of the justified body instead of stretching the spaces."""
    out, _, _ = rendered
    broken = [x for x in out[stem]["layout"].splitlines() if re.search(r"\w[-\u2010]\s*$", x)]
    assert len(broken) >= 3, stem
