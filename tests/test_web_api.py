"""The JSON API under /api/: same auth, permissions, conflict and hardening rules."""

from __future__ import annotations

import pytest
from conftest import WEB_USERS

from workflow import audit, db
from workflow.catalogs import load_catalog

CTX = "icnk-2012/camps"


def _cat(app, lang="fr"):
    cfg = app.extensions["letterflow"].config
    return load_catalog(cfg.catalog(lang), language=lang)


def api_login(client, name):
    return client.post("/api/login", json={"name": name, "password": WEB_USERS[name][0]})


@pytest.fixture
def fr(client):
    assert api_login(client, "tr_fr").status_code == 200
    return client


def test_api_requires_login_with_json_401(client):
    r = client.get("/api/languages")
    assert r.status_code == 401 and r.is_json and r.json["ok"] is False
    r = client.post(f"/api/l/fr/entries/{CTX}", json={"action": "save"})
    assert r.status_code == 401


def test_session_and_login(client):
    s = client.get("/api/session").json
    assert s["authenticated"] is False and s["csrf_token"]
    assert client.post("/api/login", json={"name": "tr_fr", "password": "nope"}).status_code == 401
    r = api_login(client, "tr_fr")
    assert r.json["user"] == {"name": "tr_fr", "role": "translator", "languages": ["fr"]}
    assert client.get("/api/session").json["authenticated"] is True
    assert client.post("/api/logout", json={}).status_code == 200
    assert client.get("/api/languages").status_code == 401


def test_languages_and_entries(fr, app):
    langs = fr.get("/api/languages").json["languages"]
    assert [x["language"] for x in langs] == ["fr"]
    assert langs[0]["draft"] == langs[0]["total"] > 10 and langs[0]["approved"] == 0
    data = fr.get("/api/l/fr/entries").json
    assert [e["context"] for e in data["entries"]] == [m.context for m in _cat(app).active()]
    e = fr.get(f"/api/l/fr/entries/{CTX}").json
    assert e["entry"]["state"] == "draft" and e["entry"]["revision"]
    assert e["history"][0]["action"] == "mt"
    assert fr.get("/api/l/fr/entries?state=approved").json["entries"] == []


def test_write_cycle_with_revisions(fr, app):
    rev = fr.get(f"/api/l/fr/entries/{CTX}").json["entry"]["revision"]
    r = fr.post(f"/api/l/fr/entries/{CTX}",
                json={"action": "save", "strings": ["Un brouillon."], "base_revision": rev})
    assert r.status_code == 200 and r.json["entry"]["state"] == "draft"
    rev2 = r.json["revision"]
    assert rev2 != rev and _cat(app).get(CTX).revision == rev2
    r = fr.post(f"/api/l/fr/entries/{CTX}",
                json={"action": "approve", "strings": ["Un brouillon."], "base_revision": rev2})
    assert r.status_code == 200 and r.json["entry"]["state"] == "approved"
    assert r.json["progress"]["approved"] == 1
    # stale revision -> 409 with both texts; the loser is in the audit trail
    r = fr.post(f"/api/l/fr/entries/{CTX}",
                json={"action": "save", "strings": ["Perdant."], "base_revision": rev})
    assert r.status_code == 409
    assert r.json["conflict"]["yours"] == ["Perdant."]
    assert r.json["conflict"]["theirs"] == ["Un brouillon."]
    cfg = app.extensions["letterflow"].config
    kept = audit.get(db.connect(cfg.database), r.json["conflict"]["kept_as"])
    assert kept.action == "conflict" and kept.after == ("Perdant.",)
    # revert to the loser's text through the API
    r = fr.post(f"/api/l/fr/entries/{CTX}", json={
        "action": "revert", "version": kept.id, "base_revision": r.json["revision"]})
    assert r.status_code == 200 and r.json["entry"]["strings"] == ["Perdant."]


def test_api_approve_refused_on_qa_error(fr, app):
    ctx = "icnk-2012/sender"
    rev = fr.get(f"/api/l/fr/entries/{ctx}").json["entry"]["revision"]
    r = fr.post(f"/api/l/fr/entries/{ctx}", json={
        "action": "approve", "base_revision": rev,
        "strings": ["{count} transfuge", "transfuges", "{count} transfuges"]})
    assert r.status_code == 422
    assert any(f["check_id"] == "placeholders" and f["severity"] == "error"
               for f in r.json["findings"])
    assert r.json["saved_draft"] is True and _cat(app).get(ctx).state == "draft"


def test_api_permissions_and_validation(fr, app):
    cfg = app.extensions["letterflow"].config
    before = cfg.catalog("de").read_bytes()
    r = fr.post(f"/api/l/de/entries/{CTX}",
                json={"action": "save", "strings": ["x"], "base_revision": "abc"})
    assert r.status_code == 403 and r.is_json
    assert cfg.catalog("de").read_bytes() == before
    assert fr.get("/api/l/de/entries").status_code == 403
    rev = fr.get(f"/api/l/fr/entries/{CTX}").json["entry"]["revision"]
    bad = [
        ({"action": "save", "strings": "x", "base_revision": rev}, 400),
        ({"action": "save", "strings": ["a", "b"], "base_revision": rev}, 400),
        ({"action": "save", "strings": [1], "base_revision": rev}, 400),
        ({"action": "save", "strings": ["x"]}, 400),
        ({"action": "explode", "strings": ["x"], "base_revision": rev}, 400),
        ({"action": "save", "strings": ["x" * 10_001], "base_revision": rev}, 413),
        ({"action": "revert", "version": 999_999, "base_revision": rev}, 400),
    ]
    for body, code in bad:
        r = fr.post(f"/api/l/fr/entries/{CTX}", json=body)
        assert r.status_code == code, (body, r.json)
        assert r.json["ok"] is False and r.json["error"]
    assert fr.post(f"/api/l/fr/entries/{CTX}", data="not json",
                   content_type="application/json").status_code == 400
    assert _cat(app).get(CTX).revision == rev


def test_api_body_too_large_413(fr):
    r = fr.post(f"/api/l/fr/entries/{CTX}", data=b"x" * (300 * 1024),
                content_type="application/json")
    assert r.status_code == 413 and r.is_json


def test_api_backtranslate(fr):
    r = fr.get(f"/api/l/fr/backtranslate?context={CTX}")
    assert r.status_code == 200 and "Some of us signing" in r.json["back_translation"][0]
    assert fr.get("/api/l/fr/backtranslate?context=nope").status_code == 404


def test_api_history_coordinator_only(client, fr):
    assert fr.get("/api/history").status_code == 403
    fr.post("/api/logout", json={})
    api_login(client, "coord")
    rows = client.get("/api/history?lang=fr&action=mt").json["rows"]
    assert rows and all(r["language"] == "fr" and r["action"] == "mt" for r in rows)
