"""Benchmark: `letterflow check` and `letterflow update` against the tools a user would
otherwise run, side by side in one run, on a synthetic project (default 10,000 messages x
30 languages, see synthetic.py).

    python bench/bench_catalogs.py [--messages 10000] [--project bench/out/synthetic]
                                   [--msgmerge-langs 30] [--skip-pocount]
                                   [--baseline DIR [--baseline-detector]]

repo:   `letterflow check` on this repository (every catalogue: letter, countries, ui),
        warm and cold cache, 20 runs each, vs a `msgfmt -c --statistics` loop over the same
        files, and the interpreter's own floor (`python -c pass`, `python -S -c pass`).
        letterflow's bytecode is compiled first (as an installed package has it), so a
        PYTHONDONTWRITEBYTECODE environment does not time the compiler.
check:  letterflow check (cold: no gate cache AND an empty spelling-verdict cache, i.e.
        LETTERFLOW_CACHE_DIR is a fresh folder; warm: cache)  vs  a `msgfmt -c --statistics`
        loop (one process at a time, and on every core: `xargs -P`) and translate-toolkit's
        `pocount` over the same files.
aims:   issue 9's three figures end the output as MET / NOT MET lines (see `verdicts`).
before: with --baseline DIR (a checkout of earlier letterflow code, e.g. made with
        `git worktree add DIR <commit>`), that code's cold gate on the same project in the
        same run (without the detector; with it too if --baseline-detector), so that
        before/after ratios share the machine's load.
update: letterflow update after ~5% of the source messages changed  vs  a
        `msgmerge --previous` loop over the same files (optionally on fewer languages,
        reported per file as well).
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import build, letter_text  # noqa: E402
from tools import cannot_compare, console_script, system_tool  # noqa: E402


def timed(cmd, cwd=None, **kw) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t


def letterflow(*args) -> list[str]:
    return [str(Path(sys.executable).parent / "letterflow"), *args]


def letterflow_at(code: str, *args) -> tuple[list[str], dict[str, str]]:
    """The command and environment that run `letterflow` from the checkout *code*."""
    where = str(Path(code).resolve())
    # first on sys.path: `python -c` puts the working folder first, and the repository
    # check runs in this checkout, whose workflow/ would otherwise win
    run = (f"import sys; sys.path.insert(0, {where!r}); sys.argv[0] = 'letterflow'; "
           "from workflow.cli import main; main()")
    env = {**os.environ, "PYTHONPATH": where}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(code) / "workflow")],
                   stdout=subprocess.DEVNULL, check=False)
    return [sys.executable, "-c", run, *args], env


def baseline(code: str, root: Path, t_nolang: float, t_cold: float | None) -> None:
    """The earlier code's cold gate, without (and optionally with) the detector."""
    caches = root.parent / (root.name + "-caches-before")
    cmd, env = letterflow_at(code, "check", "--no-cache", "--skip", "wrong-language")
    env.update(fresh_cache_env(caches))
    t_before = timed(cmd, cwd=root, env=env)
    print(f"\n== before/after: {code} vs this code, cold gate ({load()})")
    print(f"  no language detector, before: {t_before:8.2f} s   after: {t_nolang:8.2f} s"
          f"   after/before {t_nolang / t_before:5.2f}", flush=True)
    if t_cold is None:
        return
    cmd, env = letterflow_at(code, "check", "--no-cache")
    env.update(fresh_cache_env(caches))
    t_before_lang = timed(cmd, cwd=root, env=env)
    shutil.rmtree(caches, ignore_errors=True)
    print(f"  with the detector,    before: {t_before_lang:8.2f} s   after: {t_cold:8.2f} s"
          f"   after/before {t_cold / t_before_lang:5.2f}")
    print(f"  detector's cost (with / without): before {t_before_lang / t_before:5.2f}x,"
          f" after {t_cold / t_nolang:5.2f}x  ({load()})", flush=True)


VERDICTS: list[str] = []


def verdict(aim: str, met: bool, figures: str) -> None:
    """Record one aim's MET / NOT MET line (printed together at the end)."""
    VERDICTS.append(f"{'MET    ' if met else 'NOT MET'}  {aim}: {figures}")


def print_verdicts() -> None:
    print(f"\n== issue 9 aims ({load()}; on a shared machine absolute times are inflated:"
          " the ratios are what carries over)")
    for line in VERDICTS:
        print(line)
    sys.stdout.flush()


def compile_bytecode() -> None:
    """Write letterflow's .pyc files (what an installed package has) before timing."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "workflow")],
                   stdout=subprocess.DEVNULL, check=False)


def fresh_cache_env(where: Path) -> dict[str, str]:
    """An environment whose letterflow caches (gate and spelling verdicts) start empty."""
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    return {**os.environ, "LETTERFLOW_CACHE_DIR": str(where)}


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def repo_check(runs: int = 20, before: str | None = None) -> None:
    """`letterflow check` on this repository, whole process, against a msgfmt loop."""
    repo = HERE.parent
    pos = sorted(glob.glob(str(repo / "locales" / "*" / "LC_MESSAGES" / "*.po")))
    msgfmt = [
        "bash",
        "-c",
        'for f in "$@"; do msgfmt -c --statistics -o /dev/null "$f"; done',
        "msgfmt",
        *pos,
    ]
    cache = repo / ".letterflow-cache-bench"
    env = fresh_cache_env(cache)
    compile_bytecode()
    timed(letterflow("check"), cwd=repo, env=env)  # fill the cache
    if before:  # the earlier code, warm, in the same interleaved series
        cmd_before, env_before = letterflow_at(before, "check")
        env_before.update(fresh_cache_env(repo / ".letterflow-cache-bench-before"))
        timed(cmd_before, cwd=repo, env=env_before)  # fill its cache
    floor = [sys.executable, "-c", "pass"]
    floor_s = [sys.executable, "-S", "-c", "pass"]
    series: dict[str, list[float]] = {k: [] for k in ("warm", "cold", "msgfmt", "pass", "-S")}
    for _ in range(runs):  # interleaved, so load changes hit every side alike
        series["warm"].append(timed(letterflow("check"), cwd=repo, env=env))
        series["cold"].append(timed(letterflow("check", "--no-cache"), cwd=repo, env=env))
        series["msgfmt"].append(timed(msgfmt, cwd=repo))
        series["pass"].append(timed(floor, cwd=repo))
        series["-S"].append(timed(floor_s, cwd=repo))
        if before:
            series.setdefault("warm, before", []).append(
                timed(cmd_before, cwd=repo, env=env_before))
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(repo / ".letterflow-cache-bench-before", ignore_errors=True)
    med = {k: statistics.median(v) * 1000 for k, v in series.items()}
    print(f"\n== letterflow check on this repository ({len(pos)} catalogues, median of {runs})")
    print(f"msgfmt -c --statistics loop : {med['msgfmt']:7.1f} ms")
    print(f"python -c pass (venv floor) : {med['pass']:7.1f} ms")
    print(f"python -S -c pass           : {med['-S']:7.1f} ms")
    for k in ("warm", "cold", "warm, before")[: 3 if before else 2]:
        print(
            f"letterflow check, {k} cache: {med[k]:7.1f} ms   "
            f"{med[k] / med['msgfmt']:4.2f}x the msgfmt loop, "
            f"{med[k] / med['pass']:4.2f}x python -c pass"
        )
    print(f"({load()})", flush=True)
    verdict(
        "`letterflow check` on this repository, warm, whole process <= 100 ms",
        med["warm"] <= 100.0,
        f"{med['warm']:.1f} ms (msgfmt loop {med['msgfmt']:.1f} ms = "
        f"{med['warm'] / med['msgfmt']:.2f}x; python -c pass {med['pass']:.1f} ms, "
        f"-S {med['-S']:.1f} ms; {load()})",
    )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--messages", type=int, default=10_000)
    ap.add_argument("--project", default=str(HERE / "out" / "synthetic"))
    ap.add_argument("--msgmerge-langs", type=int, default=30)
    ap.add_argument("--skip-pocount", action="store_true")
    ap.add_argument("--skip-update", action="store_true", help="Leave out the update part.")
    ap.add_argument("--skip-repo", action="store_true", help="Leave out the repository check.")
    ap.add_argument("--baseline", help="A checkout of earlier code to time in the same run.")
    ap.add_argument(
        "--baseline-detector",
        action="store_true",
        help="Also time the earlier code's gate with the detector (slow before issue 9).",
    )
    args = ap.parse_args()

    root = Path(args.project)
    if not (root / "letterflow.toml").exists():
        print(f"building {args.messages} x 30 project in {root} ...", file=sys.stderr)
        build(root, args.messages)
    pos = sorted(glob.glob(str(root / "locales" / "*" / "LC_MESSAGES" / "*.po")))
    print(f"project: {root}  catalogues: {len(pos)}  ({load()})")
    if not args.skip_repo:
        repo_check(before=args.baseline)

    # ---- check ("cold": no letterflow cache; every side reads the files from the page
    # cache, so the first one timed does not pay for the disk)
    for po in pos:
        Path(po).read_bytes()
    shutil.rmtree(root / ".letterflow-cache", ignore_errors=True)
    caches = root.parent / (root.name + "-caches")
    compile_bytecode()
    t_cold = timed(letterflow("check", "--no-cache"), cwd=root, env=fresh_cache_env(caches))
    env = fresh_cache_env(caches)
    t_nolang = timed(letterflow("check", "--no-cache", "--skip", "wrong-language"), cwd=root,
                     env=env)
    timed(letterflow("check"), cwd=root, env=env)  # fill the cache
    t_warm = timed(letterflow("check"), cwd=root, env=env)
    shutil.rmtree(caches, ignore_errors=True)
    msgfmt = system_tool("msgfmt")
    if msgfmt is None:
        raise SystemExit("msgfmt is not on PATH (apt-get install gettext): nothing to compare with")
    t_msgfmt = 0.0
    for po in pos:
        t_msgfmt += timed([msgfmt, "-c", "--statistics", "-o", "/dev/null", po])
    cores = os.cpu_count() or 1
    t_msgfmt_par = timed(
        ["xargs", "-P", str(cores), "-n", "1", msgfmt, "-c", "--statistics", "-o", "/dev/null"],
        input="\n".join(pos).encode(),
    )
    print(f"\n== check (whole process, interpreter start-up included; {load()})")
    print(f"msgfmt -c --statistics loop: {t_msgfmt:8.2f} s")
    print(f"  same on {cores} cores (xargs -P): {t_msgfmt_par:8.2f} s")
    print(
        f"letterflow check, cold, no language detector vs msgfmt on {cores} cores: "
        f"{t_msgfmt_par / t_nolang:5.2f}x"
    )
    print(f"language detector's cost: cold with / cold without = {t_cold / t_nolang:5.2f}x")
    print(
        f"letterflow check, cold     : {t_cold:8.2f} s   ratio vs msgfmt {t_msgfmt / t_cold:5.2f}x"
    )
    print(
        f"  no language detector     : {t_nolang:8.2f} s"
        f"   ratio vs msgfmt {t_msgfmt / t_nolang:5.2f}x"
    )
    print(
        f"letterflow check, warm     : {t_warm:8.2f} s   ratio vs msgfmt {t_msgfmt / t_warm:5.2f}x"
    )
    sys.stdout.flush()
    verdict(
        f"cold gate {len(pos)} catalogues, no detector, ahead of msgfmt on {cores} cores",
        t_nolang <= t_msgfmt_par,
        f"{t_nolang:.2f} s vs {t_msgfmt_par:.2f} s = {t_nolang / t_msgfmt_par:.2f}x the "
        f"{cores}-core loop (single msgfmt loop {t_msgfmt:.2f} s; {load()})",
    )
    verdict(
        "the language detector adds at most the cost of the rest (with / without <= 2x)",
        t_cold <= 2 * t_nolang,
        f"{t_cold:.2f} s / {t_nolang:.2f} s = {t_cold / t_nolang:.2f}x",
    )
    pocount = None if args.skip_pocount else console_script("pocount")
    if args.skip_pocount:
        cannot_compare("letterflow check vs pocount", "--skip-pocount was given")
    elif pocount is None:
        cannot_compare(
            "letterflow check vs pocount",
            f"pocount is not installed next to {sys.executable} (translate-toolkit)",
        )
    else:
        t_pocount = timed([pocount, *pos])
        print(f"pocount                    : {t_pocount:8.2f} s")
        print(
            f"  letterflow cold vs pocount: {t_pocount / t_cold:5.2f}x faster;"
            f" warm: {t_pocount / t_warm:5.2f}x faster"
        )

    if args.baseline:
        baseline(args.baseline, root, t_nolang, t_cold if args.baseline_detector else None)
    print_verdicts()
    if args.skip_update:
        return
    # ---- update after ~5% of source messages changed
    work = root.parent / (root.name + "-update")
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(root, work, ignore=shutil.ignore_patterns(".letterflow-cache"))
    gnu = root.parent / (root.name + "-msgmerge")
    shutil.rmtree(gnu, ignore_errors=True)
    shutil.copytree(root, gnu, ignore=shutil.ignore_patterns(".letterflow-cache"))
    changed = letter_text(args.messages, changed=0.05)
    (work / "letters" / "synthetic.txt").write_text(changed, encoding="utf-8")
    (gnu / "letters" / "synthetic.txt").write_text(changed, encoding="utf-8")
    t_extract = timed(letterflow("extract"), cwd=gnu)  # the template msgmerge needs
    t_update = timed(letterflow("update"), cwd=work)
    gpos = sorted(glob.glob(str(gnu / "locales" / "*" / "LC_MESSAGES" / "*.po")))[
        : args.msgmerge_langs
    ]
    msgmerge = system_tool("msgmerge") or "msgmerge"
    t_mm = 0.0
    for po in gpos:
        t_mm += timed(
            [
                msgmerge,
                "--previous",
                "-q",
                "-U",
                "--backup=none",
                po,
                str(gnu / "locales" / "letter.pot"),
            ]
        )
    n = len(gpos)
    print("\n== update after ~5% of the source changed (fuzzy matching on)")
    print(
        f"letterflow update (extract + {len(pos)} merges): {t_update:8.2f} s"
        f"   ({t_update / len(pos):.2f} s per catalogue)"
    )
    print(f"letterflow extract alone (for msgmerge):   {t_extract:8.2f} s")
    print(
        f"msgmerge --previous loop over {n} files:   {t_mm:8.2f} s"
        f"   ({t_mm / n:.2f} s per catalogue)"
    )
    print(f"ratio per catalogue: letterflow is {(t_mm / n) / (t_update / len(pos)):.1f}x faster")


if __name__ == "__main__":
    main()
