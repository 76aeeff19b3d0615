"""The coordinator's history view: every change, filterable by user, language and date."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, abort, render_template, request
from flask_login import login_required

from workflow import audit

from .auth import require_coordinator
from .core import services

bp = Blueprint("history", __name__)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PAGE = 100


def filters() -> dict[str, Any]:
    """Validated filters from the query string (400 on a malformed one)."""
    args = request.args
    out: dict[str, Any] = {}
    user = args.get("user", "").strip()
    if user:
        if len(user) > 64:
            abort(400, description="user name too long")
        out["user"] = user
    lang = args.get("lang", "").strip()
    if lang:
        if lang not in services().config.languages:
            abort(400, description="unknown language in the filter")
        out["language"] = lang
    for key in ("since", "until"):
        value = args.get(key, "").strip()
        if value:
            if not _DATE.match(value):
                abort(400, description=f"{key} must be a date like 2026-11-27")
            out[key] = value
    action = args.get("action", "").strip()
    if action:
        if action not in audit.ACTIONS:
            abort(400, description="unknown action in the filter")
        out["action"] = action
    from .inputs import row_id

    n = row_id(args.get("page", "1") or "1")
    if n is None or n >= 100_000:
        abort(400, description="page must be a number like 2")
    out["limit"] = PAGE
    out["offset"] = (n - 1) * PAGE
    return out


@bp.route("/history")
@login_required
def history() -> Any:
    require_coordinator()
    f = filters()
    svc = services()
    rows = audit.query(svc.conn, **f)
    page = f["offset"] // PAGE + 1
    return render_template("history.html", rows=rows, f=f, page=page,
                           more=len(rows) == PAGE, users=audit.users(svc.conn),
                           languages=svc.config.languages, actions=audit.ACTIONS)


@bp.app_template_filter("reject_page")
def _reject_page(args: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in args.items() if k != "page"}
