"""Issue 14's security and robustness holes, each with a test that failed before the fix:
login throttling without lockout, trusted proxies, atomic limits, revoked sessions, 400s
for malformed input (with a hypothesis fuzz test), isolation of concurrent saves,
relative redirects, the symlink guard on the preview, HSTS, compression and caching."""

from __future__ import annotations

import gzip
import json
import os
import re
import threading
import time

import brotli
import pytest
from conftest import WEB_USERS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CTX = "icnk-2012/camps"
PW = {name: v[0] for name, v in WEB_USERS.items()}


def _app(web_project, **cfg):
    from web import create_app

    return create_app(project_dir=web_project, test_config={
        "TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "test-secret", **cfg})


def _login(c, name, password=None, ip="127.0.0.1", **kw):
    return c.post("/login", data={"name": name, "password": password or PW[name]},
                  environ_base={"REMOTE_ADDR": ip}, **kw)


def _revision(c, lang, ctx):
    html = c.get(f"/l/{lang}/e/{ctx}").get_data(as_text=True)
    return re.search(r'name="revision" value="([0-9a-f]+)"', html).group(1)


# -- login throttling ----------------------------------------------------------------------
def test_stranger_cannot_lock_out_a_named_account(web_project):
    app = _app(web_project)
    c = app.test_client()
    for _ in range(30):  # a stranger hammers tr_fr's account from another address
        r = _login(c, "tr_fr", "wrong-guess", ip="203.0.113.9")
        assert r.status_code in (401, 429)
    assert _login(c, "tr_fr", "wrong-guess", ip="203.0.113.9").status_code == 429
    # the owner, from their own address, logs in at once
    assert _login(app.test_client(), "tr_fr", ip="198.51.100.7").status_code == 302


def test_progressive_delay_never_refuses_the_right_password_forever(web_project):
    app = _app(web_project, LOGIN_MAX_FAILURES=2, LOGIN_BASE_DELAY=2, LOGIN_MAX_DELAY=3)
    c = app.test_client()
    assert [_login(c, "tr_fr", "wrong").status_code for _ in range(2)] == [401, 401]
    r = _login(c, "tr_fr")  # right password, but inside the delay after the 2nd failure
    assert r.status_code == 429 and 1 <= int(r.headers["Retry-After"]) <= 2
    time.sleep(2.1)
    assert _login(c, "tr_fr", "wrong").status_code == 401  # 3rd failure: 4 s, capped at 3
    r = _login(c, "tr_fr")
    assert r.status_code == 429 and 2 <= int(r.headers["Retry-After"]) <= 3
    time.sleep(3.1)  # the cap: never longer, however many failures came before
    assert _login(c, "tr_fr").status_code == 302


def test_trusted_proxy_setting_gives_per_client_limits(web_project):
    hdr = {"X-Forwarded-For": "192.0.2.1", "X-Forwarded-Proto": "https"}
    other = {"X-Forwarded-For": "192.0.2.2"}
    app = _app(web_project, TRUSTED_PROXIES=1, LOGIN_MAX_FAILURES_IP=3)
    c = app.test_client()
    for name in ("a", "b", "c", "d"):  # different names: only the address limit counts
        c.post("/login", data={"name": name, "password": "x"}, headers=hdr)
    assert c.post("/login", data={"name": "e", "password": "x"},
                  headers=hdr).status_code == 429
    r = app.test_client().post("/login", data={"name": "tr_fr", "password": PW["tr_fr"]},
                               headers=other)
    assert r.status_code == 302
    # without the setting, X-Forwarded-For is not believed (anyone could send it)
    app0 = _app(web_project, LOGIN_MAX_FAILURES_IP=3)
    c0 = app0.test_client()
    for i, name in enumerate(("p", "q", "r", "s")):
        c0.post("/login", data={"name": name, "password": "x"},
                headers={"X-Forwarded-For": f"192.0.2.{10 + i}"})
    assert c0.post("/login", data={"name": "t", "password": "x"},
                   headers={"X-Forwarded-For": "192.0.2.99"}).status_code == 429


def test_parallel_guesses_never_check_more_than_the_limit(web_project, monkeypatch):
    import web.auth as auth_mod

    # a long first delay: however slow this machine, no delay runs out during the test,
    # so exactly the free attempts may be checked
    app = _app(web_project, LOGIN_BASE_DELAY=60, LOGIN_MAX_DELAY=60)
    checked = []
    real = auth_mod.users.authenticate

    def counting(conn, name, password):
        checked.append(name)
        time.sleep(0.02)  # widen any race between the check and the record
        return real(conn, name, password)

    monkeypatch.setattr(auth_mod.users, "authenticate", counting)
    codes: list[int] = []
    barrier = threading.Barrier(40)

    def guess(i):
        c = app.test_client()
        barrier.wait()
        codes.append(_login(c, "tr_fr", f"guess-{i}").status_code)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(codes) == 40 and set(codes) <= {401, 429}
    assert len(checked) <= app.config["LOGIN_MAX_FAILURES"]


# -- sessions ------------------------------------------------------------------------------
def test_captured_cookie_dies_on_logout(web_project):
    app = _app(web_project)
    c = app.test_client()
    assert _login(c, "tr_fr").status_code == 302
    stolen = c.get_cookie("letterflow_session").value
    thief = app.test_client()
    thief.set_cookie("letterflow_session", stolen)
    assert thief.get("/l/fr/").status_code == 200
    assert c.post("/logout").status_code == 302
    r = thief.get("/l/fr/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert thief.get("/api/languages").status_code == 401


def test_password_change_ends_other_sessions(web_project):
    from workflow import db, users

    app = _app(web_project)
    c = app.test_client()
    _login(c, "tr_fr")
    assert c.get("/l/fr/").status_code == 200
    conn = db.connect(app.extensions["letterflow"].config.database)
    users.set_password(conn, "tr_fr", "a-brand-new-password-1")
    app.extensions["letterflow"].user_cache.clear()
    assert c.get("/l/fr/").status_code == 302


# -- malformed input -----------------------------------------------------------------------
@pytest.fixture
def fr(web_project):
    app = _app(web_project)
    c = app.test_client()
    assert _login(c, "tr_fr").status_code == 302
    return c


def test_malformed_json_and_values_are_400(fr):
    url = f"/api/l/fr/entries/{CTX}"
    deep = "[" * 1000 + "]" * 1000
    body = '{"action": "save", "strings": ' + deep + ', "base_revision": "x"}'
    r = fr.post(url, data=body, content_type="application/json")
    assert r.status_code == 400, r.status_code
    r = fr.post(url, data=deep, content_type="application/json")
    assert r.status_code == 400
    rev = _revision(fr, "fr", CTX)
    r = fr.post(url, json={"action": "revert", "version": 10**30, "base_revision": rev})
    assert r.status_code == 400
    surrogate = '{"action": "save", "strings": ["a\\ud800b"], "base_revision": "' + rev + '"}'
    r = fr.post(url, data=surrogate, content_type="application/json")
    assert r.status_code == 400 and "surrogate" in r.get_json()["error"]
    r = fr.post("/api/login", data='{"name": "tr_fr", "password": "\\udc00"}',
                content_type="application/json")
    assert r.status_code == 400
    r = fr.post(f"/l/fr/e/{CTX}", data={"action": "revert:²", "revision": rev})
    assert r.status_code == 400
    fr.post("/logout")
    _login(fr, "coord")
    assert fr.get("/history?page=²").status_code == 400
    assert fr.get("/history?page=2").status_code == 200


def test_one_bad_save_never_fails_the_others(web_project):
    app = _app(web_project)
    clients = []
    jobs = []
    setup = app.test_client()
    _login(setup, "coord")
    for lang in ("fr", "es", "ar", "de"):
        for m in app.extensions["letterflow"].catalog(lang).active()[:18]:
            jobs.append((lang, m.context, m.revision, len(m.strings)))
    assert len(jobs) == 72
    for _ in range(8):
        c = app.test_client()
        _login(c, "coord")
        clients.append(c)
    results: list[tuple[str, int]] = []
    lock = threading.Lock()

    def run(worker):
        c = clients[worker]
        for k, (lang, ctx, rev, n) in enumerate(jobs):
            if k % 8 != worker:
                continue
            if k % 9 == 0:  # a bad request interleaved with the good ones
                bad = ('{"action": "save", "strings": ["x\\ud800"], "base_revision": "'
                       + rev + '"}')
                r = c.post(f"/api/l/{lang}/entries/{ctx}", data=bad,
                           content_type="application/json")
                with lock:
                    results.append(("bad", r.status_code))
            r = c.post(f"/api/l/{lang}/entries/{ctx}", json={
                "action": "save", "strings": [f"texte {k}"] * n, "base_revision": rev})
            with lock:
                results.append(("good", r.status_code))

    threads = [threading.Thread(target=run, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    good = [code for kind, code in results if kind == "good"]
    assert len(good) == 72 and set(good) == {200}
    assert {code for kind, code in results if kind == "bad"} == {400}


# -- property-based: no input makes a 500 ----------------------------------------------------
_text = st.text(alphabet=st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF),
                max_size=20)
_scalar = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**40, max_value=10**40),
                    st.floats(allow_nan=False), _text)
_json = st.recursive(_scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(_text, inner, max_size=4)), max_leaves=12)
_body = st.one_of(
    st.fixed_dictionaries({"action": st.one_of(st.sampled_from(
        ["save", "approve", "reject", "revert"]), _text), "strings": _json,
        "base_revision": _json, "version": _json, "which": _json}),
    st.fixed_dictionaries({"name": _json, "password": _json}),
    _json)
_form_value = st.one_of(_text, st.sampled_from(["revert:²", "revert:1:after", "approve_next",
                                                "save", "approve", "reject", "9" * 40]))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=_body, raw=st.booleans())
def test_fuzz_json_endpoints_never_500(fr, body, raw):
    data = json.dumps(body) if not raw else json.dumps(body)[: max(1, len(json.dumps(body)) // 2)]
    for url in (f"/api/l/fr/entries/{CTX}", "/api/l/es/entries/x", "/api/login"):
        r = fr.post(url, data=data, content_type="application/json")
        assert r.status_code < 500, (url, data, r.status_code)
    if fr.get("/api/session").get_json()["authenticated"] is False:
        _login(fr, "tr_fr")


def _wire(text: str) -> str:
    """*text* as a browser would put it on the wire (percent-encoded UTF-8 bytes; a lone
    surrogate becomes the bytes ED A0 80, which no valid UTF-8 decoder accepts)."""
    from urllib.parse import quote

    return quote(text.encode("utf-8", "surrogatepass"), safe="")


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(action=_form_value, revision=_text, t0=_text, page=_form_value, q=_text)
def test_fuzz_form_and_query_endpoints_never_500(fr, action, revision, t0, page, q):
    body = f"action={_wire(action)}&revision={_wire(revision)}&t0={_wire(t0)}"
    r = fr.post(f"/l/fr/e/{CTX}", data=body.encode("ascii"),
                content_type="application/x-www-form-urlencoded")
    assert r.status_code < 500, (action, revision, t0, r.status_code)
    q, page = _wire(q), _wire(page)
    for url in (f"/l/fr/?state={q}&qa={q}&q={q}", f"/history?page={page}&user={q}",
                f"/api/history?page={page}&since={q}", f"/api/l/fr/entries?state={q}",
                f"/api/l/fr/backtranslate?context={q}", f"/l/fr/preview?country={q}"):
        assert fr.get(url).status_code < 500, url
    r = fr.post("/login", data=f"name={q}&password={_wire(t0)}&next={_wire(action)}".encode(),
                content_type="application/x-www-form-urlencoded")
    assert r.status_code < 500
    r = fr.post("/settings/language", data=f"ui_language={q}&next={_wire(action)}".encode(),
                content_type="application/x-www-form-urlencoded")
    assert r.status_code < 500
    if fr.get("/api/session").get_json()["authenticated"] is False:
        _login(fr, "tr_fr")


# -- smaller holes -------------------------------------------------------------------------
def test_slash_redirect_never_echoes_the_host(fr):
    r = fr.get("/l/fr", headers={"Host": "evil.example"})
    assert r.status_code in (301, 308)
    assert r.headers["Location"].startswith("/") and "evil" not in r.headers["Location"]
    r = fr.post("/logout", headers={"Host": "evil.example"})
    assert "evil" not in r.headers["Location"]


def test_symlinked_catalogue_refused_by_preview_and_export(web_project, tmp_path):
    outside = tmp_path / "outside"
    (web_project / "locales" / "de").rename(outside)
    os.symlink(outside, web_project / "locales" / "de")
    app = _app(web_project)
    c = app.test_client()
    _login(c, "coord")
    assert c.get("/l/de/preview").status_code == 404
    assert c.get("/api/l/de/backtranslate?context=" + CTX).status_code == 404
    html = c.get("/export").get_data(as_text=True)
    assert 'id="export-de"' not in html and 'id="export-fr"' in html


def test_hsts_only_over_https(fr):
    r = fr.get("/login", base_url="https://localhost")
    assert r.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in fr.get("/login").headers


def test_gzip_and_long_lived_fingerprinted_static(fr):
    r = fr.get("/l/fr/", headers={"Accept-Encoding": "gzip"})
    assert r.headers.get("Content-Encoding") == "gzip"
    assert "<table" in gzip.decompress(r.get_data()).decode()
    html = fr.get("/l/fr/").get_data(as_text=True)
    css = re.search(r'href="(/static/app\.css\?v=[0-9a-f]{12})"', html).group(1)
    js = re.search(r'src="(/static/app\.js\?v=[0-9a-f]{12})"', html).group(1)
    for url in (css, js):
        r = fr.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert r.status_code == 200 and r.headers.get("Content-Encoding") == "br"
        assert len(brotli.decompress(r.get_data())) > 1000
        assert "immutable" in r.headers["Cache-Control"] and "max-age=31536000" in \
            r.headers["Cache-Control"]
    stale = fr.get("/static/app.css?v=000000000000")
    assert stale.headers["Cache-Control"] == "no-cache"
