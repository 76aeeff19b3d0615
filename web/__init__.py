"""The review web UI: create_app() wires config, security, login and the blueprints.

Blueprints, one per file: ``auth`` (login/logout), ``review`` (dashboard, queue,
editor, preview), ``history`` (coordinator view of the audit trail) and ``api``
(the JSON API under ``/api/``, used by the page's JS and by scripts) and ``export``
(the coordinator's export gate and streamed .zip of letters).
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

# the longest translation (per plural form) accepted from a form or the API;
# max_translation_length in [tool.letterflow.web] overrides it
from workflow.review.rules import MAX_TRANSLATION_LENGTH

log = logging.getLogger("letterflow.web")

#: Largest request body accepted (a few translations plus form fields).
MAX_CONTENT_LENGTH = 256 * 1024


DEFAULTS: dict[str, Any] = dict(
    MAX_CONTENT_LENGTH=MAX_CONTENT_LENGTH,
    MAX_FORM_MEMORY_SIZE=MAX_CONTENT_LENGTH,
    MAX_TRANSLATION_LENGTH=MAX_TRANSLATION_LENGTH,
    SESSION_COOKIE_NAME="letterflow_session",
    SESSION_COOKIE_HTTPONLY=True,
    SESSION_COOKIE_SAMESITE="Lax",
    # Secure unless `letterflow serve` runs on loopback for development.
    SESSION_COOKIE_SECURE=True,
    REMEMBER_COOKIE_HTTPONLY=True,
    REMEMBER_COOKIE_SAMESITE="Lax",
    REMEMBER_COOKIE_SECURE=True,
    PERMANENT_SESSION_LIFETIME=12 * 3600,
    SESSION_REFRESH_EACH_REQUEST=False,  # a login lasts 12 h; no cookie on every answer
    WTF_CSRF_ENABLED=True,
    WTF_CSRF_TIME_LIMIT=12 * 3600,
    LOGIN_MAX_FAILURES=5,          # free failures per (user name, address) pair
    LOGIN_MAX_FAILURES_IP=20,      # free failures per client address
    LOGIN_WINDOW=300,              # seconds a failure is remembered
    LOGIN_BASE_DELAY=1,            # then a delay that doubles with each failure...
    LOGIN_MAX_DELAY=60,            # ...up to this many seconds, never a lockout
    TRUSTED_PROXIES=0,             # reverse proxies in front (X-Forwarded-* hops)
    HSTS_SECONDS=31_536_000,       # Strict-Transport-Security on https answers
    JSON_SORT_KEYS=False,
    # seconds a save waits for a catalogue another process is writing, then 503 +
    # Retry-After (the CLI waits 30 s); [tool.letterflow.web] lock_timeout overrides it
    LOCK_TIMEOUT=3.0,
    TEMPLATES_AUTO_RELOAD=False,
)


class App(Flask):
    """Flask, remembering ``ensure_sync`` per function: Flask asks ``inspect`` whether each
    hook and the view is a coroutine function on every request (a twentieth of a page)."""

    #: Functions remembered at most (hooks and views; per-request callbacks beyond this
    #: are simply asked every time).
    MAX_SYNC = 1000

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sync: dict[Any, Any] = {}

    def ensure_sync(self, func: Any) -> Any:
        try:
            return self._sync[func]
        except KeyError:
            pass
        except TypeError:  # not hashable
            return super().ensure_sync(func)
        done = super().ensure_sync(func)
        if len(self._sync) < self.MAX_SYNC:
            self._sync[func] = done
        return done


def _init_login(app: Flask) -> None:
    from flask_login import LoginManager

    from . import auth

    login = LoginManager(app)
    login.login_view = "auth.login"
    login.login_message = "Please log in."
    login.login_message_category = "info"
    login.session_protection = "basic"
    login._session_identifier_generator = auth.session_identifier  # the same, remembered

    @login.user_loader
    def _load(session_id: str):  # type: ignore[no-untyped-def]
        return auth.load_user(session_id)

    login.unauthorized_handler(auth.unauthorized)


def _secret_key(config: Any) -> str:
    """``$LETTERFLOW_SECRET_KEY``, else a random key kept in ``var/secret_key`` (mode 0600)
    so that several server processes of one project share sessions."""
    env = os.environ.get("LETTERFLOW_SECRET_KEY")
    if env:
        return env
    path = Path(config.database).parent / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Publish atomically (write a temp file, then link it into place) so that two
        # server processes starting at once agree on one key.
        tmp = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(32) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        from workflow.errors import ConfigError

        raise ConfigError(f"{path} holds no usable secret key; delete it")
    return key


def _web_overrides(config: Any) -> dict[str, Any]:
    """[tool.letterflow.web] as Flask settings (e.g. login_window -> LOGIN_WINDOW)."""
    from workflow.errors import ConfigError

    out = {}
    for key, value in (getattr(config, "web", None) or {}).items():
        if "SECRET" in key.upper():
            raise ConfigError("[tool.letterflow.web] must not hold secrets: set "
                              "LETTERFLOW_SECRET_KEY in the environment instead")
        out[key.upper()] = value
    return out


def check_config(config: Any) -> None:
    """What create_app() refuses in a project's settings, checked without building an app
    (``letterflow serve`` runs it before forking its server processes); it also makes the
    shared ``var/secret_key`` once."""
    _web_overrides(config)
    _secret_key(config)


def create_app(
    config: Any = None,
    *,
    project_dir: str | Path | None = None,
    test_config: dict[str, Any] | None = None,
) -> Flask:
    """Build the app for a letterflow project (a ``workflow.config.Config``, or the
    project found from *project_dir* / ``$LETTERFLOW_PROJECT`` / the current folder)."""
    from workflow.config import load_config

    from . import api, auth, errors, export, history, i18n, review, security, suggest
    from .core import LangConverter, Services
    from .sessions import CachedCookieSessionInterface

    if config is None:
        config = load_config(project_dir)
    app = App(__name__)
    app.config.update(DEFAULTS, SECRET_KEY=_secret_key(config))
    app.config.update(_web_overrides(config))
    if test_config:
        app.config.update(test_config)
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]

    app.session_interface = CachedCookieSessionInterface()
    app.url_map.converters["lang"] = LangConverter
    app.extensions["letterflow"] = Services(app, config)
    _reconcile_audit(app.extensions["letterflow"])
    _bound_lock_waits(app)

    security.MaskedCSRFProtect(app)  # reads the per-response masked tokens (BREACH)
    _init_login(app)
    from .fastwrite import FastWrites

    # plain JSON writes answered below Flask's request stack, inside the security headers
    app.wsgi_app = FastWrites(app, app.wsgi_app)  # type: ignore[method-assign]
    security.init_app(app)
    errors.init_app(app)
    i18n.init_app(app, Path(config.database).parent)
    app.register_blueprint(auth.bp)
    app.register_blueprint(review.bp)
    app.register_blueprint(history.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(export.bp)
    app.register_blueprint(suggest.bp)
    from . import uilang

    app.register_blueprint(uilang.bp)  # the login page's interface language links
    from . import gitsync

    gitsync.init_app(app, config)  # commits, push, pull ([tool.letterflow.git])
    return app


def _reconcile_audit(svc: Any) -> None:
    """Settle the audit intents a killed server left behind (workflow.audit_intents)."""
    from workflow.audit_intents import reconcile_project

    try:
        reconcile_project(svc.conn, svc.config)
    except Exception:  # a locked file: each write reconciles its language again first
        log.exception("could not reconcile the audit trail at start-up")


def _bound_lock_waits(app: Flask) -> None:
    """Every catalogue lock a request waits for, it waits at most LOCK_TIMEOUT seconds
    (then Busy: 503 + Retry-After), so server threads are never held for long."""
    from flask import g

    from workflow.fileio import reset_lock_wait, set_lock_wait

    @app.before_request
    def _set_lock_wait() -> None:
        g.lock_wait_token = set_lock_wait(float(app.config.get("LOCK_TIMEOUT", 3.0)))

    @app.teardown_request
    def _reset_lock_wait(_exc: BaseException | None) -> None:
        token = g.pop("lock_wait_token", None)
        if token is not None:
            try:
                reset_lock_wait(token)
            except ValueError:  # set in another context (streamed responses)
                pass
