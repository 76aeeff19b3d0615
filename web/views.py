"""View helpers shared by the HTML blueprints and the JSON API: access checks, the
queue (``workflow.review`` order and filters over the cached catalogue), navigation
and JSON shapes."""

from __future__ import annotations

import re
from typing import Any

from flask_login import current_user

from workflow import review
from workflow.errors import N_, Forbidden, NotFound
from workflow.review import STATES, provenance

from .core import services

__all__ = ["QA_FILTERS", "STATES", "comment_notes", "finding_dict", "grouped_findings",
           "message_dict", "neighbours", "next_open", "qa_counts", "qa_kind", "queue",
           "require_catalog", "require_entry", "require_view", "role_of", "visible_languages",
           "winner"]


def require_view(lang: str, user: Any = None) -> None:
    """Forbidden (403) unless the logged-in user (or *user*, the same, at hand) works on
    *lang* (coordinators see all)."""
    if not (user or current_user).can_edit(lang):
        raise Forbidden(N_("You do not work on %(lang)s."), params={"lang": lang})


def require_catalog(lang: str) -> None:
    """NotFound (404) unless *lang*'s catalogue path is safe to read (configured, inside
    locales/, no symlink on the way): every route that reads a catalogue, even indirectly
    through the core (preview, export), passes this guard."""
    if services().catalog_path(lang) is None:
        raise NotFound(N_("There is no catalogue for %(lang)s."), params={"lang": lang})


def require_entry(lang: str, context: str, *, obsolete: bool = True) -> tuple[Any, Any]:
    """(*lang*'s catalogue, its message *context*) for a user who works on *lang* (else
    403); NotFound (404, localised) if there is no such entry (or it is obsolete, unless
    *obsolete*)."""
    require_view(lang)
    cat = services().catalog(lang)
    msg = cat.get(context)
    if msg is None or (msg.obsolete and not obsolete):
        raise NotFound(N_("No such entry in this catalogue."))
    return cat, msg


def visible_languages() -> list[str]:
    return current_user.visible_languages(services().config.languages)


QA_FILTERS = ("1", "error", "warning")


def queue(lang: str, state: str | None = None, qa: bool | str = False,
          q: str = "") -> list[Any]:
    """Active entries in letter order (``workflow.review.queue``), optionally only one
    state, only with findings (``qa``: "1"/True any, "error" with an error, "warning" with
    warnings but no error), only those whose source or translation contains *q*
    (case-insensitive)."""
    svc = services()
    found = svc.findings_by_context(lang) if qa else None
    if found is not None and qa in ("error", "warning"):
        found = {c: fs for c, fs in found.items() if qa_kind(fs) == qa}
    items = review.queue(svc.catalog(lang), state, found)
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
    """Findings grouped per check (one badge "glossary ×4" holding the four messages), the
    check's title and the messages in the interface language."""
    from .qa_text import check_title, finding_text

    groups: dict[str, dict[str, Any]] = {}
    for f in findings:
        cid = getattr(f, "check_id", "")
        g = groups.get(cid)
        if g is None:
            g = groups[cid] = {"check_id": cid, "title": check_title(cid),
                               "severity": "warning", "messages": [], "count": 0}
        if getattr(f, "severity", "") == "error":
            g["severity"] = "error"
        text = finding_text(f)
        if text not in g["messages"]:
            g["messages"].append(text)
        g["count"] += 1
    return sorted(groups.values(), key=lambda g: (g["severity"] != "error", g["check_id"]))


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
    """The role note, readable and whole: "body, 2 of 12 (a paragraph of the letter's
    body)" (``workflow.review.role_of`` gives the first, wrapped comment line)."""
    notes = comment_notes(message)
    for note in notes:
        if note.lower().startswith("role:"):
            return note[5:].split("; block ")[0].strip()
    return notes[0] if notes else ""


def neighbours(lang: str, context: str) -> tuple[str | None, str | None]:
    """(previous, next) contexts in letter order."""
    return review.neighbours(services().catalog(lang), context)


def next_open(lang: str, context: str) -> str | None:
    """The next entry after *context* that still needs review (wrapping), else None."""
    return review.next_open(services().catalog(lang), context)


def finding_dict(f: Any) -> dict[str, Any]:
    """A finding as JSON: ``message`` in English as the gate says it, ``text``, ``title``
    and ``severity_text`` in the interface language (what the editor's script shows)."""
    from .qa_text import check_title, finding_text, severity_word

    check_id, severity = getattr(f, "check_id", ""), getattr(f, "severity", "")
    return {
        "check_id": check_id, "severity": severity,
        "message": getattr(f, "message", str(f)), "context": getattr(f, "context", ""),
        "text": finding_text(f), "title": check_title(check_id),
        "severity_text": severity_word(severity),
    }


def message_dict(m: Any) -> dict[str, Any]:
    return {
        "context": m.context, "source": m.source, "source_plural": m.source_plural,
        "strings": list(m.strings), "fuzzy": m.fuzzy, "state": m.state,
        "revision": m.revision, "provenance": provenance(m),
        "previous_source": m.previous_source, "comments": list(m.auto_comments),
        "flags": sorted(m.flags),
    }
