"""The CI completeness gate: what ``letterflow check`` decides, and its output formats."""

from __future__ import annotations

from operator import attrgetter
from pathlib import Path

from .errors import CatalogError
from .gate_cache import _cache_get, _cache_key, _cache_put, _fingerprint
from .gcpause import paused_gc
from .records import Record, factory

ERROR, WARNING = "error", "warning"


class GateFinding(Record):
    """A finding of the gate itself (same fields as checks.Finding)."""

    language: str
    context: str
    check_id: str
    severity: str
    message: str
    path: str
    line: int = 0


class GateReport(Record):
    required: list[str]
    languages: list[str]
    findings: list = factory(list)
    stats: dict[str, dict] = factory(dict)

    @property
    def errors(self) -> list:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors


class CatalogAnalysis(Record):
    """Everything the gate needs from one catalogue; cached by content hash."""

    language: str
    path: str
    stats: dict | None = None
    not_approved: list[tuple[str, str, int]] = factory(list)  # context, state, line
    findings: list = factory(list)  # gate + QA findings, before the required rule
    approved_contexts: set[str] = factory(set)  # those among the findings

    def __reduce__(self):
        # Sent from a worker and cached by the thousand findings: as one list per field
        # (pickled and read back in C), not one object each (a reduce and a state dict
        # per finding: about 5x the cost on both sides)
        findings = self.findings
        columns = [list(map(attrgetter(name), findings)) for name in GateFinding._fields]
        return (_unpack_analysis, (self.language, self.path, self.stats, self.not_approved,
                                   columns, self.approved_contexts))


def _unpack_analysis(language, path, stats, not_approved, columns, approved_contexts):
    """A :class:`CatalogAnalysis` from what its ``__reduce__`` gave."""
    findings = list(map(GateFinding, *columns))
    return CatalogAnalysis(language, path, stats, not_approved, findings, approved_contexts)


def analyse_catalog(
    config, lang: str, template, skip: frozenset[str] = frozenset()
) -> CatalogAnalysis:
    """Parse, sync-check and QA-check one catalogue (no knowledge of the required set)."""
    with paused_gc():  # thousands of acyclic objects: see workflow.gcpause
        return _analyse(config, lang, template, skip)


#: where a forked gate worker keeps every catalogue it read, or None (freed after its
#: analysis): see workflow.gate_workers._worker_analyse
kept_catalogs: list | None = None


def _analyse(config, lang: str, template, skip: frozenset[str]) -> CatalogAnalysis:
    from .catalogs import load_catalog
    from .status import assess

    path = config.catalog(lang)
    out = CatalogAnalysis(language=lang, path=str(path))
    try:
        catalog = load_catalog(path, lang)
    except CatalogError as exc:
        out.findings.append(
            GateFinding(lang, "", "syntax", ERROR, _bare(exc), str(path), exc.line or 0)
        )
        return out
    if kept_catalogs is not None:
        kept_catalogs.append(catalog)
    status = assess(catalog, config=config, skip=skip, template=template, finding=GateFinding)
    out.stats = status.counts
    out.not_approved = status.not_approved
    # only the approved contexts the gate will ask about (those with findings): a small
    # result to send back from a worker and to cache
    out.approved_contexts = status.approved_contexts & {f.context for f in status.findings}
    for problem in status.out_of_sync:
        out.findings.append(
            GateFinding(
                lang,
                "",
                "sync",
                ERROR,
                f"catalogue out of sync with the template: {problem}",
                str(path),
                1,
            )
        )
    out.findings += [  # (the QA findings are GateFindings already: see assess)
        f if f.__class__ is GateFinding else GateFinding(
            f.language, f.context, f.check_id, f.severity, f.message, f.path, f.line)
        for f in status.findings
    ]
    return out


def _fork_context():
    """The "fork" start method if forking is safe now, else None (see workflow.gate_fork)."""
    from .gate_fork import fork_context

    return fork_context()


def _fork_step(step):
    """*step* started in a forked child (a :class:`~workflow.gate_fork.ForkedCall`), or
    None if forking is not safe now."""
    from .gate_fork import ForkedCall

    context = _fork_context()
    return ForkedCall(context, step) if context is not None else None


def _forked_result(forked, step) -> list:
    """The forked template step's findings; if its child died without an answer (killed,
    out of memory), the step run again here, so the gate still answers."""
    from .gate_fork import ChildVanished

    try:
        return forked.result()
    except ChildVanished:
        return step()


def _load_template_quietly(path):
    from .catalogs import load_template

    try:
        return load_template(path)
    except CatalogError:
        return None  # reported by the template step


def run_gate(
    config,
    languages: list[str],
    required: list[str],
    *,
    use_cache: bool = True,
    jobs: int = 0,
    progress=None,
    skip: frozenset[str] = frozenset(),
) -> GateReport:
    report = GateReport(required=required, languages=languages)
    tpath = Path(config.template)
    fingerprint = _fingerprint(config) + ",".join(sorted(skip)) if use_cache else ""

    # 1. Each catalogue: parse, sync, QA (cached by content); what is not cached goes to
    # the workers, which get the parsed template.
    analyses, todo, keys = _cached_analyses(config, languages, fingerprint, use_cache, progress)
    template = _load_template_quietly(tpath) if todo and tpath.exists() else None
    if todo:  # (a warm run, with every catalogue cached, imports no worker code)
        from .gate_workers import _jobs_for

        jobs = _jobs_for(config, todo, jobs)

    # 2. Meanwhile, the template against the letter(s): a stale extract fails the build.
    from .gate_template import template_step

    step = template_step(config, tpath, fingerprint if use_cache else None, template)
    with paused_gc():  # the workers' findings arrive here by the thousand: see gcpause
        # with workers, the template step runs in a child forked now (while this process
        # checks a first catalogue, then while the workers do), if forking is safe
        forked = _fork_step(step) if todo and jobs > 1 else None

        def meanwhile() -> None:
            if forked is None:
                report.findings.extend(step())

        if todo:
            from .gate_workers import _analyse_all

            done = _analyse_all(config, todo, template, jobs, progress, skip, meanwhile)
            analyses.update(done)
            for lang in todo:
                if keys.get(lang):
                    _cache_put(config, keys[lang], analyses[lang])
        else:
            meanwhile()
        if forked is not None:
            report.findings.extend(_forked_result(forked, step))
        # 3. Completeness and the draft rule, per language.
        for lang in languages:
            _add_language(report, config, lang, lang in required, analyses.get(lang))
    from .gate_countries import check_countries

    check_countries(config, languages, report.findings.append, fingerprint)
    return report


def _cached_analyses(config, languages, fingerprint: str, use_cache: bool, progress):
    """(the cached analyses by language, the languages to check, their cache keys)."""
    analyses: dict[str, CatalogAnalysis] = {}
    todo: list[str] = []
    keys: dict[str, str | None] = {}
    for lang in languages:
        path = config.catalog(lang)
        if not path.exists():
            continue
        keys[lang] = _cache_key(fingerprint, path, lang, config) if use_cache else None
        cached = _cache_get(config, keys[lang], CatalogAnalysis) if keys[lang] else None
        if cached is not None:
            analyses[lang] = cached
            if progress:
                progress(lang)
        else:
            todo.append(lang)
    return analyses, todo, keys


def _add_language(report: GateReport, config, lang: str, is_required: bool, a) -> None:
    """One catalogue's findings under the gate's rules (required, drafts)."""
    from .status import is_draft_finding

    add = report.findings.append
    path = config.catalog(lang)
    if a is None:
        if is_required:
            add(
                GateFinding(
                    lang,
                    "",
                    "missing",
                    ERROR,
                    "required catalogue does not exist: run `letterflow update`",
                    str(path),
                )
            )
        return
    if a.stats is not None:
        report.stats[lang] = a.stats
    if is_required and a.stats is not None and a.not_approved:
        st = a.stats
        add(
            GateFinding(
                lang,
                "",
                "incomplete",
                ERROR,
                f"required language is {st['percent']:.1f}% approved: {st['draft']} "
                f"draft, {st['untranslated']} untranslated",
                str(path),
                a.not_approved[0][2],
            )
        )
        for ctx, state, line in a.not_approved[:50]:
            add(
                GateFinding(
                    lang, ctx, "incomplete", ERROR, f"not approved ({state})", str(path), line
                )
            )
    for f in a.findings:
        # Drafts may be broken while they wait for review (msgfmt skips fuzzy entries too);
        # an error on an approved message fails the build.
        if is_draft_finding(f, a.approved_contexts):
            f = GateFinding(
                f.language, f.context, f.check_id, WARNING, f"(draft) {f.message}", f.path, f.line
            )
        add(f)


def _bare(exc: CatalogError) -> str:
    text = str(exc)
    prefix = (
        f"{exc.path}:{exc.line}: "
        if exc.path and exc.line
        else (f"{exc.path}: " if exc.path else "")
    )
    return text[len(prefix) :] if prefix and text.startswith(prefix) else text


def render(report: GateReport, fmt: str, root: Path, show_warnings: bool = True) -> str:
    """The report as text, json, junit or github (see :mod:`workflow.gate_report`)."""
    from .gate_report import render as _render

    with paused_gc():  # lines and rows by the 100,000, none in a cycle: see gcpause
        return _render(report, fmt, root, show_warnings)
