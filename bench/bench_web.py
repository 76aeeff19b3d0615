"""Benchmark: the review UI under load, against a minimal Flask app as the ceiling.

Both apps run in their own process under waitress (same thread count) on 127.0.0.1 and
are driven by ``wrk`` side by side in one run, 20 connections for 20 s each:

1. GET the French queue page (logged in: session cookie, catalogue + QA findings, template)
   vs GET a minimal Flask page returning a short string;
2. POST approve through the JSON API (CSRF header, QA checks, locked atomic .po write,
   audit row) vs POST to a minimal Flask JSON endpoint. Every wrk connection owns one
   entry (20 entries over 4 catalogues) and alternates between two valid texts, so every
   request is a real write with the revision returned by the previous one (no conflicts).

The project is a temporary copy of the real letter with pseudo-MT drafts. Prints
requests/s and p50/p99 latency, and the ratios. Aim: queue within 2x of the ceiling,
approve p99 under 100 ms.

Run: python bench/bench_web.py [--duration 20] [--connections 20] [--threads 8]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

LANGS = ("fr", "es", "de", "it")
PASSWORD = "bench-password-1"


def minimal_app():
    from flask import Flask, jsonify, request

    app = Flask("minimal")

    @app.get("/")
    def index():
        return "Hello, minimal Flask page."

    @app.post("/write")
    def write():
        data = request.get_json(silent=True) or {}
        return jsonify({"ok": True, "revision": "000000000000", "n": len(data)})

    return app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen) -> None:
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"server exited with {proc.returncode}") from None
            time.sleep(0.1)
    raise SystemExit(f"nothing listens on {port}")


def build_project(tmp: Path) -> Path:
    from click.testing import CliRunner

    from workflow import db, users
    from workflow.cli import main

    root = tmp / "proj"
    (root / "letters").mkdir(parents=True)
    shutil.copy(REPO / "letters" / "icnk-2012.txt", root / "letters")
    langs = ", ".join(f'"{x}"' for x in LANGS)
    (root / "letterflow.toml").write_text(
        f'languages = [{langs}]\nletters = ["letters/icnk-2012.txt"]\n'
        f'database = "var/letterflow.sqlite3"\n[mt]\nprovider = "pseudo"\n', encoding="utf-8")
    runner = CliRunner()
    for args in (["update"], ["draft", "--provider", "pseudo"]):
        res = runner.invoke(main, ["--project", str(root), *args])
        if res.exit_code:
            raise SystemExit(res.output)
    conn = db.connect(root / "var" / "letterflow.sqlite3")
    users.add_user(conn, "bench", PASSWORD, "coordinator")
    conn.close()
    return root


WRK_LINE = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(url: str, duration: int, connections: int, headers: list[str],
            script: Path | None = None) -> dict[str, float]:
    threads = connections if script else min(connections, 2)
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency",
           "--timeout", "10s"]
    for h in headers:
        cmd += ["-H", h]
    if script:
        cmd += ["-s", str(script)]
    cmd.append(url)
    proc = subprocess.run(cmd, capture_output=True, text=True)
    out = proc.stdout
    if proc.returncode or "Requests/sec" not in out:
        raise SystemExit(f"wrk failed: {proc.stderr or out}")
    if script and "-v" in sys.argv:
        print(out)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = {p: _ms(v, u) for p, v, u in WRK_LINE.findall(out)}
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": rps, "p50": lat.get("50", float("nan")), "p99": lat.get("99", float("nan")),
            "requests": total, "errors": int(non2xx.group(1)) if non2xx else 0}


def lua_long(s: str) -> str:
    eq = "=" * 4
    while f"]{eq}]" in s:
        eq += "="
    return f"[{eq}[{s}]{eq}]"


def write_script(path: Path, entries: list[dict], csrf: str, cookie: str) -> None:
    """A wrk script: thread n owns entries[n] and approves alternate texts with the
    revision returned by the previous answer."""
    rows = ",\n".join(
        f"{{url={lua_long(e['url'])}, a={lua_long(json.dumps(e['a']))}, "
        f"b={lua_long(json.dumps(e['b']))}, rev={lua_long(e['rev'])}}}"
        for e in entries)
    path.write_text(f"""
local entries = {{
{rows}
}}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("n", counter)
end
local me, flip, rev
function init(args)
  me = entries[n]
  rev = me.rev
  flip = false
end
function request()
  flip = not flip
  local strings = flip and me.b or me.a
  local body = '{{"action": "approve", "strings": ' .. strings ..
    ', "base_revision": "' .. rev .. '"}}'
  return wrk.format("POST", me.url, {{["Content-Type"] = "application/json",
    ["X-CSRFToken"] = {lua_long(csrf)}, ["Cookie"] = {lua_long(cookie)},
    ["User-Agent"] = "letterflow-bench"}}, body)
end
function response(status, headers, body)
  local r = string.match(body, '"revision":%s*"(%x+)"')
  if r then rev = r end
end
""", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration", type=int, default=20)
    ap.add_argument("--connections", type=int, default=20)
    ap.add_argument("--threads", type=int, default=8, help="waitress threads per server")
    ap.add_argument("-v", "--verbose", action="store_true", help="print wrk output")
    ap.add_argument("--serve-minimal", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve_minimal:
        from waitress import serve

        serve(minimal_app(), host="127.0.0.1", port=args.serve_minimal, threads=args.threads,
              _quiet=True)
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt install wrk)")
    import requests

    tmp = Path(tempfile.mkdtemp(prefix="lf-bench-web-"))
    procs: list[subprocess.Popen] = []
    try:
        root = build_project(tmp)
        lf_port, min_port = free_port(), free_port()
        # server logs go to files: a full stderr pipe would stall a server mid-run
        lf_log = open(tmp / "letterflow.log", "wb")  # noqa: SIM115
        min_log = open(tmp / "minimal.log", "wb")  # noqa: SIM115
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "workflow.cli", "--project", str(root), "serve", "--port",
             str(lf_port), "--threads", str(args.threads)],
            stdout=subprocess.DEVNULL, stderr=lf_log))
        procs.append(subprocess.Popen(
            [sys.executable, __file__, "--serve-minimal", str(min_port), "--threads",
             str(args.threads)], stdout=subprocess.DEVNULL, stderr=min_log))
        wait_port(lf_port, procs[0])
        wait_port(min_port, procs[1])
        lf = f"http://127.0.0.1:{lf_port}"
        mini = f"http://127.0.0.1:{min_port}"

        s = requests.Session()
        # the same User-Agent as wrk's requests: Flask-Login's session protection ties a
        # session to the client's address and User-Agent
        s.headers["User-Agent"] = "letterflow-bench"
        token = s.get(lf + "/api/session").json()["csrf_token"]
        r = s.post(lf + "/api/login", json={"name": "bench", "password": PASSWORD},
                   headers={"X-CSRFToken": token})
        r.raise_for_status()
        csrf = r.json()["csrf_token"]
        cookie = "; ".join(f"{k}={v}" for k, v in s.cookies.items())
        assert s.get(lf + "/l/fr/").status_code == 200

        entries = []
        for lang in LANGS:
            for e in s.get(f"{lf}/api/l/{lang}/entries").json()["entries"]:
                if len(entries) >= args.connections or len(e["strings"]) != 1:
                    continue
                if [x for x in e["findings"] if x["severity"] == "error"]:
                    continue
                a = e["strings"]
                b = [a[0] + " "]
                entries.append({"url": f"/api/l/{lang}/entries/{e['context']}", "a": a, "b": b,
                                "rev": e["revision"]})
        if len(entries) < args.connections:
            raise SystemExit(f"only {len(entries)} entries for {args.connections} connections")
        # warm up (lingua, templates) and check that an approve really succeeds
        first = entries[0]
        r = s.post(lf + first["url"], headers={"X-CSRFToken": csrf},
                   json={"action": "approve", "strings": first["a"],
                         "base_revision": first["rev"]})
        if r.status_code != 200:
            raise SystemExit(f"approve does not work: {r.status_code} {r.text[:300]}")
        first["rev"] = r.json()["revision"]
        def approve_script(name: str) -> Path:
            for e in entries:  # the current revisions (earlier runs moved them on)
                e["rev"] = s.get(lf + e["url"]).json()["entry"]["revision"]
            path = tmp / name
            write_script(path, entries, csrf, cookie)
            return path

        mini_script = tmp / "mini.lua"
        write_script(mini_script, [{**e, "url": "/write"} for e in entries], csrf, "")

        d, c = args.duration, args.connections
        print(f"letterflow review UI vs minimal Flask, waitress {args.threads} threads each, "
              f"wrk {c} connections x {d} s, 127.0.0.1; load average before: "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
        results = {
            "queue page": run_wrk(lf + "/l/fr/", d, c,
                                  [f"Cookie: {cookie}", "User-Agent: letterflow-bench"]),
            "minimal page": run_wrk(mini + "/", d, c, []),
            "approve POST": run_wrk(lf + "/", d, c, [], approve_script("approve.lua")),
            "minimal POST": run_wrk(mini + "/", d, c, [], mini_script),
            "approve 1 conn": run_wrk(lf + "/", max(3, d // 4), 1, [],
                                      approve_script("approve1.lua")),
        }
        print(f"{'':14} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'non-2xx':>8}")
        for name, res in results.items():
            print(f"{name:14} {res['rps']:9.1f} {res['p50']:8.2f} {res['p99']:8.2f} "
                  f"{res['requests']:9d} {res['errors']:8d}")
        q, m = results["queue page"], results["minimal page"]
        a, mp = results["approve POST"], results["minimal POST"]
        print(f"queue page: {m['rps'] / q['rps']:.2f}x slower than the minimal page "
              f"(aim: within 2x); p99 {q['p99'] / m['p99']:.2f}x")
        print(f"approve: {mp['rps'] / a['rps']:.2f}x slower than the minimal POST; "
              f"p99 {a['p99']:.1f} ms at {c} connections (aim: under 100 ms), "
              f"{results['approve 1 conn']['p99']:.1f} ms for a single client")
        # every approve was a real write: the audit trail has one row per 2xx answer
        from workflow import audit, db

        conn = db.connect(root / "var" / "letterflow.sqlite3")
        n = len(audit.query(conn, action="approve", limit=10_000_000))
        a1 = results["approve 1 conn"]
        ok = a["requests"] - a["errors"] + a1["requests"] - a1["errors"]
        print(f"audit rows for approvals: {n} (wrk counted {ok} 2xx answers, plus 1 warm-up; "
              "answers still in flight when wrk stops are not counted by wrk)")
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
