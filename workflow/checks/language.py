"""Wrong language: the translation is not in the catalogue's language.

Stages, cheapest first:

1. **Script.** Letters are counted per script (Latin, Cyrillic, Arabic, Han, Kana,
   Hangul). English pasted into the Russian or Japanese catalogue is caught here,
   without any model. Among Chinese, Japanese and Korean, the script also decides where
   it is plain (:func:`cjk_verdict`: Japanese prose has kana, Korean is Hangul, Chinese
   has neither).
2. **Function words.** For languages with a list in :mod:`.function_words`, the share of
   a text's words that are each candidate language's function words, with a margin, and
   the words exclusive to one candidate (Spanish "los", English "the") settle plain
   cases: clearly the catalogue's language, or clearly another one.
3. **lingua.** Only when that is not plain and several candidate languages share the
   target's script (French, Spanish, Catalan... or Chinese/Japanese), lingua decides.
   In a whole-catalogue run the texts left open are collected and read in one batch per
   candidate set (:meth:`WrongLanguageCheck.finish`, lingua's parallel API); a single
   message (the review UI) is read at once.
   It is loaded on first use, for the configured languages of that script plus the
   source language only, in low-accuracy mode (trigram models: ~0.15 s and ~20 MB for
   the project's 15 languages instead of 1.4 s and ~230 MB), and its cost is recorded
   in :data:`DETECTOR_COST`. Texts with fewer than :data:`MIN_LETTERS` letters are
   skipped (detection on a few words is unreliable), and only the first
   :data:`SAMPLE_CHARS` characters of a long text are read.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from workflow.checks.base import Check, Unit
from workflow.checks.function_words import verdict
from workflow.checks.placeholders import strip_placeholders

MIN_LETTERS = 30
MIN_LETTERS_CJK = 10
#: lingua reads at most this much of a text (a paragraph's first sentences decide).
SAMPLE_CHARS = 120

_SCRIPT_RES = {
    "latin": re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]"),
    "cyrillic": re.compile(r"[\u0400-\u04ff]"),
    "arabic": re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"),
    "han": re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"),
    "kana": re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]"),
    "hangul": re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]"),
    "greek": re.compile(r"[\u0370-\u03ff]"),
    "hebrew": re.compile(r"[\u0590-\u05ff]"),
    "thai": re.compile(r"[\u0e00-\u0e7f]"),
    "devanagari": re.compile(r"[\u0900-\u097f]"),
}
#: Scripts a language's text is written in (anything not listed: Latin).
LANGUAGE_SCRIPTS: dict[str, frozenset[str]] = {
    "ar": frozenset({"arabic"}),
    "fa": frozenset({"arabic"}),
    "ur": frozenset({"arabic"}),
    "ru": frozenset({"cyrillic"}),
    "uk": frozenset({"cyrillic"}),
    "bg": frozenset({"cyrillic"}),
    "sr": frozenset({"cyrillic", "latin"}),
    "mk": frozenset({"cyrillic"}),
    "be": frozenset({"cyrillic"}),
    "kk": frozenset({"cyrillic"}),
    "mn": frozenset({"cyrillic"}),
    "zh": frozenset({"han"}),
    "ja": frozenset({"han", "kana"}),
    "ko": frozenset({"hangul", "han"}),
    "el": frozenset({"greek"}),
    "he": frozenset({"hebrew"}),
    "th": frozenset({"thai"}),
    "hi": frozenset({"devanagari"}),
    "mr": frozenset({"devanagari"}),
}
#: Close relatives lingua cannot tell apart from a language it does not know
#: (lingua has no Galician model: Galician text reads as Portuguese or Spanish).
UNSUPPORTED_RELATIVES = {"gl": frozenset({"pt", "es", "ca"})}
_CJK = frozenset({"zh", "ja", "ko"})
_LANGUAGE_NAMES = {
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "de": "German",
    "pt": "Portuguese",
    "it": "Italian",
    "nl": "Dutch",
    "pl": "Polish",
    "ca": "Catalan",
    "gl": "Galician",
    "zh": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
}


_LATIN = frozenset({"latin"})
_NON_LATIN_RE = re.compile(
    "|".join(rx.pattern for name, rx in _SCRIPT_RES.items() if name != "latin")
)


def cjk_verdict(text: str, target: str, pool: frozenset[str]) -> tuple[str, str] | None:
    """Chinese, Japanese or Korean told apart by script, where the script is plain:
    Japanese prose always has kana (its particles), Korean is written in Hangul, and
    Chinese has neither. ("ok", target), ("wrong", lang) or None (lingua decides)."""
    if not pool <= _CJK:
        return None
    han = len(_SCRIPT_RES["han"].findall(text))
    kana = len(_SCRIPT_RES["kana"].findall(text))
    hangul = len(_SCRIPT_RES["hangul"].findall(text))
    total = han + kana + hangul
    if total < MIN_LETTERS_CJK:
        return None
    if hangul * 2 >= total and kana == 0:
        found = "ko"
    elif kana * 20 >= total and hangul == 0:
        found = "ja"
    elif kana == 0 and hangul == 0:
        found = "zh"
    else:
        return None
    if found not in pool:
        return None
    return ("ok", target) if found == target else ("wrong", found)


def _sample(text: str) -> str:
    """At most :data:`SAMPLE_CHARS` characters, cut at a space: enough for lingua."""
    if len(text) <= SAMPLE_CHARS:
        return text
    cut = text.rfind(" ", 0, SAMPLE_CHARS)
    return text[: cut if cut > SAMPLE_CHARS // 2 else SAMPLE_CHARS]


def scripts_of(language: str) -> frozenset[str]:
    return LANGUAGE_SCRIPTS.get(language.split("_")[0], frozenset({"latin"}))


def script_counts(text: str) -> dict[str, int]:
    return {name: len(rx.findall(text)) for name, rx in _SCRIPT_RES.items()}


@dataclass
class DetectorCost:
    """What the lingua detector has cost this process."""

    loads: int = 0
    load_seconds: float = 0.0
    memory_mb: float | None = None  # resident-size growth while building
    calls: int = 0  # texts lingua read
    batches: int = 0  # calls into lingua (a batch reads many texts)
    call_seconds: float = 0.0
    skipped_short: int = 0
    decided_by_script: int = 0
    decided_by_words: int = 0
    languages: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


DETECTOR_COST = DetectorCost()
_detectors: dict[frozenset[str], Any] = {}
_lock = threading.Lock()


def _rss_mb() -> float | None:
    try:
        with open("/proc/self/statm") as fh:
            import os

            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, IndexError):
        return None


@lru_cache(maxsize=256)
def lingua_supported(language: str) -> bool:
    from lingua import IsoCode639_1, Language

    code = language.split("_")[0].upper()
    try:
        Language.from_iso_code_639_1(getattr(IsoCode639_1, code))
    except (AttributeError, ValueError):
        return False
    return True


def detector(languages: frozenset[str]) -> Any:
    """A lingua detector for *languages* (ISO 639-1), built once per set and cached."""
    with _lock:
        if languages in _detectors:
            return _detectors[languages]
        start, rss0 = time.perf_counter(), _rss_mb()
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

        langs = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in languages]
        built = LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()
        built.detect_language_of("warm up the models")  # models load lazily on first use
        rss1 = _rss_mb()
        DETECTOR_COST.loads += 1
        DETECTOR_COST.load_seconds += time.perf_counter() - start
        if rss0 is not None and rss1 is not None:
            DETECTOR_COST.memory_mb = (DETECTOR_COST.memory_mb or 0.0) + rss1 - rss0
        DETECTOR_COST.languages = tuple(sorted(set(DETECTOR_COST.languages) | languages))
        _detectors[languages] = built
        return built


def _iso(lang_obj: Any) -> str:
    return lang_obj.iso_code_639_1.name.lower()


@lru_cache(maxsize=256)
def candidates(language: str, configured: tuple[str, ...], source_language: str) -> frozenset[str]:
    """Languages lingua must choose between for a text whose script suits *language*."""
    target_scripts = scripts_of(language)
    pool = {c.split("_")[0] for c in [*configured, source_language, language]}
    return frozenset(c for c in pool if scripts_of(c) & target_scripts and lingua_supported(c))


class WrongLanguageCheck(Check):
    """Translation in the catalogue's language.

    Catches text in another language, such as English pasted into the French catalogue.
    A script test comes first (Latin text in the Russian catalogue); where several
    configured languages share the script, the lingua detector (low-accuracy mode, only
    the configured languages, loaded on first use) names the language. Texts under 30
    letters (10 for CJK) are skipped. Galician, which lingua does not know, is only
    flagged when the text reads as a language other than Portuguese, Spanish or Catalan.
    """

    id = "wrong-language"

    def check(self, unit: Unit) -> list[str]:
        out: list[str] = []
        lang = unit.language.split("_")[0]
        configured = list(getattr(unit.config, "languages", None) or [])
        source_language = getattr(unit.config, "source_language", None) or "en"
        total = len(unit.strings)
        want_scripts = scripts_of(lang)
        for i, _source, text in unit.forms():
            clean = strip_placeholders(text)
            minimum = MIN_LETTERS_CJK if lang in _CJK else MIN_LETTERS
            if len(clean) < minimum:
                DETECTOR_COST.skipped_short += 1
                continue
            letters = sum(map(str.isalpha, clean))
            if clean.isascii():  # fast path: every letter is Latin
                own = letters if "latin" in want_scripts else 0
            elif want_scripts == _LATIN:  # count the (usually absent) non-Latin letters
                own = letters - len(_NON_LATIN_RE.findall(clean))
            else:
                own = sum(len(_SCRIPT_RES[s].findall(clean)) for s in want_scripts)
            if letters < minimum:
                DETECTOR_COST.skipped_short += 1
                continue
            where = unit.where(i, total)
            if own * 2 < letters:
                DETECTOR_COST.decided_by_script += 1
                counts = script_counts(clean)
                main = max(counts, key=counts.__getitem__)
                out.append(f"{where}text is mostly {main.title()} script, not {lang} text")
                continue
            pool = candidates(lang, tuple(configured), source_language)
            if len(pool) < 2 or (lang not in pool and lang not in UNSUPPORTED_RELATIVES):
                continue
            if lang in _CJK:
                opinion = cjk_verdict(clean, lang, pool)
                DETECTOR_COST.decided_by_script += opinion is not None
            else:
                opinion = verdict(clean, lang, tuple(sorted(pool | {lang})))
                DETECTOR_COST.decided_by_words += opinion is not None
            if opinion is not None:
                kind, code = opinion
                if kind == "wrong" and code not in UNSUPPORTED_RELATIVES.get(lang, ()):
                    name = _LANGUAGE_NAMES.get(code, code)
                    out.append(f"{where}text reads as {name}, not {lang}")
                continue
            pending = unit.cache.get("deferred")
            if pending is not None:  # a whole catalogue: one batch in finish()
                pending.setdefault(self.id, []).append((unit.message, where, lang, pool, clean))
                continue
            found = _detect(pool, [_sample(clean)])[0]
            problem = _reading(found, lang)
            if problem:
                out.append(f"{where}{problem}")
        return out

    def finish(self, deferred: list) -> list[tuple[Any, str]]:
        """lingua over every text the cheap tests left open, one batch per candidate set."""
        by_pool: dict[frozenset[str], list] = {}
        for item in deferred:
            by_pool.setdefault(item[3], []).append(item)
        out = []
        for pool, items in by_pool.items():
            found = _detect(pool, [_sample(item[4]) for item in items])
            for (message, where, lang, _pool, _text), language in zip(items, found, strict=True):
                problem = _reading(language, lang)
                if problem:
                    out.append((message, f"{where}{problem}"))
        return out


def _detect(pool: frozenset[str], samples: list[str]) -> list[Any]:
    """lingua's answer for each sample (one call; lingua's own threads for a batch)."""
    built = detector(pool)
    start = time.perf_counter()
    if len(samples) == 1:
        found = [built.detect_language_of(samples[0])]
    else:
        found = built.detect_languages_in_parallel_of(samples)
    DETECTOR_COST.calls += len(samples)
    DETECTOR_COST.batches += 1
    DETECTOR_COST.call_seconds += time.perf_counter() - start
    return found


def _reading(found: Any, lang: str) -> str:
    """The problem when lingua read *found* for a text of *lang* ("" if none)."""
    if found is None:
        return ""
    code = _iso(found)
    if code == lang or code in UNSUPPORTED_RELATIVES.get(lang, ()):
        return ""
    return f"text reads as {found.name.title()}, not {lang}"
