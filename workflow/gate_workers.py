"""The gate's worker processes: how many, the parent's first catalogue (whose memos
they inherit), the pool, and the template step forked beside them."""

from __future__ import annotations

import os
import sys

from .errors import CatalogError
from .gate import CatalogAnalysis, analyse_catalog
from .gate_fork import fork_context

_worker_state: dict = {}


def _worker_init(project: str, skip: frozenset[str]) -> None:
    """A spawned worker's set-up (a forked one inherits the parent's state instead)."""
    from .catalogs import load_template
    from .config import load_config

    cfg = load_config(project)
    _worker_state["spawned"] = True
    _worker_state["config"] = cfg
    _worker_state["skip"] = skip
    try:
        _worker_state["template"] = load_template(cfg.template) if cfg.template.exists() else None
    except CatalogError:
        _worker_state["template"] = None


def _worker_analyse(lang: str) -> CatalogAnalysis:
    if "spawned" not in _worker_state:  # forked: ends with os._exit, which frees nothing
        _keep_catalogs()
    analysis = analyse_catalog(
        _worker_state["config"], lang, _worker_state["template"], _worker_state["skip"]
    )
    spelling = sys.modules.get("workflow.checks.spelling")
    if spelling is not None:  # a forked worker ends without atexit: save the new verdicts
        spelling.save_verdicts()
    return analysis


def _keep_catalogs() -> None:
    """This forked worker keeps the catalogues it reads to its end: freeing one (its
    10,000 messages, their strings and dicts, one by one) costs more CPU than the fresh
    pages the next one then needs (measured: docs/benchmarks.md, s7b-memory). What the
    checks make per catalogue (units, batch, memos) is still freed, and reused."""
    from . import gate

    if gate.kept_catalogs is None:
        gate.kept_catalogs = []
        _keep_freed_heap()


def _keep_freed_heap() -> None:
    """glibc's malloc in this forked worker keeps what is freed for the next catalogue
    (no trimming of the heap's top, blocks up to 32 MB from the heap, not each one mapped
    and unmapped): a worker reads one 6-12 MB text after another and ends with os._exit,
    so giving pages back to the system only to fault them in again is pure cost. Nothing
    changes elsewhere (glibc only; the parent and spawned workers are untouched)."""
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION"):
            return
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (ImportError, OSError, AttributeError, TypeError, ValueError):
        return
    mallopt(_M_TRIM_THRESHOLD, 1 << 30)
    mallopt(_M_MMAP_THRESHOLD, 32 << 20)  # (glibc's own cap for its dynamic threshold)


_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # (malloc.h)


def _jobs_for(config, todo: list[str], jobs: int) -> int:
    """How many worker processes check *todo*: *jobs*, or by default one per CPU (at most
    one per catalogue) when the catalogues make more than 4 MB, else 1 (no workers)."""
    if jobs <= 0:
        size = sum(config.catalog(lang).stat().st_size for lang in todo)
        jobs = min(os.cpu_count() or 1, len(todo)) if size > 4_000_000 else 1
    return jobs


def _analyse_all(config, todo: list[str], template, jobs: int, progress, skip, meanwhile) -> dict:
    """analyse_catalog for every language in *todo*, on *jobs* worker processes if more
    than one (biggest catalogues first, one per task, so the cores finish together).
    *meanwhile* runs in this process while the workers read (or after the catalogues)."""
    analyses: dict[str, CatalogAnalysis] = {}
    if jobs <= 1:
        for lang in todo:
            analyses[lang] = analyse_catalog(config, lang, template, frozenset(skip))
            if progress:
                progress(lang)
        meanwhile()
        return analyses
    from .gate_order import costliest_first

    order = costliest_first(config, todo, skip)  # (see workflow.gate_order)
    context = fork_context()
    warm = _warm_up(config, order, template, jobs, skip) if context is not None else None
    if warm is not None:  # the cheapest catalogue, checked here: its memos are inherited
        analyses[order[-1]] = warm
        context = fork_context()  # (the checks it ran may have started threads)
    rest = order[:-1] if warm is not None else order
    _worker_state.update(config=config, template=template, skip=frozenset(skip))
    try:
        _run_pool(analyses, rest, min(jobs, len(rest)), context, config, skip, progress,
                  meanwhile)
    finally:
        _worker_state.clear()
    if warm is not None and progress:
        progress(order[-1])  # (in its place: the order the workers were handed)
    return analyses


def _warm_up(config, order: list[str], template, jobs: int, skip):
    """The cheapest catalogue of *order*, checked in this process before forking: what the
    checks work out once per source text (source words, trigger hits, columns, known
    heads...) is then inherited by every worker instead of worked out in each. None when
    that would not pay (no more catalogues than workers) or a check of the run may start
    threads (they would make the fork unsafe: see workflow.gate_fork)."""
    from .gate_fork import threaded_checks_run

    if len(order) <= jobs or threaded_checks_run(frozenset(skip)):
        return None
    import workflow.checks  # noqa: F401  (imported once here, inherited by every worker)

    analysis = analyse_catalog(config, order[-1], template, frozenset(skip))
    spelling = sys.modules.get("workflow.checks.spelling")
    if spelling is not None:  # saved once here, not again by each worker
        spelling.save_verdicts()
    return analysis


def _run_pool(analyses: dict, order: list[str], jobs: int, context, config, skip, progress,
              meanwhile) -> None:
    """Each catalogue of *order* checked on a pool of *jobs* workers (forked through
    *context*, or spawned if it is None) into *analyses*, *meanwhile* run here."""
    from concurrent.futures import ProcessPoolExecutor

    if context is not None:  # imported once here, inherited by every forked worker
        import workflow.checks  # noqa: F401
    spawn_args = (str(config.source_file or config.root), frozenset(skip))
    import gc
    import multiprocessing

    gc.freeze()  # forked workers never walk (nor copy, page by page) what they inherit
    try:
        with ProcessPoolExecutor(
            jobs,
            mp_context=context if context is not None else multiprocessing.get_context("spawn"),
            initializer=None if context is not None else _worker_init,
            initargs=() if context is not None else spawn_args,
        ) as pool:
            futures = [pool.submit(_worker_analyse, lang) for lang in order]
            meanwhile()
            for lang, future in zip(order, futures, strict=True):
                analyses[lang] = _worker_result(future, lang)
                if progress:
                    progress(lang)
    finally:
        gc.unfreeze()


def _worker_result(future, lang: str) -> CatalogAnalysis:
    """A worker's analysis of *lang*; a worker that died (killed, out of memory) is one
    clear error (exit 2), not a traceback."""
    from concurrent.futures.process import BrokenProcessPool

    from .errors import LetterflowError

    try:
        return future.result()
    except BrokenProcessPool:
        raise LetterflowError(
            f"a `letterflow check` worker process died while checking {lang} (killed or out "
            "of memory?): run again, or with --jobs 1") from None
