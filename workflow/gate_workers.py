"""The gate's worker processes: how many, the parent's first catalogue (whose memos
they inherit), the pool, and the template step forked beside them."""

from __future__ import annotations

import os
import sys

from .errors import CatalogError
from .gate import CatalogAnalysis, analyse_catalog
from .gate_fork import fork_context

_worker_state: dict = {}


def _worker_init(project: str, skip: frozenset[str], order: list[str], claim) -> None:
    """A spawned worker's set-up (a forked one inherits the parent's state instead)."""
    from .catalogs import load_template
    from .config import load_config

    cfg = load_config(project)
    _worker_state.update(config=cfg, skip=skip, order=order, claim=claim)
    try:
        _worker_state["template"] = load_template(cfg.template) if cfg.template.exists() else None
    except CatalogError:
        _worker_state["template"] = None


def _worker_analyse(lang: str) -> CatalogAnalysis:
    analysis = analyse_catalog(
        _worker_state["config"], lang, _worker_state["template"], _worker_state["skip"]
    )
    spelling = sys.modules.get("workflow.checks.spelling")
    if spelling is not None:  # a forked worker ends without atexit: save the new verdicts
        spelling.save_verdicts()
    return analysis


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
        _run_pool(analyses, rest, min(jobs, len(rest)), context, config, template, skip,
                  progress, meanwhile)
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


def _run_pool(analyses: dict, order: list[str], jobs: int, context, config, template, skip,
              progress, meanwhile) -> None:
    """Each catalogue of *order* checked into *analyses* by this process and *jobs* - 1
    workers (forked through *context*, or spawned if it is None), each taking the next
    catalogue of *order* whenever it is free; *meanwhile* run here first. What this process
    checks is neither pickled nor read back."""
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if context is not None:  # imported once here, inherited by every forked worker
        import workflow.checks  # noqa: F401
    skip = frozenset(skip)
    claim = (context or multiprocessing.get_context("spawn")).Value("i", 0)
    _worker_state.update(order=order, claim=claim)
    spawn_args = (str(config.source_file or config.root), skip, order, claim)
    gc.freeze()  # forked workers never walk (nor copy, page by page) what they inherit
    try:
        with ProcessPoolExecutor(
            jobs - 1,
            mp_context=context if context is not None else multiprocessing.get_context("spawn"),
            initializer=None if context is not None else _worker_init,
            initargs=() if context is not None else spawn_args,
        ) as pool:
            futures = [pool.submit(_worker_take) for _ in order]
            meanwhile()
            done = _Progress(order, analyses, futures, progress)
            while (i := _claim_next(claim, len(order))) is not None:
                analyses[order[i]] = analyse_catalog(config, order[i], template, skip)
                done.report(wait=False)
            done.report(wait=True)
    finally:
        gc.unfreeze()


def _claim_next(claim, total: int) -> int | None:
    """The next index of the run's order not yet taken (by any process), or None."""
    with claim.get_lock():
        i = claim.value
        if i >= total:
            return None
        claim.value = i + 1
    return i


def _worker_take() -> tuple[str, CatalogAnalysis] | None:
    """A worker's task: the next catalogue not yet taken, checked (None if none is left)."""
    i = _claim_next(_worker_state["claim"], len(_worker_state["order"]))
    if i is None:
        return None
    lang = _worker_state["order"][i]
    return lang, _worker_analyse(lang)


class _Progress:
    """The workers' answers gathered into the analyses, and *progress* called for each
    catalogue in the run's order as soon as it and all before it are checked."""

    def __init__(self, order, analyses, futures, progress) -> None:
        self.order, self.analyses, self.progress = order, analyses, progress
        self.futures = list(reversed(futures))  # (popped from the end: in submission order)
        self.told = 0

    def report(self, wait: bool) -> None:
        futures = self.futures
        while futures and (wait or futures[-1].done()):
            got = futures.pop().result()
            if got is not None:
                self.analyses[got[0]] = got[1]
        order = self.order
        while self.told < len(order) and order[self.told] in self.analyses:
            if self.progress:
                self.progress(order[self.told])
            self.told += 1
