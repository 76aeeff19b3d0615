"""View helpers shared by the HTML blueprints and the JSON API: access checks,
queue filtering, navigation and JSON shapes."""

from __future__ import annotations

import re
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


QA_FILTERS = ("1", "error", "warning")


def queue(lang: str, state: str | None = None, qa: bool | str = False,
          q: str = "") -> list[Any]:
    """Active entries in letter order, optionally only one state, only with findings
    (``qa``: "1"/True any, "error" with an error, "warning" with warnings but no error),
    only those whose source or translation contains *q* (case-insensitive)."""
    cat = services().catalog(lang)
    items = cat.active()
    if state in STATES:
        items = [m for m in items if m.state == state]
    if qa:
        found = services().findings_by_context(lang)
        kind = qa if qa in ("error", "warning") else None
        items = [m for m in items if m.context in found
                 and (kind is None or qa_kind(found[m.context]) == kind)]
    needle = q.strip().casefold()
    if needle:
        items = [m for m in items if needle in " ".join(
            (m.source, m.source_plural or "", *m.strings, m.context)).casefold()]
    return items


def qa_kind(findings: list) -> str:
    """"error" if any finding is an error, "warning" if only warnings, else ""."""
    severities = {getattr(f, "severity", "") for f in findings}
    if "error" in severities:
        return "error"
    return "warning" if severities else ""


def qa_counts(items: list[Any], found: dict[str, list]) -> dict[str, int]:
    """Entries of *items* with an error, and with warnings only (counted apart)."""
    kinds = [qa_kind(found.get(m.context, [])) for m in items]
    return {"shown": len(items), "errors": kinds.count("error"),
            "warnings": kinds.count("warning")}


def grouped_findings(findings: list) -> list[dict[str, Any]]:
    """Findings grouped per check (one badge "glossary ×4" holding the four messages)."""
    groups: dict[str, dict[str, Any]] = {}
    for f in findings:
        cid = getattr(f, "check_id", "")
        g = groups.setdefault(cid, {"check_id": cid, "severity": "warning", "messages": []})
        if getattr(f, "severity", "") == "error":
            g["severity"] = "error"
        msg = getattr(f, "message", str(f))
        if msg not in g["messages"]:
            g["messages"].append(msg)
        g["count"] = g.get("count", 0) + 1
    return sorted(groups.values(), key=lambda g: (g["severity"] != "error", g["check_id"]))


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


def winner(lang: str, context: str) -> dict[str, Any]:
    """Who made the entry's current text and when (the latest change in its history):
    ``{"by": name, "at": "2026-11-29 12:01:02"}``, empty values if nobody did."""
    from workflow import audit

    rows = [h for h in audit.history(services().conn, lang, context)
            if h.action not in ("conflict", "denied")]
    if not rows:
        return {"by": "", "at": ""}
    last = rows[-1]
    return {"by": last.user, "at": last.at[:19].replace("T", " ")}


_COMMENT_KEY = re.compile(r"^[a-z][a-z ]*(?: \{\w+\})?:")


def comment_notes(message: Any) -> list[str]:
    """The automatic comments as whole notes: the extractor wraps a note over several
    ``#.`` lines; a new note starts with ``key:`` (``role:``, ``placeholder {n}:``)."""
    notes: list[str] = []
    for line in message.auto_comments:
        if notes and not _COMMENT_KEY.match(line):
            notes[-1] += " " + line.strip()
        else:
            notes.append(line.strip())
    return notes


def role_of(message: Any) -> str:
    """The role note, readable: "body, 2 of 12 (a paragraph of the letter's body)"."""
    notes = comment_notes(message)
    for note in notes:
        if note.lower().startswith("role:"):
            return note[5:].split("; block ")[0].strip()
    return notes[0] if notes else ""


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
