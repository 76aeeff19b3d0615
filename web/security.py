"""Security headers on every response, and error pages (HTML, or JSON under /api/)."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, Response, current_app, g, jsonify, render_template, request, session
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
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


def relative_location(value: str) -> str:
    """An absolute redirect target made relative (path, query, fragment): the server
    never redirects off-site, so a Location never echoes the request's Host header."""
    parts = urlsplit(value)
    if not (parts.scheme or parts.netloc):
        return value
    return urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))


class SecurityHeaders:
    """WSGI middleware adding the security headers (and ``Cache-Control: no-store`` on
    HTML and JSON answers that set no Cache-Control) to every response, errors and
    static files included; HSTS on https answers; and relative ``Location`` headers
    (werkzeug's slash redirects are absolute, built from the untrusted Host). Done on
    the plain WSGI header list: no view sets these itself, and werkzeug's Headers.extend
    validates every value again (a tenth of a small page)."""

    def __init__(self, wsgi_app: Any, hsts_seconds: int = 0):
        self.wsgi_app = wsgi_app
        self.hsts = ("Strict-Transport-Security",
                     f"max-age={int(hsts_seconds)}; includeSubDomains") if hsts_seconds else None

    def __call__(self, environ: dict, start_response: Any) -> Any:
        secure = environ.get("wsgi.url_scheme") == "https"

        def start(status: str, headers: list, exc_info: Any = None) -> Any:
            cache, ctype = False, ""
            out = []
            for key, value in headers:
                low = key.lower()
                if low == "cache-control":
                    cache = True
                elif low == "content-type":
                    ctype = value
                elif low == "location":
                    value = relative_location(value)
                out.append((key, value))
            out.extend(_HEADER_LIST)
            if secure and self.hsts:
                out.append(self.hsts)
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


# -- BREACH: the CSRF token is masked per response ---------------------------------------
# A compressed page that carries a secret and reflects what the request sent (the queue's
# ?q=) leaks the secret through its compressed size (BREACH). Each HTML answer therefore
# carries the token XORed with a fresh random pad (as Django does): the secret is never
# the same bytes twice, while pages stay compressed (and the queue's page cache keyed on
# the real token keeps working: the mask is applied to the finished body).

MASK_PREFIX = "m1."


def mask_token(token: str) -> str:
    """*token* XOR a fresh random pad: ``m1.`` + base64url(pad + masked)."""
    raw = token.encode("ascii")
    pad = secrets.token_bytes(len(raw))
    masked = (int.from_bytes(raw, "big") ^ int.from_bytes(pad, "big")).to_bytes(len(raw), "big")
    return MASK_PREFIX + base64.urlsafe_b64encode(pad + masked).decode("ascii").rstrip("=")


def unmask_token(value: str | None) -> str | None:
    """The token behind a masked value; an unmasked value is returned as it is (scripts that
    read it from ``/api/session``), a malformed masked one as ``""`` (fails the check)."""
    if not value or not value.startswith(MASK_PREFIX):
        return value
    body = value[len(MASK_PREFIX):]
    try:
        data = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except ValueError:
        return ""
    half = len(data) // 2
    if not half or len(data) != 2 * half:
        return ""
    pad, masked = data[:half], data[half:]
    raw = (int.from_bytes(pad, "big") ^ int.from_bytes(masked, "big")).to_bytes(half, "big")
    try:
        return raw.decode("ascii")
    except UnicodeDecodeError:
        return ""


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class MaskedCSRFProtect(CSRFProtect):
    """Flask-WTF's CSRF check, reading masked tokens (form field or X-CSRFToken header)."""

    def _get_csrf_token(self) -> str | None:  # type: ignore[override]
        return self._token(request._get_current_object(), current_app._get_current_object())

    def _token(self, req: Any, app: Any) -> str | None:
        """:meth:`_get_csrf_token` for the request *req* of *app* (the objects behind
        ``request`` and ``current_app``: each proxy lookup costs about as much as the
        rest of a line)."""
        if req.mimetype not in _FORM_TYPES:  # (a JSON body has no form to parse)
            headers = req.headers
            for name in app.config["WTF_CSRF_HEADERS"]:
                token = headers.get(name)
                if token:
                    return unmask_token(token)
            return None
        return unmask_token(super()._get_csrf_token())

    def _exempt(self, req: Any, app: Any) -> bool:
        """Flask-WTF's ``_is_exempt`` for *req* of *app* (without its proxy lookups)."""
        if app.blueprints.get(req.blueprint) in self._exempt_blueprints:
            return True
        view = app.view_functions.get(req.endpoint)
        if view is None:
            return False
        return f"{view.__module__}.{view.__name__}" in self._exempt_views

    def protect(self, apply_exemptions: bool = False) -> None:
        # Flask-WTF looks up the view's exemptions before the method: a GET (nothing to
        # check) answers at once here, everything else goes through the full check, whose
        # signature verification is remembered per token (web/csrfcheck.py).
        req = request._get_current_object()
        app = current_app._get_current_object()
        if req.method not in app.config["WTF_CSRF_METHODS"]:
            return
        if apply_exemptions and (not req.endpoint or self._exempt(req, app)):
            return
        from .csrfcheck import known_valid, remember

        token = self._token(req, app)
        if known_valid(token, req, app):
            g.csrf_valid = True
            return
        super().protect(False)
        remember(token)


def masked_html(parts: tuple[bytes, ...], token: str) -> Response:
    """An HTML answer from a UTF-8 body split on the request's CSRF *token* (a kept page),
    the token masked afresh where it was: what ``_mask_csrf`` does to a rendered page,
    without searching and copying the body again."""
    body = mask_token(token).encode("ascii").join(parts) if len(parts) > 1 else parts[0]
    resp = current_app.response_class(body, mimetype="text/html")
    resp.csrf_masked = True  # type: ignore[attr-defined]
    return resp


def _mask_csrf(resp: Response) -> Response:
    """Replace the request's CSRF token in an HTML body by one fresh mask (before the
    response is compressed: this runs before Flask-Compress's after_request)."""
    if getattr(resp, "csrf_masked", False):  # masked_html did it
        return resp
    # (the answer's own tests first: a JSON answer costs no look-up of the app or g)
    if resp.direct_passthrough or resp.is_streamed or resp.mimetype != "text/html":
        return resp
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    token = g.get(field)
    if not token:
        return resp
    body = resp.get_data()
    masked = body.replace(token.encode("ascii"), mask_token(token).encode("ascii"))
    if masked is not body:  # one pass; the same object when the token is not there
        resp.set_data(masked)
    return resp


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


#: Cache-Control of a static file asked for with its current fingerprint (?v=...).
IMMUTABLE = "public, max-age=31536000, immutable"
_fingerprints: dict[str, str] = {}


def fingerprint(app: Flask, filename: str) -> str:
    """A short hash of a static file's content, for ``?v=`` in its URL: a changed file
    gets a new URL, so the browser may keep each version for a year."""
    hit = _fingerprints.get(filename)
    if hit is None:
        data = (Path(app.static_folder or "") / filename).read_bytes()
        hit = _fingerprints[filename] = hashlib.sha256(data).hexdigest()[:12]
    return hit


def _static_caching(resp: Response) -> Response:
    if request.endpoint == "static" and resp.status_code in (200, 304):
        name = (request.view_args or {}).get("filename", "")
        version = request.args.get("v")
        try:
            fresh = version is not None and version == fingerprint(current_app, name)
        except OSError:
            fresh = False
        resp.headers["Cache-Control"] = IMMUTABLE if fresh else "no-cache"
    return resp


def init_app(app: Flask) -> None:
    from flask_compress import Compress
    from werkzeug.middleware.proxy_fix import ProxyFix

    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "deflate"])  # static files
    app.config.setdefault("COMPRESS_MIMETYPES", [
        "text/html", "text/css", "text/javascript", "application/javascript",
        "application/json"])
    Compress(app)  # gzip / brotli for HTML, CSS, JS and JSON (not the streamed .zip)
    app.after_request(_mask_csrf)  # registered later, so it runs before compression
    app.after_request(_static_caching)
    app.wsgi_app = SecurityHeaders(  # type: ignore[method-assign]
        app.wsgi_app, int(app.config.get("HSTS_SECONDS") or 0))
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        # Behind `hops` reverse proxies: the client address and scheme come from their
        # X-Forwarded-For / -Proto headers (never the Host: redirects stay relative).
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)
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
        from .errors import status_title

        resp = error_response(code, status_title(code, e.name), desc)
        if code == 429 and getattr(e, "retry_after", None):
            resp.headers["Retry-After"] = str(e.retry_after)  # type: ignore[attr-defined]
        if code == 405 and e.get_response().headers.get("Allow"):
            resp.headers["Allow"] = e.get_response().headers["Allow"]
        return resp
