"""The translator's pages: dashboard, queue, editor (save/approve/reject/revert),
back-translation on demand, and the whole-letter preview. Plain HTML forms: the
pages work without JavaScript; static/app.js only makes them faster."""

from __future__ import annotations

import logging
from typing import Any

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup

from workflow import audit
from workflow.errors import ApprovalRefused, Conflict, InvalidInput, NotFound

from . import service
from .core import services
from .errors import http_status
from .security import csrf_token
from .text import bcp47, direction, highlight_placeholders, language_name, word_diff
from .views import STATES, neighbours, next_open, queue, require_view, role_of, visible_languages

bp = Blueprint("review", __name__)
log = logging.getLogger("letterflow.web")


_urls: dict[str, dict[str, str]] = {}
#: Rendered queue pages kept per version of a catalogue (per filter and user session).
MAX_CACHED_PAGES = 256


def _page_urls() -> dict[str, str]:
    """URLs every page links to, built once per script root (url_for costs add up)."""
    root = request.script_root
    urls = _urls.get(root)
    if urls is None:
        urls = _urls[root] = {
            "css": url_for("static", filename="app.css"),
            "js": url_for("static", filename="app.js"),
            "home": url_for("review.dashboard"), "history": url_for("history.history"),
            "logout": url_for("auth.logout"), "export": url_for("export.page"),
        }
    return urls


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"language_name": language_name, "direction": direction, "bcp47": bcp47,
            "role_of": role_of, "urls": _page_urls()}


@bp.app_template_filter("untag")
def _untag(text: str) -> str:
    """The text without numbered inline tags (for one-line lists)."""
    from workflow.source.markup import has_tags, strip_tags

    return strip_tags(text) if text and has_tags(text) else text


@bp.app_template_filter("ph")
def _ph(text: str, comments=None) -> Any:
    return highlight_placeholders(text, comments)


@bp.route("/")
@login_required
def dashboard() -> Any:
    langs = visible_languages()
    summaries = [service.language_summary(lang) for lang in langs]
    return render_template("dashboard.html", summaries=summaries,
                           checks_available=services().checks_available)


@bp.route("/l/<lang:lang>/")
@login_required
def queue_page(lang: str) -> Any:
    require_view(lang)
    state = request.args.get("state") or None
    if state not in STATES:
        state = None
    qa = request.args.get("qa") == "1"
    svc = services()
    entry = svc.cached(lang)
    key = ("queue", request.script_root, state, qa)
    body = entry.pages.get(key)
    if body is None:
        # The list depends only on this version of the catalogue file: render it once.
        body = Markup(render_template(
            "_queue_body.html", lang=lang, items=queue(lang, state, qa), state=state, qa=qa,
            findings=svc.findings_by_context(lang), summary=service.language_summary(lang),
            states=STATES))
        entry.pages[key] = body
    # The whole page also depends on who asks (the header) and their CSRF token: kept per
    # user session for this version of the catalogue, it is not rendered again on reload.
    user = current_user._get_current_object()
    page_key = ("page", key, user.get_id(), user.name, user.role, user.is_coordinator,
                csrf_token())
    page = entry.pages.get(page_key)
    if page is None:
        page = render_template("queue.html", lang=lang, body=body)
        if len(entry.pages) < MAX_CACHED_PAGES:
            entry.pages[page_key] = page
    return page


def _editor(lang: str, context: str, *, status: int = 200, outcome: Any = None,
            error: str | None = None, typed: list[str] | None = None,
            back: list[str] | None = None, back_error: str | None = None) -> Any:
    svc = services()
    cat = svc.catalog(lang)
    msg = cat.get(context)
    if msg is None or msg.obsolete:
        raise NotFound("No such entry in this catalogue.")
    if outcome is not None:
        msg = outcome.message
    findings, glossary, qa_error = _qa(cat, msg, outcome)
    error = error or qa_error
    prev, nxt = neighbours(lang, context)
    history = audit.history(svc.conn, lang, context)
    diff = word_diff(msg.previous_source, msg.source) if msg.previous_source else None
    body = render_template(
        "editor.html", lang=lang, msg=msg, findings=findings, prev=prev, next=nxt,
        next_open=next_open(lang, context), history=history, diff=diff, outcome=outcome,
        error=error, typed=typed, nplurals=cat.nplurals,
        glossary=glossary, back=back, back_error=back_error,
        summary=service.language_summary(lang),
        max_len=svc.app.config["MAX_TRANSLATION_LENGTH"])
    return body, status


def _qa(cat: Any, msg: Any, outcome: Any) -> tuple[list, list, str | None]:
    """(findings, glossary terms, None), or ([], [], why) when QA cannot run: the entry
    is still shown (and can be saved); approving it is refused meanwhile."""
    svc = services()
    try:
        findings = outcome.findings if outcome is not None and outcome.findings else None
        if findings is None:
            findings = svc.check(cat, msg)
        return findings, svc.glossary_terms(cat, msg), None
    except Exception as exc:
        log.exception("QA could not run for %s/%s", cat.language, msg.context)
        return [], [], f"The QA checks could not run: {exc}"


@bp.route("/l/<lang:lang>/e/<path:context>", methods=["GET"])
@login_required
def editor(lang: str, context: str) -> Any:
    require_view(lang)
    back = back_error = None
    if request.args.get("back") == "1":
        from .backtranslate import back_translate_message

        cat = services().catalog(lang)
        msg = cat.get(context)
        if msg is None:
            raise NotFound("No such entry in this catalogue.")
        back, back_error = back_translate_message(lang, msg)
    return _editor(lang, context, back=back, back_error=back_error)


def _form_strings() -> list[str]:
    n = 0
    out = []
    while f"t{n}" in request.form and n < 16:
        out.append(request.form[f"t{n}"])
        n += 1
    return out


@bp.route("/l/<lang:lang>/e/<path:context>", methods=["POST"])
@login_required
def act(lang: str, context: str) -> Any:
    action = request.form.get("action", "save")
    go_next = action == "approve_next"
    if go_next:
        action = "approve"
    version = which = None
    if action.startswith("revert:"):
        _, _, spec = action.partition(":")
        vid, _, which = spec.partition(":")
        action = "revert"
        version = int(vid) if vid.isdigit() else -1
    strings = _form_strings()
    try:
        outcome = service.perform(current_user, lang, context, action, strings,
                                  request.form.get("revision"), version=version,
                                  which=which or "after")
    except InvalidInput as exc:
        return _editor(lang, context, status=http_status(exc), error=str(exc), typed=strings)
    except (Conflict, ApprovalRefused) as exc:
        refused = exc.outcome
        typed = refused.yours if refused.yours is not None else strings
        return _editor(lang, context, status=http_status(exc), outcome=refused,
                       error=refused.error, typed=typed)
    if go_next:
        target = next_open(lang, context)
        if target:
            return redirect(url_for("review.editor", lang=lang, context=target))
        return redirect(url_for("review.queue_page", lang=lang))
    return redirect(url_for("review.editor", lang=lang, context=context,
                            done=outcome.action))


@bp.route("/l/<lang:lang>/preview")
@login_required
def preview(lang: str) -> Any:
    require_view(lang)
    from .preview import build_preview, letter_html

    country = (request.args.get("country") or "").upper() or None
    model, countries, err = build_preview(lang, country)
    html = Markup(letter_html(model)) if model is not None else None
    return render_template("preview.html", lang=lang, model=model, countries=countries,
                           error=err, letter=html, summary=service.language_summary(lang))


@bp.route("/preview.css")
def preview_css() -> Any:
    from .preview import preview_css as css

    resp = current_app.response_class(css(), mimetype="text/css")
    resp.headers["Cache-Control"] = "public, max-age=3600"
    return resp
