"""Benchmark: translation-memory suggestions for one paragraph in a memory of 100,000 units.

Measured side by side in one run, on the same memory and the same queries:

  A. ``memory_suggestions`` as the suggestions API runs it: exact lookup, FTS5 candidates
     (the rarest words of the text), rapidfuzz scoring of the candidates, then the same for
     each sentence of the paragraph (pysbd);
  B. brute force: rapidfuzz ``process.extract`` over every source of the language, for the
     paragraph and for each of its sentences (sentences pre-segmented, not timed).

Queries: half are edited copies of memory paragraphs (a few words changed), half are
new paragraphs that reuse one memory sentence. Reported: p50/p95/max per lookup, and how
often A finds B's best match (recall of the candidate step). Wall time and CPU time
(``time.process_time``: SQLite runs in-process) are both given, because on a shared
machine the wall time mostly measures the other processes.

Run by hand:  python bench/bench_tm.py [--units 100000] [--queries 200]
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def vocabulary(rng: random.Random, size: int) -> list[str]:
    letter = (REPO / "letters" / "icnk-2012.txt").read_text(encoding="utf-8")
    words = list(dict.fromkeys(w.lower() for w in re.findall(r"[A-Za-z]{2,}", letter)))
    syll = ["ra", "to", "men", "dis", "con", "ver", "al", "in", "pro", "tion", "ex", "ma",
            "ly", "ar", "ent", "ous", "per", "sta", "gri", "ble", "for", "ce", "de", "un"]
    while len(words) < size:
        w = "".join(rng.choice(syll) for _ in range(rng.randint(2, 4)))
        if w not in words:
            words.append(w)
    return words


def sentence(rng: random.Random, words: list[str], weights: list[float]) -> str:
    n = rng.randint(8, 22)
    text = " ".join(rng.choices(words, cum_weights=weights, k=n))
    return text[0].upper() + text[1:] + "."


def build(mem, rng, words, weights, units: int) -> list[tuple[str, list[str]]]:
    from workflow.tm.store import Unit

    paragraphs: list[tuple[str, list[str]]] = []
    batch: list[Unit] = []
    n = 0
    while n < units:
        sents = [sentence(rng, words, weights) for _ in range(rng.randint(3, 6))]
        para = " ".join(sents)
        msgid = f"l{n // 40}/p{n}"
        batch.append(Unit(lang="fr", source=para, target="FR " + para, msgid=msgid))
        n += 1
        for i, s in enumerate(sents, 1):
            if n >= units:
                break
            batch.append(Unit(lang="fr", source=s, target="FR " + s, kind="segment",
                              segment=i, msgid=msgid))
            n += 1
        paragraphs.append((para, sents))
        if len(batch) >= 5000:
            mem.add(batch)
            batch = []
    if batch:
        mem.add(batch)
    return paragraphs


def queries(rng, paragraphs, words, weights, count: int) -> list[str]:
    out = []
    for i in range(count):
        para, sents = rng.choice(paragraphs)
        if i % 2 == 0:  # an edited copy: change about one word in twelve
            toks = para.split()
            for _ in range(max(1, len(toks) // 12)):
                toks[rng.randrange(len(toks))] = rng.choice(words)
            out.append(" ".join(toks))
        else:  # a new paragraph that repeats one memory sentence
            new = [sentence(rng, words, weights) for _ in range(3)]
            new.insert(1, rng.choice(sents))
            out.append(" ".join(new))
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=12)
    args = ap.parse_args()

    from rapidfuzz import fuzz, process

    from workflow.tm.segment import sentences
    from workflow.tm.store import Memory, key
    from workflow.tm.suggest import memory_suggestions

    rng = random.Random(args.seed)
    words = vocabulary(rng, 20_000)
    weights = list(itertools.accumulate(1 / (r + 1) for r in range(len(words))))  # Zipf
    with tempfile.TemporaryDirectory() as tmp:
        mem = Memory(Path(tmp) / "tm.sqlite3")
        t0 = time.perf_counter()
        paragraphs = build(mem, rng, words, weights, args.units)
        built = time.perf_counter() - t0
        counts = mem.count("fr")
        print(f"memory: {sum(counts.values())} units ({counts}), built in {built:.1f} s")
        qs = queries(rng, paragraphs, words, weights, args.queries)

        all_units = mem.units("fr", kind=None)
        sources = [key(u.source) for u in all_units]
        segmented = [sentences(q, "en") for q in qs]
        memory_suggestions(mem, "fr", qs[0], "en")  # warm caches

        fast, brute, fast_cpu, brute_cpu, agree, total = [], [], [], [], 0, 0
        for q, sents in zip(qs, segmented, strict=True):
            t, c = time.perf_counter(), time.process_time()
            got = memory_suggestions(mem, "fr", q, "en")
            fast.append((time.perf_counter() - t) * 1000)
            fast_cpu.append((time.process_time() - c) * 1000)

            t, c = time.perf_counter(), time.process_time()
            best_para = process.extract(key(q), sources, scorer=fuzz.ratio, score_cutoff=70,
                                        limit=5)
            for s in sents:
                process.extract(key(s), sources, scorer=fuzz.ratio, score_cutoff=70, limit=1)
            brute.append((time.perf_counter() - t) * 1000)
            brute_cpu.append((time.process_time() - c) * 1000)

            if best_para:
                total += 1
                top = {round(s.score, 1) for s in got if s.scope == "message"}
                agree += round(best_para[0][1], 1) in top
        mem.close()

    for name, values in (("A memory_suggestions (FTS5 + rapidfuzz), wall", fast),
                         ("A ... CPU time", fast_cpu),
                         ("B brute-force rapidfuzz scan, wall", brute),
                         ("B ... CPU time", brute_cpu)):
        print(f"{name:48} p50 {statistics.median(values):7.1f} ms  p95 {pct(values, 95):7.1f} ms"
              f"  max {max(values):7.1f} ms")
    print(f"paragraph queries with a >= 70 match: {total}; A found B's best score in "
          f"{agree} ({100 * agree / max(total, 1):.0f}%)")


if __name__ == "__main__":
    main()
