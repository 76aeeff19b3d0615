"""The queue page's per-request shortcuts (web/queue.py, sessions.py, auth.py, i18n.py,
security.py, the App class): each gives the same answer as the work it saves."""

from __future__ import annotations

import re

from conftest import WEB_USERS, web_login


def _next_field(html: str) -> str:
    return re.search(r'<input type="hidden" name="next" value="([^"]*)">', html).group(1)


def test_kept_page_follows_the_url_it_answers(client):
    """The page kept for one URL is not served for another (the language form's "next")."""
    web_login(client, "tr_fr")
    assert _next_field(client.get("/l/fr/").get_data(as_text=True)) == "/l/fr/"
    # the same list (no filter) under two kept URLs, each with its own "next"
    for _ in range(2):
        first = client.get("/l/fr/?state=").get_data(as_text=True)
        again = client.get("/l/fr/?qa=").get_data(as_text=True)
        assert _next_field(first) == "/l/fr/?state=" and _next_field(again) == "/l/fr/?qa="
    drafts = client.get("/l/fr/?state=draft").get_data(as_text=True)
    assert _next_field(drafts) == "/l/fr/?state=draft"
    assert 'value="draft" selected' in drafts


def test_only_plain_filter_urls_are_kept(client, app):
    """A URL is part of a kept page's key: only short URLs with the filter's own arguments
    are kept, so made-up query strings cannot fill the cache."""
    web_login(client, "tr_fr")
    client.get("/l/fr/")
    entry = app.extensions["letterflow"].cached("fr")

    def kept() -> set:
        return {k[2] for k in entry.pages if k[0] == "page"}

    client.get("/l/fr/?state=draft&qa=error")
    client.get("/l/fr/?q=&state=&qa=1")  # what the filter form sends
    client.get("/l/fr/?page=2")
    client.get("/l/fr/?state=draft&x=" + "y" * 600)
    client.get("/l/fr/?q=Seoul")
    assert kept() == {"/l/fr/?", "/l/fr/?state=draft&qa=error", "/l/fr/?q=&state=&qa=1"}


def test_page_views_send_no_cookie_but_vary_on_it(client):
    """A page view that only reads the session writes no cookie, and says that the answer
    depends on the cookie (and on Accept-Encoding)."""
    web_login(client, "tr_fr")
    client.get("/l/fr/")  # the first page after logging in stores the session's CSRF token
    for _ in range(2):
        r = client.get("/l/fr/")
        assert r.status_code == 200 and "Set-Cookie" not in r.headers
        vary = {v.strip() for v in r.headers["Vary"].split(",")}
        assert {"Cookie", "Accept-Encoding"} <= vary
        assert r.headers["Content-Type"] == "text/html; charset=utf-8"
        assert int(r.headers["Content-Length"]) == len(r.get_data())


def test_session_protection_still_notices_another_client(app):
    """Flask-Login's "basic" protection: the same cookie from another User-Agent marks the
    session as not fresh (a new cookie is sent); the same client again does not."""
    from flask_login.signals import session_protected

    seen = []
    session_protected.connect(lambda sender, **kw: seen.append(sender), app, weak=False)
    c = app.test_client()
    c.environ_base["HTTP_USER_AGENT"] = "browser-one"
    web_login(c, "tr_fr")
    c.get("/l/fr/")  # the first page after logging in stores the session's CSRF token
    r = c.get("/l/fr/")
    assert r.status_code == 200 and not seen and "Set-Cookie" not in r.headers
    r = c.get("/l/fr/", headers={"User-Agent": "browser-two"})
    assert r.status_code == 200 and len(seen) == 1 and "Set-Cookie" in r.headers
    r = c.get("/l/fr/", environ_base={"REMOTE_ADDR": "10.9.8.7",
                                       "HTTP_USER_AGENT": "browser-one"})
    assert len(seen) == 2  # another address: noticed as well


def test_language_follows_each_requests_headers(client):
    """The remembered choice per (cookie, Accept-Language) never sticks to a client."""
    web_login(client, "tr_fr")
    for _ in range(2):
        for lang, word in (("ko", "검색"), ("es", "Buscar"), ("en", "Search")):
            html = client.get("/l/fr/", headers={"Accept-Language": lang}).get_data(
                as_text=True)
            assert word in html, lang
    client.get("/ui-language?set=ko")  # the chooser's cookie wins over Accept-Language
    assert "검색" in client.get("/l/fr/", headers={"Accept-Language": "es"}).get_data(
        as_text=True)
    client.get("/ui-language?set=")
    assert "Buscar" in client.get("/l/fr/", headers={"Accept-Language": "es"}).get_data(
        as_text=True)


def test_a_get_needs_no_token_but_a_post_still_does(csrf_app):
    c = csrf_app.test_client()
    assert c.get("/login").status_code == 200
    r = c.post("/login", data={"name": "tr_fr", "password": "x"})
    assert r.status_code == 400 and "CSRF" in r.get_data(as_text=True)


def test_ensure_sync_is_remembered_and_bounded(app):
    def hook() -> None:
        return None

    assert app.ensure_sync(hook) is hook and hook in app._sync
    app._sync.clear()
    for n in range(app.MAX_SYNC + 5):
        app.ensure_sync(lambda n=n: n)
    assert len(app._sync) == app.MAX_SYNC

    class Unhashable:
        __hash__ = None

        def __call__(self) -> int:
            return 1

    f = Unhashable()
    assert app.ensure_sync(f) is f


def test_kept_page_carries_only_masked_tokens(csrf_app):
    """The kept page is stored split where the CSRF token goes: every answer has the token
    masked afresh at every place, never the token itself (BREACH), gzip or not."""
    import gzip

    from web.security import MASK_PREFIX, unmask_token

    c = csrf_app.test_client()
    html = c.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    assert c.post("/login", data={"name": "coord", "password": WEB_USERS["coord"][0],
                                  "csrf_token": token}).status_code == 302
    seen = set()
    for gz in (False, True, False, True):
        r = c.get("/l/fr/", headers={"Accept-Encoding": "gzip"} if gz else {})
        html = (gzip.decompress(r.data) if gz else r.data).decode()
        found = re.findall(r'(?:name="csrf_token" value|name="csrf-token" content)="([^"]+)"',
                           html)
        assert len(found) == 3 and len(set(found)) == 1  # meta tag, language, log out
        masked = found[0]
        assert masked.startswith(MASK_PREFIX) and masked not in seen
        seen.add(masked)
        real = unmask_token(masked)
        assert real and real not in html
    assert len({unmask_token(t) for t in seen}) == 1


def test_remembered_request_inputs_are_bounded_in_size(client, app):
    """What is remembered per client-sent header is only remembered for short headers (a
    client cannot fill the server's memory with long made-up ones); answers stay right."""
    from web import auth, i18n

    web_login(client, "tr_fr")
    long_ua, long_lang = "x" * 5000, "ko," + "en;q=0.1," * 200
    padding = "z" * 5000
    r = client.get("/l/fr/", headers={"User-Agent": long_ua, "Accept-Language": long_lang,
                                      "Cookie": f"pad={padding}"})
    assert r.status_code in (200, 302)
    assert not [k for k in auth._identifiers if k[2] == long_ua]
    assert not [k for k in i18n._browser_choice if k[1] == long_lang]
    assert not [k for k in app.session_interface._headers if padding in k[1]]
    client.get("/l/fr/", headers={"Accept-Language": "ko"})  # short ones are remembered
    assert (None, "ko") in i18n._browser_choice
