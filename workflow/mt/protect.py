"""Protected text: what must reach every translation exactly as in the source.

* **Built-in patterns:** UN document symbols (``A/HRC/25/63``, ``S/RES/2094 (2013)``,
  ``A/RES/67/181``, ``E/CN.4/2005/34``), URLs, e-mail addresses and footnote marks
  (``[1]``, ``[^2]``, superscript digits).
* **The inline mark of the letter format:** ``<dnt>Human Rights Watch</dnt>``. The mark
  stays in the catalogue (the translator sees it and keeps it; the markup check counts
  it) and is removed at export.
* **Do-not-translate glossary entries** (organisation names): a ``termEntry`` with
  ``<descrip type="Translation needed">no</descrip>`` or a source term carrying
  ``<termNote type="translationNote">no</termNote>`` (the ways Weblate and TBX tools
  say "untranslatable"); see :func:`workflow.checks.glossary.parse_glossary`.

:func:`protected_spans` lists them for one source text; drafting masks them through
every engine (:mod:`workflow.mt.terms`) and the ``protected`` QA check
(:mod:`workflow.checks.protected`) reports a translation that lost or changed one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

#: The letter format's inline do-not-translate mark.
DNT_OPEN, DNT_CLOSE = "<dnt>", "</dnt>"
_DNT = re.compile(r"<dnt>(.*?)</dnt>", re.S)

_UN_SYMBOL = r"""
    (?<![\w/])
    (?:A|S|E|ST|CCPR|CAT|CRC|CERD|CEDAW|CMW|CRPD|CED|TD|UNEP|DP|HRI|ECOSOC|SG)
    (?:/[A-Z][A-Za-z0-9.\-]*|/\d+(?:[./-]\d+)*)+       # /HRC /RES /CN.4 /25 /2005/34
    (?:/\d+(?:/Add\.\d+|/Rev\.\d+|/Corr\.\d+)*)?
    (?:\s\((?:19|20)\d\d\))?                           # S/RES/2094 (2013)
    (?![\w/])
"""
_BUILTIN = re.compile(
    rf"""
      (?P<un>{_UN_SYMBOL})
    | (?P<url>(?:https?|ftp)://[^\s<>"]+[^\s<>".,;:!?)\]]|www\.[^\s<>"]+[^\s<>".,;:!?)\]])
    | (?P<email>(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)
    | (?P<note>\[\^?\d{{1,3}}\]|(?<=\w)[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+)
    """,
    re.VERBOSE,
)
_UN_SHAPE = re.compile(r"/.*\d|\d.*/")  # a symbol has a slash and a number
#: What every built-in pattern needs: "<dnt>" a "<", a UN symbol or a URL a "/" (or
#: "www."), an e-mail an "@", a footnote mark a "[" or a superscript digit. A text without
#: any has no built-in span (one cheap search instead of the patterns' lookbehinds).
_MAYBE_BUILTIN = re.compile(r"[</@\[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]|www\.")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str  # the exact source text that must come back
    kind: str  # "un-symbol", "url", "email", "footnote", "dnt", "name"


def builtin_spans(text: str) -> list[Span]:
    """UN symbols, URLs, e-mails, footnote marks and <dnt> spans of *text*."""
    if _MAYBE_BUILTIN.search(text) is None:
        return []
    spans = [Span(m.start(), m.end(), m.group(0), "dnt") for m in _DNT.finditer(text)]
    for m in _BUILTIN.finditer(text):
        kind = {"un": "un-symbol", "url": "url", "email": "email", "note": "footnote"}[
            m.lastgroup or "url"
        ]
        if kind == "un-symbol" and not _UN_SHAPE.search(m.group(0)):
            continue
        spans.append(Span(m.start(), m.end(), m.group(0), kind))
    return _disjoint(spans)


def name_spans(text: str, names: list[str]) -> list[Span]:
    """Exact (case-sensitive, whole-word) occurrences of do-not-translate *names*."""
    spans: list[Span] = []
    for name in sorted(set(names), key=len, reverse=True):
        if name not in text:
            continue
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            spans.append(Span(m.start(), m.end(), m.group(0), "name"))
    return _disjoint(spans)


def protected_spans(text: str, names: list[str] | tuple[str, ...] = ()) -> list[Span]:
    """Every protected span of a source text, in order, never overlapping."""
    return _disjoint(builtin_spans(text) + name_spans(text, list(names)))


@lru_cache(maxsize=65536)
def _source_spans(source: str, names: tuple[str, ...]) -> tuple[Span, ...]:
    """protected_spans of a source text, once per source (the QA check asks for every
    language)."""
    return tuple(protected_spans(source, names))


def _disjoint(spans: list[Span]) -> list[Span]:
    """Keep the earliest (then longest) span where spans overlap."""
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if out and s.start < out[-1].end:
            continue
        out.append(s)
    return out


def strip_marks(text: str) -> str:
    """The text as it is printed: the <dnt> marks removed, their content kept."""
    if DNT_OPEN not in text:
        return text
    return _DNT.sub(lambda m: m.group(1), text)


def missing_in(source: str, translation: str,
               names: list[str] | tuple[str, ...] = ()) -> list[Span]:
    """Protected spans of *source* that *translation* does not contain as often, verbatim."""
    missing: list[Span] = []
    counted: dict[str, int] = {}
    for span in _source_spans(source, tuple(names)):
        counted[span.text] = counted.get(span.text, 0) + 1
        if translation.count(span.text) < counted[span.text]:
            missing.append(span)
    return missing
