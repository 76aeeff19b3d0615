"""Benchmark: every letterflow QA check vs translate-toolkit's pofilter, same files, one run.

    python bench/bench_checks.py [PROJECT] [--messages 10000] [--rounds 1] [--skip-pofilter]

PROJECT defaults to bench/out/synthetic (built with bench/synthetic.py if missing: 10,000
messages x 30 languages). For the glossary check to cost what it costs, a glossary.tbx is
written into the project: the real terms for the languages locales/glossary.tbx covers,
the English term copied for the other 16 languages (benchmark only).

Measured side by side:
- letterflow: load_catalog + run_checks over every catalogue (all 13 checks), one process;
  again without the wrong-language check (the difference is the detector's cost), and the
  detector's own load time, memory and per-call cost;
- pofilter (translate-toolkit) with the comparable tests, over the same .po files, in one
  process per catalogue folder as its CLI runs (parse + checks + writing the failures);
- for reference, a `msgfmt -c --statistics` loop (format checks only).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from tools import cannot_compare, console_script, system_tool  # noqa: E402

#: pofilter tests comparable to letterflow's checks (there is no language or glossary test).
POFILTER_TESTS = [
    "variables",
    "printf",
    "pythonbraceformat",
    "xmltags",
    "numbers",
    "nplurals",
    "unchanged",
    "startwhitespace",
    "endwhitespace",
    "doublespacing",
    "endpunc",
    "brackets",
    "doublequoting",
    "long",
    "short",
    "doublewords",
]


def ensure_project(root: Path, n: int) -> Path:
    if (root / "letterflow.toml").exists() and (root / "locales").exists():
        print(f"reusing synthetic project {root}", file=sys.stderr)
        return root
    import synthetic

    print(f"building synthetic project {root} ({n} messages x 30 languages)...", file=sys.stderr)
    synthetic.build(root, n)
    return root


def write_bench_glossary(cfg) -> None:
    """The real glossary, with the English term copied for languages it does not cover."""
    from xml.sax.saxutils import escape

    from workflow.checks.glossary import load_glossary

    real = load_glossary(ROOT / "locales" / "glossary.tbx")
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<martif type="TBX" xml:lang="en">',
        "<text><body>",
    ]
    for c in real.concepts:
        lines.append(
            f'<termEntry id="{c.id}"><descrip type="requirement">{c.requirement}</descrip>'
        )
        for lang in ["en", *cfg.languages]:
            terms = c.terms.get(lang) or c.terms["en"]
            lines.append(f'<langSet xml:lang="{lang}">')
            lines += [f"<tig><term>{escape(t.text)}</term></tig>" for t in terms]
            lines.append("</langSet>")
        lines.append("</termEntry>")
    lines += ["</body></text></martif>", ""]
    Path(cfg.glossary).write_text("\n".join(lines), encoding="utf-8")


def run_letterflow(cfg, skip: set[str]) -> dict[str, float]:
    """Load every catalogue and run the checks; wall and CPU seconds, load and checks apart."""
    from workflow.catalogs import load_catalog
    from workflow.checks import registry, run_checks

    saved = {cid: registry.pop(cid) for cid in skip}
    out = {
        "wall": 0.0,
        "cpu": 0.0,
        "load_cpu": 0.0,
        "checks_cpu": 0.0,
        "messages": 0,
        "findings": 0,
    }
    try:
        w0, c0 = time.perf_counter(), time.process_time()
        for lang in cfg.languages:
            t0 = time.process_time()
            cat = load_catalog(cfg.catalog(lang), lang)
            t1 = time.process_time()
            out["findings"] += len(run_checks(cat, config=cfg))
            out["load_cpu"] += t1 - t0
            out["checks_cpu"] += time.process_time() - t1
            out["messages"] += len(cat.messages)
        out["wall"], out["cpu"] = time.perf_counter() - w0, time.process_time() - c0
        return out
    finally:
        registry.update(saved)


def run_pofilter_cli(cfg, pofilter: str) -> dict[str, float]:
    """The pofilter command over the locales folder (parse + checks + writing failures)."""
    import resource

    with tempfile.TemporaryDirectory() as tmp:
        cmd = [
            pofilter,
            "--progress=none",
            "-i",
            str(cfg.locales_dir),
            "-o",
            tmp,
            "-x",
            "*.pot",
            "-x",
            "*.tbx",
            "-x",
            "*.lock",
        ]
        for test in POFILTER_TESTS:
            cmd += ["--test", test]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        w0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        wall = time.perf_counter() - w0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        flagged = sum(
            po.read_text(encoding="utf-8").count("# (pofilter) ") for po in Path(tmp).rglob("*.po")
        )
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "failures": flagged}


def run_pofilter_inprocess(cfg) -> dict[str, float]:
    """pofilter's checker in this process: pypo parse and run_filters timed apart."""
    from translate.filters import checks
    from translate.storage import pypo

    parse = check = 0.0
    failures = 0
    for lang in cfg.languages:
        t0 = time.process_time()
        store = pypo.pofile.parsefile(str(cfg.catalog(lang)))
        t1 = time.process_time()
        checker = checks.StandardChecker(
            checkerconfig=checks.CheckerConfig(targetlanguage=lang), limitfilters=POFILTER_TESTS
        )
        for unit in store.units:
            if unit.isheader() or not unit.istranslated() and not unit.isfuzzy():
                continue
            failures += len(checker.run_filters(unit))
        parse += t1 - t0
        check += time.process_time() - t1
    return {"parse_cpu": parse, "checks_cpu": check, "failures": failures}


def run_msgfmt(cfg, msgfmt: str) -> float:
    start = time.perf_counter()
    for lang in cfg.languages:
        subprocess.run(
            [msgfmt, "-c", "--statistics", "-o", os.devnull, str(cfg.catalog(lang))],
            capture_output=True,
        )
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("project", nargs="?", default=str(ROOT / "bench" / "out" / "synthetic"))
    ap.add_argument("--messages", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=1, help="repeat and keep the best time")
    ap.add_argument("--skip-pofilter", action="store_true")
    args = ap.parse_args()

    from workflow.config import load_config

    root = ensure_project(Path(args.project).resolve(), args.messages)
    cfg = load_config(root)
    write_bench_glossary(cfg)
    print(f"project: {root}  languages: {len(cfg.languages)}", file=sys.stderr)

    from workflow.checks.language import DETECTOR_COST

    def best(runs: list[dict], key: str) -> float:
        return min(r[key] for r in runs)

    lf_all, lf_nolang, pf_cli, pf_in, mf = [], [], [], [], []
    pofilter = None if args.skip_pofilter else console_script("pofilter")
    if args.skip_pofilter:
        cannot_compare("QA checks vs pofilter", "--skip-pofilter was given")
    elif pofilter is None:
        cannot_compare("QA checks vs pofilter",
                       f"pofilter is not installed next to {sys.executable} (translate-toolkit)")
    msgfmt = system_tool("msgfmt")
    if msgfmt is None:
        cannot_compare("the msgfmt -c reference", "msgfmt is not on PATH (apt-get install gettext)")
    for r in range(args.rounds):
        lf_all.append(run_letterflow(cfg, set()))
        lf_nolang.append(run_letterflow(cfg, {"wrong-language"}))
        if pofilter:
            pf_cli.append(run_pofilter_cli(cfg, pofilter))
            pf_in.append(run_pofilter_inprocess(cfg))
        if msgfmt:
            mf.append(run_msgfmt(cfg, msgfmt))
        print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)

    a, n = lf_all[0], lf_nolang[0]
    print(
        f"\nQA checks over {a['messages']:,} messages in {len(cfg.languages)} catalogues "
        f"(best of {args.rounds}; CPU seconds unless marked wall; load avg "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    print("letterflow (load_catalog + run_checks, one process):")
    print(
        f"  all 13 checks            wall {best(lf_all, 'wall'):7.2f}  cpu "
        f"{best(lf_all, 'cpu'):7.2f}"
        f"  (load {best(lf_all, 'load_cpu'):.2f} + checks {best(lf_all, 'checks_cpu'):.2f})"
        f"  {a['findings']:,} findings"
    )
    print(
        f"  without wrong-language   wall {best(lf_nolang, 'wall'):7.2f}  cpu "
        f"{best(lf_nolang, 'cpu'):7.2f}  (load {best(lf_nolang, 'load_cpu'):.2f} + checks "
        f"{best(lf_nolang, 'checks_cpu'):.2f})  {n['findings']:,} findings"
    )
    if pf_cli:
        print(f"pofilter, {len(POFILTER_TESTS)} comparable tests:")
        print(
            f"  CLI over the folder      wall {best(pf_cli, 'wall'):7.2f}  cpu "
            f"{best(pf_cli, 'cpu'):7.2f}  {pf_cli[0]['failures']:,} failures"
        )
        print(
            f"  in-process               parse {best(pf_in, 'parse_cpu'):.2f} + checks "
            f"{best(pf_in, 'checks_cpu'):.2f}"
        )
        e2e_all = best(pf_cli, "cpu") / best(lf_all, "cpu")
        e2e_nol = best(pf_cli, "cpu") / best(lf_nolang, "cpu")
        chk_all = best(pf_in, "checks_cpu") / best(lf_all, "checks_cpu")
        chk_nol = best(pf_in, "checks_cpu") / best(lf_nolang, "checks_cpu")
        print("ratios (pofilter / letterflow, CPU):")
        print(
            f"  end to end (pofilter CLI vs load + checks):  all checks {e2e_all:4.1f}x   "
            f"without detector {e2e_nol:4.1f}x"
        )
        print(
            f"  checks only (same parse excluded):           all checks {chk_all:4.1f}x   "
            f"without detector {chk_nol:4.1f}x"
        )
    if mf:
        print(f"reference: msgfmt -c --statistics loop, wall {min(mf):.2f} s (format checks only)")
    c = DETECTOR_COST
    per_call = c.call_seconds / c.calls * 1e6 if c.calls else 0.0
    mem = f"{c.memory_mb:.0f} MB" if c.memory_mb is not None else "n/a"
    print("\nwrong-language check / lingua detector (low-accuracy mode, loaded on first use):")
    print(f"  languages in the model: {len(c.languages)} ({', '.join(c.languages)})")
    print(f"  builds {c.loads}, load time {c.load_seconds:.2f} s, resident memory +{mem}")
    print(
        f"  lingua calls {c.calls:,} ({per_call:.0f} us each, {c.call_seconds:.2f} s over "
        f"{args.rounds} round(s)); decided by script {c.decided_by_script:,}, by function "
        f"words {c.decided_by_words:,}; skipped as short {c.skipped_short:,}"
    )
    print(
        f"  whole check's cost per round: "
        f"{best(lf_all, 'checks_cpu') - best(lf_nolang, 'checks_cpu'):+.2f} s CPU"
    )


if __name__ == "__main__":
    main()
