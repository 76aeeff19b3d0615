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


def ensure_schema(conn: sqlite3.Connection, name: str, ddl: str) -> None:
    """Run *ddl* (``CREATE TABLE IF NOT EXISTS ...`` statements) once per process and file."""
    db_file = conn.execute("PRAGMA database_list").fetchone()["file"]
    key = (db_file, name)
    with _lock:
        if key in _created:
            return
        conn.executescript(ddl)
        _created.add(key)
