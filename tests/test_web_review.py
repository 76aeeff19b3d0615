"""The review pages through the Flask test client: dashboard, queue, editor actions
(save / approve / reject / revert), conflicts, QA refusal, preview, no-JS forms."""

from __future__ import annotations

import re

import pytest
from conftest import web_login

from workflow import audit, db
from workflow.catalogs import load_catalog

CTX = "icnk-2012/camps"


def _cat(app, lang="fr"):
    cfg = app.extensions["letterflow"].config
    return load_catalog(cfg.catalog(lang), language=lang)


def _revision(client, lang, ctx) -> str:
    html = client.get(f"/l/{lang}/e/{ctx}").get_data(as_text=True)
    return re.search(r'name="revision" value="([0-9a-f]+)"', html).group(1)


def _audit_rows(app, **kw):
    cfg = app.extensions["letterflow"].config
    return audit.query(db.connect(cfg.database), newest_first=False, **kw)


@pytest.fixture
def fr(client):
    assert web_login(client, "tr_fr").status_code == 302
    return client


def test_pages_need_login(client):
    for url in ["/", "/l/fr/", f"/l/fr/e/{CTX}", "/l/fr/preview", "/history"]:
        r = client.get(url)
        assert r.status_code == 302 and "/login" in r.headers["Location"], url


def test_dashboard_shows_only_own_languages_with_progress(fr):
    html = fr.get("/").get_data(as_text=True)
    assert 'id="lang-fr"' in html
    assert 'id="lang-es"' not in html and 'id="lang-de"' not in html
    m = re.search(r'data-lang="fr" data-approved="(\d+)" data-draft="(\d+)" '
                  r'data-untranslated="(\d+)" data-total="(\d+)"', html)
    assert m and int(m.group(1)) == 0 and int(m.group(2)) == int(m.group(4)) > 10


def test_coordinator_sees_every_language(client):
    web_login(client, "coord")
    html = client.get("/").get_data(as_text=True)
    for lang in ("fr", "es", "ar", "de"):
        assert f'id="lang-{lang}"' in html


def test_queue_in_letter_order_and_filters(fr, app):
    cat = _cat(app)
    html = fr.get("/l/fr/").get_data(as_text=True)
    links = re.findall(r'href="/l/fr/e/([^"]+)"', html)
    assert links == [m.context for m in cat.active()]
    # approve one, then filter by state
    rev = _revision(fr, "fr", "icnk-2012/place")
    r = fr.post("/l/fr/e/icnk-2012/place",
                data={"action": "approve", "revision": rev, "t0": "Séoul, République de Corée"})
    assert r.status_code == 302
    approved = re.findall(r'href="/l/fr/e/([^"]+)"', fr.get("/l/fr/?state=approved").get_data(
        as_text=True))
    assert approved == ["icnk-2012/place"]
    drafts = re.findall(r'href="/l/fr/e/([^"]+)"', fr.get("/l/fr/?state=draft").get_data(
        as_text=True))
    assert "icnk-2012/place" not in drafts and len(drafts) == len(links) - 1


def test_queue_filter_has_qa_findings(fr, app):
    rev = _revision(fr, "fr", "icnk-2012/place")
    # an unbalanced bracket / placeholder gives a finding on this entry
    fr.post("/l/fr/e/icnk-2012/place",
            data={"action": "save", "revision": rev, "t0": "Séoul {pays, Corée"})
    html = fr.get("/l/fr/?qa=1").get_data(as_text=True)
    links = re.findall(r'href="/l/fr/e/([^"]+)"', html)
    found = app.extensions["letterflow"].findings_by_context("fr")
    assert set(links) == set(found) and "icnk-2012/place" in links


def test_editor_shows_source_placeholders_provenance_rtl(client, app):
    web_login(client, "tr_es")
    html = client.get("/l/ar/e/icnk-2012/sender").get_data(as_text=True)
    assert '<mark class="ph">{count}</mark>' in html
    assert "machine translation: pseudo" in html
    assert re.search(r'<textarea id="t0"[^>]*dir="rtl"[^>]*lang="ar"', html)
    # Arabic has 6 plural forms: one textarea each
    assert len(re.findall(r'<textarea id="t\d"', html)) == 6
    html_es = client.get("/l/es/e/icnk-2012/sender").get_data(as_text=True)
    assert re.search(r'<textarea id="t0"[^>]*dir="ltr"[^>]*lang="es"', html_es)


def test_save_draft_changes_only_that_entry(fr, app):
    cfg = app.extensions["letterflow"].config
    path = cfg.catalog("fr")
    before = path.read_text(encoding="utf-8")
    rev = _revision(fr, "fr", CTX)
    r = fr.post(f"/l/fr/e/{CTX}", data={"action": "save", "revision": rev, "t0": "Texte neuf."})
    assert r.status_code == 302 and "done=save" in r.headers["Location"]
    after = path.read_text(encoding="utf-8")
    msg = _cat(app).get(CTX)
    assert msg.strings == ("Texte neuf.",) and msg.fuzzy
    # only the entry and the header (PO-Revision-Date) differ, byte for byte
    b, a = before.split("\n\n"), after.split("\n\n")
    assert len(b) == len(a)
    changed = [i for i, (x, y) in enumerate(zip(b, a, strict=True)) if x != y]
    # the header changes only if the minute of PO-Revision-Date moved on
    entry_blocks = [i for i in changed if i != 0]
    assert len(entry_blocks) == 1 and f'msgctxt "{CTX}"' in a[entry_blocks[0]]
    hb = [x for x in b[0].splitlines() if "PO-Revision-Date" not in x]
    ha = [x for x in a[0].splitlines() if "PO-Revision-Date" not in x]
    assert hb == ha
    rows = _audit_rows(app, context=CTX, action="save")
    assert rows[-1].user == "tr_fr" and rows[-1].after == ("Texte neuf.",)


def test_approve_then_reject_then_revert_restores_exact_text(fr, app):
    text = "Certains d’entre nous…\nligne « exacte »  avec  espaces."
    rev = _revision(fr, "fr", CTX)
    r = fr.post(f"/l/fr/e/{CTX}", data={"action": "approve", "revision": rev,
                                         "t0": text.replace("\n", "\r\n")})
    assert r.status_code == 302
    msg = _cat(app).get(CTX)
    assert msg.state == "approved" and msg.strings == (text,)
    assert "approved by tr_fr" in (msg.provenance or "")
    rev = _revision(fr, "fr", CTX)
    r = fr.post(f"/l/fr/e/{CTX}", data={"action": "reject", "revision": rev, "t0": text})
    assert r.status_code == 302
    assert _cat(app).get(CTX).state == "untranslated"
    approve_row = [r for r in _audit_rows(app, context=CTX) if r.action == "approve"][-1]
    reject_row = [r for r in _audit_rows(app, context=CTX) if r.action == "reject"][-1]
    assert reject_row.before == (text,)
    rev = _revision(fr, "fr", CTX)
    r = fr.post(f"/l/fr/e/{CTX}", data={"action": f"revert:{approve_row.id}:after",
                                         "revision": rev, "t0": ""})
    assert r.status_code == 302
    msg = _cat(app).get(CTX)
    assert msg.strings == (text,) and msg.state == "draft"
    assert _audit_rows(app, context=CTX)[-1].action == "revert"


def test_approve_and_next_goes_to_next_open_entry(fr, app):
    cat = _cat(app)
    first, second = cat.active()[1].context, cat.active()[2].context
    rev = _revision(fr, "fr", first)
    r = fr.post(f"/l/fr/e/{first}", data={"action": "approve_next", "revision": rev,
                                           "t0": "Séoul, République de Corée"})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/l/fr/e/{second}")


def test_stale_save_is_409_with_both_texts_and_loser_kept(fr, app):
    rev = _revision(fr, "fr", CTX)
    assert fr.post(f"/l/fr/e/{CTX}", data={"action": "save", "revision": rev,
                                            "t0": "Version A"}).status_code == 302
    r = fr.post(f"/l/fr/e/{CTX}", data={"action": "save", "revision": rev, "t0": "Version B"})
    assert r.status_code == 409
    html = r.get_data(as_text=True)
    assert 'id="conflict"' in html and "Version A" in html and "Version B" in html
    assert _cat(app).get(CTX).strings == ("Version A",)
    conflict = _audit_rows(app, context=CTX, action="conflict")[-1]
    assert conflict.after == ("Version B",) and conflict.before == ("Version A",)
    # the loser can be restored from the history
    rev = _revision(fr, "fr", CTX)
    r = fr.post(f"/l/fr/e/{CTX}", data={"action": f"revert:{conflict.id}:after",
                                         "revision": rev, "t0": ""})
    assert r.status_code == 302 and _cat(app).get(CTX).strings == ("Version B",)


def test_approve_refused_on_qa_error_keeps_edit_as_draft(fr, app):
    rev = _revision(fr, "fr", "icnk-2012/sender")
    broken = ["{count} transfuge", "{cuont} transfuges", "{count} transfuges"]
    r = fr.post("/l/fr/e/icnk-2012/sender",
                data={"action": "approve", "revision": rev,
                      **{f"t{i}": s for i, s in enumerate(broken)}})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "Approval refused" in html and "placeholder" in html.lower()
    msg = _cat(app).get("icnk-2012/sender")
    assert msg.state == "draft" and list(msg.strings) == broken  # the edit is not lost
    assert not [x for x in _audit_rows(app, context="icnk-2012/sender")
                if x.action == "approve"]


def test_approve_empty_refused(fr, app):
    rev = _revision(fr, "fr", CTX)
    r = fr.post(f"/l/fr/e/{CTX}", data={"action": "approve", "revision": rev, "t0": "  "})
    assert r.status_code == 422
    assert _cat(app).get(CTX).state == "draft"


def test_other_language_post_is_403_logged_and_changes_nothing(fr, app, caplog):
    cfg = app.extensions["letterflow"].config
    before = cfg.catalog("es").read_bytes()
    html = fr.get("/l/fr/").get_data(as_text=True)
    assert html
    with caplog.at_level("WARNING", logger="letterflow.web"):
        r = fr.post(f"/l/es/e/{CTX}", data={"action": "approve", "revision": "x" * 12,
                                             "t0": "hack"})
    assert r.status_code == 403
    assert cfg.catalog("es").read_bytes() == before
    assert any("denied" in rec.getMessage() and "tr_fr" in rec.getMessage()
               for rec in caplog.records)
    denied = _audit_rows(app, action="denied")
    assert denied and denied[-1].language == "es" and denied[-1].user == "tr_fr"
    assert fr.get("/l/es/").status_code == 403
    assert fr.get(f"/l/es/e/{CTX}").status_code == 403


def test_translation_length_cap_and_control_chars(fr, app):
    rev = _revision(fr, "fr", CTX)
    cap = app.config["MAX_TRANSLATION_LENGTH"]
    r = fr.post(f"/l/fr/e/{CTX}", data={"action": "save", "revision": rev, "t0": "x" * (cap + 1)})
    assert r.status_code == 413 and "too long" in r.get_data(as_text=True)
    r = fr.post(f"/l/fr/e/{CTX}", data={"action": "save", "revision": rev, "t0": "a\x07b"})
    assert r.status_code == 400 and "control character" in r.get_data(as_text=True)
    r = fr.post(f"/l/fr/e/{CTX}", data={"action": "save", "t0": "sans révision"})
    assert r.status_code == 400
    assert _cat(app).get(CTX).revision == rev


def test_translation_rendered_escaped(fr, app):
    evil = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    rev = _revision(fr, "fr", CTX)
    fr.post(f"/l/fr/e/{CTX}", data={"action": "save", "revision": rev, "t0": evil})
    for url in (f"/l/fr/e/{CTX}", "/l/fr/"):
        html = fr.get(url).get_data(as_text=True)
        assert "<img src=x" not in html and "<script>alert" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_source_change_shows_word_diff(fr, app):
    from workflow.catalogs import Change, apply_changes  # noqa: F401

    cfg = app.extensions["letterflow"].config
    path = cfg.catalog("fr")
    text = path.read_text(encoding="utf-8")
    # simulate `letterflow update` after a source edit: a #| previous msgid on a fuzzy entry
    text = text.replace('msgctxt "icnk-2012/salutation"',
                        '#| msgid "Dear Minister:"\nmsgctxt "icnk-2012/salutation"', 1)
    path.write_text(text, encoding="utf-8")
    html = fr.get("/l/fr/e/icnk-2012/salutation").get_data(as_text=True)
    assert "The source changed" in html
    assert "<ins>Foreign</ins>" in html.replace("<ins>Foreign </ins>", "<ins>Foreign</ins>") or \
        "<ins>Foreign Minister:</ins>" in html


def test_back_translation_on_demand(fr):
    html = fr.get(f"/l/fr/e/{CTX}?back=1").get_data(as_text=True)
    # the pseudo engine undoes its accents: the English words come back
    assert re.search(r'<p class="back-text" lang="en">[^<]*Some of us signing this letter', html)


def test_preview_marks_unapproved_and_fills_recipient_data(fr, app):
    rev = _revision(fr, "fr", "icnk-2012/place")
    fr.post("/l/fr/e/icnk-2012/place", data={"action": "approve", "revision": rev,
                                              "t0": "Séoul, République de Corée"})
    html = fr.get("/l/fr/preview?country=BE").get_data(as_text=True)
    assert 'lang="fr-BE"' in html
    assert "31 octobre 2012" in html  # CLDR date for the sample recipient
    assert "179" in html  # the plural count filled in
    assert re.search(r'<p class="role-place" data-state="approved" '
                     r'data-context="icnk-2012/place">Séoul, République de Corée</p>', html)
    unapproved = re.findall(r'<p class="role-[\w-]+ unapproved"', html)
    assert len(unapproved) == len(_cat(app).active()) - 1


def test_preview_rtl(client):
    web_login(client, "tr_es")
    html = client.get("/l/ar/preview").get_data(as_text=True)
    assert re.search(r'<article class="lf-letter[^"]*" lang="ar-[A-Z]{2}" dir="rtl"', html)
    r = client.get("/preview.css")
    assert r.status_code == 200 and r.mimetype == "text/css" and ".lf-letter" in r.text


def test_unknown_entry_404(fr):
    assert fr.get("/l/fr/e/icnk-2012/nope").status_code == 404
    assert fr.post("/l/fr/e/icnk-2012/nope", data={"action": "save", "revision": "abc",
                                                    "t0": "x"}).status_code == 404


def test_cached_findings_follow_the_file(fr, app):
    """The per-version findings cache (updated incrementally after a save) always equals
    a full QA run over the file as it is on disk."""
    from workflow.checks import run_checks

    svc = app.extensions["letterflow"]
    fr.get("/l/fr/")  # fill the cache
    for ctx, text, action in [("icnk-2012/place", "Séoul {pays", "save"),
                              (CTX, "Texte 12 neuf.", "save"),
                              ("icnk-2012/place", "Séoul, République de Corée", "approve"),
                              ("icnk-2012/salutation", "Monsieur le Ministre", "approve")]:
        rev = _revision(fr, "fr", ctx)
        r = fr.post(f"/l/fr/e/{ctx}", data={"action": action, "revision": rev, "t0": text})
        assert r.status_code == 302
        with app.test_request_context():
            cached = {(f.context, f.check_id, f.message) for f in svc.findings("fr")}
        cfg = svc.config
        full = {(f.context, f.check_id, f.message)
                for f in run_checks(_cat(app), config=cfg)}
        assert cached == full


def test_editing_an_mt_damaged_draft_clears_the_flag(fr, app):
    from workflow.catalogs import Change, apply_changes

    cfg = app.extensions["letterflow"].config
    msg = _cat(app).get("icnk-2012/place")
    apply_changes(cfg.catalog("fr"), [Change(msg.context, list(msg.strings), True,
                                             add_flags=frozenset({"letterflow-mt-damaged"}))])
    rev = _revision(fr, "fr", "icnk-2012/place")
    # unchanged damaged MT output cannot be approved
    r = fr.post("/l/fr/e/icnk-2012/place",
                data={"action": "approve", "revision": rev, "t0": msg.strings[0]})
    assert r.status_code == 422 and "damaged" in r.get_data(as_text=True)
    # a person's corrected text can
    r = fr.post("/l/fr/e/icnk-2012/place",
                data={"action": "approve", "revision": rev, "t0": "Séoul, République de Corée"})
    assert r.status_code == 302
    m = _cat(app).get("icnk-2012/place")
    assert m.state == "approved" and "letterflow-mt-damaged" not in m.flags


def test_glossary_terms_shown_and_enforced(web_project):
    import shutil
    from pathlib import Path

    from web import create_app

    repo_glossary = Path(__file__).resolve().parent.parent / "locales" / "glossary.tbx"
    assert repo_glossary.is_file(), "the repository ships locales/glossary.tbx"
    shutil.copy(repo_glossary, web_project / "locales" / "glossary.tbx")
    app = create_app(project_dir=web_project, test_config={"WTF_CSRF_ENABLED": False})
    c = app.test_client()
    web_login(c, "tr_fr")
    html = c.get("/l/fr/e/icnk-2012/survivors").get_data(as_text=True)
    assert "<strong>crimes against humanity</strong> → " in html
    assert "crimes contre l&#39;humanité" in html and "missing" in html
    terms = c.get("/api/l/fr/entries/icnk-2012/survivors").json["glossary"]
    entry = next(t for t in terms if t["term"] == "crimes against humanity")
    assert entry["found"] is False and entry["requirement"] == "mandatory"
    rev = _revision(c, "fr", "icnk-2012/survivors")
    r = c.post("/l/fr/e/icnk-2012/survivors", data={
        "action": "approve", "revision": rev,
        "t0": "Nous sommes des survivants de violations des droits humains."})
    assert r.status_code == 422 and "glossary" in r.get_data(as_text=True)
