"""Two writers of one entry whose audit rows are completed out of order (issue 10, the race
behind the random-kill burst test): real SQLite, real files, real review rules.

In the web UI, a request's audit intent was promoted by the request's own thread after the
group-commit writer had replaced the file and released its lock, so request A (written
first) could reach ``audit_intents.complete`` after request B (written second, on A's
revision) already had. The audit row appended last then claimed A's text while the file
held B's. Review writes now record their rows under the file's lock (the first test); the
overlap promotion of ``audit_order`` stays for any writer that completes late, and the
other tests make such interleavings happen deterministically, checking the invariant of
``test_audit_crash.assert_agree``: the newest change row of every entry is what the file
holds, every change has a row, and no intent is left pending.
"""

from __future__ import annotations

import threading
from pathlib import Path

from test_audit_crash import _snapshot, assert_agree

from workflow import audit, audit_intents, db
from workflow.catalogs import Change, apply_changes, load_catalog
from workflow.config import load_config
from workflow.review import FileStore, perform


class _User:
    def __init__(self, name: str):
        self.name = name

    def can_edit(self, lang: str) -> bool:
        return True


def _plain(config) -> str:
    cat = load_catalog(config.catalog("fr"))
    return next(m.context for m in cat.active()
                if not m.plural and not any(c.isdigit() or c in "{<[" for c in m.source))


def test_rows_are_recorded_before_the_file_lock_is_released(project_dir: Path, monkeypatch):
    """The reported race, made to happen: right after alice's write replaced the file, and
    before her audit row is recorded, bob's whole approval (on her revision) is started in
    another thread. Her row must be recorded before bob can write (he waits for the file's
    lock), so the rows follow the writes and each keeps its own action. On the old write
    path (rows recorded after the lock was released) bob wrote and recorded first, and
    alice's late row claimed a text the file no longer held."""
    from workflow.review import batch

    config = load_config(project_dir)
    before = _snapshot(config.catalog("fr"))
    ctx = _plain(config)
    start = load_catalog(config.catalog("fr")).get(ctx)
    real = batch.finish_items
    seen: dict = {}

    def bob(revision):
        perform(FileStore(config), _User("bob"), "fr", ctx, "approve", ["Texte I relu."],
                revision)

    def alice_recorded_late(conn, path, items, ids):
        if "bob" not in seen:  # alice's write is in the file; her row is not yet recorded
            seen["bob"] = threading.Thread(target=bob, args=(items[0].message.revision,))
            seen["bob"].start()
            seen["bob"].join(timeout=1.0)
            seen["bob waited"] = seen["bob"].is_alive()
        real(conn, path, items, ids)

    monkeypatch.setattr(batch, "finish_items", alice_recorded_late)
    store = FileStore(config)
    perform(store, _User("alice"), "fr", ctx, "approve", ["Texte D relu."], start.revision)
    seen["bob"].join(timeout=60)
    assert seen["bob waited"], "bob wrote while alice's row was not yet recorded"
    assert load_catalog(config.catalog("fr")).get(ctx).strings == ("Texte I relu.",)
    assert assert_agree(config, "fr", before) == 1
    rows = audit.history(store.conn, "fr", ctx)
    assert [(r.user, r.action, r.after) for r in rows] == [
        ("alice", "approve", ("Texte D relu.",)),
        ("bob", "approve", ("Texte I relu.",)),
    ]
    assert audit.last_approval(store.conn, "fr", ctx).user == "bob"


def _begin(conn, lang, ctx, user, before, after, base):
    return audit_intents.begin(conn, [audit_intents.Intent(
        user=user, language=lang, context=ctx, action="approve", before=before,
        after=after, base_revision=base)])[0]


def _write(path, ctx, text, base):
    kind, msg = apply_changes(path, [Change(context=ctx, strings=[text], fuzzy=False,
                                            base_revision=base)]).outcomes[0]
    assert kind == "applied"
    return msg


def _a_b_a(conn, path, ctx, r0, writers=3):
    """alice writes A, bob B on her revision, carol A again on his (the first *writers* of
    them), each with an intent that is not yet completed: [(intent id, message written)]
    in the order of the writes."""
    a, b = ("Texte D relu.",), ("Texte I relu.",)
    out, before, base = [], r0.strings, r0.revision
    for user, text in (("alice", a), ("bob", b), ("carol", a))[:writers]:
        i = _begin(conn, "fr", ctx, user, before, text, base)
        m = _write(path, ctx, text[0], base)
        out.append((i, m))
        before, base = text, m.revision
    return out


def _race(project_dir: Path, writers: int = 3):
    """The French catalogue's plain entry after :func:`_a_b_a`'s *writers* writes:
    (config, the project's snapshot before them, path, context, connection, writes)."""
    config = load_config(project_dir)
    before = _snapshot(config.catalog("fr"))
    path = config.catalog("fr")
    ctx = _plain(config)
    conn = FileStore(config).conn
    writes = _a_b_a(conn, path, ctx, load_catalog(path).get(ctx), writers)
    return config, before, path, ctx, conn, writes


def test_a_b_a_written_in_order_completed_in_any_order(project_dir: Path):
    """A, then B on A's revision, then A's text again on B's: the same text twice (the
    burst test reuses texts), completed in an order that differs from the writes'."""
    config, before, path, ctx, conn, writes = _race(project_dir)
    a = ("Texte D relu.",)
    (i1, m1), (i2, m2), (i3, m3) = writes
    # the file's writer (carol) first, then alice, then bob (whose text was replaced)
    audit_intents.complete(conn, [(i3, m3.revision)], path=path)
    audit_intents.complete(conn, [(i1, m1.revision)], path=path)
    audit_intents.complete(conn, [(i2, m2.revision)], path=path)
    assert assert_agree(config, "fr", before) == 1
    latest = [r for r in audit.history(conn, "fr", ctx) if r.action in audit.CHANGE_ACTIONS]
    assert latest[-1].after == a
    assert {r.user for r in audit.history(conn, "fr", ctx)} == {"alice", "bob", "carol"}


def test_middle_writer_completing_last(project_dir: Path):
    """A, B, A again: alice and carol complete, bob (whose text the file no longer
    holds, and whose successor is recorded) completes last."""
    config, before, path, ctx, conn, writes = _race(project_dir)
    (i1, m1), (i2, m2), (i3, m3) = writes
    audit_intents.complete(conn, [(i1, m1.revision)], path=path)
    audit_intents.complete(conn, [(i3, m3.revision)], path=path)
    audit_intents.complete(conn, [(i2, m2.revision)], path=path)
    assert assert_agree(config, "fr", before) == 1


def test_uncontended_completion_is_recorded_as_before(project_dir: Path):
    """One writer, nothing concurrent: the row is a plain change row (no file read)."""
    config = load_config(project_dir)
    path = config.catalog("fr")
    ctx = _plain(config)
    conn = FileStore(config).conn
    r0 = load_catalog(path).get(ctx)
    i1 = _begin(conn, "fr", ctx, "alice", r0.strings, ("Un texte.",), r0.revision)
    m1 = _write(path, ctx, "Un texte.", r0.revision)
    path.unlink()  # the uncontended path never reads the file
    (row_id,) = audit_intents.complete(conn, [(i1, m1.revision)], path=path)
    row = audit.get(conn, row_id)
    assert (row.action, row.after, row.revision, row.note) == (
        "approve", ("Un texte.",), m1.revision, None)
    assert audit_intents.pending(conn) == []


def test_killed_first_writer_is_settled_against_the_newer_row(project_dir: Path):
    """Alice's write, then bob's on her revision; bob's row is recorded, alice's process
    dies before completing: the reconcile at the next start must not claim her text."""
    config, before, path, ctx, conn, writes = _race(project_dir, writers=2)
    (i1, m1), (i2, m2) = writes
    audit_intents.complete(conn, [(i2, m2.revision)], path=path)
    out = audit_intents.reconcile(conn, "fr", path, [i1])
    assert (out.recorded, out.dropped) == (0, 1)
    assert assert_agree(config, "fr", before) == 1


def test_without_the_file_the_later_write_is_told_by_its_base_revision(project_dir: Path):
    """No path (a caller that cannot name the file) or its lock not free in time: the
    first writer's row still does not become the newest, because the recorded second
    write was based on the revision the first one wrote."""
    config, before, path, ctx, conn, writes = _race(project_dir, writers=2)
    (i1, m1), (i2, m2) = writes
    audit_intents.complete(conn, [(i2, m2.revision)])
    audit_intents.complete(conn, [(i1, m1.revision)])
    assert assert_agree(config, "fr", before) == 1
    assert [r.action for r in audit.history(conn, "fr", ctx)] == ["approve", "conflict"]


def test_web_group_commit_first_writer_completing_last(app, web_project: Path, monkeypatch):
    """The same interleaving through the review server's real write path (Flask app,
    per-catalogue group commit, web cache): request A's write lands and A's thread is
    held before its row is recorded (as when it loses the GIL and SQLite's busy wait),
    while request B saves the same entry. B must not get its write and row in before A's
    row (it did on the old write path, where A's row then claimed a text the file no longer
    held). Only the timing is arranged; every write, intent and row is the real one."""
    from conftest import WEB_USERS

    ctx = "icnk-2012/meeting"
    before = _snapshot(web_project / "locales" / "fr" / "LC_MESSAGES" / "letter.po")
    a_written, b_done = threading.Event(), threading.Event()
    real = audit_intents.complete
    seen = {}

    def complete(conn, done, drop=(), **kw):
        rows = [conn.execute("SELECT after FROM audit_intent WHERE id = ?", (i,)).fetchone()
                for i, _ in done]
        mine = [r["after"] for r in rows if r is not None]
        if '["Texte D relu."]' in mine:  # A: its file write is done; B is given 1.5 s
            a_written.set()
            seen["b before a"] = b_done.wait(1.5)
            return real(conn, done, drop, **kw)
        try:
            return real(conn, done, drop, **kw)
        finally:
            if '["Texte I relu."]' in mine:
                b_done.set()

    monkeypatch.setattr(audit_intents, "complete", complete)

    def client():
        c = app.test_client()
        r = c.post("/api/login", json={"name": "tr_fr", "password": WEB_USERS["tr_fr"][0]})
        assert r.status_code == 200
        return c

    def save(c, text):
        rev = c.get(f"/api/l/fr/entries/{ctx}").json["entry"]["revision"]
        return c.post(f"/api/l/fr/entries/{ctx}", json={
            "action": "save", "strings": [text], "base_revision": rev})

    ca, cb = client(), client()
    answers = {}
    first = threading.Thread(target=lambda: answers.setdefault("a", save(ca, "Texte D relu.")))
    first.start()
    assert a_written.wait(20)
    second = threading.Thread(target=lambda: answers.setdefault("b", save(cb, "Texte I relu.")))
    second.start()
    first.join(30)
    second.join(30)
    assert seen["b before a"] is False, "B wrote and recorded while A's row was pending"
    assert answers["a"].status_code == 200
    assert answers["b"].status_code in (200, 409)  # 409: B read the revision A replaced
    config = load_config(web_project)
    holds = ("Texte I relu.",) if answers["b"].status_code == 200 else ("Texte D relu.",)
    assert load_catalog(config.catalog("fr")).get(ctx).strings == holds
    assert assert_agree(config, "fr", before) >= 1
    conn = db.connect(config.database)
    try:
        rows = [r for r in audit.history(conn, "fr", ctx) if r.user == "tr_fr"]
    finally:
        conn.close()
    assert rows[0].action == "save" and rows[0].after == ("Texte D relu.",)
