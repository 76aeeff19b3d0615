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
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

#: pofilter tests comparable to letterflow's checks (there is no language or glossary test).
POFILTER_TESTS = [
    "variables", "printf", "pythonbraceformat", "xmltags", "numbers", "nplurals", "unchanged",
    "startwhitespace", "endwhitespace", "doublespacing", "endpunc", "brackets", "doublequoting",
    "long", "short", "doublewords",
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
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<martif type="TBX" xml:lang="en">',
             "<text><body>"]
    for c in real.concepts:
        lines.append(f'<termEntry id="{c.id}"><descrip type="requirement">{c.requirement}'
                     "</descrip>")
        for lang in ["en", *cfg.languages]:
            terms = c.terms.get(lang) or c.terms["en"]
            lines.append(f'<langSet xml:lang="{lang}">')
            lines += [f"<tig><term>{escape(t.text)}</term></tig>" for t in terms]
            lines.append("</langSet>")
        lines.append("</termEntry>")
    lines += ["</body></text></martif>", ""]
    Path(cfg.glossary).write_text("\n".join(lines), encoding="utf-8")


def run_letterflow(cfg, skip: set[str]) -> tuple[float, int, int]:
    from workflow.catalogs import load_catalog
    from workflow.checks import registry, run_checks

    saved = {cid: registry.pop(cid) for cid in skip}
    try:
        start = time.perf_counter()
        n_msgs = n_findings = 0
        for lang in cfg.languages:
            cat = load_catalog(cfg.catalog(lang), lang)
            n_msgs += len(cat.messages)
            n_findings += len(run_checks(cat, config=cfg))
        return time.perf_counter() - start, n_msgs, n_findings
    finally:
        registry.update(saved)


def run_pofilter(cfg) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["pofilter", "--progress=none", "-i", str(cfg.locales_dir), "-o", tmp,
               "-x", "*.pot", "-x", "*.tbx"]
        for test in POFILTER_TESTS:
            cmd += ["--test", test]
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        elapsed = time.perf_counter() - start
        flagged = 0
        for po in Path(tmp).rglob("*.po"):
            flagged += po.read_text(encoding="utf-8").count("# (pofilter) ")
    return elapsed, flagged


def run_msgfmt(cfg) -> float:
    start = time.perf_counter()
    for lang in cfg.languages:
        subprocess.run(["msgfmt", "-c", "--statistics", "-o", os.devnull, str(cfg.catalog(lang))],
                       capture_output=True)
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

    best_all = best_nolang = best_pf = best_mf = float("inf")
    msgs = found = found_nolang = flagged = 0
    for r in range(args.rounds):
        t, msgs, found = run_letterflow(cfg, set())
        best_all = min(best_all, t)
        t, _, found_nolang = run_letterflow(cfg, {"wrong-language"})
        best_nolang = min(best_nolang, t)
        if not args.skip_pofilter and shutil.which("pofilter"):
            t, flagged = run_pofilter(cfg)
            best_pf = min(best_pf, t)
        if shutil.which("msgfmt"):
            best_mf = min(best_mf, run_msgfmt(cfg))
        print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)

    print(f"\nQA checks over {msgs:,} messages in {len(cfg.languages)} catalogues "
          f"(best of {args.rounds})")
    print(f"  letterflow, all {13} checks          {best_all:8.2f} s   {found:,} findings")
    print(f"  letterflow, without wrong-language  {best_nolang:8.2f} s   {found_nolang:,} findings")
    if best_pf < float("inf"):
        print(f"  pofilter, {len(POFILTER_TESTS)} comparable tests      {best_pf:8.2f} s   "
              f"{flagged:,} failures")
        print(f"  ratio pofilter / letterflow (all checks):        {best_pf / best_all:5.1f}x")
        print(f"  ratio pofilter / letterflow (without detector):  {best_pf / best_nolang:5.1f}x")
    if best_mf < float("inf"):
        print(f"  reference: msgfmt -c --statistics loop {best_mf:8.2f} s (format checks only)")
    c = DETECTOR_COST
    per_call = c.call_seconds / c.calls * 1e6 if c.calls else 0.0
    mem = f"{c.memory_mb:.0f} MB" if c.memory_mb is not None else "n/a"
    print("\nlanguage detector (lingua, low-accuracy mode, loaded on first use):")
    print(f"  languages loaded: {len(c.languages)} ({', '.join(c.languages)})")
    print(f"  builds: {c.loads}, load time {c.load_seconds:.2f} s, resident memory +{mem}")
    print(f"  calls: {c.calls:,} ({per_call:.0f} us each, {c.call_seconds:.2f} s in total over "
          f"{args.rounds} round(s))")
    print(f"  decided by script alone: {c.decided_by_script:,}; skipped as short: "
          f"{c.skipped_short:,}")
    print(f"  cost in the all-checks run: {best_all - best_nolang:+.2f} s")


if __name__ == "__main__":
    main()
