"""Suggestions for the editor's side panel when the translation-memory endpoint
(``api.suggestions``, issue 12) is not part of this server: the cached machine
translations of the entry's source by every engine that has one, and its glossary terms.

    GET /api/l/<lang>/mt-suggestions/<context>
        -> {"suggestions": [{source, target, score, origin, diff}], "glossary": [...]}

Same shape as the TM endpoint, so the page's JS reads either. Reading the cache costs no
engine call; nothing is sent anywhere."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, jsonify
from flask_login import login_required

from workflow.errors import LetterflowError

from .core import services
from .views import require_entry

bp = Blueprint("suggest", __name__, url_prefix="/api")


def cached_mt(lang: str, message: Any) -> list[dict[str, Any]]:
    """Cached MT of *message*'s source (and plural) into *lang*, one per engine."""
    try:
        from workflow.mt.base import mask, unmask
        from workflow.mt.cache import source_key
        from workflow.mt.drafting import open_cache
    except ImportError:
        return []
    cfg = services().config
    try:
        cache = open_cache(cfg)
    except (LetterflowError, OSError):
        return []
    if cache is None:
        return []
    try:
        from workflow.mt.registry import NAMES as engines
    except ImportError:  # pragma: no cover - the registry moved
        engines = ("apertium", "pseudo")
    out: list[dict[str, Any]] = []
    for source in [message.source, *([message.source_plural] if message.source_plural else [])]:
        masked = mask(source)
        # one primary-key lookup per engine (the key starts with the engine), so a
        # large memory is never scanned
        marks = ",".join("?" * len(engines))
        rows = cache.conn.execute(
            f"SELECT engine, target_text FROM mt_cache WHERE engine IN ({marks}) AND "
            "source_lang = ? AND target_lang = ? AND source_key = ? ORDER BY engine",
            (*engines, cfg.source_language, lang, source_key(masked.core))).fetchall()
        for row in rows:
            text, damaged = unmask(masked, row["target_text"])
            if any(o["target"] == text for o in out):
                continue
            out.append({"source": source, "target": text, "score": 50 if damaged else 70,
                        "origin": f"mt:{row['engine']}", "diff": None,
                        "damaged": bool(damaged)})
    return out


@bp.get("/l/<lang:lang>/mt-suggestions/<path:context>")
@login_required
def mt_suggestions(lang: str, context: str) -> Any:
    cat, msg = require_entry(lang, context, obsolete=False)
    svc = services()
    return jsonify({"suggestions": cached_mt(lang, msg),
                    "glossary": svc.glossary_terms(cat, msg)})


#: The translation-memory endpoint of issue 12 (web/api.py), whatever its view's name:
#: ``/api/l/<lang>/suggestions?context=`` (or ``/suggestions/<context>``).
TM_RULE = re.compile(r"^/api/l/<(?:lang:)?lang>/suggestions(?:/<(?:path:)?context>)?$")


def _tm_endpoint(app: Any) -> str | None:
    found = app.extensions.get("letterflow.tm_endpoint", False)
    if found is False:
        found = next((r.endpoint for r in app.url_map.iter_rules()
                      if TM_RULE.match(r.rule) and "GET" in (r.methods or ())), None)
        app.extensions["letterflow.tm_endpoint"] = found
    return found


def suggestions_url(lang: str, context: str) -> str:
    """The TM endpoint when this server has it, else the cached-MT one above."""
    from flask import current_app, url_for

    endpoint = _tm_endpoint(current_app) or "suggest.mt_suggestions"
    return url_for(endpoint, lang=lang, context=context)


#: Suggestions rendered into the editor page itself (Alt+1 … Alt+9 use them).
TOP = 9


def _shown(item: dict[str, Any]) -> dict[str, Any]:
    score = item.get("score")
    meta = item.get("provenance") or (
        (item.get("origin") or "") + (f" · {score}%" if score is not None else ""))
    return {"target": item.get("target") or "", "forms": list(item.get("forms") or []),
            "scope": item.get("scope") or "message", "meta": meta}


def top_suggestions(lang: str, message: Any) -> list[dict[str, Any]]:
    """The first TOP suggestions for *message*, for the page itself (no JavaScript needed):
    the translation memory's and the cached MT of every usable engine when this server has
    the TM endpoint, else the cached MT; the same lists, in the same order, as the JSON
    endpoints give the page's JS. Nothing is sent to an MT service. Never fails the page:
    a suggestion that cannot be computed is simply not shown (and logged)."""
    from flask import current_app

    try:
        if _tm_endpoint(current_app):
            from workflow.tm.suggest import suggestions as core_suggestions

            svc = services()
            data = core_suggestions(svc.config, lang, message, conn=svc.conn)
            items = [*data.get("memory", []), *data.get("mt", [])]
        else:
            items = cached_mt(lang, message)
    except Exception:
        current_app.logger.exception("suggestions for %s/%s", lang, message.context)
        return []
    return [_shown(i) for i in items[:TOP] if i.get("target")]
