"""Several review changes to one catalogue in one audited write.

:func:`write_batch` (or :func:`begin_items`, the write with :func:`rows_under_lock`, as
the web UI's write queue uses them) is the three steps of :mod:`workflow.audit_intents`
for a group of changes, so that concurrent saves (the web UI's write queue,
``web/writes.py``) share one of each step instead of paying them one by one:

1. the intents of every change of the batch, committed in ONE SQLite transaction, before
   the file is touched;
2. ONE ``catalogs.apply_changes``: lock, re-read, apply in order (each change keeps its own
   base revision and outcome), validate, temp file, fsync, ``os.replace``;
3. ONE transaction that turns the intents of the applied changes into audit rows and
   deletes the others (conflicts, missing entries), still under the catalogue's lock
   (``apply_changes(under_lock=...)``, :func:`rows_under_lock`): the rows of one catalogue
   are then recorded in the order of its writes, across threads and processes, and a
   write that returned 200 keeps its own action (approve, save) in its row.

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
    error: BaseException | None = None  # recording its row failed (the write was made)


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

    ids = begin_items(conn, lang, path, items)
    try:
        result = catalogs.apply_changes(path, [it.change for it in items],
                                        under_lock=rows_under_lock(conn, items, ids))
    except BaseException as exc:
        fail_items(conn, lang, path, ids, exc)
        raise
    return result


def rows_under_lock(conn: Any, items: list[Item], ids: list[int]) -> Any:
    """The ``under_lock`` callback of ``catalogs.apply_changes`` for *items*: fills each
    item's outcome, then records the audit rows (step 3) while the catalogue's lock is
    still held, so that no other writer of the file can come between the write and its
    rows (the file is the arbiter, so no path is given: nothing to re-read)."""

    def record(result: Any) -> None:
        for it, (kind, message) in zip(items, result.outcomes, strict=True):
            it.kind, it.message = kind, message
        try:
            finish_items(conn, None, items, ids)
        except Exception as exc:  # noqa: BLE001 - the file is written: its intents stay
            log.exception("could not record the audit rows of a write (reconciled later)")
            for it in items:  # pending, and the next reconcile records them from the file
                it.error = exc

    return record


def begin_items(conn: Any, lang: str, path: Path, items: list[Item]) -> list[int]:
    """Step 1: the intents of *items* (those that have one), durable, in one transaction;
    their ids (first settling what a killed process left half-done)."""
    audited = [it.intent for it in items if it.intent is not None]
    if not audited:
        return []
    _settle_stale(conn, lang, path)
    ids = intents.begin(conn, audited)
    for _ in audited:
        crash_point("audit.intent")
    return ids


def fail_items(conn: Any, lang: str, path: Path, ids: list[int], exc: BaseException) -> None:
    """The write raised *exc*: drop the intents (LockTimeout: the file was never touched)
    or settle them from what the file holds."""
    if isinstance(exc, LockTimeout):
        if ids:
            intents.abandon(conn, ids)
    else:
        settle_failed(conn, lang, path, ids)


def finish_items(conn: Any, path: Path | None, items: list[Item], ids: list[int]) -> None:
    """Step 3, once the items' outcomes are known: audit rows for the applied ones (in the
    order of the writes), the other intents dropped, in one transaction."""
    audited = [it for it in items if it.intent is not None]
    if not audited:
        return
    for _ in audited:
        crash_point("audit.written")
    applied = [it.kind == "applied" and it.message is not None for it in audited]
    done = [(i, it.message.revision) for i, it, ok in zip(ids, audited, applied, strict=True)
            if ok]
    drop = [i for i, ok in zip(ids, applied, strict=True) if not ok]
    rows: dict[int, int] = {}
    intents.complete(conn, done, drop, path=path, ids_out=rows)
    for i, it in zip(ids, audited, strict=True):
        it.audit_id = rows.get(i)
    for _ in audited:
        crash_point("audit.completed")
