"""Server processes of ``bench_web.py``: ports, the CPU time of a server and the processes it
forked (``letterflow serve --processes N``), and the minimal Flask app served with the same
process count through the same prefork code (``web/prefork.py``)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path


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
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"server exited with {proc.returncode}") from None
            time.sleep(0.1)
    raise SystemExit(f"nothing listens on {port}")


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def children(pid: int) -> list[int]:
    """Live processes whose parent is *pid*."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat(int(entry))
            if fields and int(fields[1]) == pid and fields[0] not in "ZX":
                out.append(int(entry))
    return sorted(out)


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) of *pid* and of every process it forked: the live ones
    read from /proc, the ended ones through the parent's cutime/cstime."""
    total = 0
    for p in [pid, *children(pid)]:
        fields = _stat(p)
        if fields:
            total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
    return total / os.sysconf("SC_CLK_TCK")


def supports_processes(code: Path) -> bool:
    """Whether the checkout at *code* has ``letterflow serve --processes``."""
    res = subprocess.run([sys.executable, "-m", "workflow.cli", "serve", "--help"], cwd=code,
                         env={**os.environ, "PYTHONPATH": str(code)}, capture_output=True,
                         text=True)
    return "--processes" in res.stdout


def serve_minimal(make_app, port: int, threads: int, processes: int) -> None:
    """waitress on 127.0.0.1:*port*; with several processes through web/prefork.py (each
    builds its app after the fork, as ``letterflow serve`` does)."""
    from waitress import serve

    if processes <= 1:
        serve(make_app(), host="127.0.0.1", port=port, threads=threads, _quiet=True)
        return
    from web.prefork import Supervisor, bind

    sock = bind("127.0.0.1", port)
    raise SystemExit(Supervisor(sock, make_app, processes,
                                {"threads": threads, "_quiet": True}).run())
