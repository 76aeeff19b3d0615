"""The JSON write API's plain requests answered below Flask's request stack.

``POST /api/l/<lang>/entries/<context>`` (save, approve, reject, revert) is what a
translator sends all day. Through Flask, each one pushes an app and a request context,
opens the session, runs the before/after-request hooks (lock wait, CSRF, Flask-Login's
remember cookie, compression, the CSRF mask, static caching), looks the user up through
proxies and builds request and response objects: ~0.4 ms of CPU per write under load,
beside the write itself. :class:`FastWrites` is a WSGI layer (inside the security headers
and ProxyFix, so those apply to both paths alike) that answers the plain case itself,
by the same functions, and hands EVERY other request to the Flask app unchanged.

A request is plain only if all of this holds, checked before anything is written:
- ``POST``, no query string, an ASCII path of the write route (a configured language;
  a context of letters, digits and ``_.:@+-`` in ``/``-separated parts), nothing in
  SCRIPT_NAME, and the app configured as shipped (CSRF on, login on, no SERVER_NAME or
  TRUSTED_HOSTS, sessions not refreshed on every request, no compression cache);
- ``Content-Type: application/json`` and a Content-Length within MAX_CONTENT_LENGTH, no
  Transfer-Encoding;
- a session cookie this process has already verified (``CachedCookieSessionInterface``
  remembers it by the exact Cookie header), logged in (``_user_id``), with the session
  protection identifier of this same client already computed and equal (Flask-Login's
  "basic" check passes and changes nothing), no ``_remember`` operation pending;
- the user loads (``auth.load_user_in``: the login row alive, i.e. not revoked by logout or
  a password change, with the same 1 s account cache as the Flask path);
- an ``X-CSRFToken`` header whose signature was verified before and that passes every
  other part of the check now (``csrfcheck.valid_for``: age, the session's token, the
  https referrer);
- the interface language known (``i18n.known_locale``: the user's setting, else the
  browser's choice already matched in this process). The answer's findings carry their
  titles and texts in that language; for another language than English they are made
  inside a request context pushed for the answer (Flask-Babel translates only there);
- a body that is valid UTF-8 JSON, an object, that needs no walk for depth, surrogates
  or odd numbers (``web.inputs``' screen).
Anything else goes to Flask, with the body it sent (read once, handed on as a stream).

From there the work is the write view's own (``api.write_outcome``: the per-language
permission, the review rules, QA on approve, the audited group-commit write) with the
catalogue lock wait bounded as ``_set_lock_wait`` does. A successful outcome is answered
with the bytes, status and headers Flask would send: ``jsonify``'s body, Flask-Compress's
choice of encoding and ``Vary``, the session's ``Vary: Cookie``. An outcome that raised
(403 other language, 409 conflict, 422 QA refusal, 400, 503, anything else) has already
had its side effects (audit rows of a denial, a conflict or a refused approval's draft),
so it is NOT run again: its answer is made by Flask itself, in a request context pushed
for this request, through the app's error handlers and after-request hooks, as if the
view had raised it. ``tests/test_web_fastwrite.py`` sends the same kinds of requests to
the app with and without this layer and compares status, headers and bodies.
"""

from __future__ import annotations

import io
import json
import re
import sys
from typing import Any

#: The write route's path, for the requests this layer answers (anything else: Flask).
_ROUTE = re.compile(r"/api/l/([a-z]{2,3}(?:_[A-Za-z0-9]{2,8})*)/entries/"
                    r"([A-Za-z0-9_.:@+\-]+(?:/[A-Za-z0-9_.:@+\-]+)*)")
_DIGITS = re.compile(r"[0-9]{1,9}")


class FastWrites:
    """WSGI middleware answering plain JSON writes (see the module docstring)."""

    def __init__(self, app: Any, wsgi_app: Any):
        self.app = app
        self.wsgi_app = wsgi_app
        self._ready: tuple[Any, ...] | None = None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        try:
            plan = self._plain(environ)
        except Exception:  # noqa: BLE001 - whatever it is, Flask answers it as always
            plan = None
        if plan is None:
            return self.wsgi_app(environ, start_response)
        return self._answer(environ, start_response, *plan)

    # -- is it plain? -------------------------------------------------------------------
    def _setup(self) -> tuple[Any, ...] | None:
        """What the check needs from the app: (Flask-Compress, the CSRF header names in
        the WSGI environ), or None when the app is not configured as this layer expects
        (then the request goes to Flask). The settings are read on every request."""
        app = self.app
        if self._ready is None:
            from .sessions import CachedCookieSessionInterface

            csrf = app.extensions.get("csrf")
            compress = next((f.__self__ for f in app.after_request_funcs.get(None, [])
                             if getattr(f, "__name__", "") == "after_request"
                             and type(getattr(f, "__self__", None)).__name__ == "Compress"),
                            None)
            view = app.view_functions.get("api.write")
            self._ready = (
                type(app.session_interface) is CachedCookieSessionInterface
                and csrf is not None and view is not None and compress is not None
                and app.blueprints.get("api") not in csrf._exempt_blueprints
                and f"{view.__module__}.{view.__name__}" not in csrf._exempt_views,
                compress)
        cfg = app.config
        if not (self._ready[0] and cfg.get("WTF_CSRF_ENABLED")
                and cfg.get("WTF_CSRF_CHECK_DEFAULT", True)
                and "POST" in cfg.get("WTF_CSRF_METHODS", ())
                and not cfg.get("LOGIN_DISABLED")
                and not cfg.get("REMEMBER_COOKIE_REFRESH_EACH_REQUEST")
                and not cfg.get("SESSION_REFRESH_EACH_REQUEST")
                and not cfg.get("SERVER_NAME") and not cfg.get("TRUSTED_HOSTS")
                and self._ready[1].cache is None
                and app.json.mimetype == "application/json"):
            return None
        return self._ready[1], tuple("HTTP_" + h.upper().replace("-", "_")
                                     for h in cfg.get("WTF_CSRF_HEADERS", ()))

    def _plain(self, environ: dict[str, Any]) -> tuple[Any, ...] | None:
        if environ.get("REQUEST_METHOD") != "POST" or environ.get("QUERY_STRING") \
                or environ.get("SCRIPT_NAME"):
            return None
        match = _ROUTE.fullmatch(environ.get("PATH_INFO", ""))
        if match is None or environ.get("CONTENT_TYPE") != "application/json" \
                or "HTTP_TRANSFER_ENCODING" in environ:
            return None
        ready = self._setup()
        if ready is None:
            return None
        app = self.app
        svc = app.extensions["letterflow"]
        lang, context = match.groups()
        if lang not in svc.config.languages:
            return None
        length = environ.get("CONTENT_LENGTH", "")
        if not _DIGITS.fullmatch(length) or not 0 < int(length) <= app.config[
                "MAX_CONTENT_LENGTH"]:
            return None
        user = self._user(app, svc, environ, ready[1])
        if user is None:
            return None
        from .i18n import known_locale

        ui = known_locale(svc, user, environ)
        if ui is None:  # the browser's choice not matched yet: Flask does it once
            return None
        raw = environ["wsgi.input"].read(int(length))
        # the body is handed on before it is parsed: whatever happens next (a body Flask
        # must answer, or an unexpected error in the layer), Flask can still read it
        environ["wsgi.input"] = io.BytesIO(raw)
        environ["CONTENT_LENGTH"] = str(len(raw))
        data = _json_object(raw)
        if data is None:  # Flask reads and answers it
            return None
        return ready[0], svc, user, ui, lang, context, data

    def _user(self, app: Any, svc: Any, environ: dict[str, Any],
              token_headers: tuple[str, ...]) -> Any:
        """The logged-in user of a plain request (session, protection, CSRF), or None."""
        from . import auth
        from .csrfcheck import valid_for
        from .security import unmask_token

        data = app.session_interface.remembered(app, environ)
        if not data or "_remember" in data:
            return None
        user_id = data.get("_user_id")
        ident = auth.known_identifier(environ)
        if user_id is None or ident is None or data.get("_id") != ident:
            return None
        token = next((environ[h] for h in token_headers if environ.get(h)), None)
        if not token:
            return None
        secure = environ.get("wsgi.url_scheme") == "https"
        own = data.get(app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
        if not valid_for(unmask_token(token), app, own, secure, lambda: _origin(environ)):
            return None
        return auth.load_user_in(svc, user_id)

    # -- the answer ---------------------------------------------------------------------
    def _answer(self, environ: dict[str, Any], start_response: Any, compress: Any,
                svc: Any, user: Any, ui: str, lang: str, context: str,
                data: dict[str, Any]) -> Any:
        from workflow.fileio import reset_lock_wait, set_lock_wait

        from .answers import json_text
        from .api import write_outcome
        from .i18n import SOURCE
        from .service import outcome_json

        app = self.app
        token = set_lock_wait(float(app.config.get("LOCK_TIMEOUT", 3.0)))
        try:
            outcome = write_outcome(user, lang, context, data, svc=svc)
            if ui == SOURCE or not outcome.findings:
                answer = outcome_json(outcome, svc)
            else:  # findings shown in the interface language: Flask-Babel needs a request
                answer = self._in_request(environ, lambda: outcome_json(outcome, svc))
            text = json_text(app, answer)
            if text is None:
                raise RuntimeError("the JSON provider changed while serving")
            body = text.encode("utf-8")
        except Exception as exc:  # noqa: BLE001 - answered by Flask's own handlers
            return self._flask_error(environ, start_response, exc)
        finally:
            reset_lock_wait(token)
        headers = [("Content-Type", "application/json"), ("Content-Length", "")]
        vary = "Accept-Encoding, Cookie"
        encoding = _encoding(app, compress, environ.get("HTTP_ACCEPT_ENCODING", ""), body)
        headers.append(("Vary", vary))
        if encoding is not None:
            from flask_compress.flask_compress import _compress_data

            headers.append(("Content-Encoding", encoding))
            body = _compress_data(app, body, encoding)
        headers[1] = ("Content-Length", str(len(body)))
        start_response("200 OK", headers)
        return [body]

    def _in_request(self, environ: dict[str, Any], make: Any) -> Any:
        """*make()* inside a request context of this request, its user loaded as
        ``login_required`` loads it (the interface language is chosen from it)."""
        from flask_login.utils import _get_user

        with self.app.request_context(environ):
            _get_user()
            return make()

    def _flask_error(self, environ: dict[str, Any], start_response: Any,
                     exc: Exception) -> Any:
        """Flask's answer to the write view raising *exc* (its side effects are done):
        ``Flask.wsgi_app`` with the view's exception instead of running it again."""
        from flask_login.utils import _get_user

        app = self.app
        ctx = app.request_context(environ)
        error: BaseException | None = None
        try:
            try:
                ctx.push()
                _get_user()  # what login_required did: the session read, the user loaded
                rv = app.handle_user_exception(exc)
                response = app.finalize_request(rv)
            except Exception as e:  # noqa: BLE001 - as Flask.wsgi_app
                error = e
                response = app.handle_exception(e)
            except:  # noqa: E722 - as Flask.wsgi_app
                error = sys.exc_info()[1]
                raise
            return response(environ, start_response)
        finally:
            if error is not None and app.should_ignore_error(error):
                error = None
            ctx.pop(error)


def _origin(environ: dict[str, Any]) -> tuple[str | None, str]:
    from werkzeug.wsgi import get_host

    return environ.get("HTTP_REFERER"), get_host(environ)


def _encoding(app: Any, compress: Any, accept: str, body: bytes) -> str | None:
    """Flask-Compress's choice for a JSON answer of *body* (None: sent as it is)."""
    if not accept or len(body) < app.config["COMPRESS_MIN_SIZE"] \
            or "application/json" not in compress.compress_mimetypes_set:
        return None
    from flask_compress.flask_compress import _choose_algorithm

    return _choose_algorithm(compress.enabled_algorithms, accept)


def _json_object(raw: bytes) -> dict[str, Any] | None:
    """*raw* as ``web.inputs.json_object`` reads it when it has nothing to say (a JSON
    object needing no walk); None for anything else (Flask answers it)."""
    from .inputs import _SURROGATE_ESCAPE, MAX_DEPTH, _Numbers

    numbers = _Numbers()
    try:
        text = raw.decode("utf-8")
        data = json.loads(text, parse_constant=_refuse, parse_int=numbers.integer,
                          parse_float=numbers.real)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if (not isinstance(data, dict) or numbers.odd
            or text.count("[") + text.count("{") >= MAX_DEPTH
            or ("\\u" in text and _SURROGATE_ESCAPE.search(text))):
        return None
    return data


def _refuse(_constant: str) -> Any:
    raise ValueError("not JSON")
