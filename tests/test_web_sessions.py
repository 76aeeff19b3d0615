"""Signed-cookie sessions with verified cookies remembered (web/sessions.py): the same
answers as Flask's own sessions, expiry and tampering included."""

from __future__ import annotations

import time

from conftest import web_login

from web.sessions import CachedCookieSessionInterface


def _cookie(client) -> str:
    return client.get_cookie("letterflow_session").value


def test_a_remembered_session_still_expires(client, app, monkeypatch):
    assert web_login(client, "tr_fr").status_code == 302
    assert client.get("/l/fr/").status_code == 200
    assert client.get("/l/fr/").status_code == 200  # served from the remembered cookie
    lifetime = int(app.permanent_session_lifetime.total_seconds())
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + lifetime + 5)
    r = client.get("/l/fr/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_a_tampered_cookie_is_refused_even_after_the_real_one_was_seen(client):
    assert web_login(client, "tr_fr").status_code == 302
    assert client.get("/l/fr/").status_code == 200
    good = _cookie(client)
    i = len(good) // 2
    bad = good[:i] + ("A" if good[i] != "A" else "B") + good[i + 1:]
    client.set_cookie("letterflow_session", bad)
    assert client.get("/l/fr/").status_code == 302
    client.set_cookie("letterflow_session", good)
    assert client.get("/l/fr/").status_code == 200


def test_each_request_gets_its_own_copy_of_the_data(app):
    iface = CachedCookieSessionInterface()
    cookie = iface.get_signing_serializer(app).dumps(
        {"_flashes": [("info", "hello")], "n": {"a": 1}})
    headers = {"Cookie": f"letterflow_session={cookie}"}
    with app.test_request_context(headers=headers):
        from flask import request

        first = iface.open_session(app, request)
        first["_flashes"].append(("info", "again"))
        first["n"]["a"] = 2
        second = iface.open_session(app, request)  # remembered this time
    assert second["_flashes"] == [("info", "hello")] and second["n"] == {"a": 1}
    assert iface._seen  # the cookie was remembered


def test_a_new_secret_key_forgets_every_remembered_cookie(client, app):
    assert web_login(client, "tr_fr").status_code == 302
    assert client.get("/l/fr/").status_code == 200
    app.secret_key = "another-secret-key-" + "x" * 32
    assert client.get("/l/fr/").status_code == 302
