"""Back-translation on demand: the current text translated back into the source language,
so a reviewer who does not read the target language can sanity-check a draft."""

from __future__ import annotations

import logging
from typing import Any

from workflow.errors import LetterflowError

from .core import services

log = logging.getLogger("letterflow.web")


def back_translate_message(lang: str, message: Any, typed: list[str] | None = None
                           ) -> tuple[list[str] | None, str | None]:
    """(back-translated strings, None) or (None, a one-line reason). *typed*: the text
    as it is in the editor now (not yet saved), else the saved text."""
    texts = list(typed) if typed is not None else list(message.strings)
    if len(texts) > 16 or any(not isinstance(t, str) or len(t) > 10_000 for t in texts):
        return None, "Nothing to back-translate: the text is not valid."
    if not any(t.strip() for t in texts):
        return None, "Nothing to back-translate: the text is empty."
    svc = services()
    cfg = svc.config
    engine = svc.app.config.get("BACKTRANSLATE_ENGINE") or (cfg.mt or {}).get("provider")
    from workflow.mt.backtranslate import back_translate

    try:
        result = back_translate(cfg, lang, texts, provider=engine)
    except LetterflowError as exc:
        log.warning("back-translation failed for %s/%s: %s", lang, message.context, exc)
        return None, f"Back-translation failed: {exc}"
    if result is None:
        return None, f"The MT engine offers no {lang} -> {cfg.source_language} pair."
    return list(result.strings), None
