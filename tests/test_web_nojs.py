"""Issue 14's gaps in the web UI, through the Flask test client (no JavaScript at all):
suggestions rendered into the editor page, history tables as labelled cards, the login
page's interface-language links, and the CSRF token masked per response against BREACH."""

from __future__ import annotations

import gzip
import json
import re

import lxml.html
from conftest import WEB_USERS, web_login

CTX = "icnk-2012/place"


def test_editor_page_carries_its_suggestions_without_javascript(client):
    web_login(client, "tr_fr")
    doc = lxml.html.fromstring(client.get(f"/l/fr/e/{CTX}").get_data(as_text=True))
    items = doc.xpath('//ol[@id="suggestions"]/li[@class="suggestion"]')
    assert items, "no suggestion in the page"
    # the same first suggestion as the JSON endpoint the page's JS used to fetch
    data = client.get(f"/api/l/fr/suggestions?context={CTX}").get_json()
    first = [*data["memory"], *data["mt"]][0]
    text = items[0].xpath('.//span[@class="s-text"]')[0].text_content()
    assert text == first["target"] and text.startswith("⟦S")  # the cached pseudo-MT draft
    assert items[0].get("data-target") == first["target"]
    assert json.loads(items[0].get("data-forms")) == first["forms"]
    assert "machine translation" in items[0].xpath('.//span[@class="s-meta"]')[0].text_content()
    assert "need JavaScript" not in doc.text_content()


def test_an_entry_with_no_suggestion_says_so(client):
    web_login(client, "tr_fr")
    html = client.get("/l/fr/e/icnk-2012/sender").get_data(as_text=True)
    doc = lxml.html.fromstring(html)
    data = client.get("/api/l/fr/suggestions?context=icnk-2012/sender").get_json()
    n = len([*data["memory"], *data["mt"]][:9])
    assert len(doc.xpath('//ol[@id="suggestions"]/li[@class="suggestion"]')) == n


def test_history_tables_are_labelled_cards(client):
    web_login(client, "tr_fr")
    entry = client.get(f"/api/l/fr/entries/{CTX}").get_json()["entry"]
    r = client.post(f"/api/l/fr/entries/{CTX}", json={
        "action": "save", "strings": ["Séoul"], "base_revision": entry["revision"]})
    assert r.status_code == 200
    doc = lxml.html.fromstring(client.get(f"/l/fr/e/{CTX}").get_data(as_text=True))
    table = doc.xpath('//div[@id="history-body"]//table')[0]
    assert "cards" in table.get("class").split()
    # the first four cells make the card's first line; the text is labelled
    assert table.xpath(".//tbody/tr/td[5]/@data-label") and len(table.xpath(".//tbody/tr")) >= 1
    client.post("/api/logout", json={})
    web_login(client, "coord")
    doc = lxml.html.fromstring(client.get("/history").get_data(as_text=True))
    table = doc.xpath('//table[contains(@class, "history-table")]')[0]
    assert "cards" in table.get("class").split()
    labels = {td.get("data-label") for td in table.xpath(".//tbody/tr/td")}
    assert {"Entry", "Action", "Before", "After"} <= labels


def test_login_page_language_links_set_a_cookie(client):
    html = client.get("/login", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    doc = lxml.html.fromstring(html)
    assert doc.xpath("//html/@lang") == ["fr"]
    links = {a.get("hreflang"): a.get("href")
             for a in doc.xpath('//nav[@class="ui-lang-links"]//a')}
    assert {"en", "ko", "fr", "es", "ar"} <= set(links)
    r = client.get(links["ko"], headers={"Accept-Language": "fr"})
    assert r.status_code == 302 and r.headers["Location"] == "/login"
    assert "letterflow_ui_lang=ko" in r.headers["Set-Cookie"]
    assert "HttpOnly" in r.headers["Set-Cookie"]
    doc = lxml.html.fromstring(client.get("/login", headers={"Accept-Language": "fr"}).data)
    assert doc.xpath("//html/@lang") == ["ko"] and doc.xpath("//h1")[0].text == "로그인"
    assert doc.xpath('//a[@aria-current="true"]/@hreflang') == ["ko"]
    # after logging in, still Korean (no setting of their own yet)
    r = client.post("/login", data={"name": "tr_fr", "password": WEB_USERS["tr_fr"][0]},
                    headers={"Accept-Language": "fr"})
    assert r.status_code == 302
    html = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="ko"' in html
    # the user's own setting beats the cookie
    client.post("/settings/language", data={"ui_language": "es"})
    html = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="es"' in html


def test_language_link_is_checked_and_never_redirects_off_site(client):
    assert client.get("/ui-language?set=xx").status_code == 400
    r = client.get("/ui-language?set=ar&next=//evil.example/")
    assert r.headers["Location"] == "/login"
    r = client.get("/ui-language?set=ar&next=/login?next=/l/fr/")
    assert r.headers["Location"] == "/login?next=/l/fr/"
    r = client.get("/ui-language?set=")  # follow the browser again
    assert "letterflow_ui_lang=;" in r.headers["Set-Cookie"]


# -- BREACH ---------------------------------------------------------------------------------

def _meta_token(html: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)


def test_csrf_token_is_masked_per_response_and_pages_stay_compressed(csrf_app):
    from web.security import MASK_PREFIX, unmask_token

    c = csrf_app.test_client()
    html = c.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    r = c.post("/login", data={"name": "tr_fr", "password": WEB_USERS["tr_fr"][0],
                               "csrf_token": token})
    assert r.status_code == 302
    seen = set()
    for _ in range(3):  # a page that reflects ?q= and carries the token, compressed
        r = c.get("/l/fr/?q=Seoul", headers={"Accept-Encoding": "gzip"})
        assert r.headers.get("Content-Encoding") == "gzip"
        html = gzip.decompress(r.data).decode()
        assert 'value="Seoul"' in html  # the reflection the attacker controls
        masked = _meta_token(html)
        assert masked.startswith(MASK_PREFIX)
        real = unmask_token(masked)
        assert real and real not in html  # the secret's own bytes never appear
        tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', html))
        assert tokens == {masked}
        seen.add(masked)
    assert len(seen) == 3 and len({unmask_token(t) for t in seen}) == 1
    # a masked token is accepted (header and form field); a tampered one is not
    rev = c.get(f"/api/l/fr/entries/{CTX}").get_json()["entry"]["revision"]
    ok = c.post(f"/api/l/fr/entries/{CTX}", headers={"X-CSRFToken": masked},
                json={"action": "save", "strings": ["Séoul"], "base_revision": rev})
    assert ok.status_code == 200, ok.get_data(as_text=True)
    body = masked[len(MASK_PREFIX):]
    flipped = MASK_PREFIX + body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    for bad in (flipped, MASK_PREFIX + "@@@", MASK_PREFIX):
        r = c.post(f"/l/fr/e/{CTX}", data={"action": "save", "t0": "x", "revision": "0",
                                           "csrf_token": bad})
        assert r.status_code == 400 and "CSRF" in r.get_data(as_text=True), bad
