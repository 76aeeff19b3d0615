"""Coordinator export pages: the export gate per language (a compact summary: entries not
approved and entries with QA errors, who approved and when, from the audit trail), a
dry run of what an export would write, and a streamed .zip of .docx letters for an
uploaded recipients file.

The gate is workflow.export.run's: only fully approved languages without QA errors are
exported, unless the coordinator asks for marked drafts; ``skip_blocked`` and
``allow_unattributed`` are the CLI's ``--skip-blocked`` and ``--allow-unattributed``. The
dry run is ``workflow.export.dryrun.dry_run_report``, the document ``letterflow export
--dry-run --format json`` prints: this page only renders it. With JavaScript the form is
sent with fetch (the file input keeps its file); without, the chosen file is kept on the
server (web/export_upload.py) and the re-rendered page carries its token."""

from __future__ import annotations

import datetime as _dt
import logging
import re
from typing import Any

from flask import Blueprint, Response, render_template, request, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user, login_required

from workflow.errors import LetterflowError

from .auth import require_coordinator
from .core import services
from .qa_text import blocking_line

bp = Blueprint("export", __name__)
log = logging.getLogger("letterflow.web")

#: Blocking reasons listed per language (the rest is counted).
DETAIL_LIMIT = 10


def when(value: str | None) -> str:
    """An ISO or PO-header time as ``2026-11-29 13:02 UTC`` (one format everywhere)."""
    if not value:
        return ""
    text = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", value.strip().replace(" ", "T", 1))
    try:
        t = _dt.datetime.fromisoformat(text)
    except ValueError:
        return value
    if t.tzinfo is not None:
        t = t.astimezone(_dt.UTC)
    return t.strftime("%Y-%m-%d %H:%M UTC")


def row(status: Any) -> dict[str, Any]:
    """One language of the summary table. Entries and findings are counted apart."""
    cat = status.catalog
    stats = getattr(cat, "stats", None)
    approval = status.approval or {}
    audited = approval.get("source") == "audit"  # a header date is no approval
    return {
        "language": status.language, "ok": status.ok,
        "total": stats.total if stats else 0,
        "approved": stats.approved if stats else 0,
        "not_approved": (stats.total - stats.approved) if stats else 0,
        "with_errors": len(status.flagged),
        "blocking": [blocking_line(b) for b in status.blocking[:DETAIL_LIMIT]],
        "more": max(0, len(status.blocking) - DETAIL_LIMIT),
        "by": approval.get("by") or [] if audited else [],
        "at": when(approval.get("at")) if audited else "",
    }


def _statuses() -> list[Any]:
    from workflow.export.run import available_languages, language_status
    from workflow.letter import load_letter

    svc = services()
    cfg = svc.config
    letter = load_letter(cfg.letters[0])
    # the same symlink guard as every catalogue route: an unsafe path is not read
    return [language_status(cfg, lang, letter=letter) for lang in available_languages(cfg)
            if svc.catalog_path(lang) is not None]


def _page(error: str | None = None, blocked: list | None = None, report: dict | None = None,
          kept: Any = None, rows_read: int | None = None, refused: list | None = None,
          status: int = 200) -> Any:
    try:
        rows, load_error = [row(s) for s in _statuses()], None
    except LetterflowError as exc:
        rows, load_error = [], str(exc)
    from .gitsync import panel

    return render_template("export.html", rows=rows, error=error or load_error,
                           blocked=blocked or [], refused=refused or [], report=report,
                           kept=kept, kept_rows=rows_read, options=_options(),
                           git=panel()), status


@bp.get("/export")
@login_required
def page() -> Any:
    require_coordinator()
    return _page()


def _options() -> dict[str, bool]:
    """The coordinator's choices on this post (all off on a fresh page)."""
    form = request.form if request.method == "POST" else {}
    return {key: form.get(key) == "1"
            for key in ("allow_drafts", "skip_blocked", "allow_unattributed")}


def _var_dir() -> Any:
    from pathlib import Path

    return Path(services().config.database).parent


def _recipients_file() -> tuple[Any, str | None]:
    """(the kept file, None) from this post's upload or its kept token, else (None, why)."""
    from . import export_upload as kept

    upload = request.files.get("recipients")
    if upload is not None and upload.filename:
        raw = upload.read(kept.MAX_BYTES + 1)
        if len(raw) > kept.MAX_BYTES:
            return None, _("The recipients file is larger than %(n)s KiB.",
                           n=kept.MAX_BYTES // 1024)
        return kept.keep(_var_dir(), current_user.user.id, upload.filename, raw), None
    token = request.form.get("recipients_token", "")
    if token:
        found = kept.load(_var_dir(), current_user.user.id, token)
        if found is not None:
            return found, None
        return None, _("The recipients file chosen earlier is no longer kept; choose it "
                       "again.")
    return None, _("Choose a recipients file (CSV: country, language, name, ...).")


@bp.post("/export")
@login_required
def download() -> Any:
    require_coordinator()
    from workflow.export.dryrun import dry_run_report
    from workflow.export.recipients import parse_recipients
    from workflow.export.run import GateClosed, available_languages, plan_export, stream_zip

    cfg = services().config
    opts = _options()
    file, error = _recipients_file()
    blocked, refused, recipients = [], [], None
    if file is not None:
        try:
            safe = [lang for lang in available_languages(cfg)
                    if services().catalog_path(lang) is not None]
            recipients = parse_recipients(file.data, safe, source_language=cfg.source_language,
                                          path=file.filename)
            if request.form.get("dry_run") == "1":
                report = dry_run_report(cfg, recipients, **opts)
                return _page(report=report, kept=file, rows_read=len(recipients))
            plan = plan_export(cfg, recipients, **opts)
        except GateClosed as exc:
            error = _("Export blocked: these languages are not ready.")
            blocked = [row(s) for s in exc.blocked]
            refused = [s.as_dict() for s in exc.recipients]
        except LetterflowError as exc:
            error = str(exc)
    if error is not None:
        return _page(error, blocked, kept=file, refused=refused,
                     rows_read=len(recipients) if recipients is not None else None, status=400)
    log.info("export of %d letters by %s (options: %s)", len(plan.recipients),
             current_user.name, ", ".join(k for k, v in opts.items() if v) or "none")
    resp = Response(stream_with_context(stream_zip(plan)), mimetype="application/zip")
    resp.headers["Content-Disposition"] = 'attachment; filename="letters.zip"'
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["X-Letterflow-Letters"] = str(len(plan.recipients))
    resp.headers["X-Letterflow-Skipped"] = str(len(plan.skipped))
    return resp
