"""Whitespace: leading/trailing whitespace as in the source, no new double spaces."""

from __future__ import annotations

import re

from workflow.checks.base import Check, Unit
from workflow.checks.batch import SEP
from workflow.checks.messages import N_

_WS = " \t\n\r\u00a0\u202f\u2009\u3000"
DOUBLE_SPACE_RE = re.compile(r"(?<=\S)[ \u00a0\u202f\u3000]{2,}(?=\S)")
#: Whitespace at either end of a text, in a batch's joined texts (SEP between them); it
#: starts with SEP, which the regex engine finds fast.
_EDGE = re.compile(f"{SEP}(?:[{_WS}]|(?<=[{_WS}]{SEP}))")
#: What else makes a translation worth a look: two spaces, a no-break or ideographic space.
_INNER = ("  ", "\u00a0", "\u3000")
_NORMALISE = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u3000": " "})


def _lead(text: str) -> str:
    return text[: len(text) - len(text.lstrip(_WS))].translate(_NORMALISE)


def _trail(text: str) -> str:
    return text[len(text.rstrip(_WS)) :].translate(_NORMALISE)


LEADING = N_("leading whitespace %(got)s differs from the source's %(want)s")
TRAILING = N_("trailing whitespace %(got)s differs from the source's %(want)s")
DOUBLE_SPACES = N_("%(extra)s double space(s) more than the source")


class WhitespaceCheck(Check):
    """Whitespace as in the source.

    Leading and trailing whitespace must match the source's (a no-break or ideographic
    space counts as a space), and the translation must not add double spaces between
    words that the source does not have.
    """

    id = "whitespace"
    messages = (LEADING, TRAILING, DOUBLE_SPACES)

    def candidates(self, batch) -> set[int]:
        # what the fast path below lets through, for every text at once
        found = batch.text_hits(_EDGE) | batch.source_hits(_EDGE)
        for needle in _INNER:
            found |= batch.text_hits(needle)
        return found

    def check(self, unit: Unit) -> list[str]:
        out: list[str] = []
        total = len(unit.strings)
        for i, source, text in unit.forms():
            if (
                text[:1] not in _WS
                and text[-1:] not in _WS
                and source[:1] not in _WS
                and source[-1:] not in _WS
                and "  " not in text
                and "\u00a0" not in text
                and "\u3000" not in text
            ):
                continue  # fast path: no edge whitespace, no double space candidates
            where = unit.where(i, total)
            want, got = _lead(source), _lead(text)
            if want != got:
                out.append(where + LEADING % {"got": repr(got), "want": repr(want)})
            want, got = _trail(source), _trail(text)
            if want != got:
                out.append(where + TRAILING % {"got": repr(got), "want": repr(want)})
            if "  " in text or "\u00a0 " in text or " \u00a0" in text or "\u3000\u3000" in text:
                extra = len(DOUBLE_SPACE_RE.findall(text)) - len(DOUBLE_SPACE_RE.findall(source))
                if extra > 0:
                    out.append(where + DOUBLE_SPACES % {"extra": extra})
        return out
