"""One catalogue assessment: is this catalogue complete and clean?

:func:`assess` is the one answer used by the CI gate (``gate.analyse_catalog``), the
export gate (``export.statuses.language_status``) and the review UI's progress numbers
(``web.service.language_summary``):

- **counts** by state (approved, draft, untranslated, obsolete, total, percent);
- **complete**: every active entry approved and, given the letter, every translatable
  block of the letter present in the catalogue;
- **findings** split into errors and warnings, and the errors split again into those that
  fail a build (on an approved entry, or on the catalogue as a whole) and those on entries
  still waiting for review (drafts may be broken meanwhile; msgfmt skips fuzzy ones too);
- **stale**: the catalogue is out of sync with the template, or lacks letter blocks;
- **header** errors of the file itself: empty or truncated, charset not UTF-8, a
  ``Language`` header naming another language.

Light to import (``letterflow check`` loads it): parsing and QA are imported on use.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import attrgetter

from .records import Record, factory

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs `check` ~2 ms
if TYPE_CHECKING:
    from typing import Any

ERROR = "error"


class CatalogStatus(Record):
    """The assessment of one parsed catalogue."""

    language: str
    counts: dict[str, Any]            # Stats.as_dict(): approved, draft, ..., percent (1 dp)
    percent: float                    # exact share of approved entries, 0-100
    not_approved: list[tuple[str, str, int]] = factory(list)  # ctx, state, line
    approved_contexts: set[str] = factory(set)
    findings: list = factory(list)   # every QA finding
    missing: list[str] = factory(list)      # letter blocks not in the catalogue
    out_of_sync: list[str] = factory(list)  # differences from the template

    @property
    def errors(self) -> list:
        """Error-severity findings."""
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list:
        """Every other finding."""
        return [f for f in self.findings if f.severity != ERROR]

    @property
    def draft_errors(self) -> list:
        """Errors on entries not approved yet (the CI gate reports them as warnings)."""
        return [f for f in self.errors if is_draft_finding(f, self.approved_contexts)]

    @property
    def blocking_errors(self) -> list:
        """Errors on approved entries or on the catalogue as a whole."""
        return [f for f in self.errors if not is_draft_finding(f, self.approved_contexts)]

    @property
    def flagged(self) -> set[str]:
        """Contexts with an error-severity finding ("" for the catalogue as a whole)."""
        return {f.context for f in self.errors}

    @property
    def complete(self) -> bool:
        return not self.not_approved and not self.missing

    @property
    def clean(self) -> bool:
        return not self.errors

    @property
    def stale(self) -> bool:
        return bool(self.missing or self.out_of_sync)

    @property
    def ok(self) -> bool:
        """Complete, clean and up to date: fit to send."""
        return self.complete and self.clean and not self.stale


def is_draft_finding(finding: Any, approved_contexts: Iterable[str] | set[str]) -> bool:
    """An error on one entry that is not approved yet (not on the file as a whole, not a
    syntax or sync problem): the gate lets a draft be broken while it waits for review."""
    return (finding.severity == ERROR and bool(finding.context)
            and finding.context not in approved_contexts
            and finding.check_id not in ("syntax", "sync"))


def assess(
    catalog: Any,
    findings: Iterable[Any] | None = None,
    *,
    config: Any = None,
    skip: frozenset[str] = frozenset(),
    template: Any = None,
    letter: Any = None,
    finding: type | None = None,
) -> CatalogStatus:
    """Assess a parsed catalogue. *findings*: its QA findings if already known (a cache),
    else the checks run here with *config* (minus *skip*), made as *finding* records
    (see ``run_checks``). *template*: also report differences from it; *letter*: also
    report its translatable blocks that are missing."""
    from .gcpause import paused_gc

    with paused_gc():  # thousands of acyclic objects: see workflow.gcpause
        return _assess(catalog, findings, config, skip, template, letter, finding)


def _assess(catalog: Any, findings: Any, config: Any, skip: frozenset[str], template: Any,
            letter: Any, finding: type | None = None) -> CatalogStatus:
    from .catalogs import Stats

    approved: set[str] = set()
    not_approved: list[tuple[str, str, int]] = []
    n_approved = untranslated = draft = obsolete = 0
    add, wait = approved.add, not_approved.append
    for m in catalog.messages:  # (Message.state, inlined: one step per message)
        if m.obsolete:
            obsolete += 1
        elif not any(strings := m.strings):
            untranslated += 1
            wait((m.context, "untranslated", m.line))
        elif m.fuzzy or "" in strings:
            draft += 1
            wait((m.context, "draft", m.line))
        else:
            n_approved += 1
            add(m.context)
    counts = {"approved": n_approved, "draft": draft, "untranslated": untranslated,
              "obsolete": obsolete}
    stats = Stats(**counts)
    status = CatalogStatus(
        language=catalog.language, counts=stats.as_dict(), percent=stats.percent,
        not_approved=not_approved, approved_contexts=approved,
    )
    if template is not None:
        status.out_of_sync = _out_of_sync(template, catalog, all_active=not obsolete)
    if letter is not None:
        blocks = getattr(letter, "messages", None)
        if blocks is None:
            blocks = [b for b in letter.blocks if b.translatable]
        contexts = {b.context for b in blocks}
        status.missing = sorted(c for c in contexts if catalog.get(c) is None)
    if findings is None:
        from .checks import run_checks

        findings = run_checks(catalog, config=config, skip=skip, finding=finding,
                              active=None if obsolete else list(catalog.messages))
    status.findings = header_findings(catalog) + list(findings)
    return status


def _out_of_sync(template: Any, catalog: Any, all_active: bool = False) -> list[str]:
    """``catalog_in_sync``: [] at once when the catalogue has the template's messages in
    the template's order (as ``letterflow update`` writes them), compared in C.
    *all_active*: no message of *catalog* is obsolete (its active() is its messages)."""
    have = list(map(_SYNC_KEY, catalog.messages if all_active else catalog.active()))
    if have == _template_keys(template):
        return []
    from .catalogs import catalog_in_sync

    return list(catalog_in_sync(template, catalog))


_SYNC_KEY = attrgetter("context", "source", "source_plural")
#: The last template's (messages, keys of its active messages): every catalogue of a
#: gate run is compared with the same template. Kept while the template holds the same
#: message objects (immutable; a list comparison in C, by identity first).
_TEMPLATE_KEYS: list = []


def _template_keys(template: Any) -> list[tuple]:
    """[(context, source, source_plural)] of *template*'s active messages, in order."""
    messages = template.messages
    memo = _TEMPLATE_KEYS
    if memo and memo[0] is template and memo[1] == messages:
        return memo[2]
    keys = list(map(_SYNC_KEY, template.active()))
    memo[:] = [template, list(messages), keys]
    return keys


def header_findings(catalog: Any) -> list:
    """Errors in a catalogue file's header entry: empty or truncated, not UTF-8, a
    Language header naming another language (``workflow.checks.header``)."""
    from .checks.base import Finding
    from .checks.header import header_problems

    return [Finding(catalog.language, "", "header", ERROR, text,
                    str(getattr(catalog, "path", "")), 1)
            for text in header_problems(catalog, catalog.language)]
