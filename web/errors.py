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
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from workflow.errors import (
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
TITLES = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 409: "Conflict",
          413: "Request Entity Too Large", 422: "Unprocessable Entity",
          503: "Service Unavailable", 500: "Internal Server Error"}


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
    if outcome is not None and wants_json():
        from .service import outcome_json

        resp = jsonify(outcome_json(outcome))
    else:
        resp = error_response(code, TITLES.get(code, "Error"), str(exc))
    resp.status_code = code
    if isinstance(exc, Busy):
        resp.headers["Retry-After"] = str(getattr(exc, "retry_after", 1) or 1)
    return resp


def init_app(app: Flask) -> None:
    app.register_error_handler(ReviewError, review_error_response)
