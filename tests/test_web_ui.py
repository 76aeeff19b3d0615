"""Issue 14's review UI through the Flask test client: honest feedback (kept as draft,
identical saves write nothing, the conflict's winner, back-translation of typed text),
CLDR plural labels, placeholder chips, suggestions, queue search / counts / grouped
badges / readable roles, and the export page (compact summary, dry run, dates)."""

from __future__ import annotations

import io
import re

import pytest
from conftest import web_login

from workflow import audit, db

CTX = "icnk-2012/camps"


def _rev(c, lang, ctx):
    html = c.get(f"/l/{lang}/e/{ctx}").get_data(as_text=True)
    return re.search(r'name="revision" value="([0-9a-f]+)"', html).group(1)


def _rows(app, lang, ctx):
    conn = db.connect(app.extensions["letterflow"].config.database)
    return audit.history(conn, lang, ctx)


@pytest.fixture
def fr(client):
    assert web_login(client, "tr_fr").status_code == 302
    return client


def test_identical_save_writes_nothing(fr, app):
    path = app.extensions["letterflow"].config.catalog("fr")
    rev = _rev(fr, "fr", CTX)
    text = fr.get(f"/api/l/fr/entries/{CTX}").json["entry"]["strings"]
    r = fr.post(f"/api/l/fr/entries/{CTX}", json={"action": "save", "strings": ["Nouveau"],
                                                  "base_revision": rev})
    assert r.status_code == 200 and "unchanged" not in r.json
    before_rows, before_bytes = len(_rows(app, "fr", CTX)), path.read_bytes()
    rev2 = r.json["revision"]
    for _ in range(2):
        r = fr.post(f"/api/l/fr/entries/{CTX}", json={"action": "save", "strings": ["Nouveau"],
                                                      "base_revision": rev2})
        assert r.status_code == 200 and r.json["unchanged"] is True
    r = fr.post(f"/l/fr/e/{CTX}", data={"action": "save", "revision": rev2, "t0": "Nouveau"})
    assert r.status_code == 302 and "done=unchanged" in r.headers["Location"]
    assert "nothing was written" in fr.get(r.headers["Location"]).get_data(as_text=True)
    assert len(_rows(app, "fr", CTX)) == before_rows and path.read_bytes() == before_bytes
    assert text != ["Nouveau"]


def test_refused_approval_says_kept_as_draft(fr):
    ctx = "icnk-2012/sender"
    rev = _rev(fr, "fr", ctx)
    r = fr.post(f"/l/fr/e/{ctx}", data={"action": "approve", "revision": rev,
                                        "t0": "{cuont} transfuge", "t1": "{count} x",
                                        "t2": "{count} y"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "Approval refused" in html
    assert "your edit was kept as a draft" in html
    # the same broken text again: nothing new is stored, and the page says so
    rev = _rev(fr, "fr", ctx)
    r = fr.post(f"/l/fr/e/{ctx}", data={"action": "approve", "revision": rev,
                                        "t0": "{cuont} transfuge", "t1": "{count} x",
                                        "t2": "{count} y"})
    assert r.status_code == 422 and "nothing was changed" in r.get_data(as_text=True)


def test_conflict_names_winner_and_time(app):
    a, b = app.test_client(), app.test_client()
    web_login(a, "tr_fr")
    web_login(b, "coord")
    rev = _rev(a, "fr", CTX)
    assert b.post(f"/api/l/fr/entries/{CTX}", json={
        "action": "save", "strings": ["Texte du coordinateur"], "base_revision": rev}
    ).status_code == 200
    r = a.post(f"/api/l/fr/entries/{CTX}", json={
        "action": "save", "strings": ["Mon texte"], "base_revision": rev})
    assert r.status_code == 409
    c = r.json["conflict"]
    assert c["by"] == "coord" and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", c["at"])
    assert c["theirs"] == ["Texte du coordinateur"] and c["yours"] == ["Mon texte"]
    r = a.post(f"/l/fr/e/{CTX}", data={"action": "save", "revision": rev, "t0": "Mon texte"})
    html = r.get_data(as_text=True)
    assert r.status_code == 409 and "Saved by coord at" in html
    assert 'id="use-theirs"' in html and 'id="keep-mine"' in html


def test_back_translation_of_the_typed_text(fr, monkeypatch):
    import web.backtranslate as bt

    seen = []

    def fake(cfg, lang, texts, provider=None):
        # the engine is not the subject here: only which text is sent to it
        seen.append(list(texts))
        return type("R", (), {"strings": tuple(t.upper() for t in texts)})()

    monkeypatch.setattr("workflow.mt.backtranslate.back_translate", fake)
    r = fr.post("/api/l/fr/backtranslate", json={"context": CTX, "strings": ["tapé ici"]})
    assert r.status_code == 200 and r.json["back_translation"] == ["TAPÉ ICI"]
    assert seen[-1] == ["tapé ici"]
    html = fr.post(f"/l/fr/e/{CTX}", data={"action": "backtranslate", "revision": "x",
                                           "t0": "sans JS"}).get_data(as_text=True)
    assert "SANS JS" in html and seen[-1] == ["sans JS"]
    assert bt.back_translate_message  # the module the view uses


def test_plural_labels_and_chips(client):
    web_login(client, "coord")
    html = client.get("/l/fr/e/icnk-2012/sender").get_data(as_text=True)
    labels = re.findall(r'<label class="tlabel" for="t\d">(.*?)</label>', html)
    text = [re.sub("<[^>]+>", "", lab) for lab in labels]
    assert text[0].startswith("one: 0–1") and text[1].startswith("many: 1000000")
    assert text[2].startswith("other: 2, 3")
    assert 'data-insert="{count}"' in html
    html = client.get("/l/ar/e/icnk-2012/sender").get_data(as_text=True)
    cats = re.findall(r'<span class="cat">(\w+)</span>', html)
    assert cats == ["zero", "one", "two", "few", "many", "other"]
    assert "few</span>: 3–10, 103–110" in html


def test_suggestions_fallback_from_cached_mt(fr):
    r = fr.get(f"/api/l/fr/mt-suggestions/{CTX}")
    assert r.status_code == 200
    s = r.json["suggestions"]
    assert s and s[0]["origin"] == "mt:pseudo" and s[0]["target"].startswith("⟦")
    assert set(s[0]) >= {"source", "target", "score", "origin", "diff"}


def test_side_panel_asks_the_translation_memory(fr):
    # with issue 12's endpoint in this server, the editor's panel uses it
    html = fr.get(f"/l/fr/e/{CTX}").get_data(as_text=True)
    url = re.search(r'data-suggest="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert url.startswith("/api/l/fr/suggestions")
    r = fr.get(url)
    assert r.status_code == 200 and {"memory", "mt", "glossary"} <= set(r.json)


def test_queue_search_counts_badges_roles(fr, app):
    html = fr.get("/l/fr/?q=PRISON+camps").get_data(as_text=True)
    links = re.findall(r'class="entry-link"[^>]*href="/l/fr/e/([^"]+)"', html)
    assert links and all("camp" in app.extensions["letterflow"].catalog("fr").get(c).source
                         .lower() for c in links)
    assert len(links) < 19
    html = fr.get("/l/fr/?q=").get_data(as_text=True)
    # 19 blocks + the title + 6 forms of address (issue 11)
    assert len(re.findall(r'class="entry-link"', html)) == 26
    # counts match the filter; errors and warnings apart
    html = fr.get("/l/fr/?qa=1").get_data(as_text=True)
    shown = len(re.findall(r'class="entry-link"', html))
    m = re.search(r"(\d+) shown: (\d+) with QA errors, (\d+) with warnings only", html)
    assert int(m.group(1)) == shown and int(m.group(2)) + int(m.group(3)) == shown
    errors_only = fr.get("/l/fr/?qa=error").get_data(as_text=True)
    assert len(re.findall(r'class="entry-link"', errors_only)) == int(m.group(2))
    # one badge per check with its messages inside (keyboard/touch: <details>)
    assert "<details class=\"qa-badge warning\"><summary>" in html
    assert not re.search(r'<span class="badge \w+" title=', html)
    # the role column is whole: no comment cut mid-phrase
    assert "body, 2 of 12 (a paragraph of the letter&#39;s body)" in html


def test_export_page_summary_dry_run_and_dates(client):
    web_login(client, "coord")
    html = client.get("/export").get_data(as_text=True)
    fr_row = html.split('id="export-fr"')[1].split("</tr>")[0]
    assert "26 of 26 entries not approved, 0 with QA errors" in fr_row
    assert fr_row.count("<li>") <= 11  # a compact list, not a wall
    assert "—" in fr_row  # nobody approved: no date from a header
    r = client.post("/export", data={"recipients": (io.BytesIO(b"country,language\nFR,fr\n"
                                                                b"BE,fr\n"), "r.csv"),
                                     "allow_drafts": "1", "dry_run": "1"},
                    content_type="multipart/form-data")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "2 letters, plus manifest.json" in html
    assert re.search(r"FR-fr[^<]*\.docx", html) and "marked draft" in html


def test_export_dates_in_one_format():
    from web.export import when

    assert when("2026-11-29T13:02:22+00:00") == "2026-11-29 13:02 UTC"
    assert when("2026-11-29 15:02+0200") == "2026-11-29 13:02 UTC"
    assert when("") == ""


def test_side_panel_falls_back_without_a_translation_memory(web_project, monkeypatch):
    from web import create_app

    # a server without issue 12's endpoint: no rule of its URL shape is found
    monkeypatch.setattr("web.suggest.TM_RULE", re.compile(r"^$"))
    app = create_app(project_dir=web_project, test_config={
        "TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "t"})
    c = app.test_client()
    web_login(c, "tr_fr")
    html = c.get(f"/l/fr/e/{CTX}").get_data(as_text=True)
    assert f'data-suggest="/api/l/fr/mt-suggestions/{CTX}"' in html
