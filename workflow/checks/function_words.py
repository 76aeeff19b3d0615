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
def _owners(languages: tuple[str, ...]) -> dict[str, str]:
    """Function word -> the one language among *languages* that uses it (shared words out)."""
    seen: dict[str, set[str]] = {}
    for lang in languages:
        for word in FUNCTION_WORDS.get(lang, ()):
            seen.setdefault(word, set()).add(lang)
    return {w: next(iter(ls)) for w, ls in seen.items() if len(ls) == 1}


def verdict(text: str, target: str, candidates: tuple[str, ...]) -> tuple[str, str] | None:
    """("ok", target) if the text is plainly *target*, ("wrong", lang) if plainly another
    language, None if lingua should decide.

    Only words that are exclusive to one language among the candidates count as evidence
    (Spanish "los", not "de", which Portuguese, Catalan and French share).
    """
    mine_all = FUNCTION_WORDS.get(target)
    if mine_all is None:
        return None
    langs = tuple(sorted({c for c in candidates if c in FUNCTION_WORDS} | {target}))
    owners = _owners(langs)
    counts: dict[str, int] = {}
    any_mine = False
    for w in _WORD_RE.findall(text.lower()):
        lang = owners.get(w)
        if lang is not None:
            counts[lang] = counts.get(lang, 0) + 1
        if not any_mine and w in mine_all:
            any_mine = True
    mine = counts.pop(target, 0)
    best, other = "", 0
    for lang, n in counts.items():
        if n > other:
            best, other = lang, n
    if mine >= MIN_HITS and other * 3 <= mine:
        return ("ok", target)
    if other >= MIN_HITS and not any_mine:
        return ("wrong", best)
    return None
