"""Group commit (web/writes.py): concurrent saves to one catalogue share one locked,
validated, fsynced write, and each request still gets its own answer: its own revision
and audit row when applied, its own 409 (both texts, loser kept) when stale, exactly as
if the requests had been written one after another."""

from __future__ import annotations

import dataclasses
import os
import threading
import time

import pytest
from conftest import web_login

import workflow.catalogs as catalogs
from workflow import audit, db
from workflow.catalogs import Change, load_catalog
from workflow.errors import CatalogError

X, Y, P = "icnk-2012/camps", "icnk-2012/closing", "icnk-2012/place"


def _cat(app, lang="fr"):
    return load_catalog(app.extensions["letterflow"].config.catalog(lang), language=lang)


def _rows(app):
    cfg = app.extensions["letterflow"].config
    return {r.id: r for r in audit.query(db.connect(cfg.database), limit=100_000)}


@pytest.fixture
def held(monkeypatch, app):
    """Hold the first write of the fr catalogue until *n* more requests queue behind it;
    record the changes of every apply_changes call."""
    calls: list[list[Change]] = []
    state = {"n": 0}
    real = catalogs.apply_changes

    def apply(path, changes, **kw):
        changes = list(changes)
        calls.append(changes)
        if len(calls) == 1:
            queue = app.extensions["letterflow"].writer("fr")
            deadline = time.monotonic() + 30
            while len(queue._waiting) < state["n"] and time.monotonic() < deadline:
                time.sleep(0.005)
        return real(path, changes, **kw)

    monkeypatch.setattr(catalogs, "apply_changes", apply)
    return calls, state


def _client(app):
    c = app.test_client()
    assert web_login(c, "tr_fr").status_code == 302
    return c


def _post(client, ctx, action, text, rev):
    r = client.post(f"/api/l/fr/entries/{ctx}",
                    json={"action": action, "strings": [text], "base_revision": rev})
    return r.status_code, r.get_json()


def _behind_a_held_write(app, calls, first, plan) -> dict[int, tuple[int, dict]]:
    """POST *first* (its write is held by the ``held`` fixture), then every item of *plan*
    from its own client while it waits; {0: first's answer, i: plan[i - 1]'s answer}."""
    clients = [_client(app) for _ in range(len(plan) + 1)]
    results: dict[int, tuple[int, dict]] = {}

    def run(i, item):
        results[i] = _post(clients[i], *item)

    blocker = threading.Thread(target=run, args=(0, first))
    blocker.start()
    while not calls:  # the first write has started and is held
        time.sleep(0.005)
    threads = [threading.Thread(target=run, args=(i + 1, item)) for i, item in enumerate(plan)]
    for t in threads:
        t.start()
    for t in [blocker, *threads]:
        t.join(60)
    return results


def test_concurrent_saves_are_written_together_and_answered_one_by_one(app, held):
    calls, state = held
    cat = _cat(app)
    rx, ry, rp = (cat.get(c).revision for c in (X, Y, P))
    plan = [  # (context, action, text, base revision)
        (X, "approve", "Texte A des camps.", rx),
        (X, "save", "Texte B des camps.", rx),       # same base as A: one of them loses
        (Y, "save", "Merci de votre attention.", ry),
        (X, "save", "Texte C des camps.", "000000000000"),  # stale from the start
    ]
    state["n"] = len(plan)
    results = _behind_a_held_write(app, calls, (P, "approve", "Séoul, Corée", rp), plan)

    # one write for the blocker, then ONE write for the four requests queued behind it
    assert [len(c) for c in calls] == [1, len(plan)]
    assert results[0][0] == 200
    (ca, ja), (cb, jb), (cy, jy), (cc, jc) = (results[i] for i in range(1, 5))
    assert sorted([ca, cb]) == [200, 409]
    win, lose = ((ja, jb) if ca == 200 else (jb, ja))
    win_text = win["entry"]["strings"][0]
    lose_text = "Texte B des camps." if win_text == "Texte A des camps." else "Texte A des camps."
    assert lose["conflict"]["yours"] == [lose_text]
    assert lose["conflict"]["theirs"] == [win_text]
    assert cy == 200 and cc == 409 and jc["conflict"]["yours"] == ["Texte C des camps."]

    on_disk = _cat(app)
    assert on_disk.get(X).strings == (win_text,) and on_disk.get(X).revision == win["revision"]
    assert on_disk.get(Y).strings == ("Merci de votre attention.",)
    assert on_disk.get(Y).revision == jy["revision"]
    assert on_disk.get(P).revision == results[0][1]["revision"]

    rows = _rows(app)
    for code, body, text in [(ca, ja, "Texte A des camps."), (cb, jb, "Texte B des camps."),
                             (cy, jy, "Merci de votre attention."),
                             (cc, jc, "Texte C des camps.")]:
        row = rows[body["audit_id"]]
        assert row.after == (text,)
        if code == 200:
            assert row.action in ("approve", "save") and row.revision == body["revision"]
        else:
            assert row.action == "conflict" and body["conflict"]["kept_as"] == row.id


def test_a_chain_of_saves_in_one_write_keeps_each_revision(app, held):
    """Two saves of one entry in one write, the second based on the revision the first
    produces: both are applied and each answer carries the revision it produced."""
    calls, state = held
    first = _cat(app).get(X)
    a = "Premier texte des camps."
    b = "Second texte des camps."
    rev_a = dataclasses.replace(first, strings=(a,), fuzzy=True).revision
    clients = [_client(app) for _ in range(3)]
    state["n"] = 2
    results: dict[int, tuple[int, dict]] = {}

    def run(i, item):
        results[i] = _post(clients[i], *item)

    rp = _cat(app).get(P).revision
    blocker = threading.Thread(target=run, args=(0, (P, "save", "Séoul", rp)))
    blocker.start()
    while not calls:
        time.sleep(0.005)
    t1 = threading.Thread(target=run, args=(1, (X, "save", a, first.revision)))
    t1.start()
    while len(app.extensions["letterflow"].writer("fr")._waiting) < 1:
        time.sleep(0.005)
    t2 = threading.Thread(target=run, args=(2, (X, "save", b, rev_a)))
    t2.start()
    for t in (blocker, t1, t2):
        t.join(60)
    assert [len(c) for c in calls] == [1, 2]
    assert results[1][0] == 200 and results[1][1]["revision"] == rev_a
    assert results[2][0] == 200 and _cat(app).get(X).strings == (b,)
    rows = _rows(app)
    assert rows[results[1][1]["audit_id"]].revision == rev_a
    assert rows[results[2][1]["audit_id"]].base_revision == rev_a


def test_a_change_that_fails_does_not_fail_the_others(app):
    """A batch that cannot be written as a whole is written change by change."""
    from web.writes import WriteQueue, _Pending, _write_batch

    path = app.extensions["letterflow"].config.catalog("fr")

    class Svc:  # the one method the writer calls on the app's services
        installed: list = []

        def install_catalog(self, lang, key, catalog):
            self.installed.append((lang, key, catalog))

    good = _Pending(Change(P, ["Séoul"], fuzzy=False))
    bad = _Pending(Change(X, ["a", "b"], fuzzy=False))  # two strings for a singular entry
    _write_batch(Svc(), "fr", path, [good, bad])
    assert good.kind == "applied" and good.message.strings == ("Séoul",)
    assert isinstance(bad.error, CatalogError) and bad.kind is None
    assert _cat(app).get(P).strings == ("Séoul",)
    assert Svc.installed and Svc.installed[-1][2].get(P).strings == ("Séoul",)
    # through the queue, the error reaches the request that sent the bad change
    with pytest.raises(CatalogError):
        WriteQueue().submit(Svc(), "fr", path, Change(X, ["a", "b"], fuzzy=False))


def test_the_written_catalogue_is_cached_without_parsing_the_file_again(fr_client, app,
                                                                         monkeypatch):
    svc = app.extensions["letterflow"]
    fr_client.get("/l/fr/")
    code, body = _post(fr_client, P, "save", "Séoul", _cat(app).get(P).revision)
    assert code == 200
    entry = svc._cache["fr"]
    st = os.stat(svc.config.catalog("fr"))
    assert entry.key == (st.st_ino, st.st_mtime_ns, st.st_size)
    assert entry.catalog.get(P).strings == ("Séoul",)

    loads = []
    real = catalogs.load.load_catalog_version  # (what the web's cache reads a file with)
    monkeypatch.setattr(catalogs.load, "load_catalog_version",
                        lambda *a, **k: loads.append(a) or real(*a, **k))
    assert fr_client.get("/l/fr/").status_code == 200
    assert fr_client.get(f"/api/l/fr/entries/{P}").get_json()["entry"]["strings"] == ["Séoul"]
    assert loads == []  # served from the catalogue the write produced
    # a change by someone else (another process, an editor) is still seen
    catalogs.apply_changes(svc.config.catalog("fr"), [Change(P, ["Pusan"], fuzzy=True)])
    assert fr_client.get(f"/api/l/fr/entries/{P}").get_json()["entry"]["strings"] == ["Pusan"]
    assert len(loads) == 1


@pytest.fixture
def fr_client(app):
    return _client(app)


def test_a_batch_writes_its_intents_and_its_audit_rows_in_one_transaction_each(
        app, held, monkeypatch):
    """The queued saves share one intent transaction (committed before the file is
    replaced) and one completing transaction; each still gets its own audit row."""
    from workflow import audit_intents

    calls, state = held
    begins: list[int] = []
    completes: list[tuple[int, int]] = []
    real_begin, real_complete = audit_intents.begin, audit_intents.complete_ids

    def begin(conn, items):
        items = list(items)
        begins.append(len(items))
        ids = real_begin(conn, items)
        # durable before the write: another connection sees every intent of the batch
        other = db.connect(app.extensions["letterflow"].config.database)
        try:
            seen = {r["id"] for r in audit_intents.pending(other, "fr")}
        finally:
            other.close()
        assert set(ids) <= seen
        return ids

    def complete_ids(conn, done, drop=(), path=None):
        done, drop = list(done), list(drop)
        completes.append((len(done), len(drop)))
        return real_complete(conn, done, drop, path)

    monkeypatch.setattr(audit_intents, "begin", begin)
    monkeypatch.setattr(audit_intents, "complete_ids", complete_ids)
    cat = _cat(app)
    plan = [(X, "save", "Texte des camps.", cat.get(X).revision),
            (Y, "approve", "Merci de votre attention.", cat.get(Y).revision),
            (X, "save", "Texte perdu.", "000000000000")]  # stale: 409, its intent dropped
    state["n"] = len(plan)
    results = _behind_a_held_write(app, calls, (P, "save", "Séoul", cat.get(P).revision), plan)
    assert [len(c) for c in calls] == [1, 3]
    assert begins == [1, 3]
    assert completes == [(1, 0), (2, 1)]
    assert [results[i][0] for i in range(4)] == [200, 200, 200, 409]
    rows = _rows(app)
    ids = [results[i][1]["audit_id"] for i in range(3)]
    assert len(set(ids)) == 3
    for i, (ctx, action, text, _rev) in enumerate([(P, "save", "Séoul", None), *plan[:2]]):
        row = rows[ids[i]]
        assert (row.context, row.action, row.after) == (ctx, action, (text,))
        assert row.revision == results[i][1]["revision"]
    assert audit_intents.pending(db.connect(app.extensions["letterflow"].config.database),
                                 "fr") == []
