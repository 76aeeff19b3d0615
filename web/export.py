"""Coordinator export pages: the export gate per language (a compact summary: entries not
approved and entries with QA errors, who approved and when, from the audit trail), a
dry-run listing of the files an export would write, and a streamed .zip of .docx letters
for an uploaded recipients file.

The gate is workflow.export.run's: only fully approved languages without QA errors are
exported, unless the coordinator asks for marked drafts. With JavaScript the form is sent
with fetch, so a refused export keeps the chosen file and a success is shown."""

from __future__ import annotations

import datetime as _dt
import logging
import re
from typing import Any

from flask import Blueprint, Response, render_template, request, stream_with_context
from flask_login import current_user, login_required

from workflow.errors import LetterflowError

from .auth import require_coordinator
from .core import services

bp = Blueprint("export", __name__)
log = logging.getLogger("letterflow.web")

#: Largest recipients file accepted (it must also fit MAX_CONTENT_LENGTH).
MAX_RECIPIENTS_BYTES = 200 * 1024
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
        "blocking": status.blocking[:DETAIL_LIMIT],
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


def _page(error: str | None = None, blocked: list | None = None, listing: list | None = None,
          status: int = 200) -> Any:
    try:
        rows, load_error = [row(s) for s in _statuses()], None
    except LetterflowError as exc:
        rows, load_error = [], str(exc)
    from .gitsync import panel

    return render_template("export.html", rows=rows, error=error or load_error,
                           blocked=blocked or [], listing=listing, git=panel()), status


@bp.get("/export")
@login_required
def page() -> Any:
    require_coordinator()
    return _page()


def dry_run(plan: Any) -> list[dict[str, Any]]:
    """The files an export of *plan* would write, without rendering any letter."""
    try:
        from workflow.export.run import _unique  # the export's own naming rule
    except ImportError:  # pragma: no cover - the core moved it
        def _unique(name: str, used: set[str]) -> str:
            used.add(name)
            return name
    names: set[str] = set()
    out = []
    for r in plan.recipients:
        status = plan.statuses.get(r.language)
        out.append({"file": _unique(f"{r.slug}.docx", names), "country": r.country,
                    "language": r.language, "name": r.name,
                    "draft": bool(status is not None and not status.ok)})
    return out


@bp.post("/export")
@login_required
def download() -> Any:
    require_coordinator()
    from workflow.export.recipients import parse_recipients
    from workflow.export.run import GateClosed, available_languages, plan_export, stream_zip

    cfg = services().config
    upload = request.files.get("recipients")
    allow = request.form.get("allow_drafts") == "1"
    error, blocked, plan = None, [], None
    if upload is None or not upload.filename:
        error = "Choose a recipients file (CSV: country, language, name, ...)."
    else:
        raw = upload.read(MAX_RECIPIENTS_BYTES + 1)
        if len(raw) > MAX_RECIPIENTS_BYTES:
            error = f"The recipients file is larger than {MAX_RECIPIENTS_BYTES // 1024} KiB."
    if error is None:
        try:
            safe = [lang for lang in available_languages(cfg)
                    if services().catalog_path(lang) is not None]
            recipients = parse_recipients(raw, safe,
                                          source_language=cfg.source_language,
                                          path="recipients.csv")
            plan = plan_export(cfg, recipients, allow_drafts=allow)
        except GateClosed as exc:
            error = "Export blocked: these languages are not ready."
            blocked = [row(s) for s in exc.blocked]
        except LetterflowError as exc:
            error = str(exc)
    if error is not None:
        return _page(error, blocked, status=400)
    if request.form.get("dry_run") == "1":
        return _page(listing=dry_run(plan))
    log.info("export of %d letters by %s (drafts allowed: %s)", len(plan.recipients),
             current_user.name, allow)
    resp = Response(stream_with_context(stream_zip(plan)), mimetype="application/zip")
    resp.headers["Content-Disposition"] = 'attachment; filename="letters.zip"'
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["X-Letterflow-Letters"] = str(len(plan.recipients))
    return resp
