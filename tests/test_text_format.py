"""The grown text format: every new construct, exported to the expected .docx structure."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from lxml import etree

from workflow.errors import LetterError
from workflow.letter import parse_letter

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

LETTER = """\
+++
id = "unsc-2014"
title = "Joint letter to the Security Council"
language = "en"
date = 2014-12-09

[placeholders]
country = "the recipient's country"
+++

[title]
Joint Open Letter to the Members of the **Security Council**

[dateline]
New York, {date}

[salutation]
Dear Ambassador,

[heading found]
What the commission found

[body findings]
The *Commission of Inquiry* found that **crimes against humanity** were committed[^coi].
Its report of {date:2014-02-07} is online at [the OHCHR site](https://www.ohchr.org/coi).
`Human Rights Watch` and others wrote {{sic}} in March.\\
This sentence starts on a new line.

[body requests]
We urge {country} to:
- support the referral to the International Criminal Court;
- renew the mandate of the Special Rapporteur.

[body steps]
1. Put the situation on the agenda.
2. Hold a public briefing.

[closing]
Yours sincerely,

[signatories]
Human Rights Watch
Amnesty International
Citizens' Alliance for North Korean Human Rights

[body notes]
[^coi]: Report of the commission of inquiry, A/HRC/25/63, paragraph 80.
"""


def _letter(tmp_path):
    path = tmp_path / "letters" / "unsc-2014.txt"
    path.parent.mkdir(parents=True)
    path.write_text(LETTER, encoding="utf-8")
    return parse_letter(LETTER, path)


def test_every_construct_becomes_the_expected_messages(tmp_path):
    letter = _letter(tmp_path)
    got = {b.id: (b.role, b.text) for b in letter.messages}
    assert got["title"] == ("title", "Joint Open Letter to the Members of the <g1>Security "
                                     "Council</g1>")
    assert got["dateline"] == ("dateline", "New York, {date}")
    assert got["found"] == ("heading", "What the commission found")
    assert "findings-2" not in got  # one paragraph: one message
    text = next(b for b in letter.messages if b.role == "body" and "Commission" in b.text)
    assert text.text == (
        "The <g1>Commission of Inquiry</g1> found that <g2>crimes against humanity</g2> were "
        "committed<x3/>. Its report of {date:2014-02-07} is online at <g4>the OHCHR site</g4>. "
        "<dnt>Human Rights Watch</dnt> and others wrote {{sic}} in March.<x5/>"
        "This sentence starts on a new line.")
    assert [t.label for t in text.tags] == [
        "italic", "bold", "footnote coi", "link to https://www.ohchr.org/coi", "line break"]
    assert got["requests"] == ("body", "We urge {country} to:")
    assert got["requests-2"] == ("bulleted-item",
                                 "support the referral to the International Criminal Court;")
    assert got["requests-3"][0] == "bulleted-item"
    assert got["steps"] == ("numbered-item", "Put the situation on the agenda.")
    assert got["steps-2"] == ("numbered-item", "Hold a public briefing.")
    assert got["fn-coi"] == ("footnote", "Report of the commission of inquiry, A/HRC/25/63, "
                                         "paragraph 80.")
    assert "signatories" not in got  # never translated
    assert letter.block("signatories").text.count("\n") == 2
    assert letter.messages[-1].id == "fn-coi"  # footnotes come last


def _docx_parts(data: bytes) -> tuple[etree._Element, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return (etree.fromstring(z.read("word/document.xml")),
                etree.fromstring(z.read("word/footnotes.xml")))


def test_every_construct_exports_to_the_expected_docx_structure(tmp_path):
    from workflow.export.docx import DocxWriter
    from workflow.export.model import build_model
    from workflow.export.recipients import Recipient

    letter = _letter(tmp_path)
    model = build_model(letter, None, Recipient(row=1, country="US", language="en",
                                                name="H.E. the Ambassador"))
    data = DocxWriter().render(model)
    doc = docx.Document(io.BytesIO(data))
    paras = [(p.style.name, p.text) for p in doc.paragraphs]
    assert ("Title", "Joint Open Letter to the Members of the Security Council") in paras
    assert ("Letter Dateline", "New York, December 9, 2014") in paras
    assert ("Heading 1", "What the commission found") in paras
    assert ("List Bullet", "support the referral to the International Criminal Court;") in paras
    assert [t for s, t in paras if s == "List Number"] == [
        "Put the situation on the agenda.", "Hold a public briefing."]
    assert ("Letter Signatories", "Human Rights Watch\nAmnesty International\n"
            "Citizens' Alliance for North Korean Human Rights") in paras
    body = next(p for p in doc.paragraphs if "Commission of Inquiry" in p.text)
    assert [r.text for r in body.runs if r.italic] == ["Commission of Inquiry"]
    assert [r.text for r in body.runs if r.bold] == ["crimes against humanity"]
    assert "February 7, 2014" in body.text and "wrote {sic} in March." in body.text
    assert "Human Rights Watch and others" in body.text
    root, notes = _docx_parts(data)
    p = next(p for p in root.iter(f"{W}p") if "Commission" in "".join(
        t.text or "" for t in p.iter(f"{W}t")))
    assert len(p.findall(f".//{W}br")) == 1  # the hard line break
    field = p.find(f"{W}fldSimple")
    assert 'HYPERLINK "https://www.ohchr.org/coi"' in field.get(f"{W}instr")
    assert "".join(t.text for t in field.iter(f"{W}t")) == "the OHCHR site"
    refs = p.findall(f".//{W}footnoteReference")
    assert len(refs) == 1
    real = [n for n in notes.findall(f"{W}footnote") if not n.get(f"{W}type")]
    assert len(real) == 1 and real[0].get(f"{W}id") == refs[0].get(f"{W}id")
    assert "A/HRC/25/63" in "".join(t.text or "" for t in real[0].iter(f"{W}t"))
    assert real[0].find(f".//{W}footnoteRef") is not None
    # the footnote is not also a body paragraph
    assert not any("paragraph 80" in t for _, t in paras)
    # rendering the next letter does not keep the previous one's footnotes
    writer = DocxWriter()
    writer.render(model)
    data2 = writer.render(model)  # the same writer, a second letter
    assert len([n for n in _docx_parts(data2)[1] if not n.get(f"{W}type")]) == 1


@pytest.mark.parametrize("body, message", [
    ("[body a]\n**bold {nation}**\n", "bad.txt:7:8: placeholder {nation} is not declared"),
    ("[signatories]\n", "is empty"),
])
def test_new_constructs_get_clear_errors(body, message):
    base = '+++\nid = "t"\ndate = 2020-01-02\n+++\n\n'
    with pytest.raises(LetterError) as err:
        parse_letter(base + body, "letters/bad.txt")
    assert message in str(err.value)


@pytest.mark.slow
def test_text_letter_with_every_construct_through_the_pipeline(tmp_path):
    """extract -> pseudo drafts -> approve -> gate -> export fr: tags survive MT, footnotes are
    real and translated, the signatories stay as written."""
    from conftest import run_cli, write_project
    from test_docx_source import _approve_drafts

    root = write_project(tmp_path / "proj", languages=("fr",),
                         letters=["letters/unsc-2014.txt"])
    (root / "letters" / "unsc-2014.txt").write_text(LETTER, encoding="utf-8")
    for args in (("extract",), ("update",), ("draft", "--lang", "fr", "--provider", "pseudo")):
        result = run_cli(*args, cwd=root)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
    pot = (root / "locales" / "letter.pot").read_text(encoding="utf-8")
    assert 'msgctxt "unsc-2014/fn-coi"' in pot and "#, xml-text" in pot
    assert "Human Rights Watch\nAmnesty" not in pot  # signatories are not messages
    assert _approve_drafts(root, "fr") == 12
    from export_support import approve_countries

    from workflow.config import load_config

    approve_countries(load_config(root), "fr", {"FR": {"name": None}})  # issue 11's gate
    gate = run_cli("check", "--require", "fr", "--no-cache", cwd=root)
    assert gate.returncode == 0, (gate.stdout, gate.stderr)
    (root / "r.csv").write_text("country,language\nFR,fr\n", encoding="utf-8")
    result = run_cli("export", "r.csv", "--out", "dist", "--allow-unattributed", cwd=root)
    assert result.returncode == 0, (result.stdout, result.stderr)
    data = next((root / "dist").glob("*.docx")).read_bytes()
    doc = docx.Document(io.BytesIO(data))
    body = next(p for p in doc.paragraphs if "Çómmíssíóñ" in p.text)
    assert [r.text for r in body.runs if r.italic] == ["Çómmíssíóñ óf Íñqúírý"]
    assert [r.text for r in body.runs if r.bold] == ["çrímés ágáíñst húmáñítý"]
    assert "7 février 2014" in body.text  # typed date, by CLDR for fr, not translated
    assert "Human Rights Watch" in body.text  # do not translate: masked through MT
    root_xml, notes = _docx_parts(data)
    real = [n for n in notes.findall(f"{W}footnote") if not n.get(f"{W}type")]
    assert len(real) == 1
    assert "Répórt óf thé çómmíssíóñ" in "".join(t.text or "" for t in real[0].iter(f"{W}t"))
    assert len(list(root_xml.iter(f"{W}footnoteReference"))) == 1
    paras = [(p.style.name, p.text) for p in doc.paragraphs]
    assert ("Letter Signatories", "Human Rights Watch\nAmnesty International\n"
            "Citizens' Alliance for North Korean Human Rights") in paras
    assert [s for s, _ in paras].count("List Bullet") == 2
    assert [s for s, _ in paras].count("List Number") == 2
    assert ("Letter Dateline", "⟦Ñéw Ýórk, 9 décembre 2014⟧") in paras


def test_plain_blocks_skip_the_parser_with_the_same_result():
    """Blocks without Markdown syntax are not parsed (speed); the parser would give the same."""
    from pathlib import Path

    from workflow.letter import load_letter
    from workflow.source.textformat import parse_block

    seed = Path(__file__).resolve().parent.parent / "letters" / "icnk-2012.txt"
    letter = load_letter(seed)
    lines = seed.read_text(encoding="utf-8").split("\n")
    checked = 0
    own = {b.context for b in letter.blocks}  # front-matter messages have no block text
    for block in letter.messages:
        if block.plural or block.context not in own:
            continue
        content = []
        for line in lines[block.line:]:
            if not line.strip():
                break
            content.append(line.strip())
        items, notes = parse_block("\n".join(content))
        assert [(i.kind, i.text, i.tags) for i in items] == [("paragraph", block.text, ())]
        assert notes == [] and block.tags == ()
        checked += 1
    assert checked >= 15
