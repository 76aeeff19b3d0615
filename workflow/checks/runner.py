"""run_checks: every registered check over a catalogue (or one message of it)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from workflow.checks.base import (
    ERROR,
    IGNORE_HEADER,
    MT_DAMAGED_FLAG,
    Finding,
    Problem,
    Unit,
    entry_ignores,
    parse_ignore,
)
from workflow.checks.glossary import glossary_for
from workflow.checks.registry import registry, trigger_regex

UNTRANSLATED = "untranslated"


def catalog_ignores(catalog: Any) -> frozenset[str]:
    """Check ids silenced for a whole catalogue by its X-Letterflow-Ignore header."""
    headers = getattr(catalog, "headers", None) or {}
    values = [v for k, v in headers.items() if k.lower() == IGNORE_HEADER.lower()]
    return parse_ignore(values) if values else frozenset()


@lru_cache(maxsize=65536)
def _source_special(triggered: re.Pattern[str], source: str, source_plural: str | None) -> bool:
    """Whether the source texts contain a character some triggered check looks at."""
    if triggered.search(source) is not None:
        return True
    return source_plural is not None and triggered.search(source_plural) is not None


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
    catalog: Any, message: Any = None, *, config: Any = None, skip: frozenset[str] = frozenset()
) -> list[Finding]:
    """Run every registered check over *catalog* (or only *message*) and list the findings.

    Drafts (fuzzy) are checked too; untranslated (empty) and obsolete entries are not.
    Checks named in the catalogue's ``X-Letterflow-Ignore`` header or an entry's
    ``#, letterflow-ignore: <id>`` flag are skipped. Catalogue-level findings (the
    Plural-Forms header) have an empty context and are only produced for whole catalogues.
    Raises QAError if the glossary is malformed or lacks a term for a configured language.
    *skip* names checks left out of this run (``letterflow check --skip``).
    """
    skip_all = catalog_ignores(catalog) | frozenset(skip)
    checks = [c for c in registry.values() if c.id not in skip_all]
    glossary = glossary_for(catalog, config) if "glossary" not in skip_all else None
    findings: list[Finding] = []
    if message is None:
        for check in checks:
            for problem in check.check_catalog(catalog, catalog.language):
                findings.append(_finding(catalog, "", 1, check.id, problem, check.severity))
        messages = catalog.active()
    else:
        messages = [message]
    # whole-catalogue runs let checks defer costly work to one batch (Check.finish)
    deferred: dict[str, list] = {}
    shared = {"glossary": glossary, "deferred": deferred if message is None else None}
    triggered = trigger_regex(checks)
    # (check, id, triggered?, plural only?, needs a real translation?) looked up once
    plan = [(c, c.id, bool(c.trigger), c.plural_only, c.needs_translation) for c in checks]
    language, path = catalog.language, str(getattr(catalog, "path", ""))
    for msg in messages:
        strings = msg.strings
        if msg.obsolete or not any(strings):
            continue
        flags = msg.flags
        skip = entry_ignores(flags) if flags else frozenset()
        unit = Unit(msg, catalog, language, config, dict(shared))
        # one regex pass decides whether the character-triggered checks have any work
        special = triggered is not None and (
            MT_DAMAGED_FLAG in flags
            or _source_special(triggered, msg.source, msg.source_plural)
            or any(triggered.search(t) for t in strings)
        )
        plural = msg.source_plural is not None or len(strings) > 1
        copied = False
        for check, check_id, gated, plural_only, needs_translation in plan:
            if (
                (gated and not special)
                or (plural_only and not plural)
                or (copied and needs_translation)
                or (skip and check_id in skip)
            ):
                continue
            try:
                problems = check.check(unit)
                if problems.__class__ is not list:
                    problems = list(problems)
            except Exception as exc:  # noqa: BLE001 -- a check bug must not hide the others
                problems = [Problem(f"check failed: {type(exc).__name__}: {exc}", ERROR)]
            if not problems:
                continue
            for problem in problems:
                if problem.__class__ is Problem:
                    text, severity = problem.message, problem.severity
                else:
                    text, severity = problem, check.severity
                findings.append(
                    Finding(
                        language,
                        msg.context,
                        check_id,
                        severity,
                        " ".join(text.split()),
                        path,
                        msg.line,
                    )
                )
            if check_id == UNTRANSLATED:
                copied = True
    if deferred:
        findings += _finish(checks, deferred, language, path)
    return findings


def _finish(checks: list, deferred: dict[str, list], language: str, path: str) -> list[Finding]:
    out: list[Finding] = []
    for check in checks:
        if not deferred.get(check.id):
            continue
        try:
            results = list(check.finish(deferred[check.id]))
        except Exception as exc:  # noqa: BLE001 -- as for check(): report, do not hide
            msg = deferred[check.id][0][0]
            results = [(msg, Problem(f"check failed: {type(exc).__name__}: {exc}", ERROR))]
        for msg, problem in results:
            if problem.__class__ is Problem:
                text, severity = problem.message, problem.severity
            else:
                text, severity = problem, check.severity
            out.append(
                Finding(
                    language,
                    msg.context,
                    check.id,
                    severity,
                    " ".join(text.split()),
                    path,
                    msg.line,
                )
            )
    return out
