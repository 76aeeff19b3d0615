"""Hardening: CSRF kept ON here, security headers, cookie flags, login throttling,
language codes from the configured list only, path tricks and symlinks -> 404."""

from __future__ import annotations

import os
import re

import pytest
from conftest import WEB_USERS

from workflow.catalogs import load_catalog

CTX = "icnk-2012/camps"


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _login(client, name="tr_fr"):
    token = _token(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"name": name, "password": WEB_USERS[name][0],
                                       "csrf_token": token})


@pytest.fixture
def cclient(csrf_app):
    return csrf_app.test_client()


# -- CSRF (this suite keeps it on) -----------------------------------------------------------
def test_login_form_needs_csrf(cclient):
    r = cclient.post("/login", data={"name": "tr_fr", "password": WEB_USERS["tr_fr"][0]})
    assert r.status_code == 400 and "CSRF" in r.get_data(as_text=True)
    assert _login(cclient).status_code == 302


def test_form_write_needs_csrf(cclient, csrf_app):
    _login(cclient)
    html = cclient.get(f"/l/fr/e/{CTX}").get_data(as_text=True)
    rev = re.search(r'name="revision" value="([0-9a-f]+)"', html).group(1)
    data = {"action": "save", "revision": rev, "t0": "Sans jeton."}
    assert cclient.post(f"/l/fr/e/{CTX}", data=data).status_code == 400
    assert cclient.post(f"/l/fr/e/{CTX}", data={**data, "csrf_token": "forged"}).status_code == 400
    r = cclient.post(f"/l/fr/e/{CTX}", data={**data, "csrf_token": _token(html)})
    assert r.status_code == 302
    cfg = csrf_app.extensions["letterflow"].config
    assert load_catalog(cfg.catalog("fr")).get(CTX).strings == ("Sans jeton.",)


def test_json_write_needs_csrf_header(cclient):
    _login(cclient)
    rev = cclient.get(f"/api/l/fr/entries/{CTX}").json["entry"]["revision"]
    body = {"action": "save", "strings": ["Par l'API."], "base_revision": rev}
    r = cclient.post(f"/api/l/fr/entries/{CTX}", json=body)
    assert r.status_code == 400 and r.is_json and "CSRF" in r.json["error"]
    token = cclient.get("/api/session").json["csrf_token"]
    r = cclient.post(f"/api/l/fr/entries/{CTX}", json=body, headers={"X-CSRFToken": token})
    assert r.status_code == 200


def test_logout_needs_csrf(cclient):
    _login(cclient)
    assert cclient.post("/logout").status_code == 400
    assert cclient.get("/").status_code == 200


# -- headers and cookies ----------------------------------------------------------------------
def test_security_headers_everywhere(cclient):
    for url in ("/login", "/static/app.js", "/nope", "/api/session"):
        h = cclient.get(url).headers
        csp = h["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert h["X-Frame-Options"] == "DENY"
        assert h["X-Content-Type-Options"] == "nosniff"
        assert h["Referrer-Policy"] == "same-origin"


def test_cache_control_no_store_on_pages_and_json_only(cclient):
    _login(cclient)
    for url in ("/login", "/l/fr/", "/api/session", "/nope"):
        assert cclient.get(url).headers["Cache-Control"] == "no-store", url
    assert cclient.get("/preview.css").headers["Cache-Control"] == "public, max-age=3600"
    assert "no-store" not in cclient.get("/static/app.js").headers.get("Cache-Control", "")


def _unmasked(html: str) -> str:
    from web.security import MASK_PREFIX, unmask_token

    return re.sub(re.escape(MASK_PREFIX) + r"[A-Za-z0-9_-]+",
                  lambda m: unmask_token(m.group(0)) or "?", html)


def test_cached_queue_page_is_per_user_and_its_csrf_token_works(csrf_app):
    """The rendered queue page is kept per user session and catalogue version: another
    user gets their own header and token, and the kept page's token is valid."""
    pages = {}
    for name in ("tr_fr", "coord"):
        c = csrf_app.test_client()
        _login(c, name)
        first = c.get("/l/fr/").get_data(as_text=True)
        again = c.get("/l/fr/").get_data(as_text=True)
        # the same kept page; only the CSRF token's per-response mask differs (BREACH)
        assert _unmasked(first) == _unmasked(again) and f"{name} (" in again
        assert first != again
        token = re.search(r'<meta name="csrf-token" content="([^"]+)"', again).group(1)
        ctx = "icnk-2012/place"
        rev = c.get(f"/api/l/fr/entries/{ctx}").get_json()["entry"]["revision"]
        r = c.post(f"/api/l/fr/entries/{ctx}", headers={"X-CSRFToken": token},
                   json={"action": "save", "strings": [f"Séoul ({name})"], "base_revision": rev})
        assert r.status_code == 200, r.get_data(as_text=True)
        after = c.get("/l/fr/").get_data(as_text=True)
        assert f"Séoul ({name})" in after and after != again  # a new catalogue version
        pages[name] = (after, token)
    assert "tr_fr (" not in pages["coord"][0] and "coord (" not in pages["tr_fr"][0]
    assert pages["coord"][1] != pages["tr_fr"][1]


def test_no_inline_script_or_style_in_pages(cclient):
    _login(cclient)
    for url in ("/", "/l/fr/", f"/l/fr/e/{CTX}", "/l/fr/preview", "/login"):
        html = cclient.get(url).get_data(as_text=True)
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, (url, tag)
        assert not re.search(r"<script\b[^>]*>[^<]+</script>", html)
        assert not re.search(r"\son[a-z]+=", html), url
        assert " style=" not in html, url


def test_session_cookie_flags(cclient, web_project):
    r = _login(cclient)
    cookie = r.headers.get("Set-Cookie", "")
    assert "letterflow_session=" in cookie
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    # `letterflow serve` on loopback turns Secure off for development
    from web import create_app

    dev = create_app(project_dir=web_project, test_config={"SESSION_COOKIE_SECURE": False})
    c = dev.test_client()
    r = c.post("/login", data={"name": "tr_fr", "password": WEB_USERS["tr_fr"][0],
                               "csrf_token": _token(c.get("/login").get_data(as_text=True))})
    cookie = r.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


# -- login rate limit --------------------------------------------------------------------------
def test_login_throttled_429_with_retry_after(client, app):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        r = client.post("/login", data={"name": "tr_fr", "password": "wrong-password"})
        assert r.status_code == 401
    r = client.post("/login", data={"name": "tr_fr", "password": WEB_USERS["tr_fr"][0]})
    assert r.status_code == 429
    retry = int(r.headers["Retry-After"])
    assert 0 < retry <= app.config["LOGIN_WINDOW"]
    # the API login shares the limit
    r = client.post("/api/login", json={"name": "tr_fr", "password": WEB_USERS["tr_fr"][0]})
    assert r.status_code == 429 and "Retry-After" in r.headers
    # other accounts are not locked out by one name's failures
    r = client.post("/login", data={"name": "tr_es", "password": WEB_USERS["tr_es"][0]})
    assert r.status_code == 302


def test_login_throttle_expires(web_project):
    from web import create_app

    app = create_app(project_dir=web_project, test_config={
        "WTF_CSRF_ENABLED": False, "LOGIN_WINDOW": 1, "LOGIN_MAX_FAILURES": 2})
    c = app.test_client()
    for _ in range(2):
        c.post("/login", data={"name": "tr_fr", "password": "bad-bad-bad"})
    assert c.post("/login", data={"name": "tr_fr", "password": "x"}).status_code == 429
    import time

    time.sleep(1.2)
    assert c.post("/login", data={"name": "tr_fr",
                                  "password": WEB_USERS["tr_fr"][0]}).status_code == 302


def test_open_redirect_refused(client):
    r = client.post("/login", data={"name": "tr_fr", "password": WEB_USERS["tr_fr"][0],
                                    "next": "//evil.example/x"})
    assert r.status_code == 302 and r.headers["Location"] == "/"


# -- language codes and paths ------------------------------------------------------------------
@pytest.mark.parametrize("url", [
    "/l/xx/", "/l/it/", "/l/FR/", "/l/../", "/l/..%2f..%2fetc/", "/l/%2e%2e%2f/",
    "/l/%2e%2e/e/x", "/l/fr%2f..%2f..%2fvar/", "/l/fr/../../var/letterflow.sqlite3",
    "/static/../letterflow.toml", "/static/%2e%2e/letterflow.toml",
    "/static/%2e%2e%2fletterflow.toml", "/api/l/xx/entries", "/api/l/%2e%2e%2f/entries",
    "/l/fr/e/..%2f..%2f..%2fletterflow.toml",
])
def test_bad_language_and_traversal_404(client, url):
    client.post("/login", data={"name": "coord", "password": WEB_USERS["coord"][0]})
    r = client.get(url)
    assert r.status_code == 404, url
    assert "tool.letterflow" not in r.get_data(as_text=True)


def test_symlinked_language_folder_404(web_project, tmp_path):
    from web import create_app

    # "de" is configured, but its folder is a symlink to somewhere else
    outside = tmp_path / "outside"
    (web_project / "locales" / "de").rename(outside)
    os.symlink(outside, web_project / "locales" / "de")
    app = create_app(project_dir=web_project, test_config={"WTF_CSRF_ENABLED": False})
    c = app.test_client()
    c.post("/login", data={"name": "coord", "password": WEB_USERS["coord"][0]})
    assert c.get("/l/de/").status_code == 404
    assert c.get(f"/l/de/e/{CTX}").status_code == 404
    assert c.get("/api/l/de/entries").status_code == 404
    before = (outside / "LC_MESSAGES" / "letter.po").read_bytes()
    r = c.post(f"/l/de/e/{CTX}", data={"action": "save", "revision": "x", "t0": "y"})
    assert r.status_code == 404
    assert (outside / "LC_MESSAGES" / "letter.po").read_bytes() == before
    assert c.get("/l/fr/").status_code == 200


def test_form_body_too_large_413(client):
    client.post("/login", data={"name": "tr_fr", "password": WEB_USERS["tr_fr"][0]})
    r = client.post(f"/l/fr/e/{CTX}", data={"action": "save", "revision": "abc",
                                             "t0": "x" * (300 * 1024)})
    assert r.status_code == 413


def test_coordinator_pages_no_inline_script(cclient):
    _login(cclient, "coord")
    for url in ("/history", "/export", "/l/ar/", "/l/ar/preview"):
        r = cclient.get(url)
        assert r.status_code == 200, url
        html = r.get_data(as_text=True)
        assert not re.search(r"<script\b[^>]*>[^<]+</script>", html)
        assert not re.search(r"\son[a-z]+=", html) and " style=" not in html, url


def test_web_settings_from_config_but_never_secrets(web_project):
    from web import create_app
    from workflow.errors import ConfigError

    toml = web_project / "letterflow.toml"
    base = toml.read_text(encoding="utf-8")
    toml.write_text(base + "\n[web]\nmax_translation_length = 50\n", encoding="utf-8")
    app = create_app(project_dir=web_project, test_config={"WTF_CSRF_ENABLED": False})
    assert app.config["MAX_TRANSLATION_LENGTH"] == 50
    c = app.test_client()
    c.post("/login", data={"name": "tr_fr", "password": WEB_USERS["tr_fr"][0]})
    rev = c.get(f"/api/l/fr/entries/{CTX}").json["entry"]["revision"]
    r = c.post(f"/api/l/fr/entries/{CTX}", json={"action": "save", "strings": ["x" * 51],
                                                 "base_revision": rev})
    assert r.status_code == 413 and "limit is 50" in r.json["error"]
    toml.write_text(base + '\n[web]\nsecret_key = "oops"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="secrets"):
        create_app(project_dir=web_project)
