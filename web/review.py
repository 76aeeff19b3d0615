"""The translator's pages: dashboard, queue, editor (save/approve/reject/revert),
back-translation on demand, and the whole-letter preview. Plain HTML forms: the
pages work without JavaScript; static/app.js only makes them faster."""

from __future__ import annotations

import logging
import re
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
from workflow.errors import N_, ApprovalRefused, Conflict, InvalidInput, NotFound

from . import queue, service
from .core import services
from .errors import http_status, localized
from .i18n import language_name as ui_language_name
from .security import fingerprint
from .text import PLACEHOLDER_RE, bcp47, direction, highlight_placeholders, word_diff
from .views import (
    comment_notes,
    grouped_findings,
    neighbours,
    next_open,
    qa_kind,
    require_catalog,
    require_view,
    role_of,
    visible_languages,
    winner,
)

bp = Blueprint("review", __name__)
#: Inline tags of a source text (``<b>``, ``</a>``, ``<br/>``), shown as insertable chips.
TAG_RE = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*?)?\s*/?>")
log = logging.getLogger("letterflow.web")


_urls: dict[str, dict[str, str]] = {}


def _page_urls() -> dict[str, str]:
    """URLs every page links to, built once per script root (url_for costs add up)."""
    root = request.script_root
    urls = _urls.get(root)
    if urls is None:
        urls = _urls[root] = {
            "css": url_for("static", filename="app.css",
                           v=fingerprint(current_app, "app.css")),
            "js": url_for("static", filename="app.js", v=fingerprint(current_app, "app.js")),
            "home": url_for("review.dashboard"), "history": url_for("history.history"),
            "logout": url_for("auth.logout"), "export": url_for("export.page"),
        }
    return urls


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"language_name": ui_language_name, "direction": direction, "bcp47": bcp47,
            "role_of": role_of, "urls": _page_urls(), "grouped": grouped_findings}


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
    return queue.queue_page(lang)


def _editor(lang: str, context: str, *, status: int = 200, outcome: Any = None,
            error: str | None = None, typed: list[str] | None = None,
            back: list[str] | None = None, back_error: str | None = None) -> Any:
    svc = services()
    cat = svc.catalog(lang)
    msg = cat.get(context)
    if msg is None or msg.obsolete:
        raise NotFound(N_("No such entry in this catalogue."))
    if outcome is not None:
        msg = outcome.message
    findings, glossary, qa_error = _qa(cat, msg, outcome)
    error = error or qa_error
    prev, nxt = neighbours(lang, context)
    history = audit.history(svc.conn, lang, context)
    diff = word_diff(msg.previous_source, msg.source) if msg.previous_source else None
    from .plurals import plural_labels
    from .suggest import suggestions_url, top_suggestions

    both = msg.source + " " + (msg.source_plural or "")
    chips = list(dict.fromkeys([m.group(0) for m in PLACEHOLDER_RE.finditer(both)]
                               + [m.group(0) for m in TAG_RE.finditer(msg.source)]))
    try:
        found = svc.findings_by_context(lang)
    except Exception:  # the list still shows; its QA marks wait for the checks
        found = {}
    conflict = outcome is not None and outcome.yours is not None
    body = render_template(
        "editor.html", lang=lang, msg=msg, findings=findings, prev=prev, next=nxt,
        next_open=next_open(lang, context), history=history, diff=diff, outcome=outcome,
        error=error, typed=typed, nplurals=cat.nplurals,
        plural_labels=plural_labels(lang, cat.plural_expr, cat.nplurals),
        glossary=glossary, back=back, back_error=back_error,
        summary=service.language_summary(lang), chips=chips,
        entries=[(m, qa_kind(found.get(m.context, []))) for m in cat.active()],
        winner=winner(lang, context) if conflict else None,
        suggest_url=suggestions_url(lang, msg.context), notes=comment_notes(msg),
        suggestions=top_suggestions(lang, msg),
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
            raise NotFound(N_("No such entry in this catalogue."))
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
    strings = _form_strings()
    if action == "backtranslate":  # of the text as typed, without saving it
        from .backtranslate import back_translate_message

        require_view(lang)
        msg = services().catalog(lang).get(context)
        if msg is None:
            raise NotFound(N_("No such entry in this catalogue."))
        back, back_error = back_translate_message(lang, msg, strings)
        return _editor(lang, context, typed=strings, back=back, back_error=back_error)
    go_next = action == "approve_next"
    if go_next:
        action = "approve"
    version = which = None
    if action.startswith("revert:"):
        from .inputs import row_id

        _, _, spec = action.partition(":")
        vid, _, which = spec.partition(":")
        action = "revert"
        version = row_id(vid) or -1  # "²" is a digit to str.isdigit, not to int()
    try:
        outcome = service.perform(current_user, lang, context, action, strings,
                                  request.form.get("revision"), version=version,
                                  which=which or "after")
    except InvalidInput as exc:
        return _editor(lang, context, status=http_status(exc), error=localized(exc),
                       typed=strings)
    except (Conflict, ApprovalRefused) as exc:
        refused = exc.outcome
        typed = refused.yours if refused.yours is not None else strings
        return _editor(lang, context, status=http_status(exc), outcome=refused,
                       error=localized(exc), typed=typed)
    done = "unchanged" if getattr(outcome, "unchanged", False) else outcome.action
    if go_next:
        from flask import flash
        from flask_babel import gettext

        # the confirmation travels in the session: the next entry's URL stays clean
        flash(gettext("No change: the text was already saved, nothing was written.")
              if done == "unchanged" else gettext("Approved “%(entry)s”.", entry=context))
        target = next_open(lang, context)
        if target:
            return redirect(url_for("review.editor", lang=lang, context=target))
        return redirect(url_for("review.queue_page", lang=lang))
    return redirect(url_for("review.editor", lang=lang, context=context, done=done))


@bp.route("/l/<lang:lang>/preview")
@login_required
def preview(lang: str) -> Any:
    require_view(lang)
    require_catalog(lang)
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
