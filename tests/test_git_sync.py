"""Issue 15 with real git: a bare remote, the review server's working copy (driven through
the Flask test client) and a "Poedit user" clone."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import WEB_USERS, free_port, run_cli, wait_for_server
from git_support import (
    EMAILS,
    POEDIT,
    api_login,
    app_for,
    approve,
    git,
    make_world,
)

from workflow import audit, db
from workflow.catalogs import load_catalog, parse_catalog, read_template_store, update_catalog
from workflow.config import load_config

pytestmark = pytest.mark.slow

UI = ["icnk-2012/place", "icnk-2012/salutation", "icnk-2012/closing", "icnk-2012/cc",
      "icnk-2012/meeting"]
POEDIT_ONLY = ["icnk-2012/signature-place", "icnk-2012/request", "icnk-2012/icc"]
OVERLAP = "icnk-2012/meeting"


def _po(root: Path, lang: str = "fr") -> Path:
    return root / "locales" / lang / "LC_MESSAGES" / "letter.po"


def poedit_edit(path: Path, texts: dict[str, str]) -> None:
    """Edit and approve entries as a desktop editor does: translate-toolkit's own PO
    store (not letterflow's writer), then the file re-wrapped by msgcat --no-wrap (a
    different line layout from msgmerge's)."""
    from translate.storage import pypo

    store = pypo.pofile(path.read_bytes())
    for unit in store.units:
        ctx = unit.getcontext()
        if ctx in texts:
            unit.target = texts[ctx]
            unit.markfuzzy(False)
            unit.prev_msgid = []
    path.write_bytes(bytes(store))
    subprocess.run(["msgcat", "--no-wrap", "-o", str(path), str(path)], check=True)


def _coordinator(app):
    c = app.test_client()
    api_login(c, "coord")
    return c


def _rows(server: Path, **kw):
    conn = db.connect(server / "var" / "letterflow.sqlite3")
    try:
        return audit.query(conn, newest_first=False, limit=10_000, **kw)
    finally:
        conn.close()


@pytest.fixture
def world(web_template, tmp_path):
    return make_world(web_template, tmp_path / "w", push_delay=3600)


@pytest.fixture
def server_app(world):
    app = app_for(world.server)
    yield app
    app.extensions["letterflow_git"].stop()


def test_concurrent_day(world, server_app):
    app = server_app
    fr = app.test_client()
    api_login(fr, "tr_fr")
    before = load_catalog(_po(world.server), "fr")
    ui_text = {ctx: "UI: " + before.get(ctx).strings[0] for ctx in UI}
    for ctx in UI:
        r = approve(fr, "fr", ctx, [ui_text[ctx]])
        assert r.status_code == 200, r.get_data(as_text=True)
    assert app.extensions["letterflow_git"].flush()
    assert git(world.server, "status", "--porcelain", "--untracked-files=no") == ""

    # meanwhile, offline: 3 other entries and the same one, pushed first
    poedit_text = {ctx: "Poedit: " + before.get(ctx).strings[0]
                   for ctx in [*POEDIT_ONLY, OVERLAP]}
    poedit_edit(_po(world.poedit), poedit_text)
    git(world.poedit, "commit", "-q", "-am", "fr: reviewed in Poedit", who=POEDIT)
    git(world.poedit, "push", "-q", "origin", "translations", who=POEDIT)
    poedit_sha = git(world.poedit, "rev-parse", "HEAD").strip()

    # the coordinator syncs from the export page
    coord = _coordinator(app)
    r = coord.post("/git/sync")
    assert r.status_code == 302
    page = coord.get("/export").get_data(as_text=True)
    assert 'id="sync-report"' in page and "1 incoming commit" in page, page
    assert "FAILED" not in page

    after = load_catalog(_po(world.server), "fr")
    for ctx in UI:
        if ctx != OVERLAP:
            assert after.get(ctx).strings[0] == ui_text[ctx] and after.get(ctx).state == "approved"
    for ctx in POEDIT_ONLY:
        assert after.get(ctx).strings[0] == poedit_text[ctx]
        assert after.get(ctx).state == "approved"
    # the overlap: the text pushed first is current, the other is in the history
    assert after.get(OVERLAP).strings[0] == poedit_text[OVERLAP]
    history = fr.get(f"/api/l/fr/entries/{OVERLAP}").json["history"]
    kept = [h for h in history if h["action"] == "conflict"]
    assert kept and kept[-1]["after"] == [ui_text[OVERLAP]], history
    assert kept[-1]["user"] == "tr_fr"
    editor = fr.get(f"/l/fr/e/{OVERLAP}").get_data(as_text=True)  # the entry's history
    row = re.search(r'<tr class="action-conflict">(.*?)</tr>', editor, re.S)
    assert row and "<td>tr_fr</td>" in row.group(1) and "UI: " in row.group(1)
    assert "Revert to this" in row.group(1)
    # every other entry is as it was
    for m in before.active():
        if m.context not in {*UI, *POEDIT_ONLY}:
            assert after.get(m.context).strings == m.strings
    subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(_po(world.server))], check=True)
    # msgmerge layout: update against the same template changes nothing
    cfg = load_config(world.server)
    assert not update_catalog(read_template_store(cfg.template), _po(world.server), "fr",
                              cfg.domain).written

    log = git(world.server, "log", "--format=%an <%ae>|%cn|%s", "origin/translations")
    authors = {line.split("|")[0] for line in log.splitlines()}
    assert f"tr_fr <{EMAILS['tr_fr']}>" in authors and f"{POEDIT[0]} <{POEDIT[1]}>" in authors
    ui_commits = [ln for ln in log.splitlines() if ln.startswith("tr_fr")]
    assert ui_commits and all(ln.split("|")[1] == "letterflow" for ln in ui_commits)
    assert all(re.search(r"\|fr: approve (icnk-2012/|\d+ \()", ln) for ln in ui_commits)
    # pushed: the remote branch is the server's HEAD
    assert git(world.remote, "rev-parse", "translations") == git(world.server, "rev-parse",
                                                                  "HEAD")
    # the audit trail: UI rows point at the rebased commits, Poedit ones at its commit
    head_log = git(world.server, "log", "--format=%H%n%B")
    for row in _rows(world.server, language="fr", user="tr_fr", action="approve"):
        if row.context != OVERLAP:
            assert row.git_commit and row.git_commit in head_log
            assert f"Letterflow-Audit-Id: {row.id}" in git(world.server, "log", "-1",
                                                           "--format=%B", row.git_commit)
    for ctx in [*POEDIT_ONLY, OVERLAP]:
        last = audit.last_approval(db.connect(world.server / "var" / "letterflow.sqlite3"),
                                   "fr", ctx)
        assert last.user == f"{POEDIT[0]} <{POEDIT[1]}>" and last.git_commit == poedit_sha
    # the export manifest's "approved by" names both people
    from workflow.export.statuses import approval_info

    info = approval_info(cfg, "fr", after)
    assert set(info["by"]) == {"tr_fr", f"{POEDIT[0]} <{POEDIT[1]}>"}
    assert poedit_sha in info["commits"] and len(info["commits"]) >= 2


def test_template_change_upstream(world, server_app):
    fr = server_app.test_client()
    api_login(fr, "tr_fr")
    ctx = "icnk-2012/closing"
    assert approve(fr, "fr", ctx).status_code == 200
    assert server_app.extensions["letterflow_git"].flush()
    old_source = load_catalog(_po(world.server), "fr").get(ctx).source

    # upstream: a paragraph of the letter is edited, re-extracted and pushed
    dev = world.clone("dev")
    letter = dev / "letters" / "icnk-2012.txt"
    text = letter.read_text(encoding="utf-8")
    assert old_source in text
    letter.write_text(text.replace(old_source, old_source.replace(",", ", with respect,", 1)
                                   if "," in old_source else old_source + " Thank you."),
                      encoding="utf-8")
    res = run_cli("--project", str(dev), "extract")
    assert res.returncode == 0, res.stderr
    git(dev, "commit", "-q", "-am", "letter: closing reworded", who=("Dev", "dev@example.org"))
    git(dev, "push", "-q", "origin", "translations", who=("Dev", "dev@example.org"))

    res = run_cli("--project", str(world.server), "sync")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "template changed" in res.stdout
    for lang in ("fr", "es", "ar", "de"):
        m = load_catalog(_po(world.server, lang), lang).get(ctx)
        assert m.fuzzy and m.previous_source == old_source, (lang, m)
    assert "#| msgid" in _po(world.server).read_text(encoding="utf-8")
    assert git(world.server, "status", "--porcelain", "--untracked-files=no") == ""
    assert git(world.remote, "log", "-1", "--format=%an|%s", "translations").startswith(
        "letterflow|")


def test_ci_sees_approvals_on_a_fresh_clone(world, server_app):
    before = world.clone("ci-before")
    res = run_cli("--project", str(before), "check", "--require", "fr")
    assert res.returncode != 0  # nothing approved yet: the gate is red

    fr = server_app.test_client()
    api_login(fr, "tr_fr")
    for e in fr.get("/api/l/fr/entries").json["entries"]:
        r = approve(fr, "fr", e["context"])
        assert r.status_code == 200, r.get_data(as_text=True)
    w = server_app.extensions["letterflow_git"]
    assert w.flush()
    report = w.sync_now(server_app.extensions["letterflow"].conn)
    assert report.ok and report.pushed, report.lines

    ci = world.clone("ci")
    assert not (ci / "var").exists()
    res = run_cli("--project", str(ci), "check", "--require", "fr")
    assert res.returncode == 0, res.stdout + res.stderr


def _serve(project: Path) -> tuple[subprocess.Popen, str]:
    """A real `letterflow serve` process on a free port, logged in as tr_fr."""

    port = free_port()
    log = project / f"serve-{port}.log"
    proc = subprocess.Popen([sys.executable, "-m", "workflow.cli", "--project", str(project),
                             "serve", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=open(log, "wb"))  # noqa: SIM115
    wait_for_server(proc, port, log)
    return proc, f"http://127.0.0.1:{port}"


def test_killed_server_commits_on_next_start(world):
    import requests

    cfg = world.server / "letterflow.toml"
    cfg.write_text(cfg.read_text().replace("commit_delay = 0", "commit_delay = 3600"))
    git(world.server, "commit", "-q", "-am", "commit later")
    head = git(world.server, "rev-parse", "HEAD").strip()
    proc, base = _serve(world.server)
    try:
        s = requests.Session()
        token = s.get(base + "/api/session", timeout=10).json()["csrf_token"]
        r = s.post(base + "/api/login", headers={"X-CSRFToken": token}, timeout=30,
                   json={"name": "tr_fr", "password": WEB_USERS["tr_fr"][0]})
        s.headers["X-CSRFToken"] = r.json()["csrf_token"]
        e = s.get(base + "/api/l/fr/entries/icnk-2012/cc", timeout=10).json()["entry"]
        r = s.post(base + "/api/l/fr/entries/icnk-2012/cc", timeout=30, json={
            "action": "approve", "strings": ["Copie : représentant {country_of}"],
            "base_revision": e["revision"]})
        assert r.status_code == 200, r.text
        audit_id = r.json()["audit_id"]
    finally:
        proc.send_signal(signal.SIGKILL)  # between the .po write and the commit
        proc.wait(30)
    assert "Copie : représentant {country_of}" in _po(world.server).read_text(encoding="utf-8")
    assert git(world.server, "rev-parse", "HEAD").strip() == head
    assert git(world.server, "status", "--porcelain", "--untracked-files=no").strip()

    proc, base = _serve(world.server)  # the next start
    try:
        info = git(world.server, "log", "-1", "--format=%an <%ae>|%cn|%B")
        assert info.startswith(f"tr_fr <{EMAILS['tr_fr']}>|letterflow|fr: approve icnk-2012/cc")
        assert f"Letterflow-Audit-Id: {audit_id}" in info
        assert git(world.server, "status", "--porcelain", "--untracked-files=no") == ""
        conn = db.connect(world.server / "var" / "letterflow.sqlite3")
        assert audit.get(conn, audit_id).git_commit == git(world.server, "rev-parse",
                                                           "HEAD").strip()
        conn.close()
    finally:
        proc.terminate()
        proc.wait(30)


def _approve_and_commit(app, world) -> tuple[object, str]:
    """tr_fr approves icnk-2012/place and the git thread commits it (and tries to push).
    Returns (tr_fr's client, the commit)."""
    fr = app.test_client()
    api_login(fr, "tr_fr")
    assert approve(fr, "fr", "icnk-2012/place").status_code == 200
    assert app.extensions["letterflow_git"].flush(push=True)
    return fr, git(world.server, "rev-parse", "HEAD").strip()


def test_dead_remote_is_shown_and_next_sync_pushes(web_template, tmp_path):
    world = make_world(web_template, tmp_path / "w", push_delay=0)
    away = world.remote.with_name("remote-away.git")
    world.remote.rename(away)  # the remote is unreachable
    app = app_for(world.server)
    try:
        fr, head = _approve_and_commit(app, world)
        assert git(world.server, "log", "-1", "--format=%an", head).strip() == "tr_fr"

        coord = _coordinator(app)
        page = coord.get("/export").get_data(as_text=True)
        assert "Push failed" in page and 'class="error git-banner"' in page
        assert re.search(r'id="unpushed">1<', page), page
        assert "Push failed" in coord.get("/").get_data(as_text=True)  # on every page
        assert "Push failed" in coord.get("/l/fr/").get_data(as_text=True)  # a kept page too
        assert "git-banner" not in fr.get("/").get_data(as_text=True)  # coordinators only
        ko = coord.get("/export", headers={"Accept-Language": "ko"}).get_data(as_text=True)
        assert "올리기(push) 실패: " in ko and "Push failed" not in ko  # the banner in Korean
        assert "로컬 커밋은 그대로 남아 있습니다." in ko and "지금 동기화(pull, rebase, push)" in ko
        assert re.search(r'아직 올리지\(push\) 않은 커밋 <span id="unpushed">1</span>개', ko)

        res = run_cli("--project", str(world.server), "sync")
        assert res.returncode == 1 and "FAILED" in res.stdout, res.stdout + res.stderr
        assert git(world.server, "rev-parse", "HEAD").strip() == head  # commits stay local

        away.rename(world.remote)  # back online
        res = run_cli("--project", str(world.server), "sync")
        assert res.returncode == 0, res.stdout + res.stderr
        assert "push:" in res.stdout
        assert git(world.remote, "rev-parse", "translations").strip() == head
        page = coord.get("/export").get_data(as_text=True)
        assert "git-banner" not in page and re.search(r'id="unpushed">0<', page)
        assert "git-banner" not in coord.get("/l/fr/").get_data(as_text=True)
        # French plural rules: 0 takes the singular (CLDR "one"), English the plural
        assert '<span id="unpushed">0</span> commits not pushed yet.' in page
        fr_page = coord.get("/export", headers={"Accept-Language": "fr"}).get_data(as_text=True)
        assert '<span id="unpushed">0</span> commit pas encore poussé.' in fr_page
    finally:
        app.extensions["letterflow_git"].stop()
        if away.exists() and not world.remote.exists():
            shutil.move(away, world.remote)


def test_non_fast_forward_is_never_forced(world, server_app):
    fr = server_app.test_client()
    api_login(fr, "tr_fr")
    assert approve(fr, "fr", "icnk-2012/place").status_code == 200
    w = server_app.extensions["letterflow_git"]
    assert w.flush()
    # someone else pushes first
    other = world.clone("other")
    (other / "NOTES.txt").write_text("coalition notes\n")
    git(other, "add", "NOTES.txt")
    git(other, "commit", "-q", "-m", "notes", who=("Other", "o@example.org"))
    git(other, "push", "-q", "origin", "translations")
    theirs = git(world.remote, "rev-parse", "translations").strip()
    conn = server_app.extensions["letterflow"].conn
    from workflow.vcs.sync import sync

    git(world.server, "fetch", "-q", "origin")  # the server knows, but does not pull
    report = sync(w.config, conn, w.repo, pull=False)
    assert not report.ok and "non-fast-forward" in " ".join(report.lines)
    assert git(world.remote, "rev-parse", "translations").strip() == theirs  # not forced
    report = w.sync_now(conn)
    assert report.ok and report.pushed, report.lines
    log = git(world.remote, "log", "--format=%s", "translations")
    assert "notes" in log and "fr: approve icnk-2012/place" in log


def test_squash_window_folds_one_users_commits(web_template, tmp_path):
    world = make_world(web_template, tmp_path / "w", push_delay=3600, squash=3600)
    app = app_for(world.server)
    try:
        fr = app.test_client()
        api_login(fr, "tr_fr")
        w = app.extensions["letterflow_git"]
        start = git(world.server, "rev-parse", "HEAD").strip()
        ids = []
        for ctx in ("icnk-2012/place", "icnk-2012/cc"):
            r = approve(fr, "fr", ctx)
            ids.append(r.json["audit_id"])
            assert w.flush()
        commits = git(world.server, "rev-list", f"{start}..HEAD").split()
        assert len(commits) == 1
        body = git(world.server, "log", "-1", "--format=%B")
        assert all(f"Letterflow-Audit-Id: {i}" in body for i in ids)
        assert body.startswith("fr: approve 2 (icnk-2012/place, icnk-2012/cc)")
        rows = [audit.get(app.extensions["letterflow"].conn, i) for i in ids]
        assert {r.git_commit for r in rows} == {commits[0]}
        # once pushed, the commit is never rewritten
        assert w.sync_now(app.extensions["letterflow"].conn).pushed
        assert approve(fr, "fr", "icnk-2012/closing").status_code == 200
        assert w.flush()
        assert len(git(world.server, "rev-list", f"{start}..HEAD").split()) == 2
        assert git(world.server, "rev-parse", "HEAD~1").strip() == commits[0]
    finally:
        app.extensions["letterflow_git"].stop()


def test_two_users_in_one_commit_round_get_one_commit_each(world):
    cfg = world.server / "letterflow.toml"
    cfg.write_text(cfg.read_text().replace("commit_delay = 0", "commit_delay = 3600"))
    git(world.server, "commit", "-q", "-am", "commit later")
    app = app_for(world.server)
    try:
        fr, coord = app.test_client(), _coordinator(app)
        api_login(fr, "tr_fr")
        assert approve(fr, "fr", "icnk-2012/place").status_code == 200
        assert approve(coord, "fr", "icnk-2012/cc").status_code == 200
        assert approve(fr, "fr", "icnk-2012/closing").status_code == 200
        w = app.extensions["letterflow_git"]
        from workflow.vcs.commits import commit_language

        res = commit_language(app.extensions["letterflow"].conn, w.repo, w.config, "fr")
        assert len(res.commits) == 2 and res.rows == 3
        first, second = res.commits
        assert git(world.server, "log", "-1", "--format=%an", first).strip() == "tr_fr"
        assert git(world.server, "log", "-1", "--format=%an", second).strip() == "coord"
        # the first commit holds only tr_fr's entries
        at_first = parse_catalog(git(world.server, "show", f"{first}:locales/fr/LC_MESSAGES/"
                                     "letter.po").encode(), "x.po")
        assert at_first.get("icnk-2012/place").state == "approved"
        assert at_first.get("icnk-2012/closing").state == "approved"
        assert at_first.get("icnk-2012/cc").state != "approved"
        assert git(world.server, "status", "--porcelain", "--untracked-files=no") == ""
    finally:
        app.extensions["letterflow_git"].stop()


def test_scheduled_pull(web_template, tmp_path):
    import time

    world = make_world(web_template, tmp_path / "w", pull_interval=0.5)
    app = app_for(world.server)
    try:
        poedit_edit(_po(world.poedit), {"icnk-2012/icc": "Cour pénale internationale"})
        git(world.poedit, "commit", "-q", "-am", "fr: icc", who=POEDIT)
        git(world.poedit, "push", "-q", "origin", "translations", who=POEDIT)
        deadline = time.time() + 30
        while time.time() < deadline:
            m = load_catalog(_po(world.server), "fr").get("icnk-2012/icc")
            if m.strings == ("Cour pénale internationale",):
                break
            time.sleep(0.2)
        assert m.strings == ("Cour pénale internationale",) and m.state == "approved"
    finally:
        app.extensions["letterflow_git"].stop()


def test_a_rebase_that_needs_a_person_keeps_local_commits(world, server_app):
    letter = "letters/icnk-2012.txt"
    text = (world.server / letter).read_text(encoding="utf-8")
    first = text.splitlines()[0]
    (world.server / letter).write_text(text.replace(first, first + " (server)", 1),
                                       encoding="utf-8")
    git(world.server, "commit", "-q", "-am", "local edit on the server")
    local = git(world.server, "rev-parse", "HEAD").strip()
    dev = world.clone("dev")
    (dev / letter).write_text(text.replace(first, first + " (dev)", 1), encoding="utf-8")
    git(dev, "commit", "-q", "-am", "dev edit")
    git(dev, "push", "-q", "origin", "translations")
    report = server_app.extensions["letterflow_git"].sync_now(
        server_app.extensions["letterflow"].conn)
    assert not report.ok and "needs a person" in " ".join(report.lines), report.lines
    assert git(world.server, "rev-parse", "HEAD").strip() == local
    assert not (world.server / ".git" / "rebase-merge").exists()
    coord = _coordinator(server_app)
    assert "Pull failed" in coord.get("/export").get_data(as_text=True)


def test_translator_clone_pulls_with_the_driver(web_template, tmp_path):
    """The server pushed first; the Poedit user's `git pull --rebase` merges by entry too."""
    world = make_world(web_template, tmp_path / "w", push_delay=0)
    app = app_for(world.server)
    try:
        fr = app.test_client()
        api_login(fr, "tr_fr")
        before = load_catalog(_po(world.server), "fr")
        for ctx in ("icnk-2012/place", OVERLAP):
            assert approve(fr, "fr", ctx, ["UI " + before.get(ctx).strings[0]]).status_code == 200
        w = app.extensions["letterflow_git"]
        assert w.flush(push=True)
        assert git(world.remote, "rev-parse", "translations") == git(world.server, "rev-parse",
                                                                      "HEAD")
        driver = f"{sys.executable} -m workflow.cli merge-po %O %A %B %P"
        git(world.poedit, "config", "merge.letterflow.driver", driver)
        poedit_edit(_po(world.poedit), {OVERLAP: "Poedit réunion", "icnk-2012/icc": "CPI"})
        git(world.poedit, "commit", "-q", "-am", "fr: Poedit", who=POEDIT)
        env_path = str(Path(__file__).resolve().parent.parent)
        proc = subprocess.run(["git", "-c", "user.name=Paul Poedit", "-c",
                               "user.email=paul@example.org", "pull", "-q", "--rebase"],
                              cwd=world.poedit, capture_output=True, text=True, timeout=120,
                              env={**os.environ, "PYTHONPATH": env_path})
        assert proc.returncode == 0, proc.stderr
        assert "<<<<<<<" not in _po(world.poedit).read_text(encoding="utf-8")
        git(world.poedit, "push", "-q", "origin", "translations", who=POEDIT)
        assert w.sync_now(app.extensions["letterflow"].conn).ok
        after = load_catalog(_po(world.server), "fr")
        assert after.get("icnk-2012/icc").strings == ("CPI",)
        assert after.get("icnk-2012/place").strings[0].startswith("UI ")
        assert after.get(OVERLAP).strings[0].startswith("UI ")  # published first: kept
        last = audit.last_approval(app.extensions["letterflow"].conn, "fr", "icnk-2012/icc")
        assert last.user == f"{POEDIT[0]} <{POEDIT[1]}>"
    finally:
        app.extensions["letterflow_git"].stop()


def test_approved_by_is_the_author_who_removed_the_fuzzy_flag(world, server_app):
    from translate.storage import pypo

    ctx = "icnk-2012/request"
    path = _po(world.poedit)
    store = pypo.pofile(path.read_bytes())
    unit = next(u for u in store.units if u.getcontext() == ctx)
    unit.target = "Nous demandons votre soutien."  # edited, still fuzzy
    path.write_bytes(bytes(store))
    git(world.poedit, "commit", "-q", "-am", "fr: draft", who=("Dora Draft", "dora@example.org"))
    poedit_edit(path, {ctx: "Nous demandons votre soutien."})  # the reviewer approves
    git(world.poedit, "commit", "-q", "-am", "fr: approve", who=POEDIT)
    approver = git(world.poedit, "rev-parse", "HEAD").strip()
    git(world.poedit, "push", "-q", "origin", "translations")
    report = server_app.extensions["letterflow_git"].sync_now(
        server_app.extensions["letterflow"].conn)
    assert report.ok and report.attributed == 1, report.lines
    row = audit.last_approval(server_app.extensions["letterflow"].conn, "fr", ctx)
    assert row.user == f"{POEDIT[0]} <{POEDIT[1]}>" and row.git_commit == approver
    assert row.after == ("Nous demandons votre soutien.",) and row.before_fuzzy


def test_failed_push_is_retried(web_template, tmp_path, monkeypatch):
    import time

    from workflow.vcs import worker as worker_mod

    monkeypatch.setattr(worker_mod, "PUSH_RETRY", 0.5)
    world = make_world(web_template, tmp_path / "w", push_delay=0)
    away = world.remote.with_name("away.git")
    world.remote.rename(away)
    app = app_for(world.server)
    try:
        _fr, head = _approve_and_commit(app, world)
        away.rename(world.remote)  # back: the worker pushes on its own
        deadline = time.time() + 20
        while time.time() < deadline:
            if git(world.remote, "rev-parse", "translations").strip() == head:
                break
            time.sleep(0.2)
        assert git(world.remote, "rev-parse", "translations").strip() == head
    finally:
        app.extensions["letterflow_git"].stop()
