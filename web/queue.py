"""The queue page (``/l/<lang>/``): rendered once per version of the catalogue file and kept.

Two levels, both in the catalogue's cache entry (``CachedCatalog.pages``), so that a changed
file (any save, by any process: the entry is keyed on the file's inode, mtime and size)
drops them all:

1. the list itself (``_queue_body.html``), per filter, UI language and script root;
2. the whole page around it, per request URL and per what the page shows of who asks: the
   user (name, role, coordinator links), the session's CSRF token, the coordinator's git
   banner. It is kept as UTF-8 bytes split where the CSRF token goes: answering a reload
   costs no rendering, no encoding and no search, and the token is masked afresh for
   every answer (``web.security.masked_html``, BREACH).

Searches (``?q=``) and pages carrying a one-time flash message are rendered but never kept.
"""

from __future__ import annotations

from typing import Any

from flask import render_template, request, session
from flask_login import current_user
from markupsafe import Markup

from . import service
from .core import services
from .i18n import get_locale_name
from .security import csrf_token, masked_html
from .views import QA_FILTERS, STATES, qa_counts, queue, require_view

#: Rendered pages kept per version of a catalogue (per filter, URL and user session).
MAX_CACHED_PAGES = 256


def _arg(args: Any, name: str) -> str:
    """A query argument, "" when absent (``MultiDict.get`` raises and catches an HTTP
    exception for every missing key)."""
    return args[name] if name in args else ""


def _filters() -> tuple[str | None, str, str]:
    """(state, qa, q) of the request, anything unknown ignored."""
    if not request.environ.get("QUERY_STRING"):  # the plain list: nothing to parse
        return None, "", ""
    args = request.args
    state = _arg(args, "state") or None
    if state not in STATES:
        state = None
    qa = _arg(args, "qa")
    if qa not in QA_FILTERS:
        qa = ""
    return state, qa, _arg(args, "q").strip()[:200]


def _keepable(q: str) -> bool:
    """Whether this request's page may be kept: not a search (any text would grow the
    cache), and a short URL with only the filter's own arguments (the URL is in the key)."""
    if q:
        return False
    if not request.environ.get("QUERY_STRING"):
        return True
    return len(request.full_path) <= 512 and set(request.args) <= {"state", "qa", "q"}


def _body(lang: str, entry: Any, key: tuple, state: str | None, qa: str, q: str) -> Markup:
    """The list for this filter (the part that depends only on the catalogue's version)."""
    body = entry.pages.get(key)
    if body is None:
        svc = services()
        items = queue(lang, state, qa, q)
        found = svc.findings_by_context(lang)
        body = Markup(render_template(
            "_queue_body.html", lang=lang, items=items, state=state, qa=qa, q=q,
            findings=found, summary=service.language_summary(lang), states=STATES,
            counts=qa_counts(items, found)))
        if not q:  # searches are not kept: any text would grow the cache
            entry.pages[key] = body
    return body


def _git_banner_key(app: Any, user: Any) -> tuple:
    """What the coordinator's git banner shows (``web.gitsync``), part of the page's key;
    () when git is off or the user does not see the banner."""
    from .gitsync import worker

    if worker(app) is None or not user.is_coordinator:
        return ()
    from .gitsync import _banner

    return tuple(_banner()["git_problems"])


def queue_page(lang: str) -> Any:
    """The queue page of *lang* for the logged-in user (403 unless they work on it)."""
    user = current_user._get_current_object()
    require_view(lang, user)
    state, qa, q = _filters()
    svc = services()
    entry = svc.cached(lang)
    key = ("queue", request.script_root, state, qa, q, get_locale_name(user))
    body = _body(lang, entry, key, state, qa, q)
    # The whole page also depends on who asks (the header), their CSRF token, the URL
    # (the language form's "next") and the git banner.
    token = csrf_token()
    page_key = ("page", key, request.full_path, user.get_id(), user.name, user.role,
                user.is_coordinator, token, _git_banner_key(svc.app, user))
    flashed = "_flashes" in session  # a one-time message: this page is not kept
    parts = None if flashed else entry.pages.get(page_key)
    if parts is None:
        html = render_template("queue.html", lang=lang, body=body).encode("utf-8")
        # split where the token goes (each answer masks it afresh)
        parts = tuple(html.split(token.encode("ascii"))) if token else (html,)
        if len(entry.pages) < MAX_CACHED_PAGES and not flashed and _keepable(q):
            entry.pages[page_key] = parts
    return masked_html(parts, token)
