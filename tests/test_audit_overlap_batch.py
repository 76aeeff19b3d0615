"""``audit_order.overlapping`` (two queries per language for a batch of intents) against
the rule it stands for, ``audit_order.overlapped`` (two queries per intent), and
``audit_intents.complete`` against the intent-by-intent completion it replaced, on random
states of the audit trail and the pending intents: real SQLite."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from workflow import audit, audit_intents, db
from workflow.audit_intents import Intent, _record, _Txn
from workflow.audit_order import overlapped, overlapping

CONTEXTS = ["a", "b", "c", "d", "a:1", "b'2"]
LANGS = ["fr", "de"]


def _intent(rng: random.Random, lang: str | None = None) -> Intent:
    return Intent(user=rng.choice(["ann", "bob"]), language=lang or rng.choice(LANGS),
                  context=rng.choice(CONTEXTS), action="approve", before=("x",),
                  after=(f"t{rng.randrange(1000)}",), base_revision=f"r{rng.randrange(99)}",
                  note="edited")


def _state(conn, rng: random.Random) -> list[int]:
    """Random rows and pending intents, interleaved (so the intents' audit marks differ);
    the pending intent ids."""
    pending: list[int] = []
    for _ in range(rng.randrange(3, 25)):
        if rng.random() < 0.5:
            audit.record(conn, user="ann", language=rng.choice(LANGS),
                         context=rng.choice(CONTEXTS), action="save", before=["x"],
                         after=["y"])
        else:
            pending += audit_intents.begin(conn, [_intent(rng) for _ in range(rng.randrange(
                1, 4))])
    return pending


def _rows(conn, ids: list[int]) -> list:
    return [conn.execute("SELECT * FROM audit_intent WHERE id = ?", (i,)).fetchone()
            for i in ids]


def test_overlapping_is_overlapped_of_each_row(tmp_path: Path):
    for seed in range(40):
        rng = random.Random(seed)
        conn = db.connect(tmp_path / f"o{seed}.sqlite3")
        pending = _state(conn, rng)
        some = rng.sample(pending, rng.randrange(1, len(pending) + 1))
        rows = _rows(conn, some)
        expected = {r["id"] for r in rows if overlapped(conn, r)}
        assert overlapping(conn, rows) == expected, seed
        conn.close()


def _one_by_one(conn, done: list[tuple[int, str]], drop: list[int]) -> tuple[dict, list]:
    """The completion loop before the batch queries (each intent's overlap asked after the
    ones before it were recorded and deleted): (intent id -> audit id, late intents)."""
    out, late = {}, []
    with _Txn(conn):
        for intent_id, revision in done:
            row = conn.execute("SELECT * FROM audit_intent WHERE id = ?",
                               (intent_id,)).fetchone()
            if row is None:
                continue
            if overlapped(conn, row):
                late.append(intent_id)
                continue
            out[intent_id] = _record(conn, row, revision, row["note"], at=None)
            conn.execute("DELETE FROM audit_intent WHERE id = ?", (intent_id,))
        for i in drop:
            conn.execute("DELETE FROM audit_intent WHERE id = ?", (i,))
    return out, late


def _dump(conn) -> tuple[list, list]:
    rows = [(r["language"], r["context"], r["action"], r["after"], r["revision"], r["note"])
            for r in conn.execute("SELECT * FROM audit ORDER BY id")]
    left = [r["id"] for r in conn.execute("SELECT id FROM audit_intent ORDER BY id")]
    return rows, left


def test_complete_records_what_one_by_one_completion_records(tmp_path: Path, monkeypatch):
    """The same rows, the same late intents, the same intents left (the late ones are
    promoted under the file's lock by ``promote_overlapped``: stubbed out on both sides to
    compare the first pass alone)."""
    import workflow.audit_order as order

    late_seen: list = []
    monkeypatch.setattr(order, "promote_overlapped",
                        lambda conn, late, path: late_seen.extend(i for i, _ in late) or [])
    for seed in range(40):
        sides = []
        for side in ("batch", "loop"):
            conn = db.connect(tmp_path / f"c{seed}{side}.sqlite3")
            r2 = random.Random(seed)
            pending = _state(conn, r2)
            # this batch's own intents, some of them on the same entry, stored last
            mine = audit_intents.begin(conn, [_intent(r2, "fr") for _ in range(r2.randrange(
                1, 6))])
            pick = random.Random(seed + 7)
            done = [(i, f"rev{i}") for i in mine if pick.random() < 0.8]
            drop = [i for i in mine if all(i != d for d, _ in done)]
            done += [(i, "old") for i in pick.sample(pending, min(2, len(pending)))]
            if side == "batch":
                late_seen.clear()
                audit_intents.complete(conn, done, drop, path=None)
                late = list(late_seen)
            else:
                _, late = _one_by_one(conn, done, drop)
            sides.append((_dump(conn), late))
            conn.close()
        assert sides[0] == sides[1], seed


@pytest.mark.parametrize("returning", [True, False])
def test_begin_returns_the_ids_in_the_order_given(tmp_path: Path, monkeypatch, returning):
    """One multi-row INSERT ... RETURNING per 200 intents, or (an SQLite before 3.35) one
    INSERT per intent: the same ids in the same order."""
    if not returning:
        monkeypatch.setattr(audit_intents, "_RETURNING", False)
        monkeypatch.setattr(audit_intents, "_ROWS_PER_INSERT", 1)
    conn = db.connect(tmp_path / "b.sqlite3")
    rng = random.Random(3)
    intents = [_intent(rng) for _ in range(450)]  # more than one INSERT statement
    ids = audit_intents.begin(conn, intents)
    assert len(ids) == len(set(ids)) == 450
    for i, intent in zip(ids, intents, strict=True):
        row = conn.execute("SELECT * FROM audit_intent WHERE id = ?", (i,)).fetchone()
        assert (row["language"], row["context"], row["after"], row["base_revision"]) == (
            intent.language, intent.context, f'["{intent.after[0]}"]', intent.base_revision)
