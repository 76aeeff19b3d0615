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


def test_write_transactions_of_one_process_queue_on_one_lock(tmp_path):
    """Threads of one process wait for each other's audit transactions on a Python lock
    (woken as soon as it is free), not in SQLite's sleeping busy handler."""
    import threading

    from workflow import audit_intents

    path = tmp_path / "lf.sqlite3"
    c1, c2 = db.connect(path), db.connect(path)
    lock = db.write_lock(c1)
    assert lock is db.write_lock(c2)
    assert db.write_lock(db.connect(tmp_path / "other.sqlite3")) is not lock
    intent = audit_intents.Intent(user="ana", language="fr", context="x", action="save",
                                  before=("",), after=("Bonjour",))
    audit_intents.pending(c2)  # the schema
    got: list[list[int]] = []
    with lock:
        t = threading.Thread(target=lambda: got.append(audit_intents.begin(c2, [intent])))
        t.start()
        t.join(0.3)
        assert t.is_alive() and got == []  # waits for the lock, no transaction begun
        c1.execute("BEGIN IMMEDIATE")  # so SQLite's own write lock is free for c1
        c1.execute("COMMIT")
    t.join(10)
    assert not t.is_alive() and len(got[0]) == 1
    assert [r["id"] for r in audit_intents.pending(c1, "fr")] == got[0]
