"""Spelling of the translation with Hunspell dictionaries (through pyenchant).

Dictionaries are Debian's hunspell-* packages (scripts/system-deps.sh). enchant loads on
first use; each dictionary is opened once per process, and every word's verdict is
cached, so a catalogue that was checked before costs dictionary lookups only for new words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from workflow.checks.base import WARNING, Check, Unit

#: letterflow language -> enchant dictionary tags to try, in order.
DICTIONARIES = {
    "fr": ("fr_FR", "fr"), "es": ("es_ES", "es"), "de": ("de_DE",), "it": ("it_IT",),
    "pt": ("pt_PT", "pt_BR"), "pt_BR": ("pt_BR",), "ca": ("ca", "ca_ES"), "gl": ("gl_ES", "gl"),
    "nl": ("nl_NL", "nl"), "pl": ("pl_PL",), "ru": ("ru_RU",), "ar": ("ar",), "ko": ("ko_KR", "ko"),
}
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
_SKIP_SPANS = re.compile(r"\{[^{}]*\}|<[^<>]*>|&\w+;|https?://\S+|\S+@\S+")
_CACHE_MAX = 200_000


class _Dictionary:
    def __init__(self, tag: str):
        import enchant

        self.tag = tag
        self.dict = enchant.Dict(tag)
        self.known: dict[str, bool] = {}

    def check(self, word: str) -> bool:
        ok = self.known.get(word)
        if ok is None:
            ok = self.dict.check(word) or (
                "\u2019" in word and self.dict.check(word.replace("\u2019", "'")))
            if len(self.known) < _CACHE_MAX:
                self.known[word] = ok
        return ok


@lru_cache(maxsize=32)
def dictionary_for(language: str) -> _Dictionary | None:
    """The Hunspell dictionary of *language*, or None if none is installed."""
    try:
        import enchant
    except ImportError:  # libenchant missing: the check cannot run here
        return None
    base = language.split("_")[0]
    for tag in DICTIONARIES.get(language, ()) + DICTIONARIES.get(base, ()) + (language,):
        try:
            if enchant.dict_exists(tag):
                return _Dictionary(tag)
        except enchant.errors.Error:
            continue
    return None


def exempt_text(unit: Unit, text: str) -> str:
    """*text* without placeholders, markup, URLs, protected text and glossary terms."""
    from workflow.mt.protect import protected_spans

    glossary = unit.cache.get("glossary")
    names = glossary.dnt_names() if glossary is not None else ()
    for span in protected_spans(text, names):
        text = text.replace(span.text, " ")
    if glossary is not None:
        for concept in glossary.in_source(unit.source):
            for term in concept.terms.get(unit.language.split("_")[0], ()):
                text = re.sub(re.escape(term.text), " ", text, flags=re.I)
    return _SKIP_SPANS.sub(" ", text)


def suspicious_words(unit: Unit, text: str, dictionary: _Dictionary) -> list[str]:
    """Words of *text* the dictionary does not know, names and source words aside."""
    source_words = {w.casefold() for s in unit.sources() for w in _WORD.findall(s)}
    out: list[str] = []
    clean = exempt_text(unit, text)
    for m in _WORD.finditer(clean):
        word = m.group(0)
        if len(word) < 3 or word.isupper() or word.casefold() in source_words:
            continue
        if word[0].isupper() and not _sentence_start(clean, m.start()):
            continue  # a name
        if not dictionary.check(word) and word not in out:
            out.append(word)
    return out


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return not before or before[-1] in ".!?:;\"\u201c\u00ab(["


class SpellingCheck(Check):
    """Spelling (Hunspell)

    Words the language's Hunspell dictionary does not know: Spanish words left in a
    French draft ("auspicios"), words run together ("queestálargo"). Placeholders,
    markup, protected text, glossary terms, names (capitalised inside a sentence) and
    words copied from the source (the source leftover check's business) are exempt.
    Languages without an installed dictionary are not checked.
    """

    id = "spelling"
    severity = WARNING

    def check(self, unit: Unit) -> list[str]:
        dictionary = dictionary_for(unit.language)
        if dictionary is None:
            return []
        out: list[str] = []
        total = len(unit.strings)
        for i, _source, text in unit.forms():
            words = suspicious_words(unit, text, dictionary)
            if words:
                shown = ", ".join(repr(w) for w in words[:8])
                more = f" and {len(words) - 8} more" if len(words) > 8 else ""
                out.append(f"{unit.where(i, total)}not in the {dictionary.tag} dictionary: "
                           f"{shown}{more}")
        return out
