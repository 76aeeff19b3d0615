"""The translation memory table in the project database, with an FTS5 index for candidates.

One row per approved message (``kind = 'message'``) and per aligned sentence of it
(``kind = 'segment'``), per language: source, target (all plural forms as JSON), the
letter and message id it came from, who approved it and when, and its origin
(``catalog`` or ``tmx:<file name>``). Units are never deleted when a letter changes or
goes away: what was approved stays reusable.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .. import db
from . import query

DDL = """
CREATE TABLE IF NOT EXISTS tm_unit (
    id            INTEGER PRIMARY KEY,
    lang          TEXT NOT NULL,
    kind          TEXT NOT NULL,            -- 'message' or 'segment'
    source        TEXT NOT NULL,            -- as written (singular for plural messages)
    source_key    TEXT NOT NULL,            -- NFC, whitespace collapsed
    source_plural TEXT,
    target        TEXT NOT NULL,            -- first form
    forms         TEXT NOT NULL,            -- JSON list of every form
    letter        TEXT NOT NULL DEFAULT '',
    msgid         TEXT NOT NULL DEFAULT '', -- the message's msgctxt (letter/block)
    segment       INTEGER NOT NULL DEFAULT 0,
    approver      TEXT NOT NULL DEFAULT '',
    approved_at   TEXT NOT NULL DEFAULT '',
    origin        TEXT NOT NULL DEFAULT 'catalog',
    UNIQUE (lang, origin, kind, msgid, segment, source_key)
);
CREATE INDEX IF NOT EXISTS tm_exact ON tm_unit (lang, source_key);
CREATE INDEX IF NOT EXISTS tm_msg ON tm_unit (lang, origin, msgid);
CREATE INDEX IF NOT EXISTS tm_len ON tm_unit (lang, length(source_key));
CREATE VIRTUAL TABLE IF NOT EXISTS tm_fts USING fts5 (          -- messages
    source, lang UNINDEXED, content='tm_unit', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE IF NOT EXISTS tm_fts_seg USING fts5 (      -- sentences
    source, lang UNINDEXED, content='tm_unit', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS tm_ai AFTER INSERT ON tm_unit WHEN new.kind = 'message' BEGIN
    INSERT INTO tm_fts (rowid, source, lang) VALUES (new.id, new.source, new.lang);
END;
CREATE TRIGGER IF NOT EXISTS tm_ad AFTER DELETE ON tm_unit WHEN old.kind = 'message' BEGIN
    INSERT INTO tm_fts (tm_fts, rowid, source, lang)
    VALUES ('delete', old.id, old.source, old.lang);
END;
CREATE TRIGGER IF NOT EXISTS tm_ai_seg AFTER INSERT ON tm_unit WHEN new.kind = 'segment' BEGIN
    INSERT INTO tm_fts_seg (rowid, source, lang) VALUES (new.id, new.source, new.lang);
END;
CREATE TRIGGER IF NOT EXISTS tm_ad_seg AFTER DELETE ON tm_unit WHEN old.kind = 'segment' BEGIN
    INSERT INTO tm_fts_seg (tm_fts_seg, rowid, source, lang)
    VALUES ('delete', old.id, old.source, old.lang);
END;
CREATE VIRTUAL TABLE IF NOT EXISTS tm_vocab USING fts5vocab (tm_fts, row);
CREATE VIRTUAL TABLE IF NOT EXISTS tm_vocab_seg USING fts5vocab (tm_fts_seg, row);
CREATE TABLE IF NOT EXISTS tm_sync (
    lang  TEXT PRIMARY KEY,
    stamp TEXT NOT NULL                       -- catalogue size and mtime at the last sync
);
"""

#: database file -> (max unit id when read, term -> document frequency)
_DF_CACHE: dict[str, tuple[int, dict[str, int]]] = {}
#: database file -> (memory size when counted, number of languages)
_NLANGS_CACHE: dict[str, tuple[int, int]] = {}
#: A length window holding at most this many units is scored whole (no FTS5 query).
SCAN = 2000
#: The best bm25 rows of each index that are scored (40 lost a 96% match in bench_tm.py's
#: queries: bm25 on a few rare words says little about similarity).
LIMIT = 100


def key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@dataclass(frozen=True)
class Unit:
    lang: str
    source: str
    target: str
    forms: tuple[str, ...] = ()
    source_plural: str | None = None
    kind: str = "message"
    letter: str = ""
    msgid: str = ""
    segment: int = 0
    approver: str = ""
    approved_at: str = ""
    origin: str = "catalog"
    id: int = 0

    @property
    def where(self) -> str:
        """"icnk-2012/survivors" (sentence 2: "icnk-2012/survivors#2"); an imported unit
        names its file first ("tmx:2013.tmx a/x")."""
        where = self.msgid + (f"#{self.segment}" if self.kind == "segment" else "")
        if self.origin == "catalog":
            return where
        return f"{self.origin} {where}".strip()

    def as_dict(self) -> dict:
        return {
            "source": self.source, "target": self.target, "forms": list(self.forms),
            "source_plural": self.source_plural, "kind": self.kind, "letter": self.letter,
            "msgid": self.msgid, "segment": self.segment, "approver": self.approver,
            "approved_at": self.approved_at, "origin": self.origin, "where": self.where,
        }


def _unit(row: sqlite3.Row) -> Unit:
    return Unit(
        lang=row["lang"], source=row["source"], target=row["target"],
        forms=tuple(json.loads(row["forms"])), source_plural=row["source_plural"],
        kind=row["kind"], letter=row["letter"], msgid=row["msgid"], segment=row["segment"],
        approver=row["approver"], approved_at=row["approved_at"], origin=row["origin"],
        id=row["id"],
    )


class Memory:
    """The ``tm_unit`` table of one database."""

    def __init__(self, conn_or_path: sqlite3.Connection | str | Path):
        if isinstance(conn_or_path, sqlite3.Connection):
            self.conn, self._own = conn_or_path, False
        else:
            self.conn, self._own = db.connect(conn_or_path), True
        db.ensure_schema(self.conn, "tm", DDL)

    def close(self) -> None:
        if self._own:
            self.conn.close()

    # -- writing ---------------------------------------------------------------------

    def add(self, units: Iterable[Unit]) -> int:
        """Insert (or replace, same origin/message/segment/source) *units*; returns count."""
        rows = [
            (u.lang, u.kind, u.source, key(u.source), u.source_plural, u.target,
             json.dumps(list(u.forms or (u.target,)), ensure_ascii=False), u.letter, u.msgid,
             u.segment, u.approver, u.approved_at, u.origin)
            for u in units
        ]
        with self._tx():
            for row in rows:
                self.conn.execute(
                    "DELETE FROM tm_unit WHERE lang=? AND origin=? AND kind=? AND msgid=? "
                    "AND segment=? AND source_key=?",
                    (row[0], row[12], row[1], row[8], row[9], row[3]),
                )
                self.conn.execute(
                    "INSERT INTO tm_unit (lang, kind, source, source_key, source_plural, target,"
                    " forms, letter, msgid, segment, approver, approved_at, origin)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", row,
                )
        return len(rows)

    def replace_message(self, lang: str, msgid: str, units: Sequence[Unit]) -> None:
        """Put *units* (a message and its sentences) in place of what *msgid* had."""
        with self._tx():
            self.conn.execute("DELETE FROM tm_unit WHERE lang=? AND origin='catalog' AND msgid=?",
                              (lang, msgid))
        self.add(units)

    def _tx(self):
        conn = self.conn

        class _Tx:
            def __enter__(self):
                conn.execute("BEGIN IMMEDIATE")

            def __exit__(self, exc_type, *_):
                conn.execute("ROLLBACK" if exc_type else "COMMIT")

        return _Tx()

    # -- reading ---------------------------------------------------------------------

    def message(self, lang: str, msgid: str) -> Unit | None:
        row = self.conn.execute(
            "SELECT * FROM tm_unit WHERE lang=? AND origin='catalog' AND msgid=? "
            "AND kind='message'", (lang, msgid)).fetchone()
        return _unit(row) if row else None

    def exact(self, lang: str, source: str, source_plural: str | None = None,
              kind: str | None = None) -> list[Unit]:
        """Units whose source is *source* (normalised), most recent approval first."""
        sql = "SELECT * FROM tm_unit WHERE lang=? AND source_key=?"
        args: list = [lang, key(source)]
        if kind:
            sql += " AND kind=?"
            args.append(kind)
        rows = self.conn.execute(sql + " ORDER BY approved_at DESC, id DESC", args).fetchall()
        units = [_unit(r) for r in rows]
        return [u for u in units if key(u.source_plural or "") == key(source_plural or "")]

    def candidates(self, lang: str, text: str, limit: int = 0, words: int = 0,
                   kinds: tuple[str, ...] = ("message", "segment"),
                   threshold: float = 0.0, budget: float = 0.0) -> list[Unit]:
        """Units of *lang* that may score *threshold* against *text*, for fuzzy scoring
        (see :meth:`candidate_keys`), as units."""
        found = self.candidate_keys(lang, text, limit, words, kinds, threshold, budget)
        return self.by_ids([i for i, _ in found])

    def candidate_keys(self, lang: str, text: str, limit: int = 0, words: int = 0,
                       kinds: tuple[str, ...] = ("message", "segment"),
                       threshold: float = 0.0,
                       budget: float = 0.0) -> list[tuple[int, str]]:
        """(id, normalised source) of the units of *lang* that may score *threshold*
        against *text*: every unit of a length that can (workflow.tm.query.window) when
        there are at most SCAN of them, else the best bm25 rows of a query on the text's
        rarest words (workflow.tm.query; *budget*: its estimated cost in µs), *limit*
        per kind (default LIMIT), best first.

        Messages and sentences have their own index (else bm25, which favours short
        documents, would let a paragraph's own sentences push the paragraph out of the
        *limit*)."""
        lo, hi = query.window(key(text), threshold)
        within = "lang=? AND length(source_key) BETWEEN ? AND ?"  # index tm_len
        inside = self.conn.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM tm_unit WHERE {within} LIMIT {SCAN + 1})",
            (lang, lo, hi)).fetchone()[0]
        if inside <= SCAN:
            return self.conn.execute(
                f"SELECT id, source_key FROM tm_unit WHERE {within} AND kind IN "
                f"({','.join('?' * len(kinds))}) ORDER BY id", (lang, lo, hi, *kinds)).fetchall()
        expr = query.build(text, self._frequencies(), self._size(), words, budget)
        limit = limit or LIMIT
        if not expr:
            return []
        ids: list[int] = []
        for kind in kinds:
            table = "tm_fts" if kind == "message" else "tm_fts_seg"
            # the same source is in the memory once per language: take enough to keep
            # *limit* of this language (filtered on the rows: a lang condition in SQL makes
            # SQLite scan the language's index instead of looking the ids up)
            ids += [r[0] for r in self.conn.execute(
                f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rank LIMIT ?",
                (expr, limit * self._languages()))]
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(  # by rowid: a lang condition here would use tm_len
            f"SELECT id, lang, kind, source_key FROM tm_unit WHERE id IN ({marks})", ids)
        keep = {i: src for i, lg, kind, src in rows
                if lg == lang and kind in kinds and lo <= len(src) <= hi}
        return [(i, keep[i]) for i in dict.fromkeys(ids) if i in keep]

    def by_ids(self, ids: Sequence[int]) -> list[Unit]:
        """The units *ids*, in that order (unknown ids left out)."""
        if not ids:
            return []
        rows = self.conn.execute(
            f"SELECT * FROM tm_unit WHERE id IN ({','.join('?' * len(ids))})", list(ids))
        units = {u.id: u for u in map(_unit, rows)}
        return [units[i] for i in ids if i in units]

    def _size(self) -> int:
        """The memory's size as its word frequencies were counted."""
        return self._frequencies().get("", 0)

    def _frequencies(self) -> dict[str, int]:
        """term -> number of units containing it (cached per database file; re-read when
        the memory has grown by a tenth since; looked up once per Memory object)."""
        df = self.__dict__.get("_df")
        if df is None:
            df = self.__dict__["_df"] = self._read_frequencies()
        return df

    def _read_frequencies(self) -> dict[str, int]:
        size = self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM tm_unit").fetchone()[0]
        path = self.conn.execute("PRAGMA database_list").fetchone()["file"]
        cached = _DF_CACHE.get(path)
        if cached is None or not cached[0] <= size <= cached[0] * 1.1 + 100:
            df = dict(self.conn.execute("SELECT term, doc FROM tm_vocab"))
            for term, doc in self.conn.execute("SELECT term, doc FROM tm_vocab_seg"):
                df[term] = df.get(term, 0) + doc
            df[""] = size  # the memory's size, for the "common word" cut-off
            cached = _DF_CACHE[path] = (size, df)
        return cached[1]

    def _languages(self) -> int:
        """How many languages the memory holds (at least 1; cached per database file with
        the word frequencies: counting them reads the whole index, ~20 ms at 100,000
        units, and the suggestions API opens the memory once per request)."""
        n = self.__dict__.get("_nlangs")
        if n is None:
            size = self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM tm_unit").fetchone()[0]
            path = db.database_file(self.conn)
            cached = _NLANGS_CACHE.get(path)
            if cached is None or not cached[0] <= size <= cached[0] * 1.1 + 100:
                n = self.conn.execute("SELECT COUNT(DISTINCT lang) FROM tm_unit").fetchone()[0]
                cached = _NLANGS_CACHE[path] = (size, max(1, min(int(n), 15)))
            n = self.__dict__["_nlangs"] = cached[1]
        return n

    def units(self, lang: str | None = None, kind: str | None = "message") -> list[Unit]:
        sql, args = "SELECT * FROM tm_unit WHERE 1=1", []
        if lang:
            sql += " AND lang=?"
            args.append(lang)
        if kind:
            sql += " AND kind=?"
            args.append(kind)
        return [_unit(r) for r in self.conn.execute(sql + " ORDER BY id", args)]

    def count(self, lang: str | None = None) -> dict[str, int]:
        sql = "SELECT kind, COUNT(*) FROM tm_unit" + (" WHERE lang=?" if lang else "")
        return dict(self.conn.execute(sql + " GROUP BY kind", (lang,) if lang else ()))

    # -- catalogue sync -------------------------------------------------------------------

    def stamp(self, lang: str) -> str | None:
        row = self.conn.execute("SELECT stamp FROM tm_sync WHERE lang=?", (lang,)).fetchone()
        return row[0] if row else None

    def set_stamp(self, lang: str, stamp: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO tm_sync (lang, stamp) VALUES (?, ?)",
                          (lang, stamp))


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
