"""Scripts of text: which script a language is written in, letters per script, and the
Chinese/Japanese/Korean verdict the script alone gives (stage 1 of the wrong-language check,
:mod:`workflow.checks.language`)."""

from __future__ import annotations

import re

MIN_LETTERS_CJK = 10
_CJK = frozenset({"zh", "ja", "ko"})
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


def scripts_of(language: str) -> frozenset[str]:
    return LANGUAGE_SCRIPTS.get(language.split("_")[0], frozenset({"latin"}))


def script_counts(text: str) -> dict[str, int]:
    return {name: len(rx.findall(text)) for name, rx in _SCRIPT_RES.items()}
