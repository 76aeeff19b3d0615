"""web/ only maps core results to HTTP: the one ReviewError -> status mapping, and
approvals that fail closed when the QA checks cannot run."""

from __future__ import annotations

import sys

import pytest
from conftest import web_login

from workflow import audit, db
from workflow.catalogs import load_catalog
from workflow.errors import (
    ApprovalRefused,
    Busy,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    ReviewError,
)

CTX = "icnk-2012/camps"


@pytest.fixture
def fr(client):
    assert web_login(client, "tr_fr").status_code == 302
    return client


def _cat(app, lang="fr"):
    cfg = app.extensions["letterflow"].config
    return load_catalog(cfg.catalog(lang), language=lang)


def test_review_errors_map_to_http_statuses():
    from web.errors import http_status

    assert [http_status(e) for e in (
        InvalidInput("x"), InvalidInput("x", too_large=True), Forbidden("x"), NotFound("x"),
        Conflict("x"), ApprovalRefused("x"), Busy("x"), ReviewError("x"),
    )] == [400, 413, 403, 404, 409, 422, 503, 500]


def test_core_errors_reach_the_client_through_the_one_handler(fr):
    r = fr.get("/api/l/fr/entries/icnk-2012/nope")  # review NotFound from the view
    assert r.status_code == 404 and r.json == {
        "ok": False, "status": 404, "error": "No such entry in this catalogue."}
    r = fr.get(f"/api/l/de/entries/{CTX}")  # Forbidden from require_view
    assert r.status_code == 403 and "do not work on de" in r.json["error"]
    r = fr.get(f"/l/de/e/{CTX}")
    assert r.status_code == 403 and "text/html" in r.content_type


def _break_qa(monkeypatch):
    """As if workflow.checks failed to import (a broken install, a syntax error)."""
    for name in [m for m in sys.modules if m.startswith("workflow.checks")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "workflow.checks", None)


def test_api_approval_is_refused_when_qa_cannot_run(fr, app, monkeypatch):
    rev = fr.get(f"/api/l/fr/entries/{CTX}").json["entry"]["revision"]
    _break_qa(monkeypatch)
    r = fr.post(f"/api/l/fr/entries/{CTX}", json={
        "action": "approve", "strings": ["Des camps."], "base_revision": rev})
    assert r.status_code == 422 and r.json["ok"] is False
    assert "QA checks could not run" in r.json["error"]
    assert r.json["saved_draft"] is True  # the edit is kept, as a draft
    msg = _cat(app).get(CTX)
    assert msg.state == "draft" and msg.strings == ("Des camps.",)
    conn = db.connect(app.extensions["letterflow"].config.database)
    assert not audit.query(conn, language="fr", action="approve")


def test_form_approval_is_refused_when_qa_cannot_run(fr, app, monkeypatch):
    rev = fr.get(f"/api/l/fr/entries/{CTX}").json["entry"]["revision"]
    _break_qa(monkeypatch)
    r = fr.post(f"/l/fr/e/{CTX}", data={"action": "approve", "revision": rev,
                                         "t0": "Des camps."})
    assert r.status_code == 422 and "QA checks could not run" in r.get_data(as_text=True)
    assert _cat(app).get(CTX).state == "draft"


def test_editor_and_progress_say_when_qa_cannot_run(fr, monkeypatch):
    _break_qa(monkeypatch)
    r = fr.get(f"/l/fr/e/{CTX}")
    assert r.status_code == 200 and "QA checks could not run" in r.get_data(as_text=True)
    langs = fr.get("/api/languages").json["languages"]
    assert langs[0]["qa_errors"] is None and "could not run" in langs[0]["qa_error"]


def test_a_refused_write_is_503_busy_and_changes_nothing(fr, app, monkeypatch):
    import errno

    from workflow import catalogs

    before = app.extensions["letterflow"].config.catalog("fr").read_bytes()
    rev = fr.get(f"/api/l/fr/entries/{CTX}").json["entry"]["revision"]

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(catalogs, "apply_changes", full)
    r = fr.post(f"/api/l/fr/entries/{CTX}", json={
        "action": "save", "strings": ["Texte."], "base_revision": rev})
    assert r.status_code == 503 and r.headers["Retry-After"] == "1"
    assert "No space left" in r.json["error"]
    assert app.extensions["letterflow"].config.catalog("fr").read_bytes() == before


def test_the_web_services_are_a_review_catalog_store(app):
    import inspect

    from workflow.review import CatalogStore

    svc = app.extensions["letterflow"]
    for name in ("catalog", "write", "check", "remember_findings"):
        want = list(inspect.signature(getattr(CatalogStore, name)).parameters)[1:]
        assert list(inspect.signature(getattr(svc, name)).parameters) == want, name
    assert svc.config is not None and isinstance(type(svc).conn, property)
