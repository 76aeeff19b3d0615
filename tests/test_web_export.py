"""The coordinator's export page: gate status per language and the streamed .zip."""

from __future__ import annotations

import io
import zipfile

from conftest import web_login

CSV = b"country,language,name\nFR,fr,Jean Dupont\nBE,fr,Marie Martin\n"


def _post(client, data: bytes = CSV, allow: bool = False):
    form = {"recipients": (io.BytesIO(data), "recipients.csv")}
    if allow:
        form["allow_drafts"] = "1"
    return client.post("/export", data=form, content_type="multipart/form-data")


def test_export_is_coordinator_only(client):
    web_login(client, "tr_fr")
    assert client.get("/export").status_code == 403
    assert _post(client).status_code == 403


def test_gate_blocks_drafts_and_streams_marked_drafts(client):
    web_login(client, "coord")
    html = client.get("/export").get_data(as_text=True)
    assert 'id="export-fr"' in html and "blocked (" in html
    r = _post(client)
    assert r.status_code == 400 and "Export blocked" in r.get_data(as_text=True)
    r = _post(client, allow=True)
    assert r.status_code == 200 and r.mimetype == "application/zip"
    assert r.headers["Cache-Control"] == "no-store"
    zf = zipfile.ZipFile(io.BytesIO(r.data))
    docs = [n for n in zf.namelist() if n.endswith(".docx")]
    assert len(docs) == 2 and "manifest.json" in zf.namelist()
    from docx import Document

    doc = Document(io.BytesIO(zf.read(docs[0])))
    assert any("179" in p.text for p in doc.paragraphs)


def test_export_after_review_shows_who_approved(client, app):
    web_login(client, "tr_fr")
    entries = client.get("/api/l/fr/entries").json["entries"]
    for e in entries:
        r = client.post(f"/api/l/fr/entries/{e['context']}", json={
            "action": "approve", "strings": e["strings"], "base_revision": e["revision"]})
        assert r.status_code == 200, (e["context"], r.json.get("error"))
    client.post("/api/logout", json={})
    web_login(client, "coord")
    html = client.get("/export").get_data(as_text=True)
    row = html.split('id="export-fr"')[1].split("</tr>")[0]
    assert "ready" in row and "tr_fr" in row
    r = _post(client, b"country,language\nFR,fr\n")
    assert r.status_code == 200
    assert len([n for n in zipfile.ZipFile(io.BytesIO(r.data)).namelist()
                if n.endswith(".docx")]) == 1


def test_bad_recipients_file_is_a_clear_400(client):
    web_login(client, "coord")
    r = _post(client, b"land,sprache\nXX,zz\n", allow=True)
    assert r.status_code == 400 and 'class="error"' in r.get_data(as_text=True)
    r = client.post("/export", data={}, content_type="multipart/form-data")
    assert r.status_code == 400 and "Choose a recipients file" in r.get_data(as_text=True)
