"""Several review changes to one catalogue in one audited write.

:func:`write_batch` (or :func:`begin_items`, the write, :func:`finish_items`, as the web
UI's write queue and ``FileStore`` use them) is the three steps of
:mod:`workflow.audit_intents` for a group of changes, so that concurrent saves (the web
UI's write queue, ``web/writes.py``) share one of each step instead of paying them one by
one (the queue records a batch's rows while the next batch is written):

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

    ids = begin_items(conn, lang, path, items)
    try:
        result = catalogs.apply_changes(path, [it.change for it in items])
    except BaseException as exc:
        fail_items(conn, lang, path, ids, exc)
        raise
    for it, (kind, message) in zip(items, result.outcomes, strict=True):
        it.kind, it.message = kind, message
    finish_items(conn, path, items, ids)
    return result


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


def finish_items(conn: Any, path: Path, items: list[Item], ids: list[int]) -> None:
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
