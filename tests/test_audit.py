"""workflow/audit.py: the append-only audit trail."""

from __future__ import annotations

import sqlite3

import pytest

from workflow import audit, db


@pytest.fixture
def conn(tmp_path):
    return db.connect(tmp_path / "a.sqlite3")


def _rec(conn, **kw):
    base = dict(user="ana", language="fr", context="l/a", action="save", before=["x"],
                after=["y"])
    base.update(kw)
    return audit.record(conn, **base)


def test_record_and_read_back_exact_text(conn):
    text = "Ligne 1\n  « deux »\t\u200f مرحبا 🙂"
    i = _rec(conn, after=[text, ""], after_fuzzy=True, base_revision="r1", revision="r2")
    e = audit.get(conn, i)
    assert e.after == (text, "") and e.before == ("x",) and e.after_fuzzy
    assert e.base_revision == "r1" and e.revision == "r2" and e.when.tzinfo is not None


def test_append_only(conn):
    i = _rec(conn)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit SET after='[]' WHERE id=?", (i,))
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit")
    assert audit.get(conn, i).after == ("y",)


def test_unknown_action_refused(conn):
    with pytest.raises(ValueError):
        _rec(conn, action="drop")


def test_query_filters_and_approvals(conn):
    _rec(conn, user="ana", language="fr", action="approve", context="l/a")
    _rec(conn, user="bob", language="es", action="save", context="l/a")
    _rec(conn, user="bob", language="fr", action="approve", context="l/a", after=["z"])
    _rec(conn, user="ana", language="fr", action="approve", context="l/b")
    assert [e.user for e in audit.query(conn, language="fr", context="l/a",
                                        newest_first=False)] == ["ana", "bob"]
    assert {e.language for e in audit.query(conn, user="bob")} == {"es", "fr"}
    assert audit.query(conn, languages=[]) == []
    assert len(audit.query(conn, languages=["es"])) == 1
    assert audit.last_approval(conn, "fr", "l/a").user == "bob"
    assert set(audit.approvals(conn, "fr")) == {"l/a", "l/b"}
    assert audit.users(conn) == ["ana", "bob"]
    day = audit.now()[:10]
    assert len(audit.query(conn, since=day, until=day)) == 4
    assert audit.query(conn, until="2000-01-01") == []
    assert len(audit.history(conn, "fr", "l/a")) == 2
