"""Flask's signed-cookie sessions, without re-verifying a cookie on every request.

Opening a session costs a key derivation, an HMAC, base64, zlib and tagged JSON: a
sixth of a page. The result only depends on the cookie's exact text and the secret
keys, so the verified contents of recently seen cookies are remembered (per app) with
the time they were signed; a remembered cookie still expires after
``PERMANENT_SESSION_LIFETIME`` exactly as itsdangerous would expire it, and each request
gets its own copy of the data. Cookies that fail verification are never remembered.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature

#: Verified cookies remembered per app (the cache is simply emptied when full).
MAX_REMEMBERED = 10_000
#: Longest Cookie header whose session cookie is remembered (longer ones are parsed anew).
MAX_REMEMBERED_HEADER = 4096


def _copy(value: Any) -> Any:
    """A copy of session data deep enough that a request cannot change the cache
    (dicts and lists are copied; the other JSON-tagged values are immutable)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


class CachedCookieSessionInterface(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._seen: dict[str, tuple[int, dict[str, Any]]] = {}  # cookie -> (signed at, data)
        self._keys: tuple[Any, ...] | None = None
        self._lock = threading.Lock()
        # (cookie name, the request's whole Cookie header) -> that cookie's value: most
        # requests then parse no cookies at all
        self._headers: dict[tuple[str, str], str | None] = {}

    def _cookie(self, app: Any, request: Any) -> str | None:
        """The session cookie's value (werkzeug's parse, once per distinct header)."""
        name = self.get_cookie_name(app)
        header = request.environ.get("HTTP_COOKIE")
        if not header:
            return None
        try:
            return self._headers[name, header]
        except KeyError:
            pass
        cookies = request.cookies
        val = cookies[name] if name in cookies else None
        if len(header) <= MAX_REMEMBERED_HEADER:  # the client's: bounded in number and size
            if len(self._headers) >= MAX_REMEMBERED:
                self._headers = {}
            self._headers[name, header] = val
        return val

    def remembered(self, app: Any, environ: dict[str, Any]) -> dict[str, Any] | None:
        """The data of the request's session cookie when this interface has already
        verified that exact Cookie header and cookie (what :meth:`open_session` would give,
        without a request object), else None. The data is the cache's own: read it only."""
        header = environ.get("HTTP_COOKIE")
        if not header or not app.secret_key:
            return None
        val = self._headers.get((self.get_cookie_name(app), header))
        if not val:
            return None
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if keys != self._keys:
            return None
        hit = self._seen.get(val)
        max_age = int(app.permanent_session_lifetime.total_seconds())
        if hit is None or not 0 <= int(time.time()) - hit[0] <= max_age:
            return None
        return hit[1]

    def open_session(self, app: Any, request: Any) -> SecureCookieSession | None:
        if not app.secret_key:
            return None
        val = self._cookie(app, request)
        if not val:
            return self.session_class()
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        max_age = int(app.permanent_session_lifetime.total_seconds())
        if keys == self._keys:
            hit = self._seen.get(val)
            if hit is not None and 0 <= int(time.time()) - hit[0] <= max_age:
                return self.session_class(_copy(hit[1]))
        s = self.get_signing_serializer(app)
        if s is None:
            return None
        try:
            data, signed = s.loads(val, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        with self._lock:
            if keys != self._keys or len(self._seen) >= MAX_REMEMBERED:
                self._seen = {}
                self._keys = keys
            self._seen[val] = (int(signed.timestamp()), _copy(data))
        return self.session_class(data)

    def save_session(self, app: Any, session: Any, response: Any) -> None:
        """Flask's save_session, without its cookie settings and ``Vary`` parsing when
        there is nothing to write (a session that was only read: every page view)."""
        if session and not self.should_set_cookie(app, session):
            if session.accessed:
                vary_cookie(response.headers)
            return
        super().save_session(app, session, response)


def vary_cookie(headers: Any) -> None:
    """``Vary: Cookie`` added to *headers* (what ``response.vary.add("Cookie")`` writes)."""
    vary = headers.get("Vary")
    if not vary:
        headers["Vary"] = "Cookie"
    elif "cookie" not in (v.strip().lower() for v in vary.split(",")):
        headers["Vary"] = f"{vary}, Cookie"


# -- server-side login records: a session ends on logout, not when its cookie expires ----------
LOGINS_DDL = """
CREATE TABLE IF NOT EXISTS web_logins (
    sid     TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL,
    created REAL NOT NULL
);
"""


def _logins_schema(conn: Any) -> None:
    from workflow.db import ensure_schema

    ensure_schema(conn, "web_logins", LOGINS_DDL)


def open_login(conn: Any, user_id: int, lifetime: float) -> str:
    """Record a new login; returns its random id (kept in the signed cookie)."""
    import secrets

    _logins_schema(conn)
    sid = secrets.token_urlsafe(24)
    now = time.time()
    conn.execute("INSERT INTO web_logins (sid, user_id, created) VALUES (?, ?, ?)",
                 (sid, user_id, now))
    conn.execute("DELETE FROM web_logins WHERE created < ?", (now - lifetime,))
    return sid


def login_alive(conn: Any, sid: str, user_id: int, lifetime: float) -> bool:
    _logins_schema(conn)
    row = conn.execute("SELECT user_id, created FROM web_logins WHERE sid = ?",
                       (sid,)).fetchone()
    return (row is not None and int(row["user_id"]) == user_id
            and time.time() - float(row["created"]) <= lifetime)


def close_login(conn: Any, sid: str) -> None:
    """End one login (logout): its cookie, even a captured copy, no longer works."""
    _logins_schema(conn)
    conn.execute("DELETE FROM web_logins WHERE sid = ?", (sid,))


def close_user_logins(conn: Any, user_id: int) -> None:
    """End every login of a user (after a password change or when disabled)."""
    _logins_schema(conn)
    conn.execute("DELETE FROM web_logins WHERE user_id = ?", (user_id,))
