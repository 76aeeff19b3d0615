"""The gate's forks: only from a parent with one thread and no lingua; the parent checks
the cheapest catalogue first (its workers inherit what it worked out) unless a check of
the run may start threads; the template step in a forked child. Each finds exactly what
one process finds.

A test process that ran the detector itself keeps lingua's threads and never forks again
(spawning instead), so each test that needs a fork runs its body in a fresh interpreter
(:func:`_fresh`)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import REPO
from test_gate_speed import _gate_project

from workflow import gate_fork, gate_template, gate_workers
from workflow.gate import render, run_gate
from workflow.gate_order import costliest_first

NO_DETECTOR = frozenset({"wrong-language"})


def _fresh(body: str, tmp_path: Path) -> None:
    """``body(tmp_path)`` (a function of this module) run in a fresh interpreter."""
    code = ("import sys; from pathlib import Path\n"
            f"sys.path[:0] = [{str(REPO / 'tests')!r}, {str(REPO)!r}]\n"
            f"import test_gate_fork\ntest_gate_fork.{body}(Path({str(tmp_path)!r}))\n")
    env = {**os.environ, "LETTERFLOW_CACHE_DIR": str(tmp_path / "cache")}
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, env=env, cwd=tmp_path)
    assert res.returncode == 0, res.stderr[-3000:]


class _Patch:
    """monkeypatch.setattr for a throwaway process."""

    @staticmethod
    def setattr(owner, name, value) -> None:
        setattr(owner, name, value)


def _record_pids(monkeypatch, tmp_path):
    """Where each catalogue and the template step ran: (pid, what) lines in a file that
    forked children append to."""
    log = tmp_path / "where.txt"

    def note(what: str) -> None:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {what}\n")

    analyse, template = gate_workers.analyse_catalog, gate_template._template_findings

    def analyse_noted(config, lang, *args):
        note(lang)
        return analyse(config, lang, *args)

    def template_noted(*args):
        note("template")
        return template(*args)

    monkeypatch.setattr(gate_workers, "analyse_catalog", analyse_noted)
    monkeypatch.setattr(gate_template, "_template_findings", template_noted)

    def where() -> dict[str, int]:
        pairs = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
        log.unlink()
        return {what: int(pid) for pid, what in pairs}

    return where


def _stale(cfg) -> None:
    """A letter edited after the extract: the template step finds it out of sync."""
    letter = cfg.letters[0]
    text = letter.read_text(encoding="utf-8")
    letter.write_text(text.replace("Korea", "Koreas", 1), encoding="utf-8")


def test_the_parent_checks_the_cheapest_catalogue_and_forks_the_template_step(tmp_path):
    _fresh("_parent_checks_the_cheapest", tmp_path)


def _parent_checks_the_cheapest(tmp_path: Path) -> None:
    assert gate_fork.fork_context() is not None
    cfg = _gate_project(tmp_path)
    _stale(cfg)
    langs = ["pt", "es", "fr"]
    where = _record_pids(_Patch, tmp_path)
    handed: list[str] = []
    two = run_gate(cfg, langs, ["fr"], use_cache=False, jobs=2, progress=handed.append,
                   skip=NO_DETECTOR)
    ran = where()
    order = costliest_first(cfg, langs, NO_DETECTOR)
    assert handed == order  # progress as before: in the order the workers were handed
    me = os.getpid()
    assert ran[order[-1]] == me  # the cheapest, here; the others and the template elsewhere
    assert all(ran[lang] != me for lang in order[:-1]) and ran["template"] != me
    assert len({ran[lang] for lang in order[:-1]} | {ran["template"]}) == 3
    one = run_gate(cfg, langs, ["fr"], use_cache=False, jobs=1, skip=NO_DETECTOR)
    assert set(where().values()) == {me}
    assert any(f.check_id == "template" for f in one.findings)
    assert two.findings == one.findings and two.stats == one.stats
    for fmt in ("text", "json", "junit", "github"):
        assert render(two, fmt, cfg.root) == render(one, fmt, cfg.root)


def test_with_the_detector_the_parent_checks_no_catalogue_before_forking(tmp_path):
    """lingua starts a native thread pool, which a forked worker inherits without its
    threads (it waited forever): the catalogues are all checked in the workers."""
    _fresh("_with_the_detector", tmp_path)


def _with_the_detector(tmp_path: Path) -> None:
    cfg = _gate_project(tmp_path)
    where = _record_pids(_Patch, tmp_path)
    two = run_gate(cfg, ["pt", "es", "fr"], [], use_cache=False, jobs=2)
    ran = where()
    assert sorted(ran) == ["es", "fr", "pt", "template"] and os.getpid() not in ran.values()
    one = run_gate(cfg, ["pt", "es", "fr"], [], use_cache=False, jobs=1)
    assert two.findings == one.findings


def test_a_parent_that_started_threads_meanwhile_spawns_its_workers(tmp_path):
    """Every fork asks again: here the check list does not say that the detector starts
    threads, so the parent runs it before forking; its workers are then spawned (a
    forked one would wait forever for lingua's threads) and find the same."""
    _fresh("_threads_started_meanwhile", tmp_path)


def _threads_started_meanwhile(tmp_path: Path) -> None:
    gate_fork.THREADED_CHECKS = frozenset()
    cfg = _gate_project(tmp_path)
    contexts: list = []
    original = gate_workers.fork_context
    gate_workers.fork_context = lambda: contexts.append(original()) or contexts[-1]
    two = run_gate(cfg, ["pt", "es", "fr"], [], use_cache=False, jobs=2)
    assert contexts[0] is not None and contexts[-1] is None  # forked, then spawned
    one = run_gate(cfg, ["pt", "es", "fr"], [], use_cache=False, jobs=1)
    assert two.findings == one.findings


def test_no_fork_while_another_thread_runs(tmp_path):
    _fresh("_no_fork_while_a_thread_runs", tmp_path)


def _no_fork_while_a_thread_runs(tmp_path: Path) -> None:
    assert gate_fork.os_threads() == 1 and gate_fork.fork_context() is not None
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert gate_fork.os_threads() == 2 and gate_fork.fork_context() is None
    finally:
        stop.set()
        thread.join()
    import time

    for _ in range(100):  # (the thread's OS task ends a moment after join returns)
        if gate_fork.os_threads() == 1:
            break
        time.sleep(0.01)
    assert gate_fork.fork_context() is not None


def test_os_threads_sees_native_threads():
    """lingua's pool is native: the threading module does not know its threads."""
    code = ("from workflow.checks.language import detector\n"
            "from workflow.gate_fork import os_threads, fork_context\n"
            "import threading\n"
            "print(os_threads(), fork_context() is None)\n"
            "detector(frozenset({'fr', 'es', 'en'})).detect_languages_in_parallel_of("
            "['un texte', 'otro texto'])\n"
            "print(threading.active_count(), os_threads() > 1, fork_context())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True).stdout.split()
    assert out == ["1", "False", "1", "True", "None"]


def _boom():
    raise ValueError("the step failed")


def test_a_forked_call_answers_what_the_call_answers(tmp_path):
    _fresh("_forked_call_answers", tmp_path)


def _forked_call_answers(tmp_path: Path) -> None:
    """(Run by _fresh: a fork of this small interpreter, not of the whole test process,
    whose size other tests' RUSAGE_CHILDREN peaks would then see.)"""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    assert gate_fork.ForkedCall(context, lambda: [1, "two", None]).result() == [1, "two", None]
    with pytest.raises(ValueError, match="the step failed"):
        gate_fork.ForkedCall(context, _boom).result()
    with pytest.raises(RuntimeError, match="exit code 3"):
        gate_fork.ForkedCall(context, lambda: os._exit(3)).result()


def test_a_template_step_whose_child_dies_is_run_here_instead(tmp_path):
    """A child killed before it answers (out of memory, a signal) costs the gate a rerun of
    the step in the parent, not an unexplained error."""
    _fresh("_vanished_step_rerun", tmp_path)


def _vanished_step_rerun(tmp_path: Path) -> None:
    import multiprocessing

    from workflow import gate

    context = multiprocessing.get_context("fork")
    vanished = gate_fork.ForkedCall(context, lambda: os._exit(9))
    assert gate._forked_result(vanished, lambda: ["rerun here"]) == ["rerun here"]
    answered = gate_fork.ForkedCall(context, lambda: ["from the child"])
    assert gate._forked_result(answered, lambda: ["rerun here"]) == ["from the child"]
    with pytest.raises(ValueError, match="the step failed"):  # a real error is not hidden
        gate._forked_result(gate_fork.ForkedCall(context, _boom), lambda: ["rerun here"])


def test_a_worker_that_dies_is_one_clear_error():
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    from workflow import gate_workers
    from workflow.errors import LetterflowError

    died: Future = Future()
    died.set_exception(BrokenProcessPool("A process in the process pool was terminated"))
    with pytest.raises(LetterflowError, match="worker process died while checking fr"):
        gate_workers._worker_result(died, "fr")
    done: Future = Future()
    done.set_result("the analysis")
    assert gate_workers._worker_result(done, "fr") == "the analysis"


def test_the_forked_template_step_uses_and_fills_the_cache(tmp_path):
    _fresh("_template_step_cache", tmp_path)


def _template_step_cache(tmp_path: Path) -> None:
    cfg = _gate_project(tmp_path)
    _stale(cfg)
    where = _record_pids(_Patch, tmp_path)
    cold = run_gate(cfg, ["pt", "es", "fr"], [], jobs=2, skip=NO_DETECTOR)
    assert where()["template"] != os.getpid()
    (tmp_path / "where.txt").write_text("", encoding="utf-8")
    warm = run_gate(cfg, ["pt", "es", "fr"], [], jobs=2, skip=NO_DETECTOR)
    assert "template" not in where()  # read back from the cache the child wrote
    assert warm.findings == cold.findings
    assert any(f.check_id == "template" for f in warm.findings)
