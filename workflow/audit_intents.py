"""Audit intents: the audit trail and the ``.po`` files cannot disagree, even after a kill.

A change to a catalogue is recorded in three steps:

1. :func:`begin` stores an *intent* (who changes which entry to what) in the
   ``audit_intent`` table and commits it, before the file is touched;
2. the catalogue is written (lock, temp file, fsync, ``os.replace``);
3. :func:`complete` turns the intent into its ``audit`` row (with the revision written)
   and deletes it, in one SQLite transaction; :func:`abandon` deletes an intent whose
   change was not made (a conflict, a skipped draft, a refused write). Rows follow the
   order of the writes: when another writer of the same entry overlapped (its intent
   pending, or its row recorded since this intent was stored), the row is settled under
   the catalogue's lock from what the file holds (:mod:`workflow.audit_order`), so a
   writer whose thread completes late never claims a text a later write replaced.

A process killed between 1 and 3 leaves an intent behind. :func:`reconcile` settles it
from what the file really holds, under the file's lock: if the entry holds the intended
text and fuzzy mark, the audit row is added (at the intent's time, its note saying it was
recovered); otherwise the intent is dropped. It runs when the web UI starts, before every
review write and at the start of every ``draft`` run, for the intents of processes that
are no longer running (a live process settles its own).

So: no ``.po`` change without an audit row, and no audit row claiming a change the file
does not hold. The ``audit`` table stays append-only; only intents are deleted.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import audit
from .db import ensure_columns, ensure_schema, write_lock

log = logging.getLogger("letterflow.audit")

DDL = """
CREATE TABLE IF NOT EXISTS audit_intent (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    owner           TEXT NOT NULL,
    at              TEXT NOT NULL,
    user            TEXT NOT NULL,
    language        TEXT NOT NULL,
    context         TEXT NOT NULL,
    action          TEXT NOT NULL,
    before          TEXT NOT NULL,
    after           TEXT NOT NULL,
    before_fuzzy    INTEGER NOT NULL DEFAULT 0,
    after_fuzzy     INTEGER NOT NULL DEFAULT 0,
    base_revision   TEXT,
    note            TEXT,
    audit_mark      INTEGER
);
CREATE INDEX IF NOT EXISTS audit_intent_language ON audit_intent (language, id);
CREATE INDEX IF NOT EXISTS audit_intent_entry ON audit_intent (language, context, id);
"""

RECOVERED = "recorded after an interrupted write"
REPLACED = "written, then replaced by a concurrent change"


@dataclass(frozen=True)
class Intent:
    """One change about to be made to one entry."""

    user: str
    language: str
    context: str
    action: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    before_fuzzy: bool = False
    after_fuzzy: bool = False
    base_revision: str | None = None
    note: str | None = None


def _start_time(pid: int) -> str | None:
    """The kernel's start time of process *pid* (tells a reused pid apart), or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read().decode("ascii", "replace")
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[-1].split()
    if fields[0] in ("Z", "X"):  # exited, not reaped yet (e.g. an orphaned server
        return None              # process nobody reaps): it will never complete an intent
    return fields[19]


_OWNER: str | None = None


def owner() -> str:
    """This process: ``host:pid:start time``."""
    global _OWNER
    pid = os.getpid()
    if _OWNER is None or _OWNER.split(":")[1] != str(pid):  # recomputed after a fork
        _OWNER = f"{socket.gethostname()}:{pid}:{_start_time(pid) or '?'}"
    return _OWNER


def _alive(token: str) -> bool:
    """Whether the process that wrote an intent may still be running. An intent from
    another host is treated as live (its owner settles it)."""
    if token == owner():  # (this process: no system call)
        return True
    host, _, rest = token.partition(":")
    pid, _, start = rest.partition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True
    now = _start_time(int(pid))
    return now is not None and (start == "?" or now == start)


def _schema(conn: sqlite3.Connection) -> None:
    audit._schema(conn)
    ensure_schema(conn, "audit_intent", DDL, migrate=_migrate)


def _migrate(conn: sqlite3.Connection) -> None:
    # audit_mark: the audit trail's last row id when the intent was stored (older files: NULL)
    ensure_columns(conn, "audit_intent", {"audit_mark": "INTEGER"})


class _Txn:
    """BEGIN IMMEDIATE ... COMMIT (or ROLLBACK) on an autocommit connection."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        # threads of this process queue on a lock, not in SQLite's busy handler (which
        # sleeps up to 100 ms between tries): see db.write_lock
        self.lock = write_lock(self.conn)
        self.lock.acquire()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except BaseException:
            self.lock.release()
            raise
        return self.conn

    def __exit__(self, exc_type, *_: object) -> None:
        try:
            self.conn.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            self.lock.release()


def begin(conn: sqlite3.Connection, intents: Iterable[Intent]) -> list[int]:
    """Store *intents* durably (one transaction) before the file is written; their ids."""
    _schema(conn)
    at, me, ids = audit.now(), owner(), []
    intents = list(intents)
    with _Txn(conn):
        mark = conn.execute("SELECT COALESCE(MAX(id), 0) FROM audit").fetchone()[0]
        for k in range(0, len(intents), _ROWS_PER_INSERT):
            part = intents[k:k + _ROWS_PER_INSERT]
            ids += _insert(conn, len(part), [v for i in part for v in (
                me, at, i.user, i.language, i.context, i.action, _dump(i.before),
                _dump(i.after), int(i.before_fuzzy), int(i.after_fuzzy), i.base_revision,
                i.note, mark)])
    return ids


_RETURNING = sqlite3.sqlite_version_info >= (3, 35)
_ROWS_PER_INSERT = 200 if _RETURNING else 1  # (13 values each: far below SQLite's limit)


def _insert(conn: sqlite3.Connection, n: int, values: list) -> list[int]:
    """INSERT *n* intents (13 *values* each) in one statement; their ids in the order given
    (AUTOINCREMENT ids grow in the VALUES order, under the transaction's write lock)."""
    sql = ("INSERT INTO audit_intent (owner, at, user, language, context, action, before, after,"
           " before_fuzzy, after_fuzzy, base_revision, note, audit_mark) VALUES "
           + ",".join(["(?,?,?,?,?,?,?,?,?,?,?,?,?)"] * n))
    if not _RETURNING:
        return [int(conn.execute(sql, values).lastrowid)]
    new = conn.execute(sql + " RETURNING id", values).fetchall()
    if len(new) != n:
        raise sqlite3.DatabaseError("audit intents: an INSERT lost rows")
    return sorted(int(r[0]) for r in new)


def _dump(strings: Iterable[str]) -> str:
    return json.dumps(list(strings), ensure_ascii=False)


def complete(conn: sqlite3.Connection, done: Iterable[tuple[int, str | None]],
             drop: Iterable[int] = (), path: str | Path | None = None,
             ids_out: dict[int, int] | None = None) -> list[int]:
    """Turn the intents *done* ((intent id, revision written)) into audit rows and delete
    them and the intents *drop* (changes not made); the audit ids.

    Rows must follow the order of the writes: the newest change row of an entry is what
    its file holds. A writer's thread may reach this after a later writer of the same
    entry already has (the web UI's group commit wakes them in any order). So an intent
    that no other writer of its entry overlapped (no other pending intent of the entry, no
    row of the entry since it was stored) is recorded at once, in one transaction; the
    others are settled by
    :func:`workflow.audit_order.promote_overlapped` under the catalogue's lock at *path*,
    from what the file holds. *ids_out*, if given, receives intent id -> audit id."""
    rows = complete_ids(conn, done, drop, path)
    if ids_out is not None:  # intent id -> audit id (review.batch)
        ids_out.update(rows)
    return list(rows.values())


def complete_ids(conn: sqlite3.Connection, done: Iterable[tuple[int, str | None]],
                 drop: Iterable[int] = (), path: str | Path | None = None) -> dict[int, int]:
    """:func:`complete`, answering intent id -> audit id, in the order the rows were
    recorded (an intent already settled by a reconcile has no entry)."""
    done, drop = list(done), list(drop)
    if not done and not drop:
        return {}
    from .audit_order import overlapping, promote_overlapped

    _schema(conn)
    out: dict[int, int] = {}
    late: list[tuple[int, str | None]] = []
    with _Txn(conn):
        rows = _intent_rows(conn, [i for i, _ in done])
        # (audit_order.overlapped of each row in turn, in two queries per language)
        busy = overlapping(conn, list(rows.values())) if rows else set()
        for intent_id, revision in done:
            row = rows.get(intent_id)
            if row is None:  # already settled by a reconcile
                continue
            if intent_id in busy:
                late.append((intent_id, revision))
                continue
            out[intent_id] = _record(conn, row, revision, row["note"], at=None)
        _delete(conn, [*out, *drop])
    if late:
        rows = promote_overlapped(conn, late, path)
        # one row per late intent, in order, unless a reconcile settled one meanwhile
        # (only the failed write of a live process is reconciled: then no ids are given)
        if len(rows) == len(late):
            out.update(zip((i for i, _ in late), rows, strict=True))
    return out


def _delete(conn: sqlite3.Connection, ids: list[int]) -> None:
    for part in (ids[k:k + 500] for k in range(0, len(ids), 500)):  # (one statement each)
        conn.execute(f"DELETE FROM audit_intent WHERE id IN ({','.join('?' * len(part))})", part)


def _intent_rows(conn: sqlite3.Connection, ids: list[int]) -> dict[int, sqlite3.Row]:
    """The rows of the intents *ids* that are still pending, by id (one query per 500)."""
    out: dict[int, sqlite3.Row] = {}
    for k in range(0, len(ids), 500):
        part = ids[k:k + 500]
        out.update((r["id"], r) for r in conn.execute(
            f"SELECT * FROM audit_intent WHERE id IN ({','.join('?' * len(part))})", part))
    return out


def abandon(conn: sqlite3.Connection, ids: Iterable[int]) -> None:
    """Delete intents whose change was not made."""
    complete(conn, (), ids)


def _record(conn: sqlite3.Connection, row: sqlite3.Row, revision: str | None,
            note: str | None, at: str | None, action: str | None = None) -> int:
    return audit.record_json(
        conn, user=row["user"], language=row["language"], context=row["context"],
        action=action or row["action"], before=row["before"], after=row["after"],
        before_fuzzy=bool(row["before_fuzzy"]), after_fuzzy=bool(row["after_fuzzy"]),
        base_revision=row["base_revision"], revision=revision, note=note, at=at)


def pending(conn: sqlite3.Connection, language: str | None = None) -> list[sqlite3.Row]:
    """Intents not settled yet (of *language*), oldest first."""
    _schema(conn)
    if language is None:
        return list(conn.execute("SELECT * FROM audit_intent ORDER BY id"))
    return list(conn.execute(
        "SELECT * FROM audit_intent WHERE language = ? ORDER BY id", (language,)))


@dataclass
class Reconciled:
    recorded: int = 0  # the file holds the change: audit row added
    dropped: int = 0   # the file does not hold it: intent deleted


def reconcile(conn: sqlite3.Connection, language: str, path: str | Path,
              ids: Iterable[int] | None = None) -> Reconciled:
    """Settle the intents of *language* whose process is gone (or exactly *ids*, say a
    write of this process that raised) from what the file at *path* holds."""
    rows = pending(conn, language)
    wanted = set(ids) if ids is not None else None
    rows = [r for r in rows
            if (r["id"] in wanted if wanted is not None else not _alive(r["owner"]))]
    out = Reconciled()
    if not rows:
        return out
    from .catalogs import load_catalog
    from .errors import CatalogError
    from .fileio import locked

    with locked(path):
        try:
            catalog = load_catalog(path, language)
        except CatalogError as exc:  # cannot tell: keep the intents for a later try
            log.warning("cannot reconcile %s audit intents: %s", language, exc)
            return out
        with _Txn(conn):
            for row in rows:
                if conn.execute("SELECT 1 FROM audit_intent WHERE id = ?",
                                (row["id"],)).fetchone() is None:
                    continue  # settled meanwhile by another process
                msg = catalog.get(row["context"])
                if msg is not None and _holds(msg, row):
                    note = f"{row['note']} ({RECOVERED})" if row["note"] else RECOVERED
                    _record(conn, row, msg.revision, note, at=row["at"])
                    out.recorded += 1
                else:
                    out.dropped += 1
                conn.execute("DELETE FROM audit_intent WHERE id = ?", (row["id"],))
    if out.recorded or out.dropped:
        log.warning("%s: %d interrupted change(s) recorded in the audit trail, %d not made",
                    language, out.recorded, out.dropped)
    return out


def _holds(msg: Any, row: sqlite3.Row) -> bool:
    return (tuple(msg.strings) == tuple(json.loads(row["after"]))
            and bool(msg.fuzzy) == bool(row["after_fuzzy"]))


def has_stale(conn: sqlite3.Connection, language: str) -> bool:
    """Cheap: whether *language* has an intent of a process that is gone."""
    _schema(conn)
    owners = {r[0] for r in conn.execute(
        "SELECT DISTINCT owner FROM audit_intent WHERE language = ?", (language,))}
    return any(not _alive(o) for o in owners)


def reconcile_stale(conn: sqlite3.Connection, language: str, path: str | Path) -> Reconciled:
    """:func:`reconcile` if there is anything to do (the check before every write)."""
    if not has_stale(conn, language):
        return Reconciled()
    return reconcile(conn, language, path)


def reconcile_project(conn: sqlite3.Connection, config: Any) -> dict[str, Reconciled]:
    """Reconcile every configured language (at start-up)."""
    from .review.store import catalog_path

    out: dict[str, Reconciled] = {}
    for lang in {r["language"] for r in pending(conn)}:
        path = catalog_path(config, lang)
        if path is not None and path.is_file():
            out[lang] = reconcile_stale(conn, lang, path)
    return out


def apply_audited(conn: sqlite3.Connection | None, user: str, language: str, path: Any,
                  changes: list, action: str = "mt") -> Any:
    """``catalogs.apply_changes`` with one intent per change: durable before the file is
    replaced, completed (audit rows with the revisions written) or dropped after. With no
    database connection, just the write. Used by the machine and memory drafts."""
    from .catalogs import apply_changes
    from .crashpoint import crash_point

    if conn is None:
        return apply_changes(path, changes)
    ids = begin(conn, [Intent(
        user=user, language=language, context=c.context, action=action,
        before=("",) * len(c.strings), after=tuple(c.strings), before_fuzzy=False,
        after_fuzzy=bool(c.fuzzy), base_revision=c.base_revision, note=c.note)
        for c in changes])
    crash_point("audit.intent")
    try:
        result = apply_changes(path, changes)
    except BaseException:
        try:  # the file may or may not hold the batch: settle from what it holds
            reconcile(conn, language, path, ids)
        except Exception:  # noqa: BLE001 -- left pending, reconciled on the next run
            log.exception("could not settle the audit intents of a failed write")
        raise
    crash_point("audit.written")
    done, drop = [], []
    for intent_id, (kind, msg) in zip(ids, result.outcomes, strict=True):
        if kind == "applied" and msg is not None:
            done.append((intent_id, msg.revision))
        else:
            drop.append(intent_id)
    complete(conn, done, drop, path=path)
    crash_point("audit.completed")
    return result
