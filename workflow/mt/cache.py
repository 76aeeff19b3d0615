"""The MT cache / translation memory: one SQLite table in the project database.

Keyed by engine, language pair and the *normalised* (NFC, whitespace-collapsed) masked
source text, so a re-run of ``letterflow draft`` costs zero engine calls for unchanged
text, and the pivot leg en->es of a French draft reuses the Spanish drafts.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from .. import db

DDL = """
CREATE TABLE IF NOT EXISTS mt_cache (
    engine      TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    source_key  TEXT NOT NULL,      -- sha256 of the normalised source text
    source_text TEXT NOT NULL,      -- the normalised, masked source text
    target_text TEXT NOT NULL,      -- the engine's output (masked)
    created     TEXT NOT NULL,
    hits        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (engine, source_lang, target_lang, source_key)
);
"""


def normalise(text: str) -> str:
    """The cache key form of a text: NFC, whitespace runs collapsed, stripped."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def source_key(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


class MTCache:
    """Thread-safe access to the ``mt_cache`` table."""

    def __init__(self, conn_or_path: sqlite3.Connection | str | Path):
        if isinstance(conn_or_path, sqlite3.Connection):
            self.conn = conn_or_path
        else:
            self.conn = db.connect(conn_or_path)
        db.ensure_schema(self.conn, "mt_cache", DDL)
        self._lock = threading.Lock()

    def lookup_many(
        self, engine: str, source: str, target: str, texts: Iterable[str]
    ) -> dict[str, str]:
        """Return {text: cached translation} for the texts that are cached."""
        keys = {source_key(t): t for t in texts}
        found: dict[str, str] = {}
        if not keys:
            return found
        with self._lock:
            items = list(keys)
            for i in range(0, len(items), 500):
                chunk = items[i : i + 500]
                marks = ",".join("?" * len(chunk))
                rows = self.conn.execute(
                    "SELECT source_key, target_text FROM mt_cache WHERE engine=? AND "
                    f"source_lang=? AND target_lang=? AND source_key IN ({marks})",
                    (engine, source, target, *chunk),
                ).fetchall()
                for row in rows:
                    found[keys[row["source_key"]]] = row["target_text"]
                if rows:
                    hit = [r["source_key"] for r in rows]
                    self.conn.execute(
                        "UPDATE mt_cache SET hits = hits + 1 WHERE engine=? AND source_lang=? "
                        f"AND target_lang=? AND source_key IN ({','.join('?' * len(hit))})",
                        (engine, source, target, *hit),
                    )
        return found

    def store_many(
        self, engine: str, source: str, target: str, results: Mapping[str, str]
    ) -> None:
        """Insert (or refresh) translations, in one transaction."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        rows = [
            (engine, source, target, source_key(src), normalise(src), out, now)
            for src, out in results.items()
        ]
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self.conn.executemany(
                    "INSERT INTO mt_cache (engine, source_lang, target_lang, source_key, "
                    "source_text, target_text, created) VALUES (?,?,?,?,?,?,?) "
                    "ON CONFLICT (engine, source_lang, target_lang, source_key) DO UPDATE SET "
                    "target_text = excluded.target_text, created = excluded.created",
                    rows,
                )
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise

    def rows(self, engine: str | None = None) -> list[dict]:
        """All rows (for tests, ``letterflow providers`` and inspection)."""
        sql = (
            "SELECT engine, source_lang, target_lang, source_text, target_text, hits "
            "FROM mt_cache"
        )
        args: tuple = ()
        if engine:
            sql += " WHERE engine=?"
            args = (engine,)
        sql += " ORDER BY engine, source_lang, target_lang, source_text"
        with self._lock:
            return [dict(r) for r in self.conn.execute(sql, args).fetchall()]

    def close(self) -> None:
        self.conn.close()
