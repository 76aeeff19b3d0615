"""manifest.json: what an export run wrote, from which catalogues, approved by whom.

Per language: the catalogue's path and content hash (SHA-256 of the .po bytes), whether it is
approved, who approved it and when, what blocks it and which approved messages nobody's
approval is recorded for. Per file: the recipient, the language, the paper, the catalogue
hash, the draft marks, the count of paragraphs per state, and for every message its state
and who approved it and when (``source``: "audit" or "Last-Translator", see
:mod:`.attribution`), and the file's own SHA-256 and size.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .run import ExportedLetter, ExportPlan


def build_manifest(plan: ExportPlan, files: list[ExportedLetter]) -> dict:
    """What manifest.json says about a run: the letter, every language's catalogue and
    approval, and every file written (recipient, hashes, draft marks)."""
    path = Path(plan.letter.path)
    letter_bytes = path.read_bytes() if path.is_file() else b""
    return {
        "generated_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "letter": {"id": plan.letter.id, "title": plan.letter.title,
                   "sha256": hashlib.sha256(letter_bytes).hexdigest()},
        "allow_drafts": plan.allow_drafts,
        "allow_unattributed": plan.allow_unattributed,
        "template": _file_info(plan.template),
        "appendix": _file_info(plan.appendix),
        "languages": {
            lang: {
                "catalogue": _rel(st.path, plan.config.root) if st.path else None,
                "sha256": st.content_hash,
                "approved": st.ok,
                "approved_by": st.approval.get("by"),
                "approved_at": st.approval.get("at"),
                "approval_source": st.approval.get("source"),
                "approved_in_commits": st.approval.get("commits"),
                "blocking": st.blocking[:50],
                "unattributed": st.unattributed,
            }
            for lang, st in sorted(plan.statuses.items())
        },
        "skipped": [s.as_dict() for s in plan.skipped],
        "files": [
            {
                "file": f.filename,
                "recipient": {
                    "row": f.recipient.row, "country": f.recipient.country,
                    "name": f.recipient.name, "title": f.recipient.title,
                    "email": f.recipient.email,
                },
                "language": f.language,
                "country_name": f.country_name,
                "paper": f.paper,
                "source_fallback": f.recipient.source_fallback,
                "fallback_reason": f.recipient.fallback_reason or None,
                "wanted_language": f.recipient.wanted_language or f.language,
                "catalogue_sha256": plan.statuses[f.language].content_hash,
                "approved_by": plan.statuses[f.language].approval.get("by"),
                "approved_at": plan.statuses[f.language].approval.get("at"),
                "draft": f.draft,
                "unapproved": f.unapproved,
                "paragraphs": {state: f.count(state) for state in PARAGRAPH_STATES},
                "messages": [_message(plan, f.language, ctx, state) for ctx, state in f.states],
                "sha256": f.sha256,
                "bytes": f.size,
            }
            for f in files
        ],
    }


#: Paragraph states counted per letter in the manifest and the summary.
PARAGRAPH_STATES = ("approved", "draft", "untranslated", "flagged", "source")


def _message(plan: ExportPlan, language: str, context: str, state: str) -> dict:
    """One message of one letter: its state and who approved it, when, on what record."""
    status = plan.statuses[language]
    found = status.attribution.get(context)
    out = {"context": context, "state": state}
    if found is not None:
        out.update(found.as_dict())
    return out


def _file_info(path: Path | None) -> dict | None:
    if path is None:
        return None
    return {"name": Path(path).name, "sha256": hashlib.sha256(Path(path).read_bytes()).hexdigest()}


def _rel(path: Path, root: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path(root).resolve()))
    except ValueError:
        return str(path)
