"""The JSON API under /api/: the same reads and writes as the pages, with the same
session login, CSRF (header ``X-CSRFToken``, token from ``GET /api/session``),
per-language permissions and conflict rules. The page's JS uses it too.

    GET  /api/session                         -> {authenticated, csrf_token, user?}
    POST /api/login     {name, password}      -> {ok, user, csrf_token}   (429 + Retry-After)
    POST /api/logout
    GET  /api/languages                       -> progress of the user's languages
    GET  /api/l/<lang>/entries?state=&qa=1    -> entries in letter order, with findings
    GET  /api/l/<lang>/entries/<msgctxt>      -> entry, findings, glossary, history
    POST /api/l/<lang>/entries/<msgctxt>      {action: save|approve|reject|revert,
         strings: [...], base_revision, version?, which?}
         -> 200 {revision, entry, findings, progress, audit_id}
            409 {conflict: {yours, theirs, kept_as}}   422 approval refused (findings)
            400/413 bad input   403 not your language   404 unknown entry
            503 the file system refused the write (Retry-After)
         (the status of each workflow.errors.ReviewError: web/errors.py)
    GET  /api/l/<lang>/backtranslate?context=  -> {back_translation: [...]} (saved text)
    POST /api/l/<lang>/backtranslate {context, strings}  (the text as typed, not saved)
    GET  /api/l/<lang>/suggestions?context=&second_opinion=1
         -> {memory: [{score, target, diff, provenance...}], mt: [...], mt_skipped, glossary}
    GET  /api/l/<lang>/mt-suggestions/<msgctxt>  -> {suggestions, glossary} (web.suggest:
         cached MT only, for a server without the translation memory)
    GET  /api/history?user=&lang=&since=&until=&action=   (coordinators)
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, request
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from workflow import audit
from workflow.errors import N_, InvalidInput, NotFound

from . import service
from .answers import json_answer
from .auth import attempt_login, end_login, require_coordinator
from .core import services
from .service import outcome_json
from .views import (
    STATES,
    finding_dict,
    message_dict,
    queue,
    require_entry,
    require_view,
    visible_languages,
)

bp = Blueprint("api", __name__, url_prefix="/api")


def _json_body() -> dict[str, Any]:
    from .inputs import json_object

    return json_object()


def _user_dict() -> dict[str, Any]:
    return {"name": current_user.name, "role": current_user.role,
            "languages": visible_languages()}


@bp.get("/session")
def session_info() -> Any:
    data: dict[str, Any] = {"authenticated": current_user.is_authenticated,
                            "csrf_token": generate_csrf()}
    if current_user.is_authenticated:
        data["user"] = _user_dict()
    return jsonify(data)


@bp.post("/login")
def login() -> Any:
    data = _json_body()
    name, password = data.get("name"), data.get("password")
    if not isinstance(name, str) or not isinstance(password, str):
        abort(400, description="Send {\"name\": ..., \"password\": ...}.")
    user = attempt_login(name, password)
    if user is None:
        abort(401, description="Wrong user name or password.")
    return jsonify({"ok": True, "user": _user_dict(), "csrf_token": generate_csrf()})


@bp.post("/logout")
@login_required
def logout() -> Any:
    end_login()
    return jsonify({"ok": True})


@bp.get("/languages")
@login_required
def languages() -> Any:
    return jsonify({"languages": [service.language_summary(lang)
                                  for lang in visible_languages()]})


@bp.get("/l/<lang:lang>/entries")
@login_required
def entries(lang: str) -> Any:
    require_view(lang)
    state = request.args.get("state")
    items = queue(lang, state if state in STATES else None, request.args.get("qa") == "1")
    found = services().findings_by_context(lang)
    return jsonify({
        "language": lang, "progress": service.language_summary(lang),
        "entries": [{**message_dict(m), "findings": [finding_dict(f)
                                                     for f in found.get(m.context, [])]}
                    for m in items],
    })


@bp.get("/l/<lang:lang>/entries/<path:context>")
@login_required
def entry(lang: str, context: str) -> Any:
    cat, msg = require_entry(lang, context)
    svc = services()
    return jsonify({
        "language": lang, "entry": message_dict(msg),
        "findings": [finding_dict(f) for f in svc.check(cat, msg)],
        "glossary": svc.glossary_terms(cat, msg),
        "history": [h.as_dict() for h in audit.history(svc.conn, lang, context)],
    })


@bp.post("/l/<lang:lang>/entries/<path:context>")
@login_required
def write(lang: str, context: str) -> Any:
    return json_answer(outcome_json(write_outcome(current_user, lang, context, _json_body())))


def write_outcome(user: Any, lang: str, context: str, data: dict[str, Any],
                  svc: Any = None) -> Any:
    """The write view's work on its parsed JSON body *data* (the Outcome, or a raised
    ReviewError); *svc*: the app's Services outside a request context (web.fastwrite)."""
    action = data.get("action", "save")
    strings = data.get("strings")
    version = data.get("version")
    if action in ("save", "approve") and not isinstance(strings, list):
        if user.can_edit(lang):
            raise InvalidInput(N_("send the translation as %(field)s"),
                               params={"field": '"strings": [...]'})
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)
                                or not 0 < version < 2**53):
        raise InvalidInput(N_("version must be a history row id"))
    return service.perform(
        user, lang, context, str(action),
        strings if isinstance(strings, list) else None,
        data.get("base_revision"), version=version, which=str(data.get("which", "after")),
        svc=svc)


@bp.route("/l/<lang:lang>/backtranslate", methods=["GET", "POST"])
@login_required
def backtranslate(lang: str) -> Any:
    """GET ?context=: the saved text; POST {context, strings}: the text as typed."""
    require_view(lang)
    from .backtranslate import back_translate_message

    typed = None
    if request.method == "POST":
        data = _json_body()
        context, typed = data.get("context"), data.get("strings")
        if not isinstance(context, str) or not isinstance(typed, list):
            abort(400, description="Send {\"context\": ..., \"strings\": [...]}.")
    else:
        context = request.args.get("context", "")
    msg = services().catalog(lang).get(context)
    if msg is None:
        raise NotFound(N_("No such entry in this catalogue."))
    texts, err = back_translate_message(lang, msg, typed)
    if err:
        return jsonify({"ok": False, "error": err}), 502
    return jsonify({"ok": True, "context": msg.context, "back_translation": texts})


@bp.get("/l/<lang:lang>/suggestions")
@login_required
def suggestions(lang: str) -> Any:
    """Translation memory, cached MT of each usable engine (every engine with
    second_opinion=1; results cached like drafts) and glossary hits for one message."""
    from workflow.errors import LetterflowError
    from workflow.tm.suggest import suggestions as core_suggestions

    _cat, msg = require_entry(lang, request.args.get("context", ""))
    svc = services()
    try:
        data = core_suggestions(svc.config, lang, msg, conn=svc.conn,
                                second_opinion=request.args.get("second_opinion") == "1")
    except LetterflowError as exc:
        return jsonify({"ok": False, "error": str(exc)}), 502
    return jsonify({"ok": True, **data})


@bp.get("/history")
@login_required
def history() -> Any:
    require_coordinator()
    from .history import filters

    f = filters()
    rows = audit.query(services().conn, **f)
    return jsonify({"filters": f, "rows": [r.as_dict() for r in rows]})
