"""Back-translation: a draft or approved text translated back into the source language, so a
reviewer who does not read the target language can sanity-check it. Same engines and cache as
the drafts (:mod:`.drafting`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import MTError
from .base import Translator
from .drafting import open_engine


@dataclass(frozen=True)
class BackTranslation:
    text: str  # the back-translated text (first form for plurals)
    strings: tuple[str, ...]  # one per input string
    engine: str
    route: str
    cached: bool
    damaged: bool

    @property
    def note(self) -> str:
        return f"back-translation: {self.engine} {self.route}"


def back_translate(
    config: object,
    language: str,
    text: str | Sequence[str],
    *,
    provider: str | None = None,
    translator: Translator | None = None,
) -> BackTranslation | None:
    """Translate a draft or approved *text* of *language* back into the source language.

    Returns None if the engine offers no pair (direct or via the pivot table) for it.
    Results go through the same cache as drafts."""
    strings = [text] if isinstance(text, str) else list(text)
    source = config.source_language  # type: ignore[attr-defined]
    with open_engine(config, provider, translator) as translator:
        try:
            translator.route(language, source)
        except MTError:
            return None
        outcomes = translator.translate_each(strings, language, source)
    for o in outcomes:
        if o.error is not None:
            raise o.error
    return BackTranslation(
        text=outcomes[0].text or "",
        strings=tuple(o.text or "" for o in outcomes),
        engine=translator.name,
        route=outcomes[0].route,
        cached=all(o.cached for o in outcomes),
        damaged=any(o.damaged for o in outcomes),
    )
