"""Security headers on every response, and error pages (HTML, or JSON under /api/)."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, Response, current_app, g, jsonify, render_template, request, session
from flask_wtf.csrf import CSRFError, generate_csrf
from werkzeug.exceptions import HTTPException

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


_HEADER_LIST = list(HEADERS.items())
_NO_STORE_TYPES = ("text/html", "application/json")


class SecurityHeaders:
    """WSGI middleware adding the security headers (and ``Cache-Control: no-store`` on
    HTML and JSON answers that set no Cache-Control) to every response, errors and
    static files included. Done on the plain WSGI header list: no view sets these
    itself, and werkzeug's Headers.extend validates every value again (a tenth of a
    small page)."""

    def __init__(self, wsgi_app: Any):
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict, start_response: Any) -> Any:
        def start(status: str, headers: list, exc_info: Any = None) -> Any:
            cache, ctype = False, ""
            for key, value in headers:
                low = key.lower()
                if low == "cache-control":
                    cache = True
                elif low == "content-type":
                    ctype = value
            out = [*headers, *_HEADER_LIST]
            if not cache and ctype.partition(";")[0].strip().lower() in _NO_STORE_TYPES:
                out.append(("Cache-Control", "no-store"))
            return start_response(status, out, exc_info)

        return self.wsgi_app(environ, start)


_csrf_cache: dict[str, tuple[float, str]] = {}
CSRF_REUSE_SECONDS = 600


def csrf_token() -> str:
    """``csrf_token()`` for templates: Flask-WTF's signed token, reused for a while per
    session token (signing costs a fifth of a page; a reused token is at most
    CSRF_REUSE_SECONDS older than a fresh one, far inside WTF_CSRF_TIME_LIMIT)."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    token = g.get(field)
    if token is not None:  # already made for this request
        return token
    raw = session.get(field)
    if raw:
        hit = _csrf_cache.get(raw)
        if hit is not None and time.monotonic() - hit[0] < CSRF_REUSE_SECONDS:
            setattr(g, field, hit[1])
            return hit[1]
    token = generate_csrf()
    raw = session.get(field)
    if raw and raw not in _csrf_cache:
        if len(_csrf_cache) > 10_000:
            _csrf_cache.clear()
        _csrf_cache[raw] = (time.monotonic(), token)
    return token


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(code: int, title: str, description: str) -> Response:
    if wants_json():
        resp = jsonify({"ok": False, "status": code, "error": description or title})
    else:
        resp = Response(render_template("error.html", code=code, title=title,
                                        description=description), mimetype="text/html")
    resp.status_code = code
    return resp


def init_app(app: Flask) -> None:
    app.wsgi_app = SecurityHeaders(app.wsgi_app)  # type: ignore[method-assign]
    app.jinja_env.globals["csrf_token"] = csrf_token
    # Flask-WTF also injects its own through a context processor; this one runs later
    app.context_processor(lambda: {"csrf_token": csrf_token})

    @app.errorhandler(CSRFError)
    def _csrf(e: CSRFError):  # type: ignore[no-untyped-def]
        return error_response(400, "Form expired or forged",
                              f"CSRF check failed: {e.description} Reload the page and try again.")

    @app.errorhandler(HTTPException)
    def _http(e: HTTPException):  # type: ignore[no-untyped-def]
        code = e.code or 500
        desc = e.description or ""
        if code == 413:
            desc = (f"The request is too large (limit {app.config['MAX_CONTENT_LENGTH']} bytes).")
        resp = error_response(code, e.name, desc)
        if code == 429 and getattr(e, "retry_after", None):
            resp.headers["Retry-After"] = str(e.retry_after)  # type: ignore[attr-defined]
        if code == 405 and e.get_response().headers.get("Allow"):
            resp.headers["Allow"] = e.get_response().headers["Allow"]
        return resp
