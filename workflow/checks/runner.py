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
            if check.catalog_config:
                problems = check.check_catalog(catalog, catalog.language, config=config)
            else:
                problems = check.check_catalog(catalog, catalog.language)
            for problem in problems:
                findings.append(_finding(catalog, "", 1, check.id, problem, check.severity))
        messages = catalog.active()
    else:
        messages = [message]
    # whole-catalogue runs let checks defer costly work to one batch (Check.finish)
    deferred: dict[str, list] = {}
    # "run": a scratch dict every message of this run shares (per-run memos of checks)
    shared = {"glossary": glossary, "deferred": deferred if message is None else None,
              "run": {}}
    if message is None:  # what cannot find anything in this language is not asked
        checks = [c for c in checks if c.applies(catalog.language, config)]
    run = _Run(catalog, config, checks, shared, findings)
    for msg in messages:
        if not msg.obsolete and any(msg.strings):
            run.message(msg)
    if deferred:
        findings += _finish(checks, deferred, run.language, run.path)
    return findings


class _Run:
    """One run_checks pass: the plans worked out once, then one call per message."""

    def __init__(self, catalog: Any, config: Any, checks: list, shared: dict, out: list):
        self.catalog, self.config, self.shared, self.out = catalog, config, shared, out
        self.language, self.path = catalog.language, str(getattr(catalog, "path", ""))
        self.triggered = trigger_regex(checks)
        # which checks apply, by (does a trigger character occur?, is it a plural entry?)
        self.plans = {
            (special, plural): [
                (c, c.id, c.needs_translation)
                for c in checks
                if (special or not c.trigger) and (plural or not c.plural_only)
            ]
            for special in (False, True)
            for plural in (False, True)
        }

    def _special(self, msg: Any, strings: tuple[str, ...]) -> bool:
        """Whether some character-triggered check has work (one regex pass decides)."""
        triggered = self.triggered
        if triggered is None:
            return False
        if MT_DAMAGED_FLAG in msg.flags or _source_special(
            triggered, msg.source, msg.source_plural
        ):
            return True
        search = triggered.search
        for t in strings:
            if search(t) is not None:
                return True
        return False

    def message(self, msg: Any) -> None:
        strings = msg.strings
        flags = msg.flags
        skip = entry_ignores(flags) if flags else None
        unit = Unit(msg, self.catalog, self.language, self.config, dict(self.shared))
        plural = msg.source_plural is not None or len(strings) > 1
        copied = False
        for check, check_id, needs_translation in self.plans[self._special(msg, strings), plural]:
            if (copied and needs_translation) or (skip and check_id in skip):
                continue
            try:
                problems = check.check(unit)
                if problems and problems.__class__ is not list:
                    problems = list(problems)
            except Exception as exc:  # noqa: BLE001 -- a check bug must not hide the others
                problems = [Problem(f"check failed: {type(exc).__name__}: {exc}", ERROR)]
            if problems:
                self._add(msg, check, problems)
                if check_id == UNTRANSLATED:
                    copied = True

    def _add(self, msg: Any, check: Any, problems: list) -> None:
        for problem in problems:
            if problem.__class__ is Problem:
                text, severity = problem.message, problem.severity
            else:
                text, severity = problem, check.severity
            self.out.append(
                Finding(
                    self.language,
                    msg.context,
                    check.id,
                    severity,
                    " ".join(text.split()),
                    self.path,
                    msg.line,
                )
            )


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
