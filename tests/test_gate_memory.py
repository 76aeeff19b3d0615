"""What a gate process keeps after checking a catalogue (issue 9, the cold gate's memory).

The gate holds Python's cyclic collector off while it checks (workflow.gcpause), and a
forked worker inherits it held off: whatever a catalogue's run leaves in a reference cycle
stays in memory for the rest of the process (30 languages: 1.6 GB in one process, and the
kernel handing out fresh pages for every catalogue). A run's memos (``batch.shared["run"]``)
hold the batch and its units, which hold the memos: the run empties them when it ends, so
reference counting alone frees the catalogue. The findings stay the same.
"""

from __future__ import annotations

import gc
import random

import pytest

from tests.checks_support import catalog, msg
from tests.test_gate_speed import SOURCE_EN, _texts
from workflow.catalogs import Catalog
from workflow.checks import run_checks
from workflow.checks.base import Unit
from workflow.checks.batch import Batch

SOURCES = (SOURCE_EN, "{count} defectors support the Council", "Human rights: urgent support.")


@pytest.fixture
def verdicts(tmp_path, monkeypatch):
    monkeypatch.setenv("LETTERFLOW_CACHE_DIR", str(tmp_path / "cache"))


def _catalog(lang: str, n: int = 60):
    rnd = random.Random(3)
    texts = _texts(n)
    messages = []
    for i, text in enumerate(texts):
        source = rnd.choice(SOURCES)
        if i % 7 == 0:
            messages.append(msg(source, text, rnd.choice(texts), plural=source + "s",
                                context=f"t/{i}"))
        else:
            messages.append(msg(source, text + " " + text.split()[0], context=f"t/{i}"))
    return catalog(lang, messages)


def _cyclic_garbage_of(fn) -> list:
    """What *fn()* leaves that only the cyclic collector would free (gc held off, as in
    the gate), by type name."""
    gc.collect()
    was_on = gc.isenabled()
    gc.disable()
    try:
        fn()
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
    finally:
        gc.set_debug(0)
        if was_on:
            gc.enable()
    names = [type(o).__name__ for o in gc.garbage]
    gc.garbage.clear()
    return names


@pytest.mark.parametrize("lang", ["fr", "sv"])  # fr: Hunspell and the spelling memo
def test_a_catalogue_run_leaves_no_reference_cycle(verdicts, lang):
    cat = _catalog(lang)
    found = []
    garbage = _cyclic_garbage_of(lambda: found.append(run_checks(cat)))
    assert found[0]  # the run did find something (the memos were used)
    kept = {name for name in garbage
            if name in {Batch.__name__, Unit.__name__, Catalog.__name__, "Scan", "Folded"}}
    assert not kept, f"left for the cyclic collector: {sorted(kept)}"


@pytest.mark.parametrize("lang", ["fr", "sv"])
def test_emptying_the_run_memo_keeps_the_findings(verdicts, lang):
    """A second run of the same catalogue in the same process (the first one's memo
    emptied, the cross-language memos kept) finds exactly what the first found."""
    cat = _catalog(lang)
    first = run_checks(cat)
    assert first
    assert run_checks(cat) == first


@pytest.mark.parametrize("lang", ["fr", "ru"])
def test_the_gate_leaves_nothing_of_a_catalogue_to_the_cyclic_collector(verdicts, lang):
    """The gate's whole step for one catalogue of this repository (read, sync, every
    check): only its analysis stays, freed by reference counting alone."""
    from tests.conftest import REPO
    from workflow.catalogs import load_template
    from workflow.config import load_config
    from workflow.gate import analyse_catalog

    cfg = load_config(str(REPO))
    template = load_template(cfg.template)
    analyse_catalog(cfg, lang, template)  # (the imports and the per-process memos)
    got = []
    garbage = _cyclic_garbage_of(lambda: got.append(analyse_catalog(cfg, lang, template)))
    assert got[0].stats
    kept = {name for name in garbage
            if name in {Batch.__name__, Unit.__name__, Catalog.__name__, "Message"}}
    assert not kept, f"left for the cyclic collector: {sorted(kept)}"


def test_a_worker_keeping_its_catalogues_finds_the_same(verdicts, monkeypatch):
    """A forked gate worker keeps the catalogues it read to its end (freeing them one by
    one costs more than it pays back): the same analyses as freeing them, and the
    catalogues are those of the languages asked for."""
    import workflow.gate as gate
    from tests.conftest import REPO
    from workflow.catalogs import load_template
    from workflow.config import load_config
    from workflow.gate_workers import _keep_catalogs, _worker_analyse

    cfg = load_config(str(REPO))
    template = load_template(cfg.template)
    langs = ["fr", "ja", "ru"]
    freed = [gate.analyse_catalog(cfg, lang, template) for lang in langs]
    monkeypatch.setattr(gate, "kept_catalogs", None)
    import workflow.gate_workers as gw

    monkeypatch.setattr(gw, "_worker_state", {})
    gw._worker_state.update(config=cfg, template=template, skip=frozenset())
    kept = [_worker_analyse(lang) for lang in langs]
    assert [c.language for c in gate.kept_catalogs] == langs
    assert kept == freed
    _keep_catalogs()  # a second call keeps the same list
    assert len(gate.kept_catalogs) == 3


def test_a_spawned_worker_frees_its_catalogues(verdicts, monkeypatch):
    """A spawned worker ends as a normal interpreter (freeing what modules hold): it
    keeps nothing."""
    import workflow.gate as gate
    import workflow.gate_workers as gw
    from tests.conftest import REPO

    monkeypatch.setattr(gate, "kept_catalogs", None)
    monkeypatch.setattr(gw, "_worker_state", {})
    gw._worker_init(str(REPO), frozenset())
    assert gw._worker_analyse("fr").stats
    assert gate.kept_catalogs is None


_REUSE = """
import resource, sys
if sys.argv[1] == "keep":
    from workflow.gate_workers import _keep_freed_heap
    _keep_freed_heap()
faults = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_minflt
size = 24 << 20  # (a catalogue's decoded text is 6-12 MB)
block = b"x" * size; del block  # the first one faults its pages in either way
before = faults()
block = b"x" * size; del block
print(faults() - before)
"""


@pytest.mark.parametrize("mode", ["keep", "default"])
def test_a_forked_worker_reuses_the_heap_it_freed(mode):
    # a forked gate worker's malloc keeps freed memory for the next catalogue: the same
    # big block made again touches no fresh pages; glibc's default maps and unmaps it
    # again (~6,000 faults): the setting is what makes the difference
    import subprocess
    import sys

    if not sys.platform.startswith("linux"):
        pytest.skip("glibc's mallopt: Linux only")
    out = subprocess.run([sys.executable, "-c", _REUSE, mode], capture_output=True,
                         text=True, check=True).stdout
    faults = int(out)
    if mode == "keep":
        assert faults < 600, faults
    else:
        assert faults > 5000, faults
