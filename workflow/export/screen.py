"""Which recipients get a letter: a letter is in the language it claims, or it is not sent.

:func:`screen` sorts the recipients of a run:

- a recipient whose language has a catalogue but not one paragraph of the letter
  translated would get the source text dressed as their language: with ``fallback=yes`` in
  their row they get the source-language letter instead (file name, manifest and summary
  say so); without it they are **blocked**, even with ``--allow-drafts``;
- a recipient whose language is not ready (not fully approved, QA errors, unattributed
  approvals) is blocked unless ``--allow-drafts``.

Blocked recipients stop the whole run (all or nothing, with the list), or with
``--skip-blocked`` are left out and listed in the summary and the manifest.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .recipients import Recipient

NOTHING_TRANSLATED = "nothing translated"


@dataclass(frozen=True)
class Skipped:
    """A recipient who gets no letter, and why."""

    recipient: Recipient
    reason: str

    def as_dict(self) -> dict[str, Any]:
        r = self.recipient
        return {"row": r.row, "country": r.country, "language": r.language, "name": r.name,
                "reason": self.reason}

    def line(self) -> str:
        r = self.recipient
        who = " ".join(x for x in (r.country, r.language, r.name) if x)
        return f"row {r.row} ({who}): {self.reason}"


def translated_blocks(letter: Any, catalog: Any) -> int:
    """How many of the letter's translatable blocks have a translation (any state)."""
    count = 0
    for block in letter.messages:
        msg = catalog.get(block.context)
        if msg is not None and any(s.strip() for s in msg.strings):
            count += 1
    return count


def screen(recipients: list[Recipient], statuses: dict[str, Any], source: str,
           allow_drafts: bool) -> tuple[list[Recipient], list[Skipped]]:
    """(recipients who get a letter, possibly switched to the source language; blocked)."""
    keep: list[Recipient] = []
    blocked: list[Skipped] = []
    for r in recipients:
        status = statuses[r.language]
        if status.catalog is not None and status.translated == 0:
            if r.fallback:
                keep.append(dataclasses.replace(r, language=source, source_fallback=True,
                                                fallback_reason=NOTHING_TRANSLATED))
            else:
                blocked.append(Skipped(r, (
                    f"not one paragraph of the letter is translated into {r.language}: the "
                    f"letter would be the {source} text in disguise (fallback=yes in the row "
                    f"sends the {source} letter)")))
            continue
        if not status.ok and not allow_drafts:
            blocked.append(Skipped(r, f"{r.language} is not ready: {status.summary}"))
            continue
        keep.append(r)
    return keep, blocked
