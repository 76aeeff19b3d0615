"""Every approved entry of every letter into the memory (with its aligned sentences).

Run by ``letterflow draft``, ``letterflow tm sync|export`` and the suggestions API; a
catalogue unchanged since the last sync (same size and mtime) is not read again. Approver
and date come from the audit trail's last approval, else from the provenance comment
("approved by ana") and the catalogue's PO-Revision-Date.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..statmemo import is_racy
from .segment import aligned
from .store import Memory, Unit, now

_APPROVED_BY = re.compile(r"^approved by (\S+)")


def sync_catalogs(config: object, memory: Memory, langs: Sequence[str] | None = None,
                  force: bool = False) -> dict[str, int]:
    """Add or refresh the approved entries of *langs* (default: all); language -> count of
    messages added or changed."""
    from ..catalogs import load_catalog

    out: dict[str, int] = {}
    for lang in langs or config.languages:  # type: ignore[attr-defined]
        path = config.catalog(lang)  # type: ignore[attr-defined]
        try:
            st = path.stat()
        except OSError:
            continue
        stamp = f"{st.st_size}:{st.st_mtime_ns}"
        if not force and memory.stamp(lang) == stamp:
            out[lang] = 0
            continue
        catalog = load_catalog(path, lang)
        out[lang] = _sync_one(config, memory, lang, catalog)
        # a stat too fresh to vouch for the bytes read (statmemo.is_racy) is not kept: a
        # write of as many bytes within the same timestamp tick would look unchanged
        memory.set_stamp(lang, "racy" if is_racy(st) else stamp)
    return out


def _approvals(memory: Memory, lang: str) -> dict:
    from .. import audit

    return audit.approvals(memory.conn, lang)


def _sync_one(config, memory: Memory, lang: str, catalog) -> int:
    source_lang = config.source_language
    approvals = None
    revised = (getattr(catalog, "headers", {}) or {}).get("PO-Revision-Date", "") or now()
    changed = 0
    for m in catalog.active():
        if m.state != "approved" or not m.source:
            continue
        known = memory.message(lang, m.context)
        if (known is not None and known.source == m.source and known.forms == m.strings
                and known.source_plural == m.source_plural):
            continue
        if approvals is None:
            approvals = _approvals(memory, lang)
        row = approvals.get(m.context)
        if row is not None:
            approver, when = row.user, row.at
        else:
            found = _APPROVED_BY.match(getattr(m, "provenance", "") or "")
            approver, when = (found.group(1) if found else ""), revised
        letter = m.context.split("/", 1)[0] if "/" in m.context else ""
        base = dict(lang=lang, letter=letter, msgid=m.context, approver=approver,
                    approved_at=when, origin="catalog")
        units = [Unit(source=m.source, target=m.strings[0], forms=tuple(m.strings),
                      source_plural=m.source_plural, kind="message", **base)]
        if m.source_plural is None:
            for i, (s, t) in enumerate(aligned(m.source, m.strings[0], source_lang, lang), 1):
                units.append(Unit(source=s, target=t, forms=(t,), kind="segment", segment=i,
                                  **base))
        memory.replace_message(lang, m.context, units)
        changed += 1
    return changed
