"""The append-only audit trail: every change to a translation, by whom and when.

One table, ``audit``, in the project's SQLite file. Rows are only ever inserted:
triggers make UPDATE and DELETE fail, so the trail cannot be rewritten through
SQLite. Texts are stored exactly (JSON arrays, one string per plural form), so
reverting to a version restores the exact text.

Actions: ``save`` (draft), ``approve``, ``reject``, ``revert``, ``conflict`` (a stale
save that lost: its text is kept here and can be restored), ``mt`` (machine draft),
``denied`` (a refused write: no change was made).

``git_commit`` is the id of the git commit that holds the change (see
:mod:`workflow.vcs`). It is the one column that may be set after the row is written:
the trigger forbids updating any other column.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from workflow.db import ensure_columns, ensure_schema

ACTIONS = ("save", "approve", "reject", "revert", "conflict", "mt", "denied")
CHANGE_ACTIONS = ("save", "approve", "reject", "revert", "mt")

DDL = """
CREATE TABLE IF NOT EXISTS audit (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
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
    revision        TEXT,
    note            TEXT,
    git_commit      TEXT
);
CREATE INDEX IF NOT EXISTS audit_entry ON audit (language, context, id);
CREATE INDEX IF NOT EXISTS audit_user ON audit (user, id);
CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
DROP TRIGGER IF EXISTS audit_no_update;
CREATE TRIGGER IF NOT EXISTS audit_no_update_v2 BEFORE UPDATE OF
    id, at, user, language, context, action, before, after, before_fuzzy, after_fuzzy,
    base_revision, revision, note ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
"""


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str                     # ISO 8601 UTC with microseconds
    user: str
    language: str
    context: str
    action: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    before_fuzzy: bool
    after_fuzzy: bool
    base_revision: str | None   # the revision the change was based on
    revision: str | None        # the entry's revision after the change (None if not applied)
    note: str | None
    git_commit: str | None = None  # the commit holding this change (workflow.vcs)

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.at)

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id, "at": self.at, "user": self.user, "language": self.language,
            "context": self.context, "action": self.action, "before": list(self.before),
            "after": list(self.after), "before_fuzzy": self.before_fuzzy,
            "after_fuzzy": self.after_fuzzy, "base_revision": self.base_revision,
            "revision": self.revision, "note": self.note, "git_commit": self.git_commit,
        }


def _schema(conn: sqlite3.Connection) -> None:
    ensure_schema(conn, "audit", DDL, migrate=_migrate)


def _migrate(conn: sqlite3.Connection) -> None:
    ensure_columns(conn, "audit", {"git_commit": "TEXT"})
    conn.execute("CREATE INDEX IF NOT EXISTS audit_uncommitted ON audit (language, id)"
                 " WHERE git_commit IS NULL")


def _entry(row: sqlite3.Row) -> AuditEntry:
    return AuditEntry(
        row["id"], row["at"], row["user"], row["language"], row["context"], row["action"],
        tuple(json.loads(row["before"])), tuple(json.loads(row["after"])),
        bool(row["before_fuzzy"]), bool(row["after_fuzzy"]), row["base_revision"],
        row["revision"], row["note"], row["git_commit"],
    )


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def record(
    conn: sqlite3.Connection,
    *,
    user: str,
    language: str,
    context: str,
    action: str,
    before: list[str] | tuple[str, ...],
    after: list[str] | tuple[str, ...],
    before_fuzzy: bool = False,
    after_fuzzy: bool = False,
    base_revision: str | None = None,
    revision: str | None = None,
    note: str | None = None,
    git_commit: str | None = None,
    at: str | None = None,
) -> int:
    """Append one row; returns its id. *at*: when the change happened (default now; a
    change recovered after a crash keeps the time of its intent)."""
    return record_json(
        conn, user=user, language=language, context=context, action=action,
        before=json.dumps(list(before), ensure_ascii=False),
        after=json.dumps(list(after), ensure_ascii=False), before_fuzzy=before_fuzzy,
        after_fuzzy=after_fuzzy, base_revision=base_revision, revision=revision, note=note,
        git_commit=git_commit, at=at)


def record_json(conn: sqlite3.Connection, *, user: str, language: str, context: str,
                action: str, before: str, after: str, before_fuzzy: bool = False,
                after_fuzzy: bool = False, base_revision: str | None = None,
                revision: str | None = None, note: str | None = None,
                git_commit: str | None = None, at: str | None = None) -> int:
    """:func:`record` with *before* and *after* already as the trail stores them (JSON
    lists, e.g. from an audit intent's row)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    _schema(conn)
    cur = conn.execute(
        "INSERT INTO audit (at, user, language, context, action, before, after, before_fuzzy,"
        " after_fuzzy, base_revision, revision, note, git_commit)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (at or now(), user, language, context, action, before, after,
         int(before_fuzzy), int(after_fuzzy), base_revision, revision, note, git_commit),
    )
    return int(cur.lastrowid)


def get(conn: sqlite3.Connection, entry_id: int) -> AuditEntry | None:
    _schema(conn)
    row = conn.execute("SELECT * FROM audit WHERE id = ?", (entry_id,)).fetchone()
    return _entry(row) if row else None


def query(
    conn: sqlite3.Connection,
    *,
    user: str | None = None,
    language: str | None = None,
    languages: list[str] | None = None,
    context: str | None = None,
    action: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 200,
    offset: int = 0,
    newest_first: bool = True,
) -> list[AuditEntry]:
    """Rows matching every given filter. *since*/*until* are ISO dates or datetimes
    (``until`` given as a bare date includes that whole day)."""
    _schema(conn)
    where: list[str] = []
    args: list[object] = []
    if user:
        where.append("user = ?")
        args.append(user)
    if language:
        where.append("language = ?")
        args.append(language)
    if languages is not None:
        where.append(f"language IN ({','.join('?' * len(languages))})" if languages else "0")
        args.extend(languages)
    if context:
        where.append("context = ?")
        args.append(context)
    if action:
        where.append("action = ?")
        args.append(action)
    if since:
        where.append("at >= ?")
        args.append(since)
    if until:
        where.append("at < ?")
        args.append(until + "T99" if len(until) == 10 else until)
    sql = "SELECT * FROM audit"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id " + ("DESC" if newest_first else "ASC") + " LIMIT ? OFFSET ?"
    args += [int(limit), int(offset)]
    return [_entry(r) for r in conn.execute(sql, args)]


def history(conn: sqlite3.Connection, language: str, context: str) -> list[AuditEntry]:
    """Every row for one entry, oldest first."""
    return query(conn, language=language, context=context, limit=10_000, newest_first=False)


def users(conn: sqlite3.Connection) -> list[str]:
    _schema(conn)
    return [r[0] for r in conn.execute("SELECT DISTINCT user FROM audit ORDER BY user")]


def last_approval(conn: sqlite3.Connection, language: str, context: str) -> AuditEntry | None:
    """The most recent approval of an entry (for export: approved by whom and when)."""
    rows = query(conn, language=language, context=context, action="approve", limit=1)
    return rows[0] if rows else None


def approvals(conn: sqlite3.Connection, language: str) -> dict[str, AuditEntry]:
    """context -> latest approval row, for one language."""
    _schema(conn)
    out: dict[str, AuditEntry] = {}
    for row in conn.execute(
        "SELECT * FROM audit WHERE language = ? AND action = 'approve' ORDER BY id", (language,)
    ):
        entry = _entry(row)
        out[entry.context] = entry
    return out


def set_commit(conn: sqlite3.Connection, ids: list[int], commit: str) -> None:
    """Record that the changes of rows *ids* are held by git commit *commit*."""
    _schema(conn)
    conn.executemany("UPDATE audit SET git_commit = ? WHERE id = ?",
                     [(commit, int(i)) for i in ids])


def uncommitted(conn: sqlite3.Connection, language: str, after_id: int = 0) -> list[AuditEntry]:
    """Changes of *language* (rows after *after_id*) that no git commit holds yet."""
    _schema(conn)
    marks = ",".join("?" * len(CHANGE_ACTIONS))
    rows = conn.execute(
        f"SELECT * FROM audit WHERE language = ? AND id > ? AND git_commit IS NULL"
        f" AND action IN ({marks}) ORDER BY id", (language, after_id, *CHANGE_ACTIONS))
    return [_entry(r) for r in rows]


def last_id(conn: sqlite3.Connection) -> int:
    _schema(conn)
    return int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM audit").fetchone()[0])
