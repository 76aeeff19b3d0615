"""A batch's audit intents and rows in a few statements (``audit_intents.begin`` /
``complete_ids`` with ``audit_order.overlapped_ids`` and ``record_rows``), held to the
row-by-row code they replace: the same intents, the same rows in the same order, the same
ids, the same intents left pending, on random mixes of entries, languages, repeated
entries, rows recorded meanwhile and dropped intents. Real SQLite."""

from __future__ import annotations

import random

import pytest

from workflow import audit, audit_intents, audit_order, db
from workflow.audit_intents import Intent

_COLS = ("user, language, context, action, before, after, before_fuzzy, after_fuzzy,"
         " base_revision, revision, note, git_commit")


def _intent(rng: random.Random, lang: str, ctx: str) -> Intent:
    return Intent(user=rng.choice(["ana", "bo"]), language=lang, context=ctx,
                  action=rng.choice(["approve", "save"]), before=(f"b{rng.random()}",),
                  after=(f"a{rng.random()}", "é\n"), before_fuzzy=rng.random() < 0.5,
                  after_fuzzy=rng.random() < 0.5, base_revision=f"r{rng.randrange(99)}",
                  note=rng.choice([None, "edited by ana"]))


def _reference_complete(conn, done, drop):
    """``complete_ids`` as it was, one row at a time (late intents returned, not promoted)."""
    out, late = {}, []
    with audit_intents._Txn(conn):
        rows = audit_intents._intent_rows(conn, [i for i, _ in done])
        for intent_id, revision in done:
            row = rows.get(intent_id)
            if row is None:
                continue
            if audit_order.overlapped(conn, row):
                late.append((intent_id, revision))
                continue
            out[intent_id] = audit_intents._record(conn, row, revision, row["note"], at=None)
            conn.execute("DELETE FROM audit_intent WHERE id = ?", (intent_id,))
        if drop:
            conn.execute(f"DELETE FROM audit_intent WHERE id IN ({','.join('?' * len(drop))})",
                         drop)
    return out, late


def _scenario(conn, rng: random.Random):
    """Intents begun in a few batches with rows recorded in between; (done, drop)."""
    contexts = [f"c{i}" for i in range(rng.randrange(2, 9))]
    ids = []
    for _ in range(rng.randrange(1, 4)):
        batch = [_intent(rng, rng.choice(["fr", "de"]), rng.choice(contexts))
                 for _ in range(rng.randrange(1, 7))]
        got = audit_intents.begin(conn, batch)
        assert len(got) == len(batch)
        for i, it in zip(got, batch, strict=True):  # each id is its own intent's row
            row = conn.execute("SELECT * FROM audit_intent WHERE id = ?", (i,)).fetchone()
            assert (row["context"], row["language"], row["after"]) == (
                it.context, it.language, audit_intents._dump(it.after))
        ids += got
        for _ in range(rng.randrange(0, 3)):  # another writer's row meanwhile
            audit.record(conn, user="x", language=rng.choice(["fr", "de"]),
                         context=rng.choice(contexts), action="save", before=["p"],
                         after=["q"])
    rng.shuffle(ids)
    cut = rng.randrange(len(ids) + 1)
    done = [(i, f"rev{i}") for i in ids[:cut]]
    drop = [i for i in ids[cut:] if rng.random() < 0.5]
    return done, drop


def _state(conn):
    rows = [tuple(r) for r in conn.execute(f"SELECT id, {_COLS} FROM audit ORDER BY id")]
    pending = [r[0] for r in conn.execute("SELECT id FROM audit_intent ORDER BY id")]
    return rows, pending


@pytest.mark.parametrize("seed", range(40))
def test_batched_complete_equals_row_by_row(tmp_path, seed):
    rng = random.Random(seed)
    a = db.connect(tmp_path / "a.sqlite3")
    done, drop = _scenario(a, rng)
    b = db.connect(tmp_path / "b.sqlite3")
    a.backup(b)
    before = _state(a)
    assert before == _state(b)

    want, late = _reference_complete(a, done, drop)
    rows = audit_intents._intent_rows(b, [i for i, _ in done])
    assert {r["id"] for r in rows.values()
            if r["id"] in audit_order.overlapped_ids(b, list(rows.values()))} == {
        i for i, _ in late}
    with audit_intents._Txn(b):  # complete_ids' transaction, without the promotion
        busy = audit_order.overlapped_ids(b, list(rows.values()))
        now = [(rows[i], rev) for i, rev in done if i in rows and i not in busy]
        got = dict(zip((r["id"] for r, _ in now), audit_order.record_rows(b, now),
                       strict=True))
        gone = [r["id"] for r, _ in now] + drop
        if gone:
            b.execute(f"DELETE FROM audit_intent WHERE id IN ({','.join('?' * len(gone))})",
                      gone)
    assert got == want
    assert list(got) == list(want)  # recorded in the order of the writes
    assert _state(b) == _state(a)


@pytest.mark.parametrize("seed", range(12))
def test_complete_ids_records_what_row_by_row_did(tmp_path, seed):
    """The whole ``complete_ids`` (promotion of the late ones included, no file: the rule
    without it) against the reference followed by the same promotion."""
    rng = random.Random(100 + seed)
    a = db.connect(tmp_path / "a.sqlite3")
    done, drop = _scenario(a, rng)
    b = db.connect(tmp_path / "b.sqlite3")
    a.backup(b)
    want, late = _reference_complete(a, done, drop)
    if late:
        promoted = audit_order.promote_overlapped(a, late, None)
        want.update(zip((i for i, _ in late), promoted, strict=True))
    got = audit_intents.complete_ids(b, done, drop, None)
    assert got == want
    assert _state(b) == _state(a)


def test_begin_many_intents_in_chunks(tmp_path):
    """More intents than one statement takes: ids in order, one per intent."""
    conn = db.connect(tmp_path / "a.sqlite3")
    rng = random.Random(7)
    batch = [_intent(rng, "fr", f"c{i}") for i in range(1234)]
    ids = audit_intents.begin(conn, batch)
    assert ids == sorted(ids) and len(set(ids)) == 1234
    got = {r["id"]: r["context"] for r in conn.execute("SELECT id, context FROM audit_intent")}
    assert [got[i] for i in ids] == [it.context for it in batch]
    rows = audit_intents.complete_ids(conn, [(i, "r") for i in ids])
    assert len(rows) == 1234 and list(rows) == ids
    assert list(rows.values()) == sorted(rows.values())
