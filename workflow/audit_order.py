"""Audit rows in the order of the writes, when writers of one entry overlap.

:func:`workflow.audit_intents.complete` records an intent's audit row after its write.
The newest change row of an entry must be what the file holds, but two writers of one
entry may reach ``complete`` in the opposite order of their writes: in the web UI, the
group-commit writer replaces the file for one request, a second request reads the new
revision and writes on top of it, and its thread records its row before the first
request's thread has run again. Appending the first row then claimed a text the file no
longer held (the random-kill burst test: a row said 'Texte d5 relu.', the file held
'Texte i5 relu.').

So an intent that no other writer of its entry overlapped is recorded at once
(:func:`overlapped` is false: no other pending intent of the entry, and no row of the entry
recorded since the intent was stored, ``audit_intent.audit_mark``), and the others are
settled here, under the catalogue's lock, from what the file holds
(:func:`promote_overlapped`).
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from pathlib import Path
from typing import Any

from . import audit
from .audit_intents import REPLACED, _holds, _record, _Txn

log = logging.getLogger("letterflow.audit")


def overlapped(conn: sqlite3.Connection, row: sqlite3.Row) -> bool:
    """Whether another writer of *row*'s entry was in flight while it was: another pending
    intent of the entry, or a row of the entry recorded since *row* was stored."""
    key = (row["language"], row["context"])
    if conn.execute("SELECT 1 FROM audit_intent WHERE language = ? AND context = ? AND id != ?"
                    " LIMIT 1", (*key, row["id"])).fetchone():
        return True
    return conn.execute("SELECT 1 FROM audit WHERE language = ? AND context = ? AND id > ?"
                        " LIMIT 1", (*key, row["audit_mark"] or 0)).fetchone() is not None


def overlapping(conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> set[int]:
    """The ids of the intents *rows* that :func:`overlapped` finds overlapped, asked in two
    queries per language instead of two per intent. Within one write transaction (as in
    ``complete``) this is :func:`overlapped` of each row in turn, even as the rows before it
    are recorded and deleted: an intent of the same entry among *rows* was pending when the
    queries ran, and :func:`overlapped` finds it pending or finds its new row."""
    out: set[int] = set()
    by_lang: dict[str, list[sqlite3.Row]] = {}
    for row in rows:
        by_lang.setdefault(row["language"], []).append(row)
    for lang, group in by_lang.items():
        contexts = list(dict.fromkeys(r["context"] for r in group))
        pending: dict[str, set[int]] = {}
        newest: dict[str, int] = {}
        for k in range(0, len(contexts), 500):
            part = contexts[k:k + 500]
            marks = ",".join("?" * len(part))
            for i, ctx in conn.execute(
                    f"SELECT id, context FROM audit_intent WHERE language = ? AND context IN"
                    f" ({marks})", (lang, *part)):
                pending.setdefault(ctx, set()).add(i)
            # each context's newest row: one index seek each (MAX per context, not GROUP BY)
            newest.update(conn.execute(
                "SELECT v.column1, (SELECT MAX(id) FROM audit WHERE language = ? AND context"
                " = v.column1) FROM (VALUES " + ",".join(["(?)"] * len(part)) + ") AS v",
                (lang, *part)).fetchall())
        for row in group:
            ctx, i = row["context"], row["id"]
            if pending.get(ctx, set()) - {i} or (newest.get(ctx) or 0) > (row["audit_mark"] or 0):
                out.add(i)
    return out


def promote_overlapped(conn: sqlite3.Connection, late: list[tuple[int, str | None]],
                       path: str | Path | None) -> list[int]:
    """Promote the intents *late* ((intent id, revision written): written by this process,
    overlapped by other writers of their entries), under the lock of the catalogue at
    *path*, so that the file cannot change meanwhile. For each one:

    - the file holds the intended text and mark: a change row (the newest write, or one
      that wrote the same text);
    - it does not, and a row recorded since the intent was stored holds what the file
      holds: the change was written, then replaced by that later write. It is kept as a
      ``conflict`` row (its text stays restorable), never as the entry's newest change;
    - it does not, and no such row holds the file's text yet (the later writer has not
      completed): a change row now, before the later writer's.

    Without the file (no *path*, its lock not free in time, unreadable), the later write
    is the recorded one based on this write's revision. The audit row ids."""
    from .catalogs import load_catalog
    from .errors import CatalogError, LockTimeout
    from .fileio import locked

    hold: Any = contextlib.nullcontext()
    if path is not None:
        hold = locked(path)
        try:
            hold.__enter__()
        except LockTimeout as exc:  # the write is done: record without the file
            log.warning("audit: ordering %s rows without the file: %s", path, exc)
            path, hold = None, contextlib.nullcontext()
    try:
        catalog = None
        if path is not None:
            try:
                catalog = load_catalog(path)
            except (CatalogError, OSError) as exc:
                log.warning("audit: cannot read %s to order its rows: %s", path, exc)
        out = []
        with _Txn(conn):
            for intent_id, revision in late:
                row = conn.execute("SELECT * FROM audit_intent WHERE id = ?",
                                   (intent_id,)).fetchone()
                if row is not None:  # (else settled meanwhile by a reconcile)
                    out.append(_promote_one(conn, row, revision, catalog))
                    conn.execute("DELETE FROM audit_intent WHERE id = ?", (intent_id,))
        return out
    finally:
        hold.__exit__(None, None, None)


def _promote_one(conn: sqlite3.Connection, row: sqlite3.Row, revision: str | None,
                 catalog: Any) -> int:
    """One overlapped intent (see :func:`promote_overlapped`); its audit row id."""
    newer = [r for r in conn.execute(
        "SELECT * FROM audit WHERE language = ? AND context = ? AND id > ? ORDER BY id",
        (row["language"], row["context"], row["audit_mark"] or 0))
        if r["action"] in audit.CHANGE_ACTIONS]
    msg = catalog.get(row["context"]) if catalog is not None else None
    if msg is not None:
        replaced_by = None if _holds(msg, row) else next(
            (r for r in reversed(newer) if _holds(msg, r)), None)
    else:  # the file cannot tell: a recorded write based on this one came after it
        replaced_by = next((r for r in newer if revision is not None
                            and r["base_revision"] == revision), None)
    if replaced_by is None:
        return _record(conn, row, revision, row["note"], at=None)
    note = (f"{row['action']} {REPLACED} (audit row {replaced_by['id']}) before its row"
            " was recorded; kept here, not current")
    return _record(conn, row, revision, f"{row['note']}; {note}" if row["note"] else note,
                   at=None, action="conflict")
