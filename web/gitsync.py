"""The web side of git (workflow.vcs): start the server's git thread, tell it about
write batches, show its state to coordinators (a banner on every page while a pull or
push fails, a panel on the export page) and the coordinator's "Sync now" button.
What the web writes is in the interface language; what git and the sync report say
(``workflow.vcs``) stays as written, in English."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Flask, current_app, redirect, session, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from .auth import require_coordinator
from .core import services

bp = Blueprint("gitsync", __name__)
log = logging.getLogger("letterflow.web")
KEY = "letterflow_git"


def init_app(app: Flask, config: Any) -> None:
    """Start the git thread when ``[tool.letterflow.git] enabled = true``."""
    from workflow.vcs.settings import git_settings

    settings = git_settings(config)
    app.extensions[KEY] = None
    if settings.enabled:
        from workflow.vcs.worker import GitWorker

        app.extensions[KEY] = GitWorker(config, settings).start()
    app.register_blueprint(bp)
    app.context_processor(_banner)


def worker(app: Flask | None = None) -> Any:
    return (app or current_app).extensions.get(KEY)


def notify(app: Flask, lang: str) -> None:
    """A write batch of *lang* is on disk (web.writes calls this)."""
    w = app.extensions.get(KEY)
    if w is not None:
        w.notify(lang)


def problems(status: Any) -> list[str]:
    """The banner's lines for a ``workflow.vcs.state.Status``, in the interface language
    (git's own message stays as git wrote it)."""
    out = []
    if status.pull_error:
        out.append(gettext("Pull failed: %(error)s", error=status.pull_error))
    if status.push_error:
        out.append(gettext("Push failed: %(error)s", error=status.push_error))
    return out


def _banner() -> dict[str, Any]:
    w = worker()
    if w is None or not getattr(current_user, "is_authenticated", False) \
            or not current_user.is_coordinator:
        return {"git_problems": []}
    from workflow.vcs import state

    try:
        return {"git_problems": problems(state.status(services().conn))}
    except Exception:  # noqa: BLE001 - a banner must never break a page
        log.exception("git status")
        return {"git_problems": [gettext("The git status cannot be read; see the server "
                                         "log.")]}


def panel() -> dict[str, Any] | None:
    """The export page's repository panel (None when git is off)."""
    w = worker()
    if w is None:
        return None
    st = w.status(services().conn)
    s = w.settings
    return {"remote": s.remote, "branch": s.branch, "status": st,
            "report": session.pop("git_report", None)}


@bp.post("/git/sync")
@login_required
def sync_now() -> Any:
    require_coordinator()
    w = worker()
    if w is None:
        session["git_report"] = {"ok": False,
                                 "lines": [gettext("git is not enabled for this project")]}
        return redirect(url_for("export.page"))
    report = w.sync_now(services().conn)
    log.info("sync by %s: %s", current_user.name, "; ".join(report.lines))
    session["git_report"] = {"ok": report.ok, "lines": report.lines[:20]}
    return redirect(url_for("export.page"))
