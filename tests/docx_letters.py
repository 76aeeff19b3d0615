"""Word letters for the tests: one built with python-docx, others converted by LibreOffice from
.odt fixtures (so that their run structure is LibreOffice's), and structural readers for the
exported documents."""

from __future__ import annotations

import os
import subprocess
import zipfile
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from lxml import etree

DATA = Path(__file__).parent / "data"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def add_hyperlink(paragraph, text: str, url: str, *, bold: bool = False) -> None:
    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    rpr = '<w:rStyle w:val="Hyperlink"/>' + ("<w:b/>" if bold else "")
    paragraph._p.append(parse_xml(
        f'<w:hyperlink {nsdecls("w", "r")} r:id="{r_id}"><w:r><w:rPr>{rpr}</w:rPr>'
        f'<w:t xml:space="preserve">{text}</w:t></w:r></w:hyperlink>'))


def build_word_letter(path: Path) -> Path:
    """A letter as a coordinator writes it in Word: letterhead header, title, heading, bold
    and italic runs (some split into several runs with identical formatting), a hyperlink,
    a numbered list, a table, a number-only paragraph and an empty one."""
    doc = docx.Document()
    doc.core_properties.title = "Joint letter on the COI report"
    doc.core_properties.language = "en-US"
    styles = doc.styles
    if "Hyperlink" not in [s.name for s in styles]:
        link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        link.font.underline = True
    header = doc.sections[0].header.paragraphs[0]
    header.add_run("Coalition to Stop Crimes against Humanity in North Korea").bold = True
    doc.add_paragraph("Joint Open Letter to the Minister of Foreign Affairs", style="Title")
    doc.add_paragraph("Dear Minister,")
    p = doc.add_paragraph("We write to you about the ")
    p.add_run("Commission of Inquiry").bold = True
    p.add_run(" report, which ")
    p.add_run("documents").italic = True
    p.add_run(" crimes against humanity committed in ")
    p.add_run("North ")  # Word splits runs: two runs, same formatting
    p.add_run("Korea.")
    doc.add_heading("Our requests", level=1)
    for text in ("Support the referral to the International Criminal Court.",
                 "Renew the mandate of the Special Rapporteur.",
                 "Raise the issue with the government of {country}."):
        doc.add_paragraph(text, style="List Number")
    p = doc.add_paragraph("The report is online at ")
    add_hyperlink(p, "the OHCHR website", "https://www.ohchr.org/coi")
    p.add_run(".")
    table = doc.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    for (r, c), text in {(0, 0): "Organisation", (0, 1): "Country",
                         (1, 0): "Human Rights Watch", (1, 1): "United States"}.items():
        table.cell(r, c).paragraphs[0].add_run(text)
    p = doc.add_paragraph("With line one")
    p.add_run().add_break()
    p.add_run("and line two, bold").bold = True
    doc.add_paragraph("2014")  # not translatable: copied as it is
    doc.add_paragraph("")
    doc.add_paragraph("Yours sincerely,")
    doc.save(path)
    return path


def convert_with_libreoffice(exe: str, odt: Path, out_dir: Path) -> Path:
    """Convert an .odt fixture to .docx with headless LibreOffice (its own run structure)."""
    profile = out_dir / "lo-profile"
    env = {**os.environ, "HOME": str(out_dir)}
    subprocess.run(
        [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "docx",
         "--outdir", str(out_dir), str(odt)],
        check=True, capture_output=True, timeout=180, env=env)
    result = out_dir / (odt.stem + ".docx")
    assert result.is_file(), f"LibreOffice did not write {result}"
    return result


# --------------------------------------------------------------------------- structure


def part_xml(path: Path, name: str):
    with zipfile.ZipFile(path) as z:
        if name not in z.namelist():
            return None
        return etree.fromstring(z.read(name))


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def structure(path: Path, name: str = "word/document.xml") -> dict:
    """What must survive export: paragraphs (style, numbering), tables, notes, and per
    paragraph the sequence of formatting spans (run properties without w:lang)."""
    root = part_xml(path, name)
    if root is None:
        return {}
    paras = []
    for p in root.iter(q("p")):
        ppr = p.find(q("pPr"))
        style = ppr.find(q("pStyle")) if ppr is not None else None
        num = ppr.find(q("numPr")) if ppr is not None else None
        paras.append({
            "style": style.get(q("val")) if style is not None else None,
            "numPr": etree.tostring(num, method="c14n") if num is not None else None,
            "spans": _spans(p),
            "links": len(p.findall(q("hyperlink"))),
            "codes": [etree.QName(c).localname for c in p.iter(
                q("br"), q("tab"), q("footnoteReference"), q("endnoteReference"),
                q("footnoteRef"), q("fldChar"), q("drawing"))],
        })
    return {
        "paragraphs": paras,
        "tables": len(list(root.iter(q("tbl")))),
        "cells": len(list(root.iter(q("tc")))),
        "footnotes": len([f for f in root.iter(q("footnote")) if not f.get(q("type"))]),
        "endnotes": len([f for f in root.iter(q("endnote")) if not f.get(q("type"))]),
        "sectPr": [etree.tostring(s, method="c14n") for s in root.iter(q("sectPr"))],
    }


def _spans(p) -> list[bytes]:
    """Distinct consecutive run formattings of a paragraph (lang/rtl/noProof removed)."""
    out: list[bytes] = []
    for r in p.iter(q("r")):
        text = "".join(t.text or "" for t in r.iter(q("t")))
        if not text.strip(" \u27e6\u27e7"):  # whitespace, or only the pseudo engine's brackets
            continue
        rpr = r.find(q("rPr"))
        key = b""
        if rpr is not None:
            clone = etree.fromstring(etree.tostring(rpr))
            for child in list(clone):
                if etree.QName(child).localname in ("lang", "noProof", "rtl", "webHidden"):
                    clone.remove(child)
            key = etree.tostring(clone, method="c14n") if len(clone) else b""
        if not out or out[-1] != key:
            out.append(key)
    return out


def texts(path: Path, name: str = "word/document.xml") -> list[str]:
    root = part_xml(path, name)
    return ["".join(t.text or "" for t in p.iter(q("t"))) for p in root.iter(q("p"))]
