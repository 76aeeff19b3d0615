"""The export gate per language: is its catalogue complete, clean and attributed?

:func:`language_status` loads a language's catalogue and gives its :class:`LanguageStatus`
(``workflow.status.assess``: complete, clean, every letter block present), who approved it
(:func:`approval_info`) and who approved each message (:mod:`.attribution`). A blocked
language stops the run with :class:`GateClosed` (exit 1). :mod:`.run` plans the export from
these and re-exports the names, which the CLI and the web import from there.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExportError


class GateClosed(ExportError):
    """Some recipients' languages are not fully approved or have QA errors (exit code 1)."""

    exit_code = 1

    def __init__(self, blocked: list[LanguageStatus], recipients: list | None = None):
        self.blocked = blocked
        self.recipients = list(recipients or [])  # screen.Skipped: the blocked recipients
        parts = [f"{s.language} ({len(s.blocking)} blocking)" for s in blocked]
        super().__init__(
            "export blocked: not fully approved or with QA errors: " + ", ".join(parts)
            + " (use --allow-drafts for marked drafts, --skip-blocked to write the others)"
        )

    def details(self, limit: int = 10) -> list[str]:
        lines = [f"blocked: {s.line()}" for s in self.recipients]
        for status in self.blocked:
            lines.append(f"{status.language}: {status.summary}")
            lines.extend(f"  {item}" for item in status.blocking[:limit])
            if len(status.blocking) > limit:
                lines.append(f"  ... and {len(status.blocking) - limit} more")
        return lines


@dataclass
class LanguageStatus:
    language: str
    path: Path | None = None
    catalog: object | None = None  # catalogs.Catalog; None for the source language
    content_hash: str | None = None
    blocking: list[str] = field(default_factory=list)  # "context: reason" lines
    flagged: set[str] = field(default_factory=set)  # contexts with an error-severity finding
    approval: dict = field(default_factory=dict)  # {"by": [...], "at": ..., "source": ...}
    summary: str = ""
    countries: object | None = None  # the language's countries catalogue (or None)
    country_forms: set[str] = field(default_factory=set)  # slots the letter's text uses
    attribution: dict = field(default_factory=dict)  # context -> attribution.Attribution
    translated: int = -1  # letter blocks with a translation (-1: not counted)

    @property
    def unattributed(self) -> list[str]:
        """Approved messages nobody's approval can be named for."""
        return [c for c, a in self.attribution.items() if a.by is None]

    @property
    def ok(self) -> bool:
        return not self.blocking


def available_languages(config) -> list[str]:
    """The configured languages whose catalogue file exists."""
    return [lang for lang in config.languages if config.catalog(lang).is_file()]


def language_status(config, language: str, *, letter=None) -> LanguageStatus:
    """Load *language*'s catalogue and decide whether it may be exported
    (``workflow.status.assess``: complete, clean, every letter block present)."""
    from ..catalogs import load_catalog
    from ..status import assess

    if language == config.source_language:
        return LanguageStatus(language, summary="source language", approval={"source": "letter"})
    path = config.catalog(language)
    raw = path.read_bytes()
    catalog = load_catalog(path, language)
    status = LanguageStatus(language, path, catalog, hashlib.sha256(raw).hexdigest())
    assessed = assess(catalog, config=config, letter=letter)
    if letter is not None:
        from .screen import translated_blocks

        status.translated = translated_blocks(letter, catalog)
    status.blocking.extend(f"{c}: not in the catalogue (run `letterflow update`)"
                           for c in assessed.missing)
    status.blocking.extend(f"{context}: {state}" for context, state, _ in assessed.not_approved)
    for finding in assessed.errors:
        status.flagged.add(finding.context)
        status.blocking.append(f"{finding.context}: [{finding.check_id}] {finding.message}")
    c = assessed.counts
    status.summary = (f"{assessed.percent:.0f}% approved ({c['draft']} draft, "
                      f"{c['untranslated']} untranslated), {len(status.flagged)} with QA errors")
    status.approval = approval_info(config, language, catalog)
    from .attribution import attribute

    status.attribution = attribute(config, language, catalog)
    return status


def require_attribution(status: LanguageStatus) -> None:
    """An approved message with no attribution blocks (and is never shown as approved)."""
    for context in status.unattributed:
        why = status.attribution[context].why
        status.blocking.append(f"{context}: approved, but nobody's approval is recorded "
                               f"({why}); approve it in review, or --allow-unattributed")
        status.flagged.add(context)


def approval_info(config, language: str, catalog) -> dict:
    """Who approved the catalogue and when: the audit trail if the database exists, else the
    catalogue headers."""
    db_path = Path(config.database)
    if db_path.is_file():
        from .. import audit, db

        conn = db.connect(db_path)
        try:
            entries = audit.approvals(conn, language)
        finally:
            conn.close()
        active = {m.context for m in catalog.active()}
        mine = [e for c, e in entries.items() if c in active]
        if mine:
            return {
                "source": "audit",
                "by": sorted({e.user for e in mine}),
                "at": max(e.at for e in mine),
                "messages_with_audit_approval": len(mine),
                # the git commits holding these approvals (workflow.vcs), when git is on
                "commits": sorted({e.git_commit for e in mine if e.git_commit}),
                "messages": len(active),
            }
    headers = getattr(catalog, "headers", {}) or {}
    return {
        "source": "catalogue headers",
        "by": [h for h in [headers.get("Last-Translator", "").strip()] if h],
        "at": headers.get("PO-Revision-Date", "").strip() or None,
    }
