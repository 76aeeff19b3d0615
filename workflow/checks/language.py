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
3. **Not a leftover.** The check's job is to catch text left in the source language or
   pasted from another configured language. A text in the catalogue's script with no
   function word of any language lingua would choose between (stage 4; its own included,
   and every one of them must have a list in :mod:`.function_words`) that shares at most
   a quarter of its words with its own source (:func:`.function_words.not_a_leftover`)
   is neither: a list of names, keywords or a heading. It is not flagged and lingua does
   not read it (on so few clues lingua guesses). Known gap: keywords of another
   configured language with no function word ("Supervivientes, derechos humanos, apoyo
   urgente" in the French catalogue) pass.
4. **lingua.** Only when that is not plain and several candidate languages share the
   target's script (French, Spanish, Catalan... or Chinese/Japanese), lingua decides,
   choosing between the target, the source language and the configured languages of the
   target's family (:data:`FAMILIES`, :func:`lingua_pool`).
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
from workflow.checks.function_words import not_a_leftover, verdict, words_of
from workflow.checks.messages import N_
from workflow.checks.placeholders import strip_placeholders
from workflow.checks.scripts import _CJK as _CJK
from workflow.checks.scripts import _LATIN as _LATIN
from workflow.checks.scripts import _NON_LATIN_RE as _NON_LATIN_RE
from workflow.checks.scripts import _SCRIPT_RES as _SCRIPT_RES
from workflow.checks.scripts import LANGUAGE_SCRIPTS as LANGUAGE_SCRIPTS
from workflow.checks.scripts import MIN_LETTERS_CJK as MIN_LETTERS_CJK
from workflow.checks.scripts import cjk_verdict as cjk_verdict
from workflow.checks.scripts import script_counts as script_counts
from workflow.checks.scripts import scripts_of as scripts_of

MIN_LETTERS = 30
#: (%(script)s: one of SCRIPT_NAMES; %(language)s: a language's English name, which the UI
#: shows in its own language; %(lang)s: the catalogue's language code)
MOSTLY_SCRIPT = N_("text is mostly %(script)s script, not %(lang)s text")
READS_AS = N_("text reads as %(language)s, not %(lang)s")
#: The scripts' names as a message shows them (``_SCRIPT_RES``'s keys, title-cased).
SCRIPT_NAMES = (N_("Latin"), N_("Cyrillic"), N_("Arabic"), N_("Han"), N_("Kana"), N_("Hangul"),
                N_("Greek"), N_("Hebrew"), N_("Thai"), N_("Devanagari"))
#: lingua reads at most this much of a text (a paragraph's first sentences decide).
SAMPLE_CHARS = 120

#: Close relatives lingua cannot tell apart from a language it does not know
#: (lingua has no Galician model: Galician text reads as Portuguese or Spanish).
UNSUPPORTED_RELATIVES = {"gl": frozenset({"pt", "es", "ca"})}
#: Language families: lingua chooses between the catalogue's language, the source
#: language and the configured languages of the same family (the texts it reads are
#: already plainly not prose of a listed language far from it).
FAMILIES = (
    frozenset({"fr", "es", "pt", "it", "ca", "gl", "ro"}),
    frozenset({"en", "de", "nl", "sv", "da", "nb", "no", "is", "af"}),
    frozenset({"pl", "cs", "sk"}),
    frozenset({"hr", "sl", "sr", "bs"}),
    frozenset({"ru", "uk", "be", "bg", "mk"}),
    frozenset({"lt", "lv"}),
    frozenset({"fi", "et", "hu"}),
    frozenset({"tr", "az", "kk", "uz"}),
    frozenset({"zh", "ja", "ko"}),
)
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


def _sample(text: str) -> str:
    """At most :data:`SAMPLE_CHARS` characters, cut at a space: enough for lingua."""
    if len(text) <= SAMPLE_CHARS:
        return text
    cut = text.rfind(" ", 0, SAMPLE_CHARS)
    return text[: cut if cut > SAMPLE_CHARS // 2 else SAMPLE_CHARS]


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
    decided_not_leftover: int = 0  # no function words, not its source's words: not read
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


@lru_cache(maxsize=256)
def lingua_pool(language: str, pool: frozenset[str], source_language: str) -> frozenset[str]:
    """The languages lingua chooses between for *language*: of *pool*, the language, the
    source language and the language's family (:data:`FAMILIES`); the whole pool for a
    language in no family."""
    family = next((f for f in FAMILIES if language in f), None)
    if family is None:
        return pool
    return frozenset(c for c in pool if c in family or c in (language, source_language))


@dataclass(frozen=True)
class _Plan:
    """What the word and lingua stages need for one catalogue language, worked out once."""

    pool: frozenset[str] | None  # languages sharing the script (None: the script decides)
    words_pool: tuple[str, ...]  # the function-word candidates (pool and the target)
    lingua: frozenset[str]  # what lingua chooses between (lingua_pool)
    lingua_langs: tuple[str, ...]  # the same, sorted
    source: str  # the source language


@lru_cache(maxsize=256)
def _plan(lang: str, configured: tuple[str, ...], source_language: str) -> _Plan:
    """(Asks lingua which languages it knows: only called for texts that get this far.)"""
    pool: frozenset[str] | None = candidates(lang, configured, source_language)
    if len(pool) < 2 or (lang not in pool and lang not in UNSUPPORTED_RELATIVES):
        pool = None
    lingua = lingua_pool(lang, pool, source_language) if pool else frozenset()
    return _Plan(
        pool=pool,
        words_pool=tuple(sorted((pool or frozenset()) | {lang})),
        lingua=lingua,
        lingua_langs=tuple(sorted(lingua)),
        source=source_language,
    )


#: Each script's letters in maximal runs: the runs' total length is the number of letters
#: (every pattern of _SCRIPT_RES is one character class), without a string per letter.
_SCRIPT_RUNS = {name: re.compile(f"(?:{rx.pattern})+") for name, rx in _SCRIPT_RES.items()}


def _by_script(clean: str, lang: str, minimum: int) -> str | None:
    """"" if the text is too short to judge, a problem if it is mostly in another script,
    None if it is in the language's script (the next stages decide).

    Letters are counted one by one only where that decides: enough of them at the start
    settles "long enough", and a text whose own-script letters are at least half of its
    characters other than spaces is in its script whatever the exact count."""
    scripts = scripts_of(lang)
    letters = None
    if sum(map(str.isalpha, clean[: 2 * minimum])) < minimum:  # perhaps too short
        letters = sum(map(str.isalpha, clean))
        if letters < minimum:
            DETECTOR_COST.skipped_short += 1
            return ""
    if clean.isascii():  # every letter is Latin
        if "latin" in scripts:
            return None
        own = 0
    elif scripts == _LATIN:  # count the (usually absent) non-Latin letters
        if _NON_LATIN_RE.search(clean) is None:
            return None
        if letters is None:
            letters = sum(map(str.isalpha, clean))
        own = letters - len(_NON_LATIN_RE.findall(clean))
    else:
        own = sum(sum(map(len, _SCRIPT_RUNS[s].findall(clean))) for s in scripts)
        if own * 2 >= len(clean) - clean.count(" "):  # at least as many as the letters
            return None
    if letters is None:
        letters = sum(map(str.isalpha, clean))
    if own * 2 >= letters:
        return None
    DETECTOR_COST.decided_by_script += 1
    counts = script_counts(clean)
    main = max(counts, key=counts.__getitem__)
    return MOSTLY_SCRIPT % {"script": main.title(), "lang": lang}


def _by_words(clean: str, source: str, lang: str, plan: _Plan) -> str | None:
    """The cheap tests in the target's script: a problem, "" (settled, fine) or None
    (lingua decides)."""
    if lang in _CJK:
        opinion = cjk_verdict(clean, lang, plan.pool)
        DETECTOR_COST.decided_by_script += opinion is not None
    else:
        words = words_of(clean)
        opinion = verdict(clean, lang, plan.words_pool, words)
        DETECTOR_COST.decided_by_words += opinion is not None
        # the languages lingua would choose between: is the text prose of any of them?
        if opinion is None and not_a_leftover(
            clean, source, lang, plan.lingua_langs, plan.source, words
        ):
            DETECTOR_COST.decided_not_leftover += 1
            return ""
    if opinion is None:
        return None
    kind, code = opinion
    if kind == "wrong" and code not in UNSUPPORTED_RELATIVES.get(lang, ()):
        return READS_AS % {"language": _LANGUAGE_NAMES.get(code, code), "lang": lang}
    return ""


def _unit_plan(unit: Unit, lang: str) -> _Plan:
    """_plan for the unit's language and configuration, looked up once per run."""
    run = unit.cache.get("run")
    key = ("wrong-language plan", lang)
    if run is not None and key in run:
        return run[key]
    configured = tuple(getattr(unit.config, "languages", None) or ())
    source_language = getattr(unit.config, "source_language", None) or "en"
    plan = _plan(lang, configured, source_language)
    if run is not None:
        run[key] = plan
    return plan


class WrongLanguageCheck(Check):
    """Translation in the catalogue's language.

    Catches text in another language, such as English pasted into the French catalogue.
    A script test comes first (Latin text in the Russian catalogue); where several
    configured languages share the script, the lingua detector (low-accuracy mode, only
    the configured languages, loaded on first use) names the language. Texts under 30
    letters (10 for CJK) are skipped. Galician, which lingua does not know, is only
    flagged when the text reads as a language other than Portuguese, Spanish or Catalan.
    A text with no function word of the source language, its own, or any configured
    language of its family that shares at most a quarter of its words with its source (a
    list of names, keywords) is not flagged: it cannot be text left in the source
    language, and a detector only guesses on it.
    """

    id = "wrong-language"
    messages = (MOSTLY_SCRIPT, READS_AS)
    words = SCRIPT_NAMES

    def check(self, unit: Unit) -> list[str]:
        out: list[str] = []
        lang = unit.language.split("_")[0]
        minimum = MIN_LETTERS_CJK if lang in _CJK else MIN_LETTERS
        plan = None
        total = len(unit.strings)
        for i, source, text in unit.forms():
            clean = strip_placeholders(text)
            if len(clean) < minimum:
                DETECTOR_COST.skipped_short += 1
                continue
            where = unit.where(i, total)
            problem = _by_script(clean, lang, minimum)
            if problem is None and plan is None:
                plan = _unit_plan(unit, lang)
            if problem is None and plan.pool is not None:
                problem = _by_words(clean, source, lang, plan)
                if problem is None:
                    pending = unit.cache.get("deferred")
                    if pending is not None:  # a whole catalogue: one batch in finish()
                        pending.setdefault(self.id, []).append(
                            (unit.message, where, lang, plan.lingua, clean)
                        )
                        continue
                    problem = _reading(_detect(plan.lingua, [_sample(clean)])[0], lang)
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
    return READS_AS % {"language": found.name.title(), "lang": lang}
