"""A hostile review of ``web.fastwrite``: account changes while logged in, tokens from an
older session, odd paths and headers. Every request goes to the app with the fast layer
and to the Flask-only app (``test_web_fastwrite.Pair``); the answers must be equal, and
the layer must not have answered where noted."""

from __future__ import annotations

import sqlite3
import time

from test_web_fastwrite import CTX, _rev, pair  # noqa: F401 - the fixture

from workflow import users

URL = f"/api/l/fr/entries/{CTX}"


def _db(app) -> sqlite3.Connection:
    conn = sqlite3.connect(app.extensions["letterflow"].config.database, isolation_level=None)
    conn.row_factory = sqlite3.Row
    return conn


def _warm(pair, who: str = "fr") -> str:  # noqa: F811
    """One write through Flask (the token and session are then known), one through the
    layer; the revision after them."""
    rev = _rev(pair, who, "fr", CTX)
    for text in ("Un", "Deux"):
        r = pair.both(who, "POST", URL, body={"action": "save", "strings": [text],
                                              "base_revision": rev})
        assert r.status_code == 200, r.json
        rev = r.json["revision"]
    return rev


def _each_db(pair, fn) -> None:  # noqa: F811
    for app in (pair.fast, pair.slow):
        conn = _db(app)
        try:
            fn(conn)
        finally:
            conn.close()


def test_languages_revoked_while_logged_in(pair):  # noqa: F811
    rev = _warm(pair)
    _each_db(pair, lambda c: c.execute("UPDATE users SET languages = 'es' WHERE name = ?",
                                       ("tr_fr",)))
    time.sleep(1.1)  # web.auth.USER_CACHE_SECONDS, the same on both paths
    n = pair.answered
    r = pair.both("fr", "POST", URL, body={"action": "approve", "strings": ["Trois"],
                                           "base_revision": rev})
    assert r.status_code == 403
    assert pair.answered == n + 1  # refused by the view's own rule, answered by Flask's


def test_account_disabled_or_password_changed(pair):  # noqa: F811
    rev = _warm(pair)
    _each_db(pair, lambda c: users.set_active(c, "tr_fr", False))
    time.sleep(1.1)
    n = pair.answered
    body = {"action": "approve", "strings": ["Trois"], "base_revision": rev}
    assert pair.both("fr", "POST", URL, body=body).status_code == 401
    _each_db(pair, lambda c: users.set_active(c, "tr_fr", True))
    _each_db(pair, lambda c: users.set_password(c, "tr_fr", "another-password-99"))
    time.sleep(1.1)
    assert pair.both("fr", "POST", URL, body=body).status_code == 401
    assert pair.answered == n


def test_token_from_before_logout_and_another_session(pair):  # noqa: F811
    rev = _warm(pair)
    old = {k: pair.token("fr", k) for k in ("fast", "slow")}
    assert pair.both("fr", "POST", "/api/logout", body={}).status_code == 200
    pair.login("fr", "tr_fr")  # a new session, a new token
    n = pair.answered
    body = {"action": "save", "strings": ["Quatre"], "base_revision": rev}
    for kind in ("fast", "slow"):  # each app gets its own old token
        c, _ = pair.clients["fr", kind]
        pair.clients["fr", kind] = (c, old[kind])
    r = pair.both("fr", "POST", URL, body=body)
    assert r.status_code == 400
    assert pair.answered == n


def test_odd_paths_methods_and_headers(pair):  # noqa: F811
    rev = _warm(pair)
    n = pair.answered
    body = {"action": "save", "strings": ["Cinq"], "base_revision": rev}
    for url in (f"/api/l/FR/entries/{CTX}", f"/api/l/fr_FR/entries/{CTX}",
                f"/api/l/fr-FR/entries/{CTX}", "/api/l/fr/entries/icnk-2012%2Fcamps",
                "/api/l/fr/entries/icnk-2012/../camps", "/api/l/fr/entries/" + "a" * 5000,
                f"/api//l/fr/entries/{CTX}", f"/api/l/fr/entries/{CTX}%00"):
        r = pair.both("fr", "POST", url, body=body)  # the same answer both ways
        assert r.status_code != 200 or "%2F" in url, url
        if r.status_code == 200:
            body["base_revision"] = r.json["revision"]
    # "%2F" (decoded into PATH_INFO by the server), "..", a long context: the route's
    # own forms, answered by the layer as Flask answers them; the rest left to Flask
    n2 = pair.answered
    assert n2 - n == 3
    rev = _rev(pair, "fr", "fr", CTX)
    body["base_revision"] = rev
    for headers in ({"Content-Type": "application/json; charset=utf-8"},
                    {"Content-Type": "Application/JSON"},
                    {"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
                    {"X-HTTP-Method-Override": "DELETE"}):
        r = pair.both("fr", "POST", URL, body=body, headers=headers, compare=False)
        if r.status_code == 200:
            body["base_revision"] = r.json["revision"]
    assert pair.answered == n2 + 1  # only the last one (an unknown header) is plain


def test_behind_a_proxy_the_forwarded_scheme_and_client_count(web_project, tmp_path,
                                                              monkeypatch):
    """TRUSTED_PROXIES = 1: ProxyFix (outside the layer) makes the scheme https from
    X-Forwarded-Proto, so the referrer rule applies on both paths; a changed
    X-Forwarded-For is another client to Flask-Login (the layer leaves it to Flask)."""
    import shutil

    import test_web_fastwrite as tw

    other = tmp_path / "flask-only"
    shutil.copytree(web_project, other, ignore=shutil.ignore_patterns("*.lock"))
    p = tw.Pair(web_project, other, monkeypatch, {"TRUSTED_PROXIES": 1})
    fwd = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    p.base["fr"] = "http://localhost"
    for kind, app in (("fast", p.fast), ("slow", p.slow)):
        c = app.test_client()
        c.environ_base.update({"HTTP_USER_AGENT": "pair-test"})
        token = c.get("/api/session", headers=fwd).json["csrf_token"]
        r = c.post("/api/login", json={"name": "tr_fr", "password": "pw-tr-fr-1234"},
                   headers={**fwd, "X-CSRFToken": token,
                            "Referer": "https://localhost/login"})
        assert r.status_code == 200, r.data
        p.clients["fr", kind] = (c, r.json["csrf_token"])
    rev = tw._rev(p, "fr", "fr", CTX)
    body = {"action": "save", "strings": ["Six"], "base_revision": rev}
    good = {**fwd, "Referer": "https://localhost/l/fr/"}
    r = p.both("fr", "POST", URL, body=body, headers=good)
    assert r.status_code == 200, r.json
    body["base_revision"] = r.json["revision"]
    n = p.answered
    for bad in ({**fwd}, {**fwd, "Referer": "https://evil.example/l/fr/"},
                {**fwd, "Referer": "http://localhost/l/fr/"}):
        assert p.both("fr", "POST", URL, body=body, headers=bad).status_code == 400
    assert p.answered == n
    body["strings"] = ["Sept"]
    r = p.both("fr", "POST", URL, body=body, headers=good)
    assert r.status_code == 200 and p.answered == n + 1
    body["base_revision"] = r.json["revision"]
    body["strings"] = ["Huit"]
    r = p.both("fr", "POST", URL, body=body,
               headers={**good, "X-Forwarded-For": "198.51.100.9"})
    assert r.status_code == 200 and p.answered == n + 1  # another client: Flask's


def test_concurrent_approvals_of_one_entry_through_the_layer(pair):  # noqa: F811
    """Eight approvals of one entry from the same revision at once, all answered below
    Flask: one wins, the others are conflicts; the file holds the winner's text and the
    audit trail has one approval row for it (and nobody else's)."""
    import threading

    from workflow import audit
    from workflow.catalogs import load_catalog

    rev = _warm(pair)
    c, token = pair.clients["fr", "fast"]
    cookie = c.get_cookie("letterflow_session").value
    n = pair.answered
    results: list = [None] * 8

    def approve(i: int) -> None:
        client = pair.fast.test_client()
        client.environ_base.update({"HTTP_USER_AGENT": "pair-test"})
        client.set_cookie("letterflow_session", cookie)
        text = f"Texte {'abcdefgh'[i]}"  # (no digit: the numbers check would refuse it)
        results[i] = client.post(URL, json={"action": "approve", "strings": [text],
                                            "base_revision": rev},
                                 headers={"X-CSRFToken": token})

    threads = [threading.Thread(target=approve, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(r.status_code for r in results)
    assert codes == [200] + [409] * 7, [(r.status_code, r.json.get("error")) for r in results]
    assert pair.answered == n + 8
    winner = next(r for r in results if r.status_code == 200).json
    svc = pair.fast.extensions["letterflow"]
    msg = load_catalog(svc.config.catalog("fr"), "fr").get(CTX)
    assert list(msg.strings) == winner["entry"]["strings"] and not msg.fuzzy
    rows = [h for h in audit.history(svc.conn, "fr", CTX) if h.action == "approve"]
    assert len(rows) == 1 and list(rows[0].after) == list(msg.strings)
    assert rows[0].user == "tr_fr"


def test_content_length_shorter_than_the_body_or_zero(pair):  # noqa: F811
    """The layer reads exactly Content-Length bytes, as Flask does; what it read and could
    not use is handed on to Flask, which answers as it would have (400 for a cut body)."""
    rev = _warm(pair)
    n = pair.answered
    body = {"action": "save", "strings": ["Neuf"], "base_revision": rev}
    for length in ("0", "5", "00", "-1", "1e3", " 12"):
        r = pair.both("fr", "POST", URL, body=body,
                      environ_overrides={"CONTENT_LENGTH": length})
        assert r.status_code == 400, (length, r.json)
    assert pair.answered == n
