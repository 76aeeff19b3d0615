"""The letter source format: structure, placeholders, plurals, and clear errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import DATA, REPO

from workflow.errors import LetterError
from workflow.letter import load_letter, parse_letter

SEED = REPO / "letters" / "icnk-2012.txt"


def test_seed_letter_structure():
    letter = load_letter(SEED)
    assert letter.id == "icnk-2012"
    assert letter.date == dt.date(2012, 10, 31)
    roles = [b.role for b in letter.blocks]
    assert roles[:4] == ["sender", "place", "date", "salutation"]
    assert roles[-4:] == ["closing", "signature", "place", "cc"]
    assert roles.count("body") == 12
    # the date is data, not a message
    assert "icnk-2012/date" not in [b.context for b in letter.messages]
    # every block but the date, plus salutation and closing in 3 forms of address each
    assert len(letter.messages) == len(letter.blocks) - 1 + 2 * 3 + 1  # + the title
    assert list(letter.forms) == ["minister-m", "minister-f", "excellency"]
    cc = letter.block("cc")
    assert cc.text == "cc: Permanent Representative {country_of} to the United Nations"
    assert cc.placeholders == ("country_of",)
    sender = letter.block("sender")
    assert sender.plural and sender.text == "{count} defector from North Korea"
    assert sender.text_plural == "{count} defectors from North Korea"
    assert letter.plural_count == 179


def test_seed_letter_excludes_web_chrome():
    letter = load_letter(SEED)
    text = " ".join(b.text for b in letter.blocks)
    for chrome in ("Home > Information", "Prev  Next", "Prev Next", "ICNK recently sent", "DATE :"):
        assert chrome not in text
    # the whole body of the original is there: first and last sentences
    assert letter.block("survivors").text.startswith("We are survivors of severe human rights")
    assert letter.block("meeting").text.endswith("and your embassy in Seoul.")


def test_wrapped_lines_are_joined_with_single_spaces():
    letter = load_letter(SEED)
    for b in letter.messages:
        assert "\n" not in b.text and "  " not in b.text


def test_second_letter_with_other_roles_and_placeholders():
    letter = load_letter(DATA / "appeal-letter.txt")
    assert letter.id == "detainee-appeal"
    assert [b.role for b in letter.blocks][:3] == ["recipient", "reference-line", "subject"]
    assert letter.block("recipient").placeholders == ("minister", "ministry")
    assert letter.block("duration").plural
    assert letter.plural_count == 42


BASE = '+++\nid = "t"\ndate = 2020-01-02\n[placeholders]\ncountry = "c"\n+++\n\n'


@pytest.mark.parametrize(
    "body, message",
    [
        ("[greeting]\nHello\n", "unknown role [greeting]"),
        ("[cc]\ncc: {country\n", "unbalanced placeholder"),
        ("[cc]\ncc: {nation}\n", "placeholder {nation} is not declared"),
        ("[cc]\ncc: {country!r}\n", "must be a plain name"),
        ("[body]\nA\n\n[body]\nB\n", "appears more than once"),
        ("[body a]\nA\n\n[body a]\nB\n", "already used"),
        ("[body a]\nA\n\nstray text\n", "text outside a block"),
        ("[body a]\nbad \x07 bell\n", "control character"),
        ("[date]\nOctober 31\n", "holds no text"),
        ("[sender]\none: 1 x\n", "needs both 'one:' and 'other:'"),
        ("[salutation]\n", "is empty"),
        ("[body a\nA\n", "malformed block header"),
    ],
)
def test_bad_letters_get_a_clear_error_with_line(body, message):
    with pytest.raises(LetterError) as err:
        parse_letter(BASE + body, "letters/bad.txt")
    assert message in str(err.value)
    assert str(err.value).startswith("letters/bad.txt:")


def test_bad_front_matter():
    with pytest.raises(LetterError, match="front matter"):
        parse_letter("no front matter\n", "x.txt")
    with pytest.raises(LetterError, match="ISO date"):
        parse_letter('+++\ndate = "31/10/2012"\n+++\n[body a]\nA\n', "x.txt")


def test_missing_letter_file(tmp_path):
    with pytest.raises(LetterError, match="letter file not found"):
        load_letter(tmp_path / "nope.txt")


def test_brace_errors_point_at_the_brace_itself():
    body = "[body a]\nFirst line is fine.\nThe author wrote {sic} here.\n"
    with pytest.raises(LetterError) as err:
        parse_letter(BASE + body, "letters/bad.txt")
    # line 10 of the file (front matter is 7 lines + blank + header + first line), column 18
    assert str(err.value).startswith("letters/bad.txt:10:18: placeholder {sic} is not declared")
    assert "{{sic}}" in str(err.value)
    with pytest.raises(LetterError) as err:
        parse_letter(BASE + "[body a]\nok\nsee } here\n", "letters/bad.txt")
    assert str(err.value).startswith("letters/bad.txt:10:5: unbalanced placeholder brace '}'")
    letter = parse_letter(BASE + "[body a]\nThe author wrote {{sic}} and {{ }}.\n", "x.txt")
    assert letter.block("a").text == "The author wrote {{sic}} and {{ }}."


def test_extra_roles_after_plural_as_the_docs_show_it():
    import re

    doc = (Path(__file__).resolve().parent.parent / "docs" / "letter-format.md").read_text(
        encoding="utf-8")
    example = re.search(r"```text\n(.*?)```", doc, re.S).group(1)
    example = example.replace("# extra_roles", "extra_roles")  # the optional line, switched on
    example = example.replace("\n[cc]\n", "\n[reference-line]\nOur ref. 2012/17\n\n[cc]\n")
    example = example.replace("...", "")
    letter = parse_letter(example, "letters/docs-example.txt")
    assert letter.roles["reference-line"] == "a case reference"
    assert letter.block("reference-line").text == "Our ref. 2012/17"
    assert letter.plural_field == "signatories"


def test_typed_dates_and_numbers_are_data_formatted_per_locale():
    from workflow.export.model import build_model
    from workflow.export.recipients import Recipient

    text = (BASE + "[body a]\nOn {date:2014-12-05} and in {date:2013-03}, "
            "{number:12500} people fled to {country}.\n")
    letter = parse_letter(text, "x.txt")
    block = letter.block("a")
    assert block.placeholders == ("date:2014-12-05", "date:2013-03", "number:12500", "country")
    from workflow.export.message_text import fill_placeholders

    fr = fill_placeholders(block.text, {"country": "France", "__locale__": "fr_FR"}, "x/a", "fr")
    assert fr == "On 5 décembre 2014 and in mars 2013, 12\u202f500 people fled to France."
    us = build_model(letter, None, Recipient(row=1, country="US", language="en"))
    assert us.paragraphs[-1].text == (
        "On December 5, 2014 and in March 2013, 12,500 people fled to United States.")
    with pytest.raises(LetterError, match="1:|placeholder"):
        parse_letter(BASE + "[body a]\nOn {date:2014-13-45}.\n", "x.txt")
    from workflow.mt.base import mask

    masked = mask(block.text)
    assert "{date:2014-12-05}" in masked.originals and "2014" not in masked.core
