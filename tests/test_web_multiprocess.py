"""Two real waitress server processes on 127.0.0.1 over one project; 200 concurrent
approve/edit requests from a bounded client pool (CSRF on, real logins).

No write may be lost: every accepted change is in the .po file (the chain of
base revision -> new revision recorded in the audit trail is linear, with no two
accepted changes made from the same base, and ends at the revision on disk), every
refused one is a 409 recorded as a conflict row with its text, and the audit rows
match the answers one to one."""

from __future__ import annotations

import random
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from conftest import WEB_USERS, free_port, wait_for_server
from tool_support import need

from workflow import audit, db
from workflow.catalogs import load_catalog

pytestmark = pytest.mark.slow

CONTEXTS = ["icnk-2012/place", "icnk-2012/salutation", "icnk-2012/closing",
            "icnk-2012/meeting"]
REQUESTS = 200
WORKERS = 16



def _start(project: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = open(project / f"server-{port}.log", "wb")  # noqa: SIM115 (a pipe could fill up)
    proc = subprocess.Popen(
        [sys.executable, "-m", "workflow.cli", "--project", str(project), "serve",
         "--port", str(port), "--threads", "8"],
        stdout=subprocess.DEVNULL, stderr=log)
    proc.log_path = log.name  # type: ignore[attr-defined]
    return proc, f"http://127.0.0.1:{port}"


def _wait(proc: subprocess.Popen, base: str) -> None:
    wait_for_server(proc, int(base.rsplit(":", 1)[1]), proc.log_path)  # type: ignore[attr-defined]


def _word(i: int) -> str:
    """A unique letters-only token (digits would trip the numbers QA check)."""
    out = ""
    i += 26 * 27
    while i:
        i, r = divmod(i, 26)
        out = "abcdefghijklmnopqrstuvwxyz"[r] + out
    return out


def test_two_servers_no_lost_write(web_project: Path):
    msgfmt = need("msgfmt")
    (p1, b1), (p2, b2) = _start(web_project), _start(web_project)
    try:
        _wait(p1, b1)
        _wait(p2, b2)
        cfg_path = web_project / "locales" / "fr" / "LC_MESSAGES" / "letter.po"
        initial = {c: load_catalog(cfg_path, "fr").get(c).revision for c in CONTEXTS}

        sessions = []
        for i in range(WORKERS):
            s = requests.Session()
            base = (b1, b2)[i % 2]
            token = s.get(base + "/api/session", timeout=10).json()["csrf_token"]
            name = ("tr_fr", "coord")[i % 2]
            r = s.post(base + "/api/login", json={"name": name, "password": WEB_USERS[name][0]},
                       headers={"X-CSRFToken": token}, timeout=30)
            assert r.status_code == 200, r.text
            s.headers["X-CSRFToken"] = r.json()["csrf_token"]
            sessions.append(s)

        rng = random.Random(5)
        plan = [(i, rng.choice(CONTEXTS), rng.choice(["save", "approve"]),
                 rng.random() < 0.5) for i in range(REQUESTS)]

        def one(item):
            i, ctx, action, cross = item
            s = sessions[i % WORKERS]
            read_base = (b1, b2)[i % 2]
            write_base = (b2, b1)[i % 2] if cross else read_base  # sessions work on both
            rev = s.get(f"{read_base}/api/l/fr/entries/{ctx}", timeout=30).json()["entry"][
                "revision"]
            text = f"Texte {_word(i)} {action}."
            r = s.post(f"{write_base}/api/l/fr/entries/{ctx}", timeout=60,
                       json={"action": action, "strings": [text], "base_revision": rev})
            return i, ctx, action, text, rev, r.status_code, r.json()

        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            results = list(pool.map(one, plan))
    finally:
        for p in (p1, p2):
            p.terminate()
        for p in (p1, p2):
            p.wait(timeout=10)

    codes = Counter(r[5] for r in results)
    print("answers:", dict(codes))
    assert set(codes) <= {200, 409}, codes
    assert codes[200] > 0 and sum(codes.values()) == REQUESTS

    conn = db.connect(web_project / "var" / "letterflow.sqlite3")
    rows = {e.id: e for e in audit.query(conn, language="fr", limit=100_000)
            if e.action in ("save", "approve", "conflict")}
    # one audit row per answer, with the text that was sent
    assert len(rows) == REQUESTS
    for _i, ctx, action, text, rev, code, body in results:
        row = rows[body["audit_id"] if code == 200 else body["conflict"]["kept_as"]]
        assert row.context == ctx and row.after == (text,) and row.base_revision == rev
        assert row.action == (action if code == 200 else "conflict")
    assert Counter(r.action == "conflict" for r in rows.values())[True] == codes[409]

    # per entry: accepted changes form one linear chain from the initial revision to
    # the revision on disk, so none was overwritten unseen
    cat = load_catalog(web_project / "locales" / "fr" / "LC_MESSAGES" / "letter.po", "fr")
    for ctx in CONTEXTS:
        applied = [r for r in rows.values() if r.context == ctx and r.action != "conflict"]
        by_base = {}
        for r in applied:
            assert r.base_revision not in by_base, f"two changes accepted from one base: {ctx}"
            by_base[r.base_revision] = r
        rev, seen, last = initial[ctx], 0, None
        while rev in by_base:
            last = by_base[rev]
            rev, seen = last.revision, seen + 1
        assert seen == len(applied), f"{ctx}: an accepted change is not in the chain"
        msg = cat.get(ctx)
        assert msg.revision == rev
        if last is not None:
            assert msg.strings == last.after and msg.fuzzy == (last.action == "save")
    res = subprocess.run([msgfmt, "-c", "-o", "/dev/null", str(cat.path)],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
