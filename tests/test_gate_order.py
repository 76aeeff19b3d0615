"""The gate's worker processes: the order they get the catalogues in, and what they send
back (the findings as columns), which must read back as what was sent."""

from __future__ import annotations

import pickle
from pathlib import Path
from types import SimpleNamespace

from test_gate_speed import _gate_project

from workflow.checks import registry
from workflow.gate import CatalogAnalysis, GateFinding, render, run_gate
from workflow.gate_order import costliest_first


def _config(tmp_path: Path, sizes: dict[str, int]) -> SimpleNamespace:
    for lang, size in sizes.items():
        (tmp_path / f"{lang}.po").write_bytes(b"x" * size)
    return SimpleNamespace(catalog=lambda lang: tmp_path / f"{lang}.po")


def test_the_costliest_catalogues_go_first(tmp_path, monkeypatch):
    """Size, doubled where spelling has a dictionary: a dictionary language before a
    bigger one without, the cheapest last; ties in the given order."""
    cfg = _config(tmp_path, {"ja": 150, "fr": 100, "cs": 60, "de": 60, "fi": 30, "sv": 60})
    with_dict = {"fr", "de"}
    monkeypatch.setattr(type(registry["spelling"]), "applies",
                        lambda self, lang, config=None: lang in with_dict)
    langs = ["fi", "cs", "sv", "ja", "de", "fr"]
    assert costliest_first(cfg, langs) == ["fr", "ja", "de", "cs", "sv", "fi"]
    # without the spelling check, size alone
    assert costliest_first(cfg, langs, frozenset({"spelling"})) == [
        "ja", "fr", "cs", "sv", "de", "fi"]


def test_workers_take_the_costliest_first_and_find_what_one_process_finds(tmp_path,
                                                                         monkeypatch):
    monkeypatch.setenv("LETTERFLOW_CACHE_DIR", str(tmp_path / "cache"))
    cfg = _gate_project(tmp_path)
    langs = ["pt", "es", "fr"]
    handed: list[str] = []
    two = run_gate(cfg, langs, ["fr"], use_cache=False, jobs=2, progress=handed.append)
    assert handed == costliest_first(cfg, langs) and sorted(handed) == sorted(langs)
    one = run_gate(cfg, langs, ["fr"], use_cache=False, jobs=1)
    assert len(two.findings) > 100 and two.findings == one.findings
    assert render(two, "json", cfg.root) == render(one, "json", cfg.root)
    assert all(type(f) is GateFinding for f in two.findings)


def test_an_analysis_reads_back_as_it_was_sent():
    findings = [GateFinding("fr", f"a/{i}", "length", "warning", f"m {i}", "/p/fr.po", i)
                for i in range(3)]
    findings.append(GateFinding("fr", "", "sync", "error", "out of sync", "/p/fr.po", 1))
    a = CatalogAnalysis("fr", "/p/fr.po", {"total": 4}, [("a/1", "draft", 3)], findings,
                        {"a/2"})
    back = pickle.loads(pickle.dumps(a))
    assert back == a and back.findings == findings and back.findings is not findings
    assert back.stats == {"total": 4} and back.approved_contexts == {"a/2"}
    empty = pickle.loads(pickle.dumps(CatalogAnalysis("de", "/p/de.po")))
    assert empty == CatalogAnalysis("de", "/p/de.po") and empty.findings == []


def test_the_report_order_is_the_documented_sort(tmp_path):
    """Errors first, then by language, relative path and line, stably: also with paths
    outside the project, empty paths, and paths whose relative form sorts otherwise."""
    import random

    from workflow.gate_report import _ordered, _rel

    rng = random.Random(3)
    root = tmp_path / "p"
    path_sets = [
        [str(root / "locales" / f"{x}.po") for x in ("fr", "de", "zh")] + [""],
        [str(root / "a.po"), str(tmp_path / "b.po"), str(root / "c" / "d.po"), "/z.po"],
    ]
    for paths in path_sets:
        rel = {p: _rel(p, root) for p in paths}
        for _ in range(50):
            findings = [GateFinding(rng.choice(["fr", "de", ""]), f"c/{i}", "x",
                                    rng.choice(["error", "warning"]), f"m{i}",
                                    rng.choice(paths), rng.randrange(4)) for i in range(40)]
            want = sorted(findings, key=lambda f: (f.severity != "error", f.language,
                                                   rel[f.path], f.line))
            assert _ordered(findings, rel) == want
            assert [id(f) for f in _ordered(findings, rel)] == [id(f) for f in want]
