"""`letterflow serve --processes N`: real server processes on one listening socket.

The parent binds once and forks; which process answered a request is read from the kernel
(the server end of the client's TCP connection is a socket held by exactly one process).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from conftest import WEB_USERS, free_port, wait_for_server

from workflow import audit, db
from workflow.catalogs import load_catalog

pytestmark = pytest.mark.slow

CONTEXTS = ["icnk-2012/place", "icnk-2012/salutation", "icnk-2012/closing",
            "icnk-2012/meeting"]
ROUNDS = 8
UA = "letterflow-test"


def _start(project: Path, *args: str, env: dict | None = None):
    port = free_port()
    log = project / f"server-{port}.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "workflow.cli", "--project", str(project), "serve",
         "--port", str(port), "--threads", "4", *args],
        stdout=subprocess.PIPE, stderr=open(log, "wb"), text=True,  # noqa: SIM115
        env={**os.environ, **(env or {})})
    return proc, port, log


def _children(pid: int) -> set[int]:
    """The live server processes forked by *pid* (not the git or Apertium it runs)."""
    out = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] not in "ZX" and b"workflow.cli" in cmdline:
                out.add(int(entry))
    return out


def _wait_children(pid: int, count: int, not_in: set[int] = frozenset()) -> set[int]:
    deadline = time.time() + 30
    while time.time() < deadline:
        kids = _children(pid)
        if len(kids) == count and not kids & not_in:
            return kids
        time.sleep(0.1)
    raise AssertionError(f"{pid} has children {_children(pid)}, not {count} new ones")


def _served_by(sock: socket.socket, server_port: int, pids: set[int]) -> int:
    """The process holding the server end of the TCP connection *sock*."""
    client_port = sock.getsockname()[1]
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        f = line.split()
        if (int(f[1].split(":")[1], 16) == server_port
                and int(f[2].split(":")[1], 16) == client_port):
            inode = f[9]
    assert inode, "the server end of the connection is not in /proc/net/tcp"
    for pid in pids:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inode}]":
                    return pid
            except OSError:
                continue
    raise AssertionError(f"no process of {pids} holds socket {inode}")


def _login(port: int) -> dict[str, str]:
    """Headers of a logged-in translator (cookie, CSRF token, the same User-Agent)."""
    s = requests.Session()
    s.headers["User-Agent"] = UA
    base = f"http://127.0.0.1:{port}"
    token = s.get(base + "/api/session", timeout=30).json()["csrf_token"]
    r = s.post(base + "/api/login", json={"name": "tr_fr", "password": WEB_USERS["tr_fr"][0]},
               headers={"X-CSRFToken": token}, timeout=30)
    assert r.status_code == 200, r.text
    cookie = "; ".join(f"{k}={v}" for k, v in s.cookies.items())
    return {"Cookie": cookie, "X-CSRFToken": r.json()["csrf_token"], "User-Agent": UA,
            "Content-Type": "application/json"}


def _request(port: int, method: str, path: str, headers: dict, body: dict | None,
             pids: set[int]) -> tuple[int, dict, int]:
    """One request on a new connection: status, JSON answer, the pid that served it."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=json.dumps(body) if body else None, headers=headers)
        resp = conn.getresponse()
        data = json.loads(resp.read())
        return resp.status, data, _served_by(conn.sock, port, pids)
    finally:
        conn.close()


def test_two_processes_share_approvals_and_stop_on_sigterm(web_project: Path):
    proc, port, log = _start(web_project, "--processes", "2")
    try:
        wait_for_server(proc, port, log)
        kids = _wait_children(proc.pid, 2)
        headers = _login(port)

        def approve_in_turn(ctx: str) -> list[tuple]:
            path = f"/api/l/fr/entries/{ctx}"
            _, body, _ = _request(port, "GET", path, headers, None, kids)
            rev, out = body["entry"]["revision"], []
            for i in range(ROUNDS):
                text = f"Texte {'abcdefgh'[i]}{ctx[-3:]} relu."
                status, body, pid = _request(port, "POST", path, headers, {
                    "action": "approve", "strings": [text], "base_revision": rev}, kids)
                out.append((ctx, text, status, body, pid))
                rev = body.get("revision", rev)
            return out

        with ThreadPoolExecutor(max_workers=len(CONTEXTS)) as pool:
            results = [r for rs in pool.map(approve_in_turn, CONTEXTS) for r in rs]
        served = {r[4] for r in results}
        assert served == kids and len(served) == 2, (served, kids)
        assert [r[2] for r in results] == [200] * len(results), [r[3] for r in results]

        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
        assert not any(Path(f"/proc/{k}").exists() for k in kids)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    conn = db.connect(web_project / "var" / "letterflow.sqlite3")
    try:
        rows = {e.id: e for e in audit.query(conn, language="fr", action="approve",
                                             limit=100_000)}
    finally:
        conn.close()
    for ctx, text, _, body, _ in results:  # every 2xx has its own audit row
        row = rows[body["audit_id"]]
        assert row.context == ctx and row.after == (text,) and row.user == "tr_fr"
    cat = load_catalog(web_project / "locales" / "fr" / "LC_MESSAGES" / "letter.po", "fr")
    for ctx in CONTEXTS:  # the file holds each entry's last approved text
        last = [r for r in results if r[0] == ctx][-1]
        msg = cat.get(ctx)
        assert msg.strings == (last[1],) and not msg.fuzzy


def test_a_killed_process_is_replaced_and_children_die_with_the_parent(web_project: Path):
    proc, port, log = _start(web_project, "--processes", "2")
    try:
        wait_for_server(proc, port, log)
        kids = _wait_children(proc.pid, 2)
        for k in kids:  # serving, not still building its app (a death then is a start-up
            _wait_serving(k)  # failure: retried without a line, stopped after 3 in a row)
        victim = min(kids)
        os.kill(victim, signal.SIGKILL)
        new = _wait_children(proc.pid, 2, not_in={victim})
        assert len(new & kids) == 1
        headers = _login(port)
        status, body, pid = _request(port, "GET", "/api/l/fr/entries", headers, None, new)
        assert status == 200 and body["entries"] and pid in new
        assert f"server process {victim} ended (killed by SIGKILL); starting another" in \
            log.read_text()
        proc.kill()  # the parent dies at once: its children must not outlive it
        proc.wait(timeout=10)
        deadline = time.time() + 10
        while time.time() < deadline and any(_alive(k) for k in new):
            time.sleep(0.05)
        assert not any(_alive(k) for k in new)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _wait_serving(pid: int, threads: int = 4) -> None:
    """Until *pid* runs waitress's worker threads (its app is built)."""
    deadline = time.time() + 30
    while time.time() < deadline:
        status = Path(f"/proc/{pid}/status").read_text()
        count = int(status.split("Threads:")[1].split()[0])
        if count > threads:
            return
        time.sleep(0.05)
    raise AssertionError(f"{pid} does not serve")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in "ZX"


def test_port_in_use_is_one_error_line_before_any_fork(web_project: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        res = subprocess.run(
            [sys.executable, "-m", "workflow.cli", "--project", str(web_project), "serve",
             "--port", str(port), "--processes", "2"], capture_output=True, text=True,
            timeout=60)
    assert res.returncode == 2
    assert res.stderr.splitlines() == [res.stderr.strip()]
    assert res.stderr.startswith("Error: ") and "in use" in res.stderr
    assert "Serving" not in res.stdout


def test_processes_dying_at_start_up_stop_the_server(web_project: Path):
    proc, port, log = _start(web_project, "--processes", "2",
                             env={"LETTERFLOW_CRASH_AT": "serve.start"})
    try:
        assert proc.wait(timeout=60) == 2
    finally:
        if proc.poll() is None:
            proc.kill()
    err = log.read_text().strip()
    assert err.startswith("Error: server processes ended at start-up 3 times in a row")
    assert "(last: killed by SIGKILL)" in err and len(err.splitlines()) == 1
    assert not _children(proc.pid)
    with socket.socket() as s:  # the port is free again
        s.bind(("127.0.0.1", port))


def _banner(proc: subprocess.Popen) -> str:
    """The "Serving ..." line (first-run notes may come before it)."""
    for line in proc.stdout:
        if line.startswith("Serving"):
            return line
    raise AssertionError("the server printed no banner")


def test_one_process_is_the_default_and_forks_nothing(web_project: Path):
    """Without --processes (and with --processes 1) everything runs in one process: on 2
    cores two processes made approvals slower (docs/benchmarks.md, session 4)."""
    for args in ((), ("--processes", "1")):
        proc, port, log = _start(web_project, *args)
        try:
            assert "(1 process;" in _banner(proc)
            wait_for_server(proc, port, log)
            time.sleep(0.5)
            assert _children(proc.pid) == set()
            status, _, pid = _request(port, "GET", "/api/session", {}, None, {proc.pid})
            assert status == 200 and pid == proc.pid
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def test_a_git_enabled_project_serves_with_one_process(web_template: Path, tmp_path: Path):
    """Exactly one process may run the git thread (commits, pushes, pulls)."""
    from git_support import make_world

    world = make_world(web_template, tmp_path / "w", push_delay=3600)
    proc, port, log = _start(world.server, "--processes", "2")
    try:
        first = proc.stdout.readline()
        assert first.startswith("Serving with 1 process, not 2: exactly one process may run "
                                "the git sync"), first
        assert "(1 process;" in _banner(proc)
        wait_for_server(proc, port, log)
        time.sleep(0.5)
        assert _children(proc.pid) == set()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_lock_wait_wakes_when_the_holder_lets_go_and_a_given_up_wait_leaves_it_free(
        tmp_path: Path):
    """Server processes take turns on a catalogue's lock: the waiter must wake when the
    holder lets go (polling with growing sleeps lost to a holder that takes it back at
    once: waits of a second), and a wait that timed out must not keep the lock later."""
    from test_os_errors import hold_lock

    from workflow.errors import LockTimeout
    from workflow.fileio import locked

    po = tmp_path / "letter.po"
    holder = hold_lock(po)
    try:
        with pytest.raises(LockTimeout):
            with locked(po, timeout=0.3):
                pass
        released: list[float] = []

        def release() -> None:
            released.append(time.monotonic())
            holder.kill()

        threading.Timer(0.8, release).start()
        with locked(po, timeout=5):
            late = time.monotonic() - released[0]
    finally:
        holder.kill()
        holder.wait()
    assert late < 0.1, late  # woken by the release (a poller slept up to 0.2 s)
    # the given-up wait's thread got the lock after the holder died, and let it go
    time.sleep(0.2)
    import fcntl

    fd = os.open(f"{po}.lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError if still held
    finally:
        os.close(fd)
