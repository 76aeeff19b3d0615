"""Repeated word ("the the")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from workflow.checks.base import Check, Unit

REPEAT_RE = re.compile(r"(?<!\w)([^\W\d_]+)(?:\s+\1)+(?!\w)", re.IGNORECASE)
#: Legitimate doubles: French reflexives ("nous nous sommes"), German/Dutch articles
#: and relatives ("die die", "dat dat").
ALLOWED_REPEATS = {
    "fr": frozenset({"nous", "vous"}),
    "de": frozenset({"die", "der", "das"}),
    "nl": frozenset({"dat", "die"}),
    "en": frozenset({"that", "had"}),
}
#: Scripts written without spaces: no words to repeat.
NO_SPACES = frozenset({"zh", "ja"})


class RepeatedWordCheck(Check):
    """No accidentally repeated word.

    The same word twice in a row ("de de", "the the") is a typing or MT slip unless the
    source repeats it too or the language allows it (French "nous nous", German "die
    die"). Chinese and Japanese are not checked (no spaces between words).
    """

    id = "repeated-word"

    def check(self, unit: Unit) -> Iterator[str]:
        lang = unit.language.split("_")[0]
        if lang in NO_SPACES:
            return
        allowed = ALLOWED_REPEATS.get(lang, frozenset())
        total = len(unit.strings)
        for i, source, text in unit.forms():
            for m in REPEAT_RE.finditer(text):
                word = m.group(1).casefold()
                if (
                    word in allowed
                    or REPEAT_RE.search(source)
                    and any(s.group(1).casefold() == word for s in REPEAT_RE.finditer(source))
                ):
                    continue
                yield f"{unit.where(i, total)}word {m.group(1)!r} repeated"
