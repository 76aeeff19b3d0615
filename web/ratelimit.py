"""Login throttling, shared by every server process through the SQLite file.

Failed logins are counted per user name and per client address inside a sliding
window; past the limit the login answers 429 with ``Retry-After``. A successful
login clears the name's failures.
"""

from __future__ import annotations

import math
import sqlite3
import time

from workflow.db import ensure_schema

DDL = """
CREATE TABLE IF NOT EXISTS login_failures (
    key TEXT NOT NULL,
    at  REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_key ON login_failures (key, at);
"""


def _schema(conn: sqlite3.Connection) -> None:
    ensure_schema(conn, "login_failures", DDL)


def retry_after(conn: sqlite3.Connection, limits: dict[str, int], window: int,
                now: float | None = None) -> int:
    """Seconds to wait if any key is over its limit, else 0. *limits*: key -> max failures."""
    _schema(conn)
    now = time.time() if now is None else now
    since = now - window
    wait = 0.0
    for key, limit in limits.items():
        rows = conn.execute(
            "SELECT at FROM login_failures WHERE key = ? AND at > ? ORDER BY at DESC LIMIT ?",
            (key, since, limit),
        ).fetchall()
        if len(rows) >= limit:
            oldest_counted = rows[-1]["at"]
            wait = max(wait, oldest_counted + window - now)
    return max(1, math.ceil(wait)) if wait > 0 else 0


def record_failure(conn: sqlite3.Connection, keys: list[str], window: int) -> None:
    _schema(conn)
    now = time.time()
    conn.executemany("INSERT INTO login_failures (key, at) VALUES (?, ?)",
                     [(k, now) for k in keys])
    conn.execute("DELETE FROM login_failures WHERE at < ?", (now - 2 * window,))


def clear(conn: sqlite3.Connection, key: str) -> None:
    _schema(conn)
    conn.execute("DELETE FROM login_failures WHERE key = ?", (key,))
