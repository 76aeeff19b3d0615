"""What git did last, shared by every server process and ``letterflow sync``: one
key/value table ``git_state`` in the project's SQLite file.

Keys: ``since_audit_id`` (audit rows after it are committed to git; set the first time
git is enabled, so older history is not committed again), ``last_pull`` / ``last_push``
(ISO time of the last success), ``pull_error`` / ``push_error`` (the last failure,
cleared by the next success; shown as a banner on the coordinator's page).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from workflow.db import ensure_schema

DDL = """
CREATE TABLE IF NOT EXISTS git_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


def _schema(conn: sqlite3.Connection) -> None:
    ensure_schema(conn, "git_state", DDL)


def get(conn: sqlite3.Connection, key: str) -> str | None:
    _schema(conn)
    row = conn.execute("SELECT value FROM git_state WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def put(conn: sqlite3.Connection, key: str, value: str | None) -> None:
    _schema(conn)
    if value is None:
        conn.execute("DELETE FROM git_state WHERE key = ?", (key,))
    else:
        conn.execute("INSERT INTO git_state (key, value) VALUES (?, ?) ON CONFLICT(key)"
                     " DO UPDATE SET value = excluded.value", (key, value))


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def since_audit_id(conn: sqlite3.Connection) -> int:
    """Audit rows after this id belong in git; fixed the first time it is asked."""
    from workflow import audit

    value = get(conn, "since_audit_id")
    if value is None:
        _schema(conn)
        conn.execute("INSERT OR IGNORE INTO git_state (key, value) VALUES (?, ?)",
                     ("since_audit_id", str(audit.last_id(conn))))
        value = get(conn, "since_audit_id")
    return int(value or 0)


def succeeded(conn: sqlite3.Connection, what: str) -> None:
    put(conn, f"last_{what}", now())
    put(conn, f"{what}_error", None)


def failed(conn: sqlite3.Connection, what: str, message: str) -> None:
    put(conn, f"{what}_error", f"{now()} {message}")


@dataclass
class Status:
    """For the coordinator's banner and ``letterflow sync``."""

    enabled: bool
    last_pull: str | None = None
    last_push: str | None = None
    pull_error: str | None = None
    push_error: str | None = None
    unpushed: int | None = None  # local commits not on the remote branch

    @property
    def ok(self) -> bool:
        return not (self.pull_error or self.push_error)

    def problems(self) -> list[str]:
        out = []
        if self.pull_error:
            out.append(f"Pull failed: {self.pull_error}")
        if self.push_error:
            out.append(f"Push failed: {self.push_error}")
        return out


def status(conn: sqlite3.Connection, enabled: bool = True) -> Status:
    return Status(enabled, get(conn, "last_pull"), get(conn, "last_push"),
                  get(conn, "pull_error"), get(conn, "push_error"))
