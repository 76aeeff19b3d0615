"""View helpers shared by the HTML blueprints and the JSON API: access checks,
queue filtering, navigation and JSON shapes."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_login import current_user

from .core import provenance, services

STATES = ("draft", "untranslated", "approved")


def require_view(lang: str) -> None:
    """403 unless the logged-in user works on *lang* (coordinators see all)."""
    if not current_user.can_edit(lang):
        abort(403, description=f"You do not work on {lang}.")


def require_catalog(lang: str) -> None:
    """404 unless *lang*'s catalogue path is safe to read (configured, inside locales/,
    no symlink on the way): every route that reads a catalogue, even indirectly through
    the core (preview, export), passes this guard."""
    if services().catalog_path(lang) is None:
        abort(404)


def visible_languages() -> list[str]:
    return current_user.visible_languages(services().config.languages)


def queue(lang: str, state: str | None = None, qa: bool = False) -> list[Any]:
    """Active entries in letter order, optionally only one state / only with findings."""
    cat = services().catalog(lang)
    items = cat.active()
    if state in STATES:
        items = [m for m in items if m.state == state]
    if qa:
        with_findings = services().findings_by_context(lang)
        items = [m for m in items if m.context in with_findings]
    return items


def neighbours(lang: str, context: str) -> tuple[str | None, str | None]:
    """(previous, next) contexts in letter order."""
    items = [m.context for m in services().catalog(lang).active()]
    try:
        i = items.index(context)
    except ValueError:
        return None, None
    return (items[i - 1] if i > 0 else None, items[i + 1] if i + 1 < len(items) else None)


def next_open(lang: str, context: str) -> str | None:
    """The next entry after *context* that still needs review (wrapping), else None."""
    items = services().catalog(lang).active()
    ctxs = [m.context for m in items]
    start = ctxs.index(context) + 1 if context in ctxs else 0
    for m in items[start:] + items[:start]:
        if m.context != context and m.state != "approved":
            return m.context
    return None


def role_of(message: Any) -> str:
    """The role comment (``#. role: body``) or the first automatic comment."""
    for c in message.auto_comments:
        if c.lower().startswith("role"):
            return c
    return message.auto_comments[0] if message.auto_comments else ""


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
