"""Coordinator export pages: the export gate per language (with who approved it and when,
from the audit trail) and a streamed .zip of .docx letters for an uploaded recipients file.

The gate is workflow.export.run's: only fully approved languages without QA errors are
exported, unless the coordinator asks for marked drafts."""

from __future__ import annotations

import logging
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


def _statuses() -> list[Any]:
    from workflow.export.run import available_languages, language_status
    from workflow.letter import load_letter

    cfg = services().config
    letter = load_letter(cfg.letters[0])
    return [language_status(cfg, lang, letter=letter) for lang in available_languages(cfg)]


@bp.get("/export")
@login_required
def page() -> Any:
    require_coordinator()
    try:
        statuses, error = _statuses(), None
    except LetterflowError as exc:
        statuses, error = [], str(exc)
    from .gitsync import panel

    return render_template("export.html", statuses=statuses, error=error, git=panel())


@bp.post("/export")
@login_required
def download() -> Any:
    require_coordinator()
    from workflow.export.recipients import parse_recipients
    from workflow.export.run import GateClosed, available_languages, plan_export, stream_zip

    cfg = services().config
    upload = request.files.get("recipients")
    allow = request.form.get("allow_drafts") == "1"
    error = None
    if upload is None or not upload.filename:
        error = "Choose a recipients file (CSV: country, language, name, ...)."
    else:
        raw = upload.read(MAX_RECIPIENTS_BYTES + 1)
        if len(raw) > MAX_RECIPIENTS_BYTES:
            error = f"The recipients file is larger than {MAX_RECIPIENTS_BYTES // 1024} KiB."
    if error is None:
        try:
            recipients = parse_recipients(raw, available_languages(cfg),
                                          source_language=cfg.source_language,
                                          path="recipients.csv")
            plan = plan_export(cfg, recipients, allow_drafts=allow)
        except GateClosed as exc:
            error = "Export blocked: these languages are not ready.\n" + "\n".join(exc.details())
        except LetterflowError as exc:
            error = str(exc)
    if error is not None:
        try:
            statuses = _statuses()
        except LetterflowError:
            statuses = []
        from .gitsync import panel

        return render_template("export.html", statuses=statuses, error=error,
                               git=panel()), 400
    log.info("export of %d letters by %s (drafts allowed: %s)", len(plan.recipients),
             current_user.name, allow)
    resp = Response(stream_with_context(stream_zip(plan)), mimetype="application/zip")
    resp.headers["Content-Disposition"] = 'attachment; filename="letters.zip"'
    resp.headers["Cache-Control"] = "no-store"
    return resp
