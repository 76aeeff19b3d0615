"""Frequent function words per language: a cheap first opinion before the lingua detector.

Counting a language's articles, prepositions, pronouns and conjunctions is the classic
stop-word language identifier. :func:`verdict` only answers when the evidence is plain
(the catalogue's language clearly ahead, or clearly absent while another language is
clearly present); anything closer goes to lingua.
"""

from __future__ import annotations

import re
from functools import lru_cache

FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the and of to in is that for it with as was on are be by this we our you your "
        "they were have has not from which at an or who".split()
    ),
    "fr": frozenset(
        "le la les des du de et est une un dans pour que qui sur par pas au aux ce cette "
        "nous vous ils sont avec ne leur ont été".split()
    ),
    "es": frozenset(
        "el la los las de del y en que un una por para con es se no al lo su sus nos "
        "fue como más este esta hemos".split()
    ),
    "de": frozenset(
        "der die das und ist nicht ein eine zu den dem des mit von für auf sich wir sie "
        "es im auch wurden haben uns unsere".split()
    ),
    "pt": frozenset(
        "o a os as de do da dos das e em que um uma para com não por se ao na no nos "
        "foi como mais".split()
    ),
    "it": frozenset(
        "il lo la gli le di del della dei e che un una per con non è sono in al nel "
        "alla ci noi siamo stati".split()
    ),
    "nl": frozenset(
        "de het een en van in is dat op te zijn voor met niet die wij we ons onze door "
        "aan er werden hebben".split()
    ),
    "pl": frozenset(
        "i w na z się nie do że jest to o jak po przez dla od nas nasze my są był "
        "byli oraz który".split()
    ),
    "ca": frozenset(
        "el la els les de del i en que un una per amb és no al als va som hem nosaltres "
        "els seus aquesta".split()
    ),
    "gl": frozenset(
        "o a os as de do da dos das e en que un unha para con non por se ao no na nos "
        "foi como".split()
    ),
}

_WORD_RE = re.compile(r"[^\W\d_]+")
#: Hits needed before an opinion counts.
MIN_HITS = 3


@lru_cache(maxsize=256)
def _exclusive(language: str, others: tuple[str, ...]) -> frozenset[str]:
    """*language*'s function words that none of *others* uses."""
    shared: set[str] = set()
    for other in others:
        shared |= FUNCTION_WORDS.get(other, frozenset())
    return FUNCTION_WORDS[language] - shared


def verdict(text: str, target: str, candidates: tuple[str, ...]) -> tuple[str, str] | None:
    """("ok", target) if the text is plainly *target*, ("wrong", lang) if plainly another
    language, None if lingua should decide.

    Only words that are exclusive to one language among the candidates count as evidence
    (Spanish "los", not "de", which Portuguese, Catalan and French share).
    """
    if target not in FUNCTION_WORDS:
        return None
    langs = tuple(c for c in candidates if c != target and c in FUNCTION_WORDS)
    words = _WORD_RE.findall(text.lower())
    if not words:
        return None
    mine_all = FUNCTION_WORDS[target]
    mine = sum(1 for w in words if w in _exclusive(target, langs))
    best, other = "", 0
    for lang in langs:
        excl = _exclusive(lang, tuple(x for x in (target, *langs) if x != lang))
        n = sum(1 for w in words if w in excl)
        if n > other:
            best, other = lang, n
    if mine >= MIN_HITS and other * 3 <= mine:
        return ("ok", target)
    if other >= MIN_HITS and not any(w in mine_all for w in words):
        return ("wrong", best)
    return None
