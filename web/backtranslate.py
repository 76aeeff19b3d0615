"""Back-translation on demand: the current text translated back into the source language,
so a reviewer who does not read the target language can sanity-check a draft."""

from __future__ import annotations

import logging
from typing import Any

from workflow.errors import LetterflowError

from .core import services

log = logging.getLogger("letterflow.web")


def back_translate_message(lang: str, message: Any) -> tuple[list[str] | None, str | None]:
    """(back-translated strings, None) or (None, a one-line reason)."""
    texts = [s for s in message.strings]
    if not any(t.strip() for t in texts):
        return None, "Nothing to back-translate: the entry is untranslated."
    svc = services()
    cfg = svc.config
    engine = svc.app.config.get("BACKTRANSLATE_ENGINE") or (cfg.mt or {}).get("provider")
    from workflow.mt.drafting import back_translate

    try:
        result = back_translate(cfg, lang, texts, provider=engine)
    except LetterflowError as exc:
        log.warning("back-translation failed for %s/%s: %s", lang, message.context, exc)
        return None, f"Back-translation failed: {exc}"
    if result is None:
        return None, f"The MT engine offers no {lang} -> {cfg.source_language} pair."
    return list(result.strings), None
