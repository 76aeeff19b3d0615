"""Do two checkouts of letterflow find the same things? A speed change must not change output.

    python bench/compare_findings.py --baseline DIR [--project P ...] [--skip IDS] [--lang L]

Runs `letterflow check --no-cache --format json --require ""` with this checkout's code and
with the code at DIR (e.g. `git worktree add --detach DIR main`) on each project (default:
this repository, its UI catalogues and bench/out/synthetic if it exists), each run with a
fresh, empty LETTERFLOW_CACHE_DIR (no gate cache, no spelling verdicts), and diffs the full
JSON reports: per-language counts and every finding (language, context, check, severity,
message, file, line), in order. Exit 0 when every report is identical, 1 otherwise.
"""

from __future__ import annotations

import argparse
import difflib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_catalogs import fresh_cache_env, letterflow_at  # noqa: E402


def report(code: str, project: Path, extra: list[str]) -> tuple[dict, float]:
    """(the JSON report of `check` run with *code* on *project*, CPU seconds of the run)."""
    cmd, env = letterflow_at(code, "--project", str(project), "check", "--no-cache",
                             "--format", "json", "--require", "", *extra)
    with tempfile.TemporaryDirectory() as caches:
        env.update(fresh_cache_env(Path(caches) / "c"))
        before = _children_cpu()
        done = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True)
        cpu = _children_cpu() - before
    if done.returncode not in (0, 1):
        raise SystemExit(f"{code}: check failed on {project} (exit {done.returncode}):\n"
                         f"{done.stderr[-2000:]}")
    return json.loads(done.stdout), cpu


def _children_cpu() -> float:
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def lines(data: dict) -> list[str]:
    out = [f"ok {data['ok']} errors {data['errors']} warnings {data['warnings']}"]
    out += [f"stats {k} {json.dumps(v, sort_keys=True)}" for k, v in data["languages"].items()]
    out += [json.dumps(f, sort_keys=True, ensure_ascii=False) for f in data["findings"]]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--baseline", required=True, help="checkout of the code to compare with")
    ap.add_argument("--project", action="append", help="project folder (repeatable)")
    ap.add_argument("--skip", default="", help="check ids to leave out (--skip of check)")
    ap.add_argument("--lang", default="", help="only these languages (--lang of check)")
    args = ap.parse_args()
    root = HERE.parent
    projects = [Path(p).resolve() for p in args.project or ()] or [
        p for p in (root, root / "web" / "translations", HERE / "out" / "synthetic")
        if p.is_dir()
    ]
    extra = (["--skip", args.skip] if args.skip else []) + (
        ["--lang", args.lang] if args.lang else [])
    same = True
    for project in projects:
        mine, cpu_mine = report(str(root), project, extra)
        base, cpu_base = report(args.baseline, project, extra)
        a, b = lines(base), lines(mine)
        verdict = "IDENTICAL" if a == b else "DIFFERENT"
        same &= a == b
        print(f"{project}: {len(mine['findings'])} findings, {verdict} "
              f"(CPU this code {cpu_mine:.2f} s, baseline {cpu_base:.2f} s)", flush=True)
        if a != b:
            sys.stdout.writelines(
                line + "\n" for line in list(difflib.unified_diff(
                    a, b, "baseline", "this code", lineterm="", n=0))[:60])
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
