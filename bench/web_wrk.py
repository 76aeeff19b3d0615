"""wrk plumbing of ``bench_web.py``: the Lua scripts it drives and the parsing of wrk's output.

Every run uses a script whose ``done()`` prints one ``LFSTATS`` line (p50, p95, p99 in
microseconds, request and error counts), because wrk's own ``--latency`` table has no p95.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

_DONE = """
function done(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("LFSTATS %d %d %d %d %d %d\\n", latency:percentile(50),
    latency:percentile(95), latency:percentile(99), summary.requests,
    summary.errors.status, errors))
end
"""


def lua_long(s: str) -> str:
    """*s* as a Lua long string literal."""
    eq = "=" * 4
    while f"]{eq}]" in s:
        eq += "="
    return f"[{eq}[{s}]{eq}]"


def get_script(path: Path, urls: list[str], headers: dict[str, str]) -> Path:
    """GET *urls* in turn (each connection starts at its own place in the list)."""
    rows = ",\n".join(lua_long(u) for u in urls)
    hdrs = ", ".join(f"[ {lua_long(k)} ] = {lua_long(v)}" for k, v in headers.items())
    path.write_text(f"""
local urls = {{
{rows}
}}
local headers = {{{hdrs}}}
local i = 0
function request()
  i = i + 1
  return wrk.format("GET", urls[(i % #urls) + 1], headers)
end
{_DONE}""", encoding="utf-8")
    return path


def approve_script(path: Path, entries: list[dict], csrf: str, cookie: str) -> Path:
    """Thread n owns entries[n] and approves alternate texts with the revision returned
    by the previous answer (so every request is a real write, never a conflict)."""
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
{_DONE}""", encoding="utf-8")
    return path


def run_wrk(url: str, duration: int, connections: int, script: Path,
            one_thread_per_connection: bool = False,
            verbose: bool = False) -> dict[str, float]:
    """Run wrk; requests/s, p50/p95/p99 in ms, requests, non-2xx answers, socket errors."""
    threads = connections if one_thread_per_connection else min(connections, 2)
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
           "-s", str(script), url]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    out = proc.stdout
    stats = re.search(r"^LFSTATS (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)$", out, re.M)
    if proc.returncode or stats is None or "Requests/sec" not in out:
        raise SystemExit(f"wrk failed: {proc.stderr or out}")
    if verbose:
        print(out, file=sys.stderr)
    p50, p95, p99, total, non2xx, errors = (int(x) for x in stats.groups())
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return {"rps": rps, "p50": p50 / 1000, "p95": p95 / 1000, "p99": p99 / 1000,
            "requests": total, "errors": non2xx, "socket_errors": errors - non2xx}
