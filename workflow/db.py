"""SQLite access: one file, WAL mode. Each area owns its tables in its own module
(``mt/cache.py``, ``audit.py``, ``users.py``) and calls :func:`ensure_schema`."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

_created: set[tuple[str, str]] = set()
_lock = threading.Lock()


def connect(path: str | Path) -> sqlite3.Connection:
    """Open the database at *path* (created with its folder if missing)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=30000")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def ensure_schema(conn: sqlite3.Connection, name: str, ddl: str, migrate=None) -> None:
    """Run *ddl* (``CREATE TABLE IF NOT EXISTS ...`` statements), then *migrate(conn)*
    if given, once per process and file."""
    db_file = conn.execute("PRAGMA database_list").fetchone()["file"]
    key = (db_file, name)
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
