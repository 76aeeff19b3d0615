"""Login and logout (Flask-Login sessions), throttled failed logins."""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_babel import gettext, ngettext
from flask_login import UserMixin, current_user, login_required, login_user, logout_user
from werkzeug.exceptions import TooManyRequests

from workflow import users

from . import ratelimit, sessions
from .core import services
from .security import error_response, wants_json

bp = Blueprint("auth", __name__)
log = logging.getLogger("letterflow.web")


class SessionUser(UserMixin):
    """Flask-Login wrapper around a workflow.users.User."""

    def __init__(self, user: users.User, sid: str = ""):
        self.user = user
        self.sid = sid  # the server-side login record (web.sessions.open_login)
        self.name = user.name
        self.role = user.role
        self.languages = user.languages

    def get_id(self) -> str:
        return f"{self.user.session_id}|{self.sid}"

    @property
    def is_coordinator(self) -> bool:
        return self.user.is_coordinator

    def can_edit(self, lang: str) -> bool:
        return self.user.can_edit(lang)

    def visible_languages(self, configured: list[str]) -> list[str]:
        return self.user.visible_languages(configured)


#: Seconds a loaded account is reused: a disabled account or a changed password ends
#: open sessions at most this late.
USER_CACHE_SECONDS = 1.0


def load_user(session_id: str) -> SessionUser | None:
    return load_user_in(services(), session_id)


def load_user_in(svc: Any, session_id: str) -> SessionUser | None:
    """:func:`load_user` for the app whose Services is *svc* (no request context)."""
    now = time.monotonic()
    _user_cache: dict[str, tuple[float, SessionUser | None]] = svc.user_cache
    hit = _user_cache.get(session_id)
    if hit is not None and now - hit[0] < USER_CACHE_SECONDS:
        return hit[1]
    head, _, sid = session_id.partition("|")
    user = users.load_session_user(svc.conn, head) if sid else None
    if user is not None and not sessions.login_alive(
            svc.conn, sid, user.id, svc.app.permanent_session_lifetime.total_seconds()):
        user = None
    wrapped = SessionUser(user, sid) if user else None
    if len(_user_cache) > 10_000:
        _user_cache.clear()
    _user_cache[session_id] = (now, wrapped)
    return wrapped


_identifiers: dict[tuple[str | None, str | None, str | None], str] = {}


def session_identifier() -> str:
    """Flask-Login's session-protection identifier (a SHA-512 of the client's address and
    User-Agent, ``flask_login.utils._create_identifier``), computed once per distinct
    (X-Forwarded-For, address, User-Agent) rather than on every request."""
    environ = request.environ
    key = (environ.get("HTTP_X_FORWARDED_FOR"), environ.get("REMOTE_ADDR"),
           environ.get("HTTP_USER_AGENT"))
    hit = _identifiers.get(key)
    if hit is None:
        from flask_login.utils import _create_identifier

        hit = _create_identifier()
        # the headers are the client's: remembered only if short, and at most 10,000
        if sum(len(part or "") for part in key) <= 1024:
            if len(_identifiers) > 10_000:
                _identifiers.clear()
            _identifiers[key] = hit
    return hit


def known_identifier(environ: dict[str, Any]) -> str | None:
    """:func:`session_identifier` of a request already seen from the same client (address,
    forwarded-for and User-Agent), or None (``web.fastwrite``: no request context)."""
    return _identifiers.get((environ.get("HTTP_X_FORWARDED_FOR"), environ.get("REMOTE_ADDR"),
                             environ.get("HTTP_USER_AGENT")))


def unauthorized() -> Any:
    if wants_json():
        return error_response(401, "Unauthorized", "Log in first (POST /api/login).")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _client() -> str:
    """The client's address: with TRUSTED_PROXIES > 0, ProxyFix has already taken it from
    X-Forwarded-For (web.security.init_app)."""
    return request.remote_addr or "unknown"


def _limits(name: str) -> dict[str, ratelimit.Policy]:
    from flask import current_app

    cfg = current_app.config
    window = float(cfg["LOGIN_WINDOW"])
    base, cap = float(cfg["LOGIN_BASE_DELAY"]), float(cfg["LOGIN_MAX_DELAY"])
    limits = {f"ip:{_client()}": ratelimit.Policy(
        int(cfg["LOGIN_MAX_FAILURES_IP"]), window, base, cap)}
    if name:
        limits[f"pair:{name.lower()[:64]}|{_client()}"] = ratelimit.Policy(
            int(cfg["LOGIN_MAX_FAILURES"]), window, base, cap)
    return limits


def attempt_login(name: str, password: str) -> SessionUser | None:
    """Check credentials under the rate limit; aborts 429 (with Retry-After) when throttled."""
    conn = services().conn
    name = (name or "").strip()
    limits = _limits(name)
    wait, reserved = ratelimit.reserve(conn, limits)
    if wait:
        log.warning("login throttled for %r from %s", name, _client())
        raise TooManyRequests(ngettext("Too many failed logins. Try again in %(num)s second.",
                                       "Too many failed logins. Try again in %(num)s seconds.",
                                       wait), retry_after=wait)
    user = users.authenticate(conn, name, password or "")
    if user is None:
        ratelimit.failed(conn, reserved)
        log.info("failed login for %r from %s", name, _client())
        return None
    ratelimit.release(conn, reserved)
    ratelimit.clear(conn, f"pair:{name.lower()[:64]}|{_client()}")
    session.clear()  # no session fixation: a fresh session (and CSRF token) per login
    sid = sessions.open_login(conn, user.id,
                              services().app.permanent_session_lifetime.total_seconds())
    wrapped = SessionUser(user, sid)
    login_user(wrapped)
    session.permanent = True
    return wrapped


def end_login() -> None:
    """Log out: the server forgets this login, so a copy of the cookie stops working."""
    if current_user.is_authenticated:
        svc = services()
        sessions.close_login(svc.conn, current_user.sid)
        svc.user_cache.pop(current_user.get_id(), None)
    logout_user()
    session.clear()


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    no_users = users.count_users(services().conn) == 0
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(url_for("review.dashboard"))
        return render_template("login.html", no_users=no_users, error=None,
                               next=_safe_next(request.args.get("next")))
    name = request.form.get("name", "")
    user = attempt_login(name, request.form.get("password", ""))
    nxt = _safe_next(request.form.get("next"))
    if user is None:
        return render_template("login.html", no_users=no_users, name=name, next=nxt,
                               error="Wrong user name or password."), 401
    return redirect(nxt or url_for("review.dashboard"))


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Any:
    end_login()
    return redirect(url_for("auth.login"))


def require_coordinator() -> None:
    if not current_user.is_coordinator:
        abort(403, description=gettext("Only coordinators can see this page."))
