"""A catalogue locked by another process never freezes the review server (issue 10, defect
7): saves to that language wait a few seconds and get 503 with Retry-After, while login
and the other languages are answered at once. A real waitress server with 4 threads."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from conftest import REPO, WEB_USERS, free_port, wait_for_server
from test_os_errors import hold_lock

pytestmark = pytest.mark.slow


def _start(project: Path, threads: int = 4) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = open(project / f"server-{port}.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "workflow.cli", "--project", str(project), "serve",
         "--port", str(port), "--threads", str(threads)], stdout=subprocess.DEVNULL,
        stderr=log, env={**os.environ, "PYTHONPATH": str(REPO)})
    wait_for_server(proc, port, Path(log.name))
    return proc, f"http://127.0.0.1:{port}"


def _login(base: str, name: str) -> requests.Session:
    s = requests.Session()
    token = s.get(base + "/api/session", timeout=10).json()["csrf_token"]
    r = s.post(base + "/api/login", json={"name": name, "password": WEB_USERS[name][0]},
               headers={"X-CSRFToken": token}, timeout=10)
    assert r.status_code == 200, r.text
    s.headers["X-CSRFToken"] = r.json()["csrf_token"]
    return s


def _save(s: requests.Session, base: str, lang: str, ctx: str, text: str) -> requests.Response:
    rev = s.get(f"{base}/api/l/{lang}/entries/{ctx}", timeout=30).json()["entry"]["revision"]
    return s.post(f"{base}/api/l/{lang}/entries/{ctx}", timeout=60,
                  json={"action": "save", "strings": [text], "base_revision": rev})


def test_a_locked_language_does_not_starve_login_or_other_languages(web_project: Path):
    with open(web_project / "letterflow.toml", "a", encoding="utf-8") as fh:
        fh.write("\n[web]\nlock_timeout = 2\n")
    proc, base = _start(web_project)
    fr = _login(base, "tr_fr")
    po = web_project / "locales" / "fr" / "LC_MESSAGES" / "letter.po"
    holder = hold_lock(po)
    try:
        with ThreadPoolExecutor(max_workers=16) as pool:
            stuck = [pool.submit(_save, fr, base, "fr", "icnk-2012/place", f"Texte {c}.")
                     for c in "abcdefghijkl"]
            time.sleep(0.5)  # every server thread would now be waiting on the fr lock
            start = time.monotonic()
            es = _login(base, "tr_es")  # a new login
            r_es = _save(es, base, "es", "icnk-2012/place", "Texto nuevo.")
            other = time.monotonic() - start
            fr_answers = [f.result(timeout=60) for f in stuck]
    finally:
        holder.kill()
        holder.wait()
    try:
        assert r_es.status_code == 200, r_es.text
        assert other < 8, f"login + a save to es took {other:.1f} s while fr was locked"
        codes = [r.status_code for r in fr_answers]
        assert set(codes) == {503}, codes
        assert all(int(r.headers["Retry-After"]) >= 1 for r in fr_answers)
        r = _save(fr, base, "fr", "icnk-2012/place", "Texte libre.")  # the lock is free again
        assert r.status_code == 200, r.text
    finally:
        proc.terminate()
        proc.wait(timeout=10)
