"""Sentence segmentation with pysbd (the rule-based "Golden Rules" segmenter).

pysbd has rules for ar, de, en, es, fr, it, ja, nl, pl, ru, zh and others; a language it
lacks uses the rules of a close one (ca, gl, pt -> es; ko -> en), which share the sentence
punctuation and most abbreviation habits.
"""

from __future__ import annotations

from functools import lru_cache

CLOSE = {"ca": "es", "gl": "es", "pt": "es", "ko": "en", "eu": "es", "oc": "fr"}


def _code(language: str) -> str:
    from pysbd.languages import LANGUAGE_CODES

    base = language.replace("-", "_").split("_")[0].lower()
    if base in LANGUAGE_CODES:
        return base
    return CLOSE.get(base, "en")


@lru_cache(maxsize=32)
def _segmenter(code: str):
    import pysbd

    return pysbd.Segmenter(language=code, clean=False)


@lru_cache(maxsize=4096)
def sentences(text: str, language: str) -> tuple[str, ...]:
    """The sentences of *text* (stripped, empty ones dropped)."""
    if not text.strip():
        return ()
    parts = _segmenter(_code(language)).segment(text)
    return tuple(p.strip() for p in parts if p.strip())


def aligned(source: str, target: str, source_language: str,
            target_language: str) -> list[tuple[str, str]]:
    """Sentence pairs when source and target have the same number (>1) of sentences."""
    src = sentences(source, source_language)
    tgt = sentences(target, target_language)
    if len(src) < 2 or len(src) != len(tgt):
        return []
    return list(zip(src, tgt, strict=True))
