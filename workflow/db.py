"""SQLite access: one file, WAL mode. Each area owns its tables in its own module
(``mt/cache.py``, ``audit.py``, ``users.py``) and calls :func:`ensure_schema`."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

_created: set[tuple[str, str]] = set()
_lock = threading.Lock()
_write_locks: dict[str, threading.Lock] = {}


class Connection(sqlite3.Connection):
    """A connection that knows its file (``lf_file``), so that the per-file helpers below
    need not ask SQLite on every call."""

    lf_file: str = ""


def database_file(conn: sqlite3.Connection) -> str:
    """The file of *conn*'s main database ("" in memory)."""
    return _file(conn)


def _file(conn: sqlite3.Connection) -> str:
    name = getattr(conn, "lf_file", "")
    if not name:
        name = conn.execute("PRAGMA database_list").fetchone()[2]
        try:
            conn.lf_file = name  # type: ignore[attr-defined]
        except AttributeError:  # a plain sqlite3.Connection
            pass
    return name


def write_lock(conn: sqlite3.Connection) -> threading.Lock:
    """The lock this process's threads hold around a write transaction on *conn*'s file.

    SQLite lets one writer at a time in; a connection that finds the file locked waits in
    its busy handler, which sleeps 1, 2, 5, ... up to 100 ms between tries, so under a burst
    of short write transactions from many threads some wait hundreds of ms although the
    lock was free most of that time. Queued on a Python lock, a thread runs as soon as the
    one before commits. Other processes are still kept apart by SQLite's own lock."""
    name = _file(conn)
    lock = _write_locks.get(name)
    if lock is None:
        with _lock:
            lock = _write_locks.setdefault(name, threading.Lock())
    return lock


def connect(path: str | Path) -> sqlite3.Connection:
    """Open the database at *path* (created with its folder if missing)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False,
                           factory=Connection)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=30000")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def ensure_schema(conn: sqlite3.Connection, name: str, ddl: str, migrate=None) -> None:
    """Run *ddl* (``CREATE TABLE IF NOT EXISTS ...`` statements), then *migrate(conn)*
    if given, once per process and file."""
    key = (_file(conn), name)
    if key in _created:  # the common case, without taking the lock
        return
    with _lock:
        if key in _created:
            return
        conn.executescript(ddl)
        if migrate is not None:
            migrate(conn)
        _created.add(key)


def ensure_columns(conn: sqlite3.Connection, table: str, columns: dict[str, str]) -> None:
    """Migration: add each missing column of *table* (``name -> "TYPE ..."``). Older
    database files gain the column; rows written before it get its default."""
    have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
    for name, decl in columns.items():
        if name not in have:
            try:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {decl}")
            except sqlite3.OperationalError as exc:  # another process added it meanwhile
                if "duplicate column" not in str(exc):
                    raise
