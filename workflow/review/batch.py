"""Several review changes to one catalogue in one audited write.

:func:`write_batch` is the three steps of :mod:`workflow.audit_intents` for a group of
changes, so that concurrent saves (the web UI's write queue, ``web/writes.py``) share one
of each step instead of paying them one by one:

1. the intents of every change of the batch, committed in ONE SQLite transaction, before
   the file is touched;
2. ONE ``catalogs.apply_changes``: lock, re-read, apply in order (each change keeps its own
   base revision and outcome), validate, temp file, fsync, ``os.replace``;
3. ONE transaction that turns the intents of the applied changes into audit rows and
   deletes the others (conflicts, missing entries).

The guarantees are those of one change: every intent is durable before the replace, every
audit row is written after it, and a kill at any point leaves intents that
``audit_intents.reconcile`` settles from what the file holds. The crash points are
reached once per change (``audit.intent:5`` is the fifth change), as when each change was
written on its own.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import audit_intents as intents
from ..crashpoint import crash_point
from ..errors import LockTimeout

log = logging.getLogger("letterflow.review")


@dataclass
class Item:
    """One change of a batch, with its intent (None: a change nobody audits, e.g. tests)."""

    change: Any
    intent: intents.Intent | None = None
    kind: str | None = None      # "applied", "conflict", "skipped", "missing"
    message: Any = None          # as in ApplyResult.outcomes
    audit_id: int | None = None  # the audit row of an applied change


def _settle_stale(conn: Any, lang: str, path: Path) -> None:
    """What a killed process left half-done, first (cheap when there is nothing)."""
    try:
        intents.reconcile_stale(conn, lang, path)
    except LockTimeout:
        pass  # the write below waits for the same lock and raises LockTimeout itself


def settle_failed(conn: Any, lang: str, path: Path | None, ids: list[int]) -> None:
    """A write that raised: settle its intents from the file (it may have been replaced
    before the error); left pending if even that fails (reconciled later)."""
    if not ids:
        return
    try:
        if path is not None:
            intents.reconcile(conn, lang, path, ids)
        else:
            intents.abandon(conn, ids)
    except Exception:  # noqa: BLE001 -- the original error is the one to report
        log.exception("could not settle the audit intents of a failed write")


def write_batch(conn: Any, lang: str, path: Path, items: list[Item]) -> Any:
    """Write *items* to the catalogue at *path* with their intents and audit rows; fills
    each item's outcome and audit id and returns the ``ApplyResult``. Raises what the
    write raised (LockTimeout: nothing was written, the intents are dropped; anything
    else: the intents are settled from what the file holds)."""
    from .. import catalogs

    audited = [(n, it) for n, it in enumerate(items) if it.intent is not None]
    ids: list[int] = []
    if audited:
        _settle_stale(conn, lang, path)
        ids = intents.begin(conn, [it.intent for _, it in audited])
        for _ in audited:
            crash_point("audit.intent")
    try:
        result = catalogs.apply_changes(path, [it.change for it in items])
    except LockTimeout:
        if ids:
            intents.abandon(conn, ids)  # never got the lock: nothing was written
        raise
    except BaseException:
        settle_failed(conn, lang, path, ids)
        raise
    for it, (kind, message) in zip(items, result.outcomes, strict=True):
        it.kind, it.message = kind, message
    if audited:
        for _ in audited:
            crash_point("audit.written")
        done = [(i, items[n].message.revision) for i, (n, _) in zip(ids, audited, strict=True)
                if items[n].kind == "applied" and items[n].message is not None]
        drop = [i for i, (n, _) in zip(ids, audited, strict=True)
                if not (items[n].kind == "applied" and items[n].message is not None)]
        rows = intents.complete_ids(conn, done, drop)
        for i, (n, _) in zip(ids, audited, strict=True):
            items[n].audit_id = rows.get(i)
        for _ in audited:
            crash_point("audit.completed")
    return result
