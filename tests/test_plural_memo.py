"""The Plural-Forms memo (``catalogs.model.parse_plural_forms``, kept per header text
because every write of a catalogue parses its header again) against the rule it stands for."""

from __future__ import annotations

import pytest
from babel.messages.plurals import PLURALS

from workflow.catalogs import model
from workflow.catalogs.model import parse_plural_forms, plural_header

HEADERS = [plural_header(lang) for lang in sorted(PLURALS)] + [
    "nplurals=2; plural=(n != 1);",
    "nplurals = 3 ; plural = (n==1 ? 0 : n==2 ? 1 : 2)  ",
    "nplurals=1; plural=0",
]
BAD = ["", "plural=(n != 1);", "nplurals=two; plural=(n != 1);", "nonsense"]


def test_memo_answers_what_the_rule_answers():
    model._PLURAL_MEMO.clear()
    for header in HEADERS:
        rule = model._parse_plural_forms(header)
        assert parse_plural_forms(header) == rule  # computed
        assert parse_plural_forms(header) == rule  # from the memo
        assert model._PLURAL_MEMO[header] == rule
    assert parse_plural_forms(plural_header("ar"))[0] == 6
    assert parse_plural_forms(plural_header("ja")) == (1, "0")


@pytest.mark.parametrize("header", BAD)
def test_bad_headers_raise_every_time_and_are_not_kept(header):
    for _ in range(2):
        with pytest.raises(ValueError):
            parse_plural_forms(header)
    assert header not in model._PLURAL_MEMO


def test_memo_is_bounded():
    model._PLURAL_MEMO.clear()
    for n in range(300):
        assert parse_plural_forms(f"nplurals={n}; plural=0;") == (n, "0")
    assert len(model._PLURAL_MEMO) == 256
