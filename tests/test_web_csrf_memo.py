"""A signed CSRF token verified once is remembered (web/csrfcheck.py), but every check that
can change between two requests still runs: the token's age, the session's own token, the
referrer over https."""

from __future__ import annotations

import pytest
from test_web_security import CTX, _login

from web import csrfcheck


@pytest.fixture
def cclient(csrf_app):
    csrfcheck._verified.clear()
    return csrf_app.test_client()


def _save(client, token, text, **kw):
    rev = client.get(f"/api/l/fr/entries/{CTX}").json["entry"]["revision"]
    return client.post(f"/api/l/fr/entries/{CTX}", headers={"X-CSRFToken": token, **kw},
                       json={"action": "save", "strings": [text], "base_revision": rev})


def test_a_remembered_token_still_expires(cclient, csrf_app, monkeypatch):
    _login(cclient)
    token = cclient.get("/api/session").json["csrf_token"]
    assert _save(cclient, token, "Un.").status_code == 200
    assert csrfcheck._verified  # remembered
    assert _save(cclient, token, "Deux.").status_code == 200  # the remembered path
    csrf_app.config["WTF_CSRF_TIME_LIMIT"] = 60  # (the session itself lasts 12 h)
    later = csrfcheck.time.time() + 65
    monkeypatch.setattr(csrfcheck.time, "time", lambda: later)
    import itsdangerous.timed

    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)
    r = _save(cclient, token, "Trois.")
    assert r.status_code == 400 and "expired" in r.json["error"]


def test_a_remembered_token_is_refused_in_another_session(cclient, csrf_app):
    _login(cclient)
    token = cclient.get("/api/session").json["csrf_token"]
    assert _save(cclient, token, "Un.").status_code == 200
    other = csrf_app.test_client()
    _login(other)  # its own session, its own CSRF value
    r = _save(other, token, "Volé.")
    assert r.status_code == 400 and "CSRF" in r.json["error"]
    # and a forged or missing token is refused as before
    assert _save(cclient, "forged", "Faux.").status_code == 400
    assert _save(other, other.get("/api/session").json["csrf_token"], "À moi.").status_code == 200


def test_a_remembered_token_is_refused_after_logout(cclient):
    _login(cclient)
    token = cclient.get("/api/session").json["csrf_token"]
    assert _save(cclient, token, "Un.").status_code == 200
    assert cclient.post("/api/logout", headers={"X-CSRFToken": token}).status_code == 200
    _login(cclient)  # a new session: a new CSRF value
    r = _save(cclient, token, "Encore.")
    assert r.status_code == 400 and "CSRF" in r.json["error"]


def test_https_still_needs_a_same_origin_referrer(cclient):
    base = "https://localhost/"
    token = cclient.get("/api/session", base_url=base).json["csrf_token"]

    def post(**headers):
        return cclient.post("/api/login", base_url=base, json={"name": "x", "password": "y"},
                            headers={"X-CSRFToken": token, **headers})

    assert post(Referer=base).status_code == 401  # past CSRF: a wrong password
    assert csrfcheck._verified
    r = post()  # remembered, but no referrer
    assert r.status_code == 400 and "referrer" in r.json["error"]
    r = post(Referer="https://evil.example/")
    assert r.status_code == 400 and "referrer" in r.json["error"]
