"""One message's QA run (the review UI's approve, save and editor): ``run_checks(catalog,
message)`` without the whole-catalogue machinery.

A whole-catalogue run (:mod:`workflow.checks.runner`) builds a :class:`~.batch.Batch`,
finds every check's trigger characters in one pass over all texts, and asks each check's
``candidates()`` screen which messages it must see. For one message that set-up costs
more than it saves: the triggers are one regex pass over the message's own texts here, and
the screens are skipped (but those in :data:`SCREEN_FIRST`), which cannot change a finding
because a screen must be conservative (a message it leaves out is one ``check()`` finds
nothing in; ``tests/test_checks_batch.py`` holds every screen to that). Everything else is
as in the runner: the same checks in the same order (every registered check but the
ignored and skipped ones, ``applies()`` not asked), the same ``unit.cache`` ("glossary",
"run", no "deferred"), the untranslated check silencing the checks that need a
translation, per-entry ignore flags, a failing check reported as an error finding (also
where a screen would have spared the call: fail closed), and the same Finding fields.
``tests/test_checks_one.py`` compares it with the batch path on the check tables and on
the repository's catalogues, message by message and with edits of each.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from workflow.checks.base import ERROR, MT_DAMAGED_FLAG, Problem, Unit, entry_ignores
from workflow.checks.messages import failed

UNTRANSLATED = "untranslated"
#: Checks whose ``candidates()`` screen, run on a one-message Batch, costs less than their
#: ``check()`` on a message the screen leaves out (register: a regex over the text, where
#: ``check()`` first looks up the letter's declared register). Speed only: a screen never
#: changes a finding.
SCREEN_FIRST = frozenset({"register"})


class _Classes(dict):
    """A character -> the trigger classes (of one check set) it belongs to, worked out once
    per character (the characters a scanner finds are a small set: punctuation, digits,
    markup...). Bounded: emptied when full."""

    MAX = 4096

    def __init__(self, classes: list[tuple[str, re.Pattern[str]]]):
        super().__init__()
        self.classes = classes

    def __missing__(self, char: str) -> frozenset[str]:
        if len(self) >= self.MAX:
            self.clear()
        found = self[char] = frozenset(t for t, cls in self.classes if cls.match(char))
        return found


@lru_cache(maxsize=16)
def _scanner(triggers: tuple[str, ...]) -> tuple[re.Pattern[str], _Classes]:
    """One regex for every character of *triggers* (``Check.trigger`` classes), and the
    classes of each character it finds (each class's own regex, asked once per character),
    made once per check set."""
    anything = re.compile("[" + "".join(triggers) + "]+")
    return anything, _Classes([(t, re.compile("[" + t + "]")) for t in triggers])


def triggered(triggers: tuple[str, ...], unit: Unit) -> set[str]:
    """The triggers among *triggers* that select *unit* as ``Batch.triggered`` would: one
    of a class's characters in the source, the plural source or a translated form, or a
    letterflow-mt-damaged flag (every trigger). One regex pass over each text."""
    if not triggers:
        return set()
    if unit.flags and MT_DAMAGED_FLAG in unit.flags:
        return set(triggers)
    anything, classes = _scanner(triggers)
    found = "".join(anything.findall(unit.source))
    if unit.source_plural is not None:
        found += "".join(anything.findall(unit.source_plural))
    for s in unit.strings:
        found += "".join(anything.findall(s))
    if not found:
        return set()
    return set().union(*map(classes.__getitem__, set(found)))


def _screened(check: Any, message: Any, catalog: Any, unit: Unit) -> bool:
    """Whether *check*'s ``candidates()`` screen keeps *message* (a failing screen keeps it,
    as in the runner)."""
    from workflow.checks.batch import Batch

    try:
        picked = check.candidates(Batch([message], catalog, unit.language, unit.config,
                                        unit.cache))
    except Exception:  # noqa: BLE001 -- a screen's bug costs time, never a finding
        return True
    return picked is None or 0 in picked


def run_one(checks: list, catalog: Any, message: Any, config: Any, glossary: Any,
            found: Any) -> list:
    """The findings of *checks* (in order) on *message* of *catalog*; *found* is the
    runner's ``_found(check, problems, language, context, path, line)``."""
    if message.obsolete or not any(message.strings):
        return []
    language = catalog.language
    shared = {"glossary": glossary, "deferred": None, "run": {}}
    unit = Unit(message, catalog, language, config, shared)
    ignored = entry_ignores(unit.flags) if unit.flags else frozenset()
    multi = unit.plural or len(unit.strings) != 1
    path = str(getattr(catalog, "path", ""))
    hit = triggered(tuple(dict.fromkeys(c.trigger for c in checks if c.trigger)), unit)
    copied = False  # the untranslated check found the text copied from the source
    out: list = []
    for check in checks:
        if ((check.plural_only and not multi) or (copied and check.needs_translation)
                or check.id in ignored or (check.trigger and check.trigger not in hit)
                or (check.id in SCREEN_FIRST and not _screened(check, message, catalog, unit))):
            continue
        try:
            problems = check.check(unit)
            if problems and problems.__class__ is not list:
                problems = list(problems)
        except Exception as exc:  # noqa: BLE001 -- a check bug must not hide the others
            problems = [Problem(failed(exc), ERROR)]
        if problems:
            out.extend(found(check, problems, language, message.context, path, message.line))
            if check.id == UNTRANSLATED:
                copied = True
    return out
