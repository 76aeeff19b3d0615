"""The one mapping from core review errors (``workflow.errors.ReviewError``) to HTTP.

    InvalidInput     400 (413 when too_large)
    Forbidden        403
    NotFound         404
    Conflict         409   JSON: the outcome with both texts
    ApprovalRefused  422   JSON: the outcome with the findings
    Busy             503

Views raise nothing of their own for these cases: the review rules (and the catalogue
store) raise, :func:`init_app`'s handler answers. The editor form is the one place that
catches some of them itself, to show the page again with the user's text and the error.

The user reads the error in the interface language: a review error carries its English
template (``exc.msgid``, marked with ``workflow.errors.N_`` and extracted into the ``ui``
domain) and its ``params``; :func:`localized` translates the template, then fills it.
``str(exc)`` stays English for the CLI and the logs.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from workflow.errors import (
    N_,
    ApprovalRefused,
    Busy,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    ReviewError,
)

HTTP_STATUS: dict[type[ReviewError], int] = {
    InvalidInput: 400,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    ApprovalRefused: 422,
    Busy: 503,
}
#: The titles of the error page, translated when shown (``status_title``).
TITLES = {400: N_("Bad Request"), 401: N_("Unauthorized"), 403: N_("Forbidden"),
          404: N_("Not Found"), 405: N_("Method Not Allowed"), 409: N_("Conflict"),
          413: N_("Request Entity Too Large"), 422: N_("Unprocessable Entity"),
          429: N_("Too Many Requests"), 503: N_("Service Unavailable"),
          500: N_("Internal Server Error")}


def localized(exc: ReviewError) -> str:
    """*exc*'s message in the interface language (English when the ``ui`` catalogue has
    no translation of its template, or outside a request)."""
    from flask import has_request_context
    from flask_babel import gettext

    msgid = getattr(exc, "msgid", None) or str(exc)
    params = getattr(exc, "params", None) or {}
    if not has_request_context():
        return str(exc)
    if isinstance(exc, ApprovalRefused) and "findings" in params:
        params = _refusal_params(exc, params)
    try:
        return gettext(msgid, **params)
    except (KeyError, ValueError, TypeError):  # a translation with a broken placeholder
        return str(exc)


def _refusal_params(exc: ApprovalRefused, params: dict) -> dict:
    """A QA refusal's findings ("check id: message; ...") in a language other than
    English: each check's title and message translated (``web.qa_text``)."""
    from workflow.review.rules import errors_of

    from .i18n import SOURCE, get_locale_name

    errs = errors_of(getattr(exc.outcome, "findings", None) or [])
    if not errs or get_locale_name() == SOURCE:
        return params
    from .qa_text import refusal_findings

    return {**params, "findings": refusal_findings(errs)}


def status_title(code: int, default: str = "Error") -> str:
    """The error page's title for *code* in the interface language."""
    from flask_babel import gettext

    title = TITLES.get(code)
    return gettext(title) if title else default


def http_status(exc: ReviewError) -> int:
    """The HTTP status of a review error."""
    if isinstance(exc, InvalidInput) and exc.too_large:
        return 413
    for cls in type(exc).__mro__:
        if cls in HTTP_STATUS:
            return HTTP_STATUS[cls]
    return 500


def review_error_response(exc: ReviewError) -> Any:
    """JSON or HTML error answer for *exc*; with an outcome, the JSON carries it."""
    from flask import jsonify

    from .security import error_response, wants_json

    code = http_status(exc)
    outcome = getattr(exc, "outcome", None)
    message = localized(exc)
    if outcome is not None and wants_json():
        from .service import outcome_json

        data = outcome_json(outcome)
        data["error"] = message
        resp = jsonify(data)
    else:
        resp = error_response(code, status_title(code), message)
    resp.status_code = code
    if isinstance(exc, Busy):
        resp.headers["Retry-After"] = str(getattr(exc, "retry_after", 1) or 1)
    return resp


def init_app(app: Flask) -> None:
    app.register_error_handler(ReviewError, review_error_response)
