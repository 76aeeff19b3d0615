"""Who approved each message, and when: approved means approved by someone.

For every approved message of a catalogue, in this order:

1. **audit**: the latest ``approve`` row of the audit trail whose text is exactly the text
   in the file (an approval of an older text does not count);
2. **none**: a machine draft (its provenance comment still says ``machine translation:``)
   whose fuzzy flag was removed outside the review UI: nobody's approval is recorded;
3. **Last-Translator**: the catalogue was edited outside the UI (Poedit, a text editor):
   the header's translator and ``PO-Revision-Date``, with that source recorded;
4. **none**: no audit row and no (real) ``Last-Translator``.

A message with no attribution blocks the export unless ``--allow-unattributed``; the
manifest lists it either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Header values that name nobody (what msginit and Babel write as a placeholder).
_NOBODY = {"", "full name <email@address>", "full name <email@address>."}
MT_PREFIX = "machine translation:"


@dataclass(frozen=True)
class Attribution:
    """Who approved one message: ``by`` is None when nobody can be named."""

    by: str | None
    at: str | None
    source: str | None  # "audit" | "Last-Translator" | None
    why: str = ""  # why there is no attribution

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"approved_by": self.by, "approved_at": self.at,
                               "source": self.source}
        if self.why:
            out["unattributed"] = self.why
        return out


def _approvals(config: Any, language: str) -> dict:
    db_path = Path(config.database)
    if not db_path.is_file():
        return {}
    from .. import audit, db

    conn = db.connect(db_path)
    try:
        return audit.approvals(conn, language)
    finally:
        conn.close()


def attribute(config: Any, language: str, catalog: Any) -> dict[str, Attribution]:
    """context -> :class:`Attribution` for every approved message of *catalog*."""
    rows = _approvals(config, language)
    headers = getattr(catalog, "headers", None) or {}
    translator = headers.get("Last-Translator", "").strip()
    if translator.casefold() in _NOBODY:
        translator = ""
    revised = headers.get("PO-Revision-Date", "").strip() or None
    out: dict[str, Attribution] = {}
    for msg in catalog.active():
        if msg.state != "approved":
            continue
        row = rows.get(msg.context)
        if row is not None and tuple(row.after) == tuple(msg.strings) and not row.after_fuzzy:
            out[msg.context] = Attribution(row.user, row.at, "audit")
        elif (msg.provenance or "").startswith(MT_PREFIX):
            out[msg.context] = Attribution(None, None, None, (
                "a machine draft whose fuzzy flag was removed outside the review UI"))
        elif translator:
            out[msg.context] = Attribution(translator, revised, "Last-Translator")
        else:
            out[msg.context] = Attribution(None, None, None, (
                "no approval in the audit trail and no Last-Translator header"))
    return out
