"""Benchmark: the review UI under load, against a minimal Flask app as the ceiling.

Every app runs as its own server under waitress (same thread count) on 127.0.0.1 and is
driven by ``wrk`` side by side in one run, 20 connections for 20 s each. ``letterflow serve``
runs with ``--processes N`` (default 1, as ``letterflow serve``; printed), and the
minimal app with the same count through the same prefork code; the CPU per request sums the
server process and every process it forked. A ``--baseline`` checkout without
``serve --processes`` runs with 1 process, and the output says so.

1. GET the French queue page (logged in: session cookie, catalogue + QA findings, template)
   vs GET a minimal Flask page returning a short string;
2. POST approve through the JSON API (CSRF header, QA checks, audit intent, locked atomic
   .po write, audit row) vs POST to a minimal Flask JSON endpoint. Every wrk connection
   owns one entry (20 entries over 4 catalogues) and alternates between two valid texts,
   so every request is a real write with the revision returned by the previous one;
3. GET the suggestions of French entries in turn (translation memory of 100,000 units,
   cached MT, glossary), one connection (what one translator's panel waits for), and
   4 connections, after one timed warm-up pass printed apart (the first request reads the
   memory's word frequencies, once per server process).

With ``--baseline DIR`` (a checkout of another revision, e.g. ``git worktree add DIR main``
or ``git archive main | tar -x -C DIR``), the same cases also run against that code's
server on an identical copy of the project, interleaved with this one's, so that both
share the machine's load; ratios after/before are printed. The load average is printed
with every figure: on a shared machine only ratios within one run mean much.

Aims (issue 14), each printed as MET / NOT MET: queue page within 2x the minimal page
(requests/s), approve p99 under 100 ms at 20 connections, suggestions p95 under 50 ms
with a 100,000-unit memory (one connection).

Run: python bench/bench_web.py [--duration 20] [--connections 20] [--threads 8]
     [--processes N] [--baseline DIR] [--tm-units 100000] [--only queue,approve,suggest]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from web_procs import (  # noqa: E402
    cpu_seconds,
    free_port,
    minimal_app,
    serve_minimal,
    supports_processes,
    wait_port,
)

LANGS = ("fr", "es", "de", "it")
PASSWORD = "bench-password-1"


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


def add_memory(root: Path, units: int) -> None:
    """A translation memory of *units* French units in the project database (the
    builder of bench_tm.py: Zipf-distributed words of the letter and invented ones)."""
    import itertools
    import random

    import bench_tm

    from workflow.tm.store import Memory

    rng = random.Random(12)
    words = bench_tm.vocabulary(rng, 20_000)
    weights = list(itertools.accumulate(1 / (r + 1) for r in range(len(words))))
    mem = Memory(root / "var" / "letterflow.sqlite3")
    try:
        bench_tm.build(mem, rng, words, weights, units)
    finally:
        mem.close()


class Server:
    """One letterflow server (this checkout's code, or *code*'s) on its own project copy."""

    def __init__(self, name: str, code: Path, root: Path, threads: int, processes: int,
                 log: Path):
        self.name, self.root, self.port = name, root, free_port()
        env = {**os.environ, "PYTHONPATH": str(code)}
        # a checkout from before `serve --processes` serves in one process
        able = supports_processes(code)
        self.processes = processes if able else 1
        procs = ["--processes", str(processes)] if able else []
        self._log = open(log, "wb")  # noqa: SIM115 - a full stderr pipe would stall it
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "workflow.cli", "--project", str(root), "serve",
             "--port", str(self.port), "--threads", str(threads), *procs],
            cwd=code, env=env, stdout=subprocess.DEVNULL, stderr=self._log)
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self, args: argparse.Namespace, tmp: Path) -> None:
        import requests

        wait_port(self.port, self.proc)
        s = self.session = requests.Session()
        # the same User-Agent as wrk's requests: Flask-Login's session protection ties a
        # session to the client's address and User-Agent
        s.headers["User-Agent"] = "letterflow-bench"
        token = s.get(self.url + "/api/session").json()["csrf_token"]
        r = s.post(self.url + "/api/login", json={"name": "bench", "password": PASSWORD},
                   headers={"X-CSRFToken": token})
        r.raise_for_status()
        self.csrf = r.json()["csrf_token"]
        self.cookie = "; ".join(f"{k}={v}" for k, v in s.cookies.items())
        self.headers = {"Cookie": self.cookie, "User-Agent": "letterflow-bench"}
        assert s.get(self.url + "/l/fr/").status_code == 200
        self.entries = self._entries(args.connections)
        self.tmp = tmp
        # warm up (QA, templates) and check that an approve really succeeds
        first = self.entries[0]
        r = s.post(self.url + first["url"], headers={"X-CSRFToken": self.csrf},
                   json={"action": "approve", "strings": first["a"],
                         "base_revision": first["rev"]})
        if r.status_code != 200:
            raise SystemExit(f"{self.name}: approve does not work: {r.status_code} "
                             f"{r.text[:300]}")
        self.contexts = [e["context"] for e in
                         s.get(f"{self.url}/api/l/fr/entries").json()["entries"]]

    def _entries(self, count: int) -> list[dict]:
        entries = []
        for lang in LANGS:
            for e in self.session.get(f"{self.url}/api/l/{lang}/entries").json()["entries"]:
                if len(entries) >= count or len(e["strings"]) != 1:
                    continue
                if [x for x in e["findings"] if x["severity"] == "error"]:
                    continue
                a = e["strings"]
                entries.append({"url": f"/api/l/{lang}/entries/{e['context']}", "a": a,
                                "b": [a[0] + " "], "rev": e["revision"]})
        if len(entries) < count:
            raise SystemExit(f"only {len(entries)} entries for {count} connections")
        return entries

    def approve_script(self, name: str) -> Path:
        from web_wrk import approve_script

        for e in self.entries:  # the current revisions (earlier runs moved them on)
            e["rev"] = self.session.get(self.url + e["url"]).json()["entry"]["revision"]
        return approve_script(self.tmp / f"{self.name}-{name}.lua", self.entries, self.csrf,
                              self.cookie)

    def audit_rows(self) -> int:
        from workflow import audit, db

        conn = db.connect(self.root / "var" / "letterflow.sqlite3")
        try:
            return len(audit.query(conn, action="approve", limit=10_000_000))
        finally:
            conn.close()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._log.close()


def run_cases(servers: list[Server], mini: str, mini_pid: int, args: argparse.Namespace,
              tmp: Path) -> dict[tuple[str, str], dict]:
    """Every case, each server's run right after the other's (shared load)."""
    from web_wrk import get_script, run_wrk

    d, c, v = args.duration, args.connections, args.verbose
    out: dict[tuple[str, str], dict] = {}

    pids = {s.name: s.proc.pid for s in servers}
    pids["minimal"] = mini_pid

    def one(key: tuple[str, str], url: str, conns: int, script: Path, per_conn=False,
            secs: int = d) -> None:
        load, cpu = os.getloadavg()[0], cpu_seconds(pids[key[0]])
        res = run_wrk(url, secs, conns, script, per_conn, v)
        res["load"] = (load + os.getloadavg()[0]) / 2
        # server CPU per request: what the machine's load changes least
        res["cpu_ms"] = 1000 * (cpu_seconds(pids[key[0]]) - cpu) / max(res["requests"], 1)
        out[key] = res
        print(f"  {key[1]:24} {key[0]:9} {res['rps']:8.1f} req/s  p99 {res['p99']:7.1f} ms  "
              f"CPU {res['cpu_ms']:5.2f} ms/req  load {res['load']:.1f}", flush=True)

    mini_get = get_script(tmp / "mini-get.lua", ["/"], {})
    if "queue" in args.only:
        for s in servers:
            one((s.name, "queue page"), s.url, c,
                get_script(tmp / f"{s.name}-queue.lua", ["/l/fr/"], s.headers))
        one(("minimal", "minimal page"), mini, c, mini_get)
    if "approve" in args.only:
        from web_wrk import approve_script

        for s in servers:
            one((s.name, "approve POST"), s.url, c, s.approve_script("approve"), True)
        ents = [{**e, "url": "/write"} for e in servers[0].entries]
        one(("minimal", "minimal POST"), mini, c,
            approve_script(tmp / "mini-post.lua", ents, "x", ""), True)
        for s in servers:
            one((s.name, "approve 1 conn"), s.url, 1, s.approve_script("approve1"), True,
                max(3, d // 4))
    if "suggest" in args.only and args.tm_units:
        for s in servers:  # one pass first: shown, not in the figures (see warm_up)
            warm_up(s)
        for conns in (1, 4):
            for s in servers:
                urls = [f"/api/l/fr/suggestions?context={quote(x)}" for x in s.contexts]
                one((s.name, f"suggestions {conns} conn"), s.url, conns,
                    get_script(tmp / f"{s.name}-sugg.lua", urls, s.headers),
                    secs=max(3, d // 2))
    return out


def warm_up(s: Server) -> None:
    """One suggestions request per French entry, timed and printed apart: the first one
    reads the memory's word frequencies (once per server process) and syncs the catalogues
    the approve runs changed into the memory; the wrk runs measure the steady state."""
    times = []
    for ctx in s.contexts:
        t = time.perf_counter()
        r = s.session.get(f"{s.url}/api/l/fr/suggestions", params={"context": ctx})
        times.append((time.perf_counter() - t) * 1000)
        if r.status_code != 200:
            raise SystemExit(f"{s.name}: suggestions answer {r.status_code}: {r.text[:300]}")
    print(f"  suggestions warm-up      {s.name:9} {len(times)} requests, first {times[0]:.0f} ms, "
          f"then median {sorted(times[1:])[len(times) // 2 - 1]:.0f} ms (not in the figures)",
          flush=True)


def aim_lines(name: str, res: dict[tuple[str, str], dict], args: argparse.Namespace) -> None:
    def verdict(ok: bool) -> str:
        return "MET" if ok else "NOT MET"

    q, m = res.get((name, "queue page")), res.get(("minimal", "minimal page"))
    if q and m:
        ratio = m["rps"] / q["rps"]
        print(f"AIM [{name}] queue page within 2x of the minimal page: {ratio:.2f}x "
              f"({q['rps']:.0f} vs {m['rps']:.0f} req/s, load {q['load']:.1f}) -> "
              f"{verdict(ratio <= 2.0)}")
    a = res.get((name, "approve POST"))
    if a:
        print(f"AIM [{name}] approve p99 under 100 ms at {args.connections} connections: "
              f"{a['p99']:.1f} ms ({a['rps']:.0f} req/s, load {a['load']:.1f}) -> "
              f"{verdict(a['p99'] < 100.0)}")
    g = res.get((name, "suggestions 1 conn"))
    if g:
        print(f"AIM [{name}] suggestions p95 under 50 ms with a {args.tm_units:,}-unit "
              f"memory: {g['p95']:.1f} ms (load {g['load']:.1f}) -> {verdict(g['p95'] < 50)}")


def report(servers: list[Server], res: dict[tuple[str, str], dict],
           args: argparse.Namespace) -> None:
    print(f"\n{'case':24} {'server':9} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'p99 ms':>8} {'requests':>9} {'non-2xx':>8} {'CPU ms/req':>10} {'load':>5}")
    for (name, case), r in sorted(res.items(), key=lambda kv: kv[0][1]):
        print(f"{case:24} {name:9} {r['rps']:9.1f} {r['p50']:8.2f} {r['p95']:8.2f} "
              f"{r['p99']:8.2f} {r['requests']:9d} {r['errors']:8d} {r['cpu_ms']:10.2f} "
              f"{r['load']:5.1f}")
    print()
    for s in servers:
        aim_lines(s.name, res, args)
    if len(servers) == 2:
        new, old = servers[0].name, servers[1].name
        print(f"\n{new} / {old}, same run:")
        for (name, case), r in sorted(res.items(), key=lambda kv: kv[0][1]):
            b = res.get((old, case))
            if name == new and b:
                print(f"  {case:24} req/s x{r['rps'] / b['rps']:.2f}   "
                      f"p99 {b['p99']:.1f} -> {r['p99']:.1f} ms (x{r['p99'] / b['p99']:.2f})"
                      f"   p95 {b['p95']:.1f} -> {r['p95']:.1f} ms"
                      f"   CPU/req x{r['cpu_ms'] / b['cpu_ms']:.2f}")
    for s in servers:
        a, a1 = res.get((s.name, "approve POST")), res.get((s.name, "approve 1 conn"))
        if a and a1:  # every approve was a real write: one audit row per 2xx answer
            ok = a["requests"] - a["errors"] + a1["requests"] - a1["errors"]
            print(f"[{s.name}] audit rows for approvals: {s.audit_rows()} (wrk counted {ok} "
                  "2xx answers, plus 1 warm-up; answers in flight when wrk stops are not "
                  "counted by wrk)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration", type=int, default=20)
    ap.add_argument("--connections", type=int, default=20)
    ap.add_argument("--threads", type=int, default=8,
                    help="waitress threads per server process")
    ap.add_argument("--processes", type=int, default=1,
                    help="server processes (default 1, as letterflow serve's default)")
    ap.add_argument("--baseline", type=Path, metavar="DIR",
                    help="a checkout of another revision, run side by side")
    ap.add_argument("--tm-units", type=int, default=100_000,
                    help="translation memory size for the suggestions case (0: skip it)")
    ap.add_argument("--only", default="queue,approve,suggest",
                    help="comma-separated cases: queue, approve, suggest")
    ap.add_argument("-v", "--verbose", action="store_true", help="print wrk output")
    ap.add_argument("--serve-minimal", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = ap.parse_args()
    args.only = set(args.only.split(","))
    if args.serve_minimal:
        serve_minimal(minimal_app, args.serve_minimal, args.threads, args.processes)
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt install wrk)")
    if args.baseline and not (args.baseline / "workflow" / "cli.py").is_file():
        raise SystemExit(f"--baseline {args.baseline}: not a letterflow checkout")

    tmp = Path(tempfile.mkdtemp(prefix="lf-bench-web-"))
    servers: list[Server] = []
    mini_proc = None
    try:
        root = build_project(tmp)
        if args.tm_units and "suggest" in args.only:
            t0 = time.perf_counter()
            add_memory(root, args.tm_units)
            print(f"translation memory: {args.tm_units:,} units in "
                  f"{time.perf_counter() - t0:.0f} s", flush=True)
        servers.append(Server("this", REPO, root, args.threads, args.processes,
                              tmp / "this.log"))
        if args.baseline:
            base_root = tmp / "proj-baseline"
            shutil.copytree(root, base_root)
            servers.append(Server("baseline", args.baseline.resolve(), base_root,
                                  args.threads, args.processes, tmp / "baseline.log"))
        mini_port = free_port()
        mini_log = open(tmp / "minimal.log", "wb")  # noqa: SIM115
        mini_proc = subprocess.Popen(
            [sys.executable, __file__, "--serve-minimal", str(mini_port), "--threads",
             str(args.threads), "--processes", str(args.processes)],
            stdout=subprocess.DEVNULL, stderr=mini_log)
        for s in servers:
            s.start(args, tmp)
        wait_port(mini_port, mini_proc)
        procs = ", ".join(f"{s.name} {s.processes}" for s in servers)
        print(f"letterflow review UI ({', '.join(s.name for s in servers)}) vs minimal "
              f"Flask, waitress {args.threads} threads per process, server processes: "
              f"{procs}, minimal {args.processes}; wrk {args.connections} connections x "
              f"{args.duration} s, 127.0.0.1, {os.cpu_count()} CPUs; "
              f"load average before: {os.getloadavg()[0]:.1f}", flush=True)
        for s in servers:
            if s.processes == 1 and args.processes > 1:
                print(f"  {s.name}: this checkout has no `serve --processes`; it runs with "
                      "1 process", flush=True)
        results = run_cases(servers, f"http://127.0.0.1:{mini_port}", mini_proc.pid, args,
                            tmp)
        report(servers, results, args)
    finally:
        for s in servers:
            s.stop()
        if mini_proc is not None:
            mini_proc.terminate()
            mini_proc.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
