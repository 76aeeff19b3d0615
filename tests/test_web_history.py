"""The coordinator's history view: every change, filterable by user, language and date."""

from __future__ import annotations

import re

from conftest import web_login

CTX = "icnk-2012/camps"


def _rev(client, lang, ctx):
    return client.get(f"/api/l/{lang}/entries/{ctx}").json["entry"]["revision"]


def _save(client, lang, text, ctx=CTX):
    r = client.post(f"/api/l/{lang}/entries/{ctx}", json={
        "action": "save", "strings": [text], "base_revision": _rev(client, lang, ctx)})
    assert r.status_code == 200, r.json


def test_history_is_coordinator_only(client):
    web_login(client, "tr_fr")
    assert client.get("/history").status_code == 403


def test_history_filters(app):
    a, b, c = app.test_client(), app.test_client(), app.test_client()
    web_login(a, "tr_fr")
    web_login(b, "tr_es")
    _save(a, "fr", "Texte français <b>gras</b>")
    _save(b, "es", "Texto español")
    _save(b, "ar", "نص عربي")
    web_login(c, "coord")
    html = c.get("/history").get_data(as_text=True)
    assert "Texte français &lt;b&gt;gras&lt;/b&gt;" in html and "Texto español" in html
    rows = lambda q: re.findall(r'<tr class="action-(\w+)">\s*<td>\d+</td><td>[^<]*</td>'  # noqa: E731
                                r'<td>([^<]*)</td><td>([^<]*)</td>',
                                c.get("/history" + q).get_data(as_text=True))
    assert {(u, lang) for _, u, lang in rows("?user=tr_es")} == {("tr_es", "es"), ("tr_es", "ar")}
    assert {u for _, u, _ in rows("?lang=fr&action=save")} == {"tr_fr"}
    assert all(act == "mt" for act, _, _ in rows("?action=mt"))
    from datetime import UTC, datetime, timedelta

    today = datetime.now(UTC).date()
    assert len(rows(f"?since={today}&action=save")) == 3
    assert rows(f"?until={today - timedelta(days=1)}") == []
    assert len(rows(f"?since={today}&until={today}&action=save")) == 3
    assert c.get("/history?since=yesterday").status_code == 400
    assert c.get("/history?lang=../x").status_code == 400
    assert c.get("/history?action=drop").status_code == 400
