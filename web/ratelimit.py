"""Login throttling, shared by every server process through the SQLite file.

Failed logins are counted per (account, client address) pair and per client address
inside a sliding window. Past a number of free failures each further attempt must wait
a delay that doubles with every failure, up to a cap: a stranger guessing from one
address slows down only their own pair (the account's owner, from another address, is
never refused), and nobody is refused the right password for longer than the cap.

The check and the record are one SQLite ``BEGIN IMMEDIATE`` transaction: an allowed
attempt is recorded as a failure *before* the password is checked (and removed again if
the password was right), so parallel guesses can never check more passwords than the
limit allows, across threads and server processes alike.
"""

from __future__ import annotations

import math
import sqlite3
import time
from dataclasses import dataclass

from workflow.db import ensure_schema

DDL = """
CREATE TABLE IF NOT EXISTS login_failures (
    key TEXT NOT NULL,
    at  REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_key ON login_failures (key, at);
"""


@dataclass(frozen=True)
class Policy:
    free: int          #: failures inside the window before any delay
    window: float      #: seconds a failure is remembered
    base: float = 1.0  #: first delay; doubles with every further failure
    cap: float = 60.0  #: longest delay

    def delay(self, failures: int) -> float:
        """Seconds to wait after the last of *failures* failures (0 while free)."""
        if failures < self.free:
            return 0.0
        excess = min(failures - self.free, 32)
        return min(self.base * (2 ** excess), self.cap, self.window)


def _schema(conn: sqlite3.Connection) -> None:
    ensure_schema(conn, "login_failures", DDL)


def _wait(conn: sqlite3.Connection, key: str, policy: Policy, now: float) -> float:
    since = now - policy.window
    row = conn.execute("SELECT COUNT(*) AS n, MAX(at) AS last FROM login_failures "
                       "WHERE key = ? AND at > ?", (key, since)).fetchone()
    n, last = int(row["n"]), row["last"]
    if not n:
        return 0.0
    return max(0.0, last + policy.delay(n) - now)


def retry_after(conn: sqlite3.Connection, limits: dict[str, Policy],
                now: float | None = None) -> int:
    """Seconds to wait before the next attempt may be checked (0: now)."""
    _schema(conn)
    now = time.time() if now is None else now
    wait = max((_wait(conn, key, pol, now) for key, pol in limits.items()), default=0.0)
    return max(1, math.ceil(wait)) if wait > 0 else 0


def reserve(conn: sqlite3.Connection, limits: dict[str, Policy]) -> tuple[int, list[int]]:
    """Atomically: if no key must wait, record this attempt as a failure of every key and
    return (0, row ids); else (seconds to wait, []). Call :func:`release` with the row ids
    when the password turns out right."""
    _schema(conn)
    conn.execute("BEGIN IMMEDIATE")
    try:
        now = time.time()
        wait = retry_after(conn, limits, now)
        ids: list[int] = []
        if not wait:
            for key in limits:
                cur = conn.execute("INSERT INTO login_failures (key, at) VALUES (?, ?)",
                                   (key, now))
                ids.append(int(cur.lastrowid or 0))
            longest = max((p.window for p in limits.values()), default=0)
            conn.execute("DELETE FROM login_failures WHERE at < ?", (now - 2 * longest,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return wait, ids


def failed(conn: sqlite3.Connection, ids: list[int]) -> None:
    """The attempt recorded by :func:`reserve` failed: its delay runs from now (the answer),
    not from when the password check began."""
    now = time.time()
    conn.executemany("UPDATE login_failures SET at = ? WHERE rowid = ?", [(now, i) for i in ids])


def release(conn: sqlite3.Connection, ids: list[int]) -> None:
    """Forget the attempt recorded by :func:`reserve` (the password was right)."""
    conn.executemany("DELETE FROM login_failures WHERE rowid = ?", [(i,) for i in ids])


def clear(conn: sqlite3.Connection, key: str) -> None:
    _schema(conn)
    conn.execute("DELETE FROM login_failures WHERE key = ?", (key,))
