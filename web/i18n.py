"""The review UI in the translator's language (Flask-Babel).

The UI's own gettext domain ``ui`` lives beside the letter's: ``locales/ui.pot`` and
``locales/<lang>/LC_MESSAGES/ui.po``, checked by ``letterflow check`` through
``web/translations/letterflow.toml``. The ``.po`` files are compiled to ``.mo`` at start
(into ``var/ui-mo/``, never committed); machine-made entries are fuzzy in the ``.po``
(drafts, as in the letter's catalogues) and are shown all the same, better than English.

The language: the user's own setting (stored per account in ``web_prefs``), else the
browser's ``Accept-Language``, else English."""

from __future__ import annotations

import functools
import io
import logging
import os
import time
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, abort, redirect, request, url_for
from flask_login import current_user, login_required

from workflow.statmemo import is_racy

from .uilang import COOKIE

log = logging.getLogger("letterflow.web")
bp = Blueprint("i18n", __name__)
DOMAIN = "ui"
#: The code's own language: no catalogue.
SOURCE = "en"
#: What ``pybabel extract -F web/translations/babel.cfg`` reads (from the repository root):
#: the web's templates and Python, and the core's review error texts (marked with
#: ``workflow.errors.N_``; the web translates them in ``web.errors.localized``).
#: and the QA checks' finding templates, titles and severity words
#: (``workflow.checks.messages``; the markup check's tag problems in ``source/markup.py``).
EXTRACT_FROM = ("web", "workflow/errors.py", "workflow/review", "workflow/checks",
                "workflow/source/markup.py")
PREFS_DDL = """
CREATE TABLE IF NOT EXISTS web_prefs (
    user_id     INTEGER PRIMARY KEY,
    ui_language TEXT NOT NULL
);
"""


def ui_locales_dir() -> Path:
    """The repository's locales/ (where ui.pot and <lang>/LC_MESSAGES/ui.po live)."""
    return Path(__file__).resolve().parent.parent / "locales"


@functools.lru_cache(maxsize=1)
def available() -> tuple[str, ...]:
    """English plus every language with a ui.po, sorted."""
    base = ui_locales_dir()
    found = sorted(p.parent.parent.name for p in base.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return (SOURCE, *found)


def _up_to_date(out: Path, src: Path) -> bool:
    """Whether *out* was compiled from *src* as it is: written after it, by more than a
    timestamp's granularity (``statmemo.is_racy``: an edit of *src* within the same tick
    as the compile would otherwise look older than *out*)."""
    try:
        out_st, src_st = os.stat(out), os.stat(src)
    except OSError:
        return False
    return not is_racy(src_st, out_st.st_mtime_ns)


def compile_catalogs(dest: Path) -> Path:
    """Compile every ui.po to ``dest/<lang>/LC_MESSAGES/ui.mo`` (fuzzy entries included:
    an MT draft of a button label beats English for a Korean reader)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from workflow.fileio import write_atomic

    base = ui_locales_dir()
    for lang in available()[1:]:
        src = base / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        out = dest / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if _up_to_date(out, src):
            continue
        with src.open("rb") as fh:
            catalog = read_po(fh, locale=lang, domain=DOMAIN)
        buf = io.BytesIO()
        write_mo(buf, catalog, use_fuzzy=True)
        # a unique temp file: two server processes may compile at the same start
        write_atomic(out, buf.getvalue())
    return dest


def _prefs(conn: Any) -> None:
    from workflow.db import ensure_schema

    ensure_schema(conn, "web_prefs", PREFS_DDL)


#: Seconds a user's language setting is reused (other server processes see a change
#: at most this late; this one at once).
PREFS_CACHE_SECONDS = 1.0
_prefs_cache: dict[tuple[int, int], tuple[float, str | None]] = {}


def user_language(user_id: int) -> str | None:
    from .core import services

    return user_language_in(services(), user_id)


def user_language_in(svc: Any, user_id: int) -> str | None:
    """:func:`user_language` for the app whose Services is *svc* (no app context)."""
    key, now = (id(svc), user_id), time.monotonic()
    hit = _prefs_cache.get(key)
    if hit is not None and now - hit[0] < PREFS_CACHE_SECONDS:
        return hit[1]
    conn = svc.conn
    _prefs(conn)
    row = conn.execute("SELECT ui_language FROM web_prefs WHERE user_id = ?",
                       (user_id,)).fetchone()
    value = row["ui_language"] if row and row["ui_language"] in available() else None
    if len(_prefs_cache) > 10_000:
        _prefs_cache.clear()
    _prefs_cache[key] = (now, value)
    return value


#: The language chosen from (chooser cookie, Accept-Language header): the header is parsed
#: and matched once per distinct value, not on every request.
_browser_choice: dict[tuple[str | None, str | None], str] = {}


def select_locale(user: Any = None) -> str:
    """The user's setting, then the login page's choice (a cookie), then Accept-Language,
    then English. *user*: the request's user when the caller has it at hand."""
    if user is None:
        user = current_user._get_current_object()
    if getattr(user, "is_authenticated", False):
        chosen = user_language(user.user.id)
        if chosen:
            return chosen
    environ = request.environ
    chooser = None
    if COOKIE in environ.get("HTTP_COOKIE", ""):  # parse the cookies only if it may be there
        cookies = request.cookies
        chooser = cookies[COOKIE] if COOKIE in cookies else None
    key = (chooser, environ.get("HTTP_ACCEPT_LANGUAGE"))
    hit = _browser_choice.get(key)
    if hit is None:
        from .uilang import cookie_language

        hit = (cookie_language() or request.accept_languages.best_match(available())
               or SOURCE)
        # the headers are the client's: remembered only if short, and at most 1,000
        if len(chooser or "") + len(key[1] or "") <= 512:
            if len(_browser_choice) > 1000:
                _browser_choice.clear()
            _browser_choice[key] = hit
    return hit


def known_locale(svc: Any, user: Any, environ: dict[str, Any]) -> str | None:
    """What :func:`select_locale` answers for a logged-in *user*'s request, worked out from
    its WSGI *environ* without a request context; None when the browser's choice (cookie,
    Accept-Language) has not been matched in this process yet (``web.fastwrite``)."""
    chosen = user_language_in(svc, user.user.id)
    if chosen:
        return chosen
    header = environ.get("HTTP_COOKIE", "")
    chooser = None
    if COOKIE in header:
        from werkzeug.http import parse_cookie

        chooser = parse_cookie(header).get(COOKIE)
    return _browser_choice.get((chooser, environ.get("HTTP_ACCEPT_LANGUAGE")))


def get_locale_name(user: Any = None) -> str:
    """The interface language of this request (``select_locale``, once per request:
    cheaper than Flask-Babel's ``get_locale``, which also parses a Locale object)."""
    from flask import g

    name = g.get("_ui_locale")
    if name is None:
        name = g._ui_locale = select_locale(user)
    return name


@functools.lru_cache(maxsize=1024)
def _display_name(lang: str, ui: str) -> str:
    from babel import Locale

    try:
        return Locale.parse(lang).get_display_name(ui) or lang
    except (ValueError, LookupError):
        return lang


def language_name(lang: str) -> str:
    """A language's name in the interface language ("French", "프랑스어", "الفرنسية")."""
    return _display_name(lang, get_locale_name())


def ui_direction() -> str:
    from .text import direction

    return direction(get_locale_name())


@bp.post("/settings/language")
@login_required
def set_language() -> Any:
    from .core import services
    from .inputs import check_text

    lang = check_text(request.form.get("ui_language", ""))
    if lang and lang not in available():
        abort(400, description="That interface language is not available.")
    conn = services().conn
    _prefs(conn)
    if lang:
        conn.execute("INSERT INTO web_prefs (user_id, ui_language) VALUES (?, ?) ON CONFLICT "
                     "(user_id) DO UPDATE SET ui_language = excluded.ui_language",
                     (current_user.user.id, lang))
    else:  # "" = follow the browser
        conn.execute("DELETE FROM web_prefs WHERE user_id = ?", (current_user.user.id,))
    from .auth import _safe_next

    _prefs_cache.pop((id(services()), current_user.user.id), None)
    return redirect(_safe_next(request.form.get("next")) or url_for("review.dashboard"))


def init_app(app: Flask, var_dir: Path) -> None:
    from babel import Locale
    from flask_babel import Babel

    mo_dir = compile_catalogs(var_dir / "ui-mo")
    Babel(app, locale_selector=select_locale, default_domain=DOMAIN,
          default_translation_directories=str(mo_dir))

    def ui_languages() -> list[tuple[str, str]]:
        return [(code, Locale.parse(code).get_display_name(code) or code)
                for code in available()]

    from .js_plurals import js_plural
    from .qa_text import check_title, finding_text, severity_word

    app.jinja_env.globals.update(ui_languages=ui_languages, ui_lang=get_locale_name,
                                 ui_dir=ui_direction, js_plural=js_plural,
                                 finding_text=finding_text, check_title=check_title,
                                 severity_word=severity_word)
    app.register_blueprint(bp)
