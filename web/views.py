"""View helpers shared by the HTML blueprints and the JSON API: access checks, the
queue (``workflow.review`` order and filters over the cached catalogue), navigation
and JSON shapes."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from workflow import review
from workflow.errors import Forbidden
from workflow.review import STATES, provenance, role_of

from .core import services

__all__ = ["STATES", "finding_dict", "message_dict", "neighbours", "next_open", "queue",
           "require_view", "role_of", "visible_languages"]


def require_view(lang: str) -> None:
    """Forbidden (403) unless the logged-in user works on *lang* (coordinators see all)."""
    if not current_user.can_edit(lang):
        raise Forbidden(f"You do not work on {lang}.")


def visible_languages() -> list[str]:
    return current_user.visible_languages(services().config.languages)


def queue(lang: str, state: str | None = None, qa: bool = False) -> list[Any]:
    """Active entries in letter order, optionally only one state / only with findings."""
    svc = services()
    with_findings = svc.findings_by_context(lang) if qa else None
    return review.queue(svc.catalog(lang), state, with_findings)


def neighbours(lang: str, context: str) -> tuple[str | None, str | None]:
    """(previous, next) contexts in letter order."""
    return review.neighbours(services().catalog(lang), context)


def next_open(lang: str, context: str) -> str | None:
    """The next entry after *context* that still needs review (wrapping), else None."""
    return review.next_open(services().catalog(lang), context)


def finding_dict(f: Any) -> dict[str, Any]:
    return {
        "check_id": getattr(f, "check_id", ""), "severity": getattr(f, "severity", ""),
        "message": getattr(f, "message", str(f)), "context": getattr(f, "context", ""),
    }


def message_dict(m: Any) -> dict[str, Any]:
    return {
        "context": m.context, "source": m.source, "source_plural": m.source_plural,
        "strings": list(m.strings), "fuzzy": m.fuzzy, "state": m.state,
        "revision": m.revision, "provenance": provenance(m),
        "previous_source": m.previous_source, "comments": list(m.auto_comments),
        "flags": sorted(m.flags),
    }
