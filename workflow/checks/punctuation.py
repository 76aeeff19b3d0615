"""End punctuation, locale-aware."""

from __future__ import annotations

from functools import lru_cache
from itertools import compress, repeat
from operator import and_, eq, itemgetter, ne, or_

from workflow.checks.base import Check, Unit
from workflow.checks.messages import N_

#: Closing quotes and brackets that may follow the sentence mark.
_CLOSERS = "\"')]}»”’」』）】›"
_SPACE = " \t\n\r\u00a0\u202f\u2009\u3000" + "".join(map(chr, range(0x20)))
#: Each sentence-final mark -> its class. Ideographic, full-width and Arabic marks map to
#: the Latin mark they stand for: 。 for ja/zh, ؟ for ar.
_CLASS = {
    ".": ".",
    "。": ".",
    "．": ".",
    "｡": ".",
    "۔": ".",
    "?": "?",
    "？": "?",
    "؟": "?",
    "!": "!",
    "！": "!",
    ":": ":",
    "：": ":",
    ";": ";",
    "；": ";",
    "؛": ";",
    "…": "…",
    ",": ",",
    "，": ",",
    "、": ",",
    "،": ",",
}
#: Marks a letter's salutation may end with in either spelling ("Dear Minister:" ->
#: "Monsieur le Ministre," / "Sehr geehrter Herr Minister,").
_EQUIVALENT = {frozenset({":", ","})}
#: French puts a no-break space (U+00A0 or narrow U+202F) before these.
_FRENCH_SPACED = "!?:;"
_NBSP = "\u00a0\u202f"


def end_mark(text: str) -> tuple[str, int]:
    """(class of the final mark, its index) of *text*, ignoring closers; ("", -1) if none."""
    end = len(text.rstrip(_SPACE))
    while end and text[end - 1] in _CLOSERS:
        end -= 1
    if end >= 3 and text[end - 3 : end] == "...":
        return "…", end - 3
    if end and text[end - 1] in _CLASS:
        return _CLASS[text[end - 1]], end - 1
    return "", -1


@lru_cache(maxsize=65536)
def _source_mark(text: str) -> str:
    return end_mark(text)[0]


#: Last characters end_mark() may look past (French: or read with the space before it;
#: a "." with the two before it, "...").
_LAST, _BEFORE_LAST = itemgetter(slice(-1, None)), itemgetter(slice(-2, -1))
_NOT_PLAIN = frozenset(_SPACE) | frozenset(_CLOSERS)
_NOT_PLAIN_FR = _NOT_PLAIN | frozenset(_FRENCH_SPACED)


def _dot_before_last(text: str) -> bool:
    return _BEFORE_LAST(text) == "."


ENDS_WITH = N_("ends with %(got)s, the source with %(want)s")
PLAIN_SPACE = N_("a plain space before %(mark)s: French needs a no-break space")
NO_SPACE = N_("no space before %(mark)s: French needs a no-break space")
NO_MARK = N_("no mark")


def _name(mark: str) -> str:
    return repr(mark) if mark else NO_MARK


class EndPunctuationCheck(Check):
    """End punctuation as in the source.

    The sentence-final mark must be the same kind as the source's, read per locale:
    。 for ja/zh, ؟ and . for ar, full-width marks for CJK. A salutation may end with a
    colon or a comma. French needs a no-break space (U+00A0 or U+202F) before ! ? : ;.
    """

    id = "end-punctuation"
    messages = (ENDS_WITH, PLAIN_SPACE, NO_SPACE)
    words = (NO_MARK,)

    def candidates(self, batch) -> set[int]:
        # the same last character as the source's, one end_mark() reads alone: the same
        # mark (or none) on both sides, nothing to report
        # (each step mapped over every text at once: no Python step per text)
        # (the sources' last characters and dots kept for the next language)
        special = _NOT_PLAIN_FR if batch.language.split("_")[0] == "fr" else _NOT_PLAIN
        index, _sources, texts = batch.columns
        last, dot = list(map(_LAST, texts)), repeat(".")
        out = set(batch.multi)
        out.update(compress(index, map(ne, last, batch.source_column("last", _LAST))))
        out.update(compress(index, map(special.__contains__, last)))
        # a text ending with "." (as its source then): "..", or a source's "." before it
        dots = map(or_, map(str.endswith, texts, repeat("..")),
                   batch.source_column("dot before last", _dot_before_last))
        out.update(compress(index, map(and_, map(eq, last, dot), dots)))
        return out

    def check(self, unit: Unit) -> list[str]:
        out: list[str] = []
        total = len(unit.strings)
        french = unit.language.split("_")[0] == "fr"
        for i, source, text in unit.forms():
            want = _source_mark(source)
            got, pos = end_mark(text)
            where = unit.where(i, total)
            if want != got and frozenset({want, got}) not in _EQUIVALENT:
                out.append(where + ENDS_WITH % {"got": _name(got), "want": _name(want)})
            if french and got and text[pos] in _FRENCH_SPACED:
                before = text[pos - 1] if pos > 0 else ""
                if before not in _NBSP:
                    template = PLAIN_SPACE if before == " " else NO_SPACE
                    out.append(where + template % {"mark": repr(text[pos])})
        return out
