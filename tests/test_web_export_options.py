"""The export page's options and dry run (issue 10 on the web; issue 14, export page):
--skip-blocked and --allow-unattributed as coordinator checkboxes, the dry run rendered from
the same core document as `letterflow export --dry-run --format json`, and the chosen
recipients file kept across a re-rendered page without JavaScript."""

from __future__ import annotations

import io
import json
import os
import re
import time
import zipfile
from pathlib import Path

import lxml.html
from conftest import run_cli, web_login

CSV = (b"country,language,name,fallback\nFR,fr,Jean Dupont,\nBE,fr,Marie Martin,\n"
       b"MX,es,Rosa Diaz,\nTW,,Lin,yes\n")


def _post(client, data: bytes | None = CSV, name: str = "recipients.csv", **fields: str):
    form: dict = {k: v for k, v in fields.items()}
    if data is not None:
        form["recipients"] = (io.BytesIO(data), name)
    return client.post("/export", data=form, content_type="multipart/form-data")


def approve_all(client, lang: str, user: str) -> None:
    web_login(client, user)
    for e in client.get(f"/api/l/{lang}/entries").json["entries"]:
        r = client.post(f"/api/l/{lang}/entries/{e['context']}", json={
            "action": "approve", "strings": e["strings"], "base_revision": e["revision"]})
        assert r.status_code == 200, (e["context"], r.json.get("error"))
    client.post("/api/logout", json={})


def page_rows(html: str) -> list[dict]:
    """The dry-run table of the export page, as data."""
    doc = lxml.html.fromstring(html)
    out = []
    for tr in doc.xpath('//section[@id="dry-run"]//tbody/tr'):
        cell = {td.get("data-label"): " ".join(td.text_content().split()) for td in tr}
        out.append({"row": int(tr.get("data-row")), "file": cell["File"],
                    "state": tr.get("class"), "language": cell["Language"],
                    "counts": cell["Paragraphs"], "by": cell["Approved by"]})
    return out


def cli_rows(report: dict) -> list[dict]:
    """The same view of `letterflow export --dry-run --format json`."""
    out = []
    for r in report["recipients"]:
        lang = r["language"] + (f" (for {r['wanted_language']})"
                                if r["wanted_language"] != r["language"] else "")
        p = r.get("paragraphs")
        counts = (f"{p['approved']} approved, {p['draft']} draft, {p['untranslated']} "
                  "untranslated") if p else "—"
        by = ", ".join(r.get("approved_by") or []) or "—"
        if r.get("unattributed"):
            by += f" {len(r['unattributed'])} unattributed"
        out.append({"row": r["row"], "file": r["file"] or "—",
                    "state": "state-" + r["state"].replace(" ", "-"), "language": lang,
                    "counts": counts, "by": by})
    return out


def test_the_page_dry_run_lists_what_the_cli_dry_run_lists(client, web_project: Path):
    approve_all(client, "fr", "tr_fr")
    (web_project / "r.csv").write_bytes(CSV)
    web_login(client, "coord")
    for web_opts, cli_opts in (({}, ()), ({"allow_drafts": "1"}, ("--allow-drafts",)),
                               ({"skip_blocked": "1"}, ("--skip-blocked",))):
        r = _post(client, dry_run="1", **web_opts)
        assert r.status_code == 200, r.get_data(as_text=True)[:2000]
        html = r.get_data(as_text=True)
        proc = run_cli("--project", str(web_project), "export", "r.csv", "--dry-run",
                       "--format", "json", *cli_opts, cwd=web_project)
        assert proc.returncode in (0, 1), proc.stderr
        report = json.loads(proc.stdout)
        rows = page_rows(html)
        assert rows == cli_rows(report), (web_opts, rows)
        assert len(rows) == 4 and report["rows_read"] == 4
        assert ("would be refused" in html) == report["would_block"]
    assert not (web_project / "dist").exists()
    by_row = {r["row"]: r for r in rows}  # the last run: --skip-blocked
    assert by_row[2]["state"] == "state-approved" and "tr_fr" in by_row[2]["by"]
    assert by_row[4]["state"] == "state-blocked" and by_row[4]["file"] == "—"
    assert by_row[5]["language"] == "en (for zh_Hant)"


def test_a_blocked_language_blocks_everyone_unless_skip_blocked(client):
    approve_all(client, "fr", "tr_fr")
    web_login(client, "coord")
    data = CSV.replace(b"TW,,Lin,yes\n", b"")
    r = _post(client, data)
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "Export blocked" in html
    refused = lxml.html.fromstring(html).xpath('//ul[@class="refused-list"]/li')
    assert len(refused) == 1 and "row 4" in refused[0].text_content()
    r = _post(client, data, skip_blocked="1")
    assert r.status_code == 200 and r.mimetype == "application/zip", r.get_data()[:500]
    assert r.headers["X-Letterflow-Letters"] == "2" and r.headers["X-Letterflow-Skipped"] == "1"
    zf = zipfile.ZipFile(io.BytesIO(r.data))
    assert sorted(n for n in zf.namelist() if n.endswith(".docx")) == [
        "BE-fr-marie-martin.docx", "FR-fr-jean-dupont.docx"]
    manifest = json.loads(zf.read("manifest.json"))
    assert [(s["row"], s["language"]) for s in manifest["skipped"]] == [(4, "es")]


def _unfuzzy(po: Path) -> None:
    """Remove every fuzzy flag by hand, as an editor outside the review UI would."""
    text = po.read_text(encoding="utf-8")
    text = re.sub(r"^#, fuzzy\n", "", text, flags=re.M)
    text = re.sub(r"^(#,.*?)(, fuzzy|fuzzy, )", r"\1", text, flags=re.M)
    text = re.sub(r'"Last-Translator: [^"]*\\n"', '"Last-Translator: \\\\n"', text)
    po.write_text(text, encoding="utf-8")


def test_unattributed_approvals_need_the_option_and_the_manifest_says_so(client, web_project):
    _unfuzzy(web_project / "locales" / "fr" / "LC_MESSAGES" / "letter.po")
    web_login(client, "coord")
    data = b"country,language,name\nFR,fr,Jean Dupont\n"
    r = _post(client, data)
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "nobody" in html and "approval is recorded" in html
    r = _post(client, data, dry_run="1", allow_unattributed="1")
    rows = page_rows(r.get_data(as_text=True))
    assert rows[0]["state"] == "state-approved" and "unattributed" in rows[0]["by"]
    r = _post(client, data, allow_unattributed="1")
    assert r.status_code == 200 and r.mimetype == "application/zip"
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(r.data)).read("manifest.json"))
    assert manifest["allow_unattributed"] is True
    assert manifest["languages"]["fr"]["unattributed"]


def test_options_are_coordinator_only(client):
    web_login(client, "tr_fr")
    assert _post(client, skip_blocked="1", allow_unattributed="1").status_code == 403
    assert _post(client, dry_run="1").status_code == 403


# -- no JavaScript: a refused export keeps the chosen file ---------------------------------

def _token(html: str) -> str:
    found = lxml.html.fromstring(html).xpath('//input[@name="recipients_token"]/@value')
    assert found, "the page does not keep the chosen file"
    return found[0]


def test_a_refused_export_keeps_the_chosen_file(client, web_project: Path):
    web_login(client, "coord")
    r = _post(client, CSV, name="ministers.csv")
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "Export blocked" in html
    assert "Using ministers.csv (4 rows)." in html
    file_input = lxml.html.fromstring(html).xpath('//input[@name="recipients"]')[0]
    assert file_input.get("required") is None  # the kept file is enough to retry
    token = _token(html)
    # the retry sends no file at all, only the token
    r = _post(client, None, recipients_token=token, dry_run="1", allow_drafts="1")
    assert r.status_code == 200 and len(page_rows(r.get_data(as_text=True))) == 4
    assert _token(r.get_data(as_text=True)) == token
    r = _post(client, None, recipients_token=token, allow_drafts="1")
    assert r.status_code == 200 and r.mimetype == "application/zip"
    assert r.headers["X-Letterflow-Letters"] == "4"
    kept = list((web_project / "var" / "export-uploads").glob("*/*.csv"))
    assert [p.read_bytes() for p in kept] == [CSV]
    assert oct(kept[0].parent.stat().st_mode & 0o777) == "0o700"


def test_a_new_file_replaces_the_kept_one_and_tokens_are_per_user(client, app):
    web_login(client, "coord")
    token = _token(_post(client).get_data(as_text=True))
    other = b"country,language,name\nFR,fr,Anne\n"
    r = _post(client, other, name="two.csv", recipients_token=token, dry_run="1",
              allow_drafts="1")
    assert "Using two.csv (1 row)." in r.get_data(as_text=True)
    assert len(page_rows(r.get_data(as_text=True))) == 1
    from workflow import db, users

    conn = db.connect(app.extensions["letterflow"].config.database)
    users.add_user(conn, "coord2", "pw-coord2-1234", "coordinator", [])
    conn.close()
    client.post("/api/logout", json={})
    client.post("/login", data={"name": "coord2", "password": "pw-coord2-1234"})
    r = _post(client, None, recipients_token=token, allow_drafts="1")
    assert r.status_code == 400 and "no longer kept" in r.get_data(as_text=True)
    r = _post(client, None, recipients_token="../../secret_key", allow_drafts="1")
    assert r.status_code == 400 and "no longer kept" in r.get_data(as_text=True)


def test_kept_files_are_swept_and_bounded(tmp_path: Path):
    from web import export_upload as kept

    first = kept.keep(tmp_path, 1, "C:\\Users\\me\\r.csv", b"a")
    assert first.filename == "r.csv"
    assert kept.load(tmp_path, 1, first.token).data == b"a"
    assert kept.load(tmp_path, 2, first.token) is None
    old = time.time() - kept.KEEP_SECONDS - 10
    for path in (tmp_path / "export-uploads" / "1").iterdir():
        os.utime(path, (old, old))
    assert kept.load(tmp_path, 1, first.token) is None  # expired
    tokens = [kept.keep(tmp_path, 1, f"{i}.csv", b"x").token for i in range(kept.PER_USER + 2)]
    left = sorted(p.stem for p in (tmp_path / "export-uploads" / "1").glob("*.csv"))
    assert left == sorted(tokens[-kept.PER_USER:])  # the expired one swept, the oldest gone
    try:
        kept.keep(tmp_path, 1, "big.csv", b"x" * (kept.MAX_BYTES + 1))
    except ValueError:
        pass
    else:
        raise AssertionError("a file over the limit was kept")
