"""Glossary term matching: normalisation, stemming and term lookup in a text.

Texts and terms are NFKC-normalised, case-folded and cut into words; a term matches when its
words appear in a row:

- languages with a Snowball stemmer (ar, ca, de, en, es, fr, it, nl, pl, pt, ru and
  others; snowballstemmer, which runs PyStemmer's C code when that is installed) compare
  stems, so "crímenes de lesa humanidad" matches inside a sentence and
  Russian case endings ("преступлениями против человечности") still match. Two stems
  also match when one extends the other by at most two letters and both have at least
  four ("crimen"/"crim": Spanish singular vs plural stem);
- languages with words but no stemmer (gl) use the fallback of dropping up to two final
  letters (Galician -s, -es, -a, -o) with the same prefix tolerance;
- ja, zh and ko: no word boundaries to rely on (particles attach to Korean nouns), so
  the term, with spaces removed, must occur as a substring of the text with spaces
  removed. Variant spellings (安理会 for 安全理事会) are listed as admitted terms.

The glossary model and its TBX reader are in :mod:`workflow.checks.glossary_tbx`; the check
and the loader in :mod:`workflow.checks.glossary`, which re-exports every name here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

#: letterflow language -> Snowball algorithm.
SNOWBALL = {
    "ar": "arabic",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fa": "persian",
    "fi": "finnish",
    "fr": "french",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "nl": "dutch",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "et": "estonian",
    "ga": "irish",
    "ne": "nepali",
    "yi": "yiddish",
    "eo": "esperanto",
}
#: Written without spaces between words (or with particles glued to nouns).
SUBSTRING_LANGUAGES = frozenset({"zh", "ja", "ko", "th"})

_WORD_RE = re.compile(r"\w+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'"})


def base_language(code: str) -> str:
    return code.replace("-", "_").split("_")[0].lower()


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()


@lru_cache(maxsize=64)
def _stemmer(language: str) -> Any:
    algo = SNOWBALL.get(language)
    if algo is None:
        return None
    import snowballstemmer

    return snowballstemmer.stemmer(algo)


_STEM_CACHE: dict[str, dict[str, str]] = {}


def word_keys(text: str, language: str) -> tuple[str, ...]:
    """The comparison keys (stems) of the words of *text* in *language*."""
    lang = base_language(language)
    words = _WORD_RE.findall(_normalise(text))
    cache = _STEM_CACHE.setdefault(lang, {})
    stemmer = _stemmer(lang)
    keys = []
    for w in words:
        key = cache.get(w)
        if key is None:
            if stemmer is not None:
                key = stemmer.stemWord(w)
            else:  # documented fallback: drop up to two final letters of longer words
                key = w[: max(4, len(w) - 2)] if len(w) > 4 else w
            if len(cache) < 200_000:
                cache[w] = key
        keys.append(key)
    return tuple(keys)


def _same(term_key: str, text_key: str) -> bool:
    if term_key == text_key:
        return True
    if len(term_key) <= len(text_key):
        short, long_ = term_key, text_key
    else:
        short, long_ = text_key, term_key
    return len(short) >= 4 and len(long_) - len(short) <= 2 and long_.startswith(short)


def _root(key: str) -> str:
    """Keys that can match (see _same) share their first four letters (or are equal)."""
    return key[:4]


@dataclass(frozen=True)
class TermPattern:
    """A compiled term: a word-key sequence, or a space-less string for CJK."""

    text: str
    language: str
    keys: tuple[str, ...] = ()
    squashed: str = ""

    @classmethod
    def compile(cls, text: str, language: str) -> TermPattern:
        lang = base_language(language)
        if lang in SUBSTRING_LANGUAGES:
            return cls(text, lang, squashed="".join(_normalise(text).split()))
        return cls(text, lang, keys=word_keys(text, lang))


class TextIndex:
    """One text prepared for term lookups (keys computed once)."""

    def __init__(self, text: str, language: str):
        self.language = base_language(language)
        self.text = text
        self._keys: tuple[str, ...] | None = None
        self._squashed: str | None = None
        self._roots: dict[str, list[int]] | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        if self._keys is None:
            self._keys = word_keys(self.text, self.language)
        return self._keys

    @property
    def squashed(self) -> str:
        if self._squashed is None:
            self._squashed = "".join(_normalise(self.text).split())
        return self._squashed

    @property
    def roots(self) -> dict[str, list[int]]:
        """First-four-letter root -> positions of the words with that root."""
        if self._roots is None:
            roots: dict[str, list[int]] = {}
            for i, key in enumerate(self.keys):
                roots.setdefault(_root(key), []).append(i)
            self._roots = roots
        return self._roots

    def contains(self, pattern: TermPattern) -> bool:
        if pattern.squashed:
            return pattern.squashed in self.squashed
        pkeys = pattern.keys
        n = len(pkeys)
        if not n:
            return False
        roots = self.roots
        for key in pkeys:  # quick reject: every word of the term needs a candidate
            if _root(key) not in roots:
                return False
        keys = self.keys
        last = len(keys) - n
        for start in roots[_root(pkeys[0])]:
            if start > last or not _same(pkeys[0], keys[start]):
                continue
            if all(_same(pkeys[j], keys[start + j]) for j in range(1, n)):
                return True
        return False


def term_in(term: str, text: str, language: str) -> bool:
    """True if *term* (in *language*) occurs in *text*, inflection allowed."""
    return TextIndex(text, language).contains(TermPattern.compile(term, language))

