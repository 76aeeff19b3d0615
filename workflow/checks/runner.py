"""run_checks: every registered check over a catalogue (or one message of it)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from operator import itemgetter
from typing import Any

from workflow.checks.base import (
    ERROR,
    IGNORE_HEADER,
    Finding,
    Problem,
    entry_ignores,
    parse_ignore,
)
from workflow.checks.batch import Batch
from workflow.checks.glossary import glossary_for
from workflow.checks.messages import failed
from workflow.checks.registry import registry
from workflow.gcpause import paused_gc

UNTRANSLATED = "untranslated"
_new, _set = object.__new__, object.__setattr__


_IGNORE_LOWER = IGNORE_HEADER.lower()


def catalog_ignores(catalog: Any) -> frozenset[str]:
    """Check ids silenced for a whole catalogue by its X-Letterflow-Ignore header."""
    headers = getattr(catalog, "headers", None) or {}
    values = [v for k, v in headers.items() if k.lower() == _IGNORE_LOWER]
    return parse_ignore(values) if values else frozenset()


def _finding(
    catalog: Any,
    context: str,
    line: int,
    check_id: str,
    problem: str | Problem,
    default_severity: str,
) -> Finding:
    if isinstance(problem, Problem):
        message, severity = problem.message, problem.severity
    else:
        message, severity = problem, default_severity
    return Finding(
        language=catalog.language,
        context=context,
        check_id=check_id,
        severity=severity,
        message=" ".join(message.split()),  # always one line
        path=str(getattr(catalog, "path", "")),
        line=line,
    )


def run_checks(
    catalog: Any, message: Any = None, *, config: Any = None, skip: frozenset[str] = frozenset(),
    finding: type | None = None, active: list | None = None,
) -> list[Finding]:
    """Run every registered check over *catalog* (or only *message*) and list the findings.

    Drafts (fuzzy) are checked too; untranslated (empty) and obsolete entries are not.
    Checks named in the catalogue's ``X-Letterflow-Ignore`` header or an entry's
    ``#, letterflow-ignore: <id>`` flag are skipped. Catalogue-level findings (the
    Plural-Forms header) have an empty context and are only produced for whole catalogues.
    Raises QAError if the glossary is malformed or lacks a term for a configured language.
    *skip* names checks left out of this run (``letterflow check --skip``). *finding*: the
    class of the per-message findings if not :class:`Finding` (the gate's own record, with
    the same fields, made without a copy per finding). *active*: ``catalog.active()``
    if the caller has it already (``status.assess``: every message, when none is obsolete).
    """
    if message is None:  # thousands of acyclic objects: see workflow.gcpause
        with paused_gc():
            return _run_checks(catalog, None, config, skip, finding or Finding, active)
    return _run_message(catalog, message, config, skip, finding or Finding)


def _run_message(catalog: Any, message: Any, config: Any, skip: frozenset[str],
                 kind: type = Finding) -> list[Finding]:
    """One message: the same findings without the whole-run set-up (``checks/one.py``)."""
    from workflow.checks.one import run_one

    skip_all = catalog_ignores(catalog) | frozenset(skip)
    checks = [c for c in registry.values() if c.id not in skip_all]
    glossary = glossary_for(catalog, config) if "glossary" not in skip_all else None
    found = _found if kind is Finding else partial(_found, kind=kind)
    return run_one(checks, catalog, message, config, glossary, found)


def _run_checks(catalog: Any, message: Any, config: Any, skip: frozenset[str],
                kind: type = Finding, active: list | None = None) -> list[Finding]:
    """The whole-catalogue run (*message* None). With *message*, the same machinery over a
    one-message Batch: not used by run_checks (see ``checks/one.py``), kept as the reference
    ``tests/test_checks_one.py`` compares the one-message path with."""
    skip_all = catalog_ignores(catalog) | frozenset(skip)
    checks = [c for c in registry.values() if c.id not in skip_all]
    glossary = glossary_for(catalog, config) if "glossary" not in skip_all else None
    findings: list[Finding] = []
    if message is None:
        for check in checks:
            if check.catalog_config:
                problems = check.check_catalog(catalog, catalog.language, config=config)
            else:
                problems = check.check_catalog(catalog, catalog.language)
            for problem in problems:
                findings.append(_finding(catalog, "", 1, check.id, problem, check.severity))
        messages = catalog.active() if active is None else active
    else:
        messages = [message]
    # whole-catalogue runs let checks defer costly work to one batch (Check.finish)
    deferred: dict[str, list] = {}
    # "run": a scratch dict every message of this run shares (per-run memos of checks)
    shared = {"glossary": glossary, "deferred": deferred if message is None else None,
              "run": {}}
    if message is None:  # what cannot find anything in this language is not asked
        checks = [c for c in checks if c.applies(catalog.language, config)]
    language = catalog.language
    batch = Batch(messages, catalog, language, config, shared)
    units = batch.units
    try:
        results = _run(checks, batch)
    finally:  # its memos hold the batch and the units: a reference cycle that would keep
        shared["run"].clear()  # the catalogue alive until a gc pass (none runs in the gate)
    results.sort(key=itemgetter(0, 1))  # message by message, in check order, as the file reads
    path = str(getattr(catalog, "path", ""))
    for i, _pos, check, problems in results:
        msg = units[i].message
        findings.extend(_found(check, problems, language, msg.context, path, msg.line, kind))
    if deferred:
        findings += _finish(checks, deferred, language, path, kind)
    return findings


def _todo(check: Any, batch: Batch) -> Iterable[int]:
    """The indices of the messages *check* must see, in file order."""
    chosen: set[int] | None = None
    if check.plural_only:
        chosen = set(batch.multi)
    if check.trigger:
        hits = batch.triggered(check.trigger)
        chosen = hits if chosen is None else chosen & hits
    try:
        picked = check.candidates(batch)
    except Exception:  # noqa: BLE001 -- a screen's bug costs time, never a finding
        picked = None
    if picked is not None:
        picked = picked if isinstance(picked, (set, frozenset)) else set(picked)
        chosen = picked if chosen is None else chosen & picked
    return range(len(batch.units)) if chosen is None else sorted(chosen)


def _run(checks: list, batch: Batch) -> list[tuple[int, int, Any, list]]:
    """(message index, check position, check, problems) of every check over *batch*, one
    check at a time (what each must see worked out once, for the whole run)."""
    units = batch.units
    ignores = {i: ids for i, u in enumerate(units) if u.flags and (ids := entry_ignores(u.flags))}
    batch.add_triggers([c.trigger for c in checks if c.trigger])  # one pass for them all
    copied: set[int] = set()  # messages the untranslated check found copied
    results: list[tuple[int, int, Any, list]] = []
    for pos, check in enumerate(checks):
        check_id, call = check.id, check.check
        skip_copied = check.needs_translation and bool(copied)
        for i in _todo(check, batch):
            if (skip_copied and i in copied) or (ignores and check_id in ignores.get(i, ())):
                continue
            try:
                problems = call(units[i])
                if problems and problems.__class__ is not list:
                    problems = list(problems)
            except Exception as exc:  # noqa: BLE001 -- a check bug must not hide the others
                problems = [Problem(failed(exc), ERROR)]
            if problems:
                results.append((i, pos, check, problems))
                if check_id == UNTRANSLATED:
                    copied.add(i)
    return results


def _found(
    check: Any, problems: list, language: str, context: str, path: str, line: int,
    kind: type = Finding,
) -> list[Finding]:
    """The findings of *problems* (one-line messages, the check's severity by default) as
    *kind* records, made without the frozen dataclass's ``object.__setattr__`` per field:
    thousands per run."""
    out = []
    check_id = check.id
    for problem in problems:
        if problem.__class__ is Problem:
            text, severity = problem.message, problem.severity
        else:
            text, severity = problem, check.severity
        if not (text.isprintable() and "  " not in text and text[:1] != " " != text[-1:]):
            text = " ".join(text.split())  # (printable: no white space but " ")
        finding = _new(kind)
        _set(finding, "__dict__", {
            "language": language, "context": context, "check_id": check_id,
            "severity": severity, "message": text, "path": path, "line": line,
        })
        out.append(finding)
    return out


def _finish(checks: list, deferred: dict[str, list], language: str, path: str,
            kind: type = Finding) -> list[Finding]:
    out: list[Finding] = []
    for check in checks:
        if not deferred.get(check.id):
            continue
        try:
            results = list(check.finish(deferred[check.id]))
        except Exception as exc:  # noqa: BLE001 -- as for check(): report, do not hide
            msg = deferred[check.id][0][0]
            results = [(msg, Problem(failed(exc), ERROR))]
        for msg, problem in results:
            out += _found(check, [problem], language, msg.context, path, msg.line, kind)
    return out
