"""The review UI's per-version QA findings (web/core.py): a version's findings are
rechecked from the newest earlier version whose findings are known, also when versions
were written in between that nobody asked about (under load, every answer's progress bar
may use the version before the write in progress). They equal a whole-catalogue QA run
of the version, without one."""

from __future__ import annotations

from workflow.catalogs import Change

X, Y, P = "icnk-2012/camps", "icnk-2012/closing", "icnk-2012/place"


def _key(f):
    # (not the line: a recheck keeps an unchanged entry's findings as they were, line
    # included, after one step as after several)
    return (f.context, f.check_id, f.severity, f.message)


def test_findings_after_unasked_versions_are_rechecked_not_run_again(app, monkeypatch):
    svc = app.extensions["letterflow"]
    with app.app_context():
        base = svc.findings("fr")  # the version whose findings are known
        assert base
        for change in (Change(P, ["Séoul"], fuzzy=False), Change(Y, ["Merci."], fuzzy=True),
                       Change(X, ["Les camps."], fuzzy=False), Change(P, ["Pusan"], fuzzy=True)):
            kind, _msg = svc.write("fr", change)  # installs the version written
            assert kind == "applied"
        entry = svc.cached("fr")
        assert entry.findings is None and entry.catalog.get(P).strings == ("Pusan",)

        whole: list = []
        real = type(svc).check

        def check(self, catalog, message=None):
            if message is None:
                whole.append(catalog)
            return real(self, catalog, message)

        monkeypatch.setattr(type(svc), "check", check)
        got = svc.findings("fr")
        assert whole == []  # rechecked from the known version, not a whole run
        monkeypatch.undo()
        want = svc.check(entry.catalog)
        assert sorted(map(_key, got)) == sorted(map(_key, want))
        assert {f.context for f in got} >= {P}  # the changed entries were checked
        # the history stays one step deep
        assert entry.previous is None


def test_the_answers_progress_is_that_of_the_version_written(app):
    """An applied write answers with the progress numbers of the catalogue it wrote (taken
    from the cache entry its writer installed, without a look at the file): the same
    numbers as a cold computation from the file, answer after answer."""
    from conftest import web_login

    from web.service import language_summary

    svc = app.extensions["letterflow"]
    client = app.test_client()
    assert web_login(client, "tr_fr").status_code == 302
    entries = client.get("/api/l/fr/entries").get_json()["entries"]
    plain = [e for e in entries if len(e["strings"]) == 1 and e["strings"][0]][:4]
    applied = 0
    for action in ("approve", "save", "approve", "reject"):
        for e in plain:
            r = client.post(f"/api/l/fr/entries/{e['context']}",
                            json={"action": action, "strings": ["Texte relu."],
                                  "base_revision": e["revision"]})
            assert r.status_code in (200, 422), r.get_json()
            body = r.get_json()
            if r.status_code != 200:
                continue
            e["revision"] = body["revision"]
            applied += 1
            got = body["progress"]
            svc._cache.clear()  # cold: parse the file, run its QA
            with app.test_request_context():
                want = language_summary("fr")
            assert got == want
    assert applied >= 12 and want["total"] > 10
