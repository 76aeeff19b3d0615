"""The letter source format: structure, placeholders, plurals, and clear errors."""

from __future__ import annotations

import datetime as dt

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
