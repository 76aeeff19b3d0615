"""Scoring and diffs of memory candidates, with rapidfuzz."""

from __future__ import annotations

import re

_WORDS = re.compile(r"\w+|[^\w\s]")


def score(query: str, candidate: str) -> float:
    """Similarity 0..100 (rapidfuzz normalised InDel ratio on the normalised texts)."""
    from rapidfuzz import fuzz

    return float(fuzz.ratio(query, candidate))


def best(query: str, candidates: list[str], cutoff: float, limit: int) -> list[tuple[int, float]]:
    """(index, score) of the best *candidates*, score >= *cutoff*, best first."""
    from rapidfuzz import fuzz, process

    found = process.extract(query, candidates, scorer=fuzz.ratio, score_cutoff=cutoff,
                            limit=limit)
    return [(idx, float(sc)) for _, sc, idx in found]


def word_diff(old: str, new: str) -> list[dict]:
    """How the memory's source (*old*) differs from the text looked up (*new*), word by
    word: ``[{"op": "equal"|"delete"|"insert", "text": ...}]`` (a replace is a delete
    and an insert)."""
    from rapidfuzz.distance import Indel

    a, b = _WORDS.findall(old), _WORDS.findall(new)
    out: list[dict] = []
    for op in Indel.opcodes(a, b):
        if op.tag in ("equal", "delete", "replace") and op.src_start < op.src_end:
            tag = "equal" if op.tag == "equal" else "delete"
            out.append({"op": tag, "text": " ".join(a[op.src_start:op.src_end])})
        if op.tag in ("insert", "replace") and op.dest_start < op.dest_end:
            out.append({"op": "insert", "text": " ".join(b[op.dest_start:op.dest_end])})
    return out
