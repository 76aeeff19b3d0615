"""Benchmark: machine drafts of the seed letter into 6 languages through Apertium.

Measured side by side in one run:

  A. the peer approach: one Apertium process per message (two for a pivoted language),
     through the same masking code, so only the batching differs;
  B. ``draft_catalogs`` as ``letterflow draft`` runs it: one Apertium process per language
     pair, cache, atomic .po writes included, language pairs side by side (mt.jobs);
  B1. the same with mt.jobs = 1 (pairs one after the other): the pure batching effect;
  C. a second run on fresh catalogues against the warm cache (engine calls should be 0).

Run by hand:  python bench/bench_mt.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

LANGS = ["es", "ca", "gl", "fr", "pt", "it"]


def make_project(root: Path):
    from workflow.config import load_config
    from workflow.extract import extract_template

    (root / "letters").mkdir(parents=True)
    shutil.copy(REPO / "letters" / "icnk-2012.txt", root / "letters" / "icnk-2012.txt")
    (root / "letterflow.toml").write_text(
        f"languages = {LANGS!r}\nletters = [\"letters/icnk-2012.txt\"]\n"
        'database = "var/letterflow.sqlite3"\n\n[mt]\nprovider = "apertium"\n'
        'pivot = { fr = "es", pt = "es", it = "es" }\n'.replace("'", '"'),
        encoding="utf-8",
    )
    cfg = load_config(root)
    extract_template(cfg)
    reset_catalogs(cfg)
    return cfg


def reset_catalogs(cfg) -> None:
    from workflow.catalogs import read_template_store, update_catalog

    template = read_template_store(cfg.template)
    for lang in cfg.languages:
        path = cfg.catalog(lang)
        if path.exists():
            path.unlink()
        update_catalog(template, path, lang, cfg.domain)


def texts_of(cfg) -> list[str]:
    from workflow.catalogs import load_catalog

    texts = []
    for m in load_catalog(cfg.catalog("es")).active():
        texts.append(m.source)
        if m.source_plural is not None:
            texts.append(m.source_plural)
    return texts


def per_message(cfg, texts: list[str]) -> tuple[float, int, dict]:
    from workflow.mt import get_translator

    t = get_translator("apertium", cfg)  # no cache: every message costs its processes
    out = {}
    start = time.perf_counter()
    for lang in LANGS:
        out[lang] = [t.translate_batch([text], "en", lang)[0] for text in texts]
    return time.perf_counter() - start, t.calls, out


def batched(cfg, jobs: int | None = None) -> tuple[float, object]:
    from workflow.mt.drafting import draft_catalogs

    cfg.mt.pop("jobs", None)
    if jobs is not None:
        cfg.mt["jobs"] = jobs
    start = time.perf_counter()
    report = draft_catalogs(cfg, LANGS, "apertium")
    return time.perf_counter() - start, report


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs of B and C (A runs once)")
    args = ap.parse_args()
    if not shutil.which("apertium"):
        print("apertium is not installed; see README (apt-get install apertium ...)")
        return 2
    from workflow.catalogs import load_catalog

    a_times, b_times, b1_times, c_times = [], [], [], []
    a_calls = b_calls = c_calls = 0
    same = total = 0
    texts: list[str] = []
    outs: dict = {}
    for i in range(args.repeat):
        # A runs once, between the first and the other runs of B (the load of a shared
        # machine drifts; this keeps the comparison side by side)
        if i == min(1, args.repeat - 1):
            with tempfile.TemporaryDirectory() as tmp:
                cfg = make_project(Path(tmp) / "peer")
                texts = texts_of(cfg)
                ta, a_calls, outs = per_message(cfg, texts)  # slow: run it once
                a_times.append(ta)
        with tempfile.TemporaryDirectory() as tmp:
            cfg = make_project(Path(tmp) / "proj")
            tb, rep_b = batched(cfg)  # cold cache
            reset_catalogs(cfg)
            tc, rep_c = batched(cfg)  # warm cache, fresh catalogues
            b_times.append(tb)
            c_times.append(tc)
            b_calls, c_calls = rep_b.engine_calls, rep_c.engine_calls
            assert rep_b.failed == 0 and rep_c.total("cached") == rep_b.total("drafted")
            if outs and not total:  # the batched drafts equal the per-message translations?
                for lang in LANGS:
                    by_text = dict(zip(texts, outs[lang], strict=True))
                    for m in load_catalog(cfg.catalog(lang)).active():
                        total += 1
                        same += m.strings[0] == by_text[m.source]
        with tempfile.TemporaryDirectory() as tmp:
            cfg1 = make_project(Path(tmp) / "proj1")
            tb1, rep_b1 = batched(cfg1, jobs=1)  # cold cache, pairs one after the other
            b1_times.append(tb1)
            assert rep_b1.engine_calls == 6 and rep_b1.failed == 0
    a, b, b1, c = (statistics.median(x) for x in (a_times, b_times, b1_times, c_times))
    jobs = min(4, os.cpu_count() or 1)  # the default of mt.jobs
    n_msgs = len(texts)
    print(f"seed letter: {n_msgs} texts (messages + plural forms) x {len(LANGS)} languages "
          f"({', '.join(LANGS)}; fr, pt, it via es); A once, B and C median of {args.repeat}")
    print(f"A  one apertium process per message : {a:7.3f} s  {a_calls:4d} engine calls")
    print(f"B  batched draft (letterflow draft)  : {b:7.3f} s  {b_calls:4d} engine calls "
          f"(incl. .po writes; {jobs} pairs side by side)")
    print(f"B1 batched draft, mt.jobs = 1        : {b1:7.3f} s  {6:4d} engine calls")
    print(f"C  second run, warm cache            : {c:7.3f} s  {c_calls:4d} engine calls")
    print(f"ratio A/B (letterflow draft speed-up): {a / b:7.1f}x")
    print(f"ratio A/B1 (batching alone)          : {a / b1:7.1f}x")
    print(f"ratio A/C (cache speed-up)           : {a / c:7.1f}x")
    print(f"drafts identical to per-message output: {same}/{total}")
    if hasattr(os, "getloadavg"):
        print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
