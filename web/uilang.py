"""The interface language before logging in: a plain link on the login page,
``GET /ui-language?set=ko&next=/login``, keeps the choice in a cookie (a year), so the
login page (and any page of a user who has not chosen a language in their settings) is in
that language instead of the browser's ``Accept-Language``. ``set=`` (empty) forgets it.
Works without JavaScript; the links are ordinary links, reachable with Tab."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, redirect, request, url_for

bp = Blueprint("uilang", __name__)
COOKIE = "letterflow_ui_lang"
MAX_AGE = 365 * 24 * 3600


def cookie_language() -> str | None:
    """The language chosen with the login page's links, if it is still available."""
    from .i18n import available

    value = request.cookies.get(COOKIE)
    return value if value and value in available() else None


@bp.get("/ui-language")
def choose() -> Any:
    from .auth import _safe_next
    from .i18n import available

    lang = request.args.get("set", "")
    if lang and lang not in available():
        abort(400, description="That interface language is not available.")
    resp = redirect(_safe_next(request.args.get("next")) or url_for("auth.login"))
    if lang:
        resp.set_cookie(COOKIE, lang, max_age=MAX_AGE, httponly=True, samesite="Lax",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    else:
        resp.delete_cookie(COOKIE)
    return resp
