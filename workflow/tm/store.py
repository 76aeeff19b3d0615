"""The translation memory table in the project database, with an FTS5 index for candidates.

One row per approved message (``kind = 'message'``) and per aligned sentence of it
(``kind = 'segment'``), per language: source, target (all plural forms as JSON), the
letter and message id it came from, who approved it and when, and its origin
(``catalog`` or ``tmx:<file name>``). Units are never deleted when a letter changes or
goes away: what was approved stays reusable.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .. import db

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

_WORD = re.compile(r"\w+")
#: A word in more than this share of the units (0.2%, at least 50) is too common to look
#: for candidates with: ranking its long document list would cost more than it finds.
COMMON = 0.002
#: How many of the rarest words of a text look for candidates.
WORDS = 6
#: database file -> (max unit id when read, term -> document frequency)
_DF_CACHE: dict[str, tuple[int, dict[str, int]]] = {}
#: database file -> (memory size when counted, number of languages)
_NLANGS_CACHE: dict[str, tuple[int, int]] = {}


def _fts_term(word: str) -> str:
    """A word as the FTS5 unicode61 tokenizer (remove_diacritics 2) indexes it."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


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

    def candidates(self, lang: str, text: str, limit: int = 40, words: int = 0,
                   kinds: tuple[str, ...] = ("message", "segment")) -> list[Unit]:
        """Units of *lang* sharing words of *text*, best bm25 first, for fuzzy scoring.

        The query ORs the *words* rarest words of the text (document frequencies from the
        FTS5 vocabularies, read once per process and refreshed as the memory grows), so the
        candidate set stays small even in a large memory. Messages and sentences have
        their own index (else bm25, which favours short documents, would let a
        paragraph's own sentences push the paragraph out of the *limit*)."""
        terms = list(dict.fromkeys(_fts_term(w) for w in _WORD.findall(text) if len(w) > 2))
        if not terms:
            return []
        df = self._frequencies()
        words = words or WORDS
        known = sorted((t for t in terms if df.get(t)), key=lambda t: df[t])
        common = max(50, int(df.get("", 0) * COMMON))
        rare = [t for t in known if df[t] <= common][:words] or known[:2]
        if not rare:
            return []
        query = " OR ".join('"' + t.replace('"', "") + '"' for t in rare)
        ids: list[int] = []
        for kind in kinds:
            table = "tm_fts" if kind == "message" else "tm_fts_seg"
            # the same source is in the memory once per language: take enough to keep
            # *limit* of this language (filtered on the rows: a lang condition in SQL makes
            # SQLite scan the language's index instead of looking the ids up)
            ids += [r[0] for r in self.conn.execute(
                f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rank LIMIT ?",
                (query, limit * self._languages()))]
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(f"SELECT * FROM tm_unit WHERE id IN ({marks})", ids)
        order = {i: n for n, i in enumerate(ids)}
        units = [_unit(r) for r in rows if r["lang"] == lang]
        return sorted(units, key=lambda u: order[u.id])

    def _frequencies(self) -> dict[str, int]:
        """term -> number of units containing it (cached per database file; re-read when
        the memory has grown by a tenth since)."""
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
