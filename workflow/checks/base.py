"""The pieces every QA check shares: :class:`Finding`, :class:`Check` and :class:`Unit`.

A check is a small class with an ``id``, a ``severity`` and a docstring (first line =
title, the rest = description).  It looks at one :class:`Unit` -- the source, the plural
source, the translated forms, the language and the catalogue -- and yields one-line
problem descriptions, built from English templates it declares once in ``messages``
(:mod:`workflow.checks.messages`: a UI shows them translated).  The registry table lives
in :mod:`workflow.checks.registry`.
"""

from __future__ import annotations

import inspect
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

from workflow.checks.messages import FORM
from workflow.textrules import IGNORE_FLAG as IGNORE_FLAG
from workflow.textrules import IGNORE_HEADER as IGNORE_HEADER
from workflow.textrules import MT_DAMAGED_FLAG as MT_DAMAGED_FLAG
from workflow.textrules import plural_function

ERROR = "error"
WARNING = "warning"
SEVERITIES = (ERROR, WARNING)


@dataclass(frozen=True)
class Finding:
    """One problem in one entry of one catalogue."""

    language: str
    context: str
    check_id: str
    severity: str
    message: str
    path: str
    line: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "context": self.context,
            "check_id": self.check_id,
            "severity": self.severity,
            "message": self.message,
            "path": self.path,
            "line": self.line,
        }


@dataclass(frozen=True)
class Problem:
    """What a check yields when one problem needs a severity other than the check's own."""

    message: str
    severity: str


def parse_ignore(values: Iterable[str]) -> frozenset[str]:
    """Check ids named in ignore values ("length", "length, brackets", "length brackets")."""
    ids: set[str] = set()
    for value in values:
        ids.update(part for part in re.split(r"[\s,;]+", value.strip()) if part)
    return frozenset(ids)


def entry_ignores(flags: Iterable[str]) -> frozenset[str]:
    """Check ids silenced by ``#, letterflow-ignore: <id>`` flags of one entry (a
    frozenset of flags: looked up in a memo; a catalogue has a handful of flag sets)."""
    if flags.__class__ is not frozenset:
        return _entry_ignores(flags)
    got = _IGNORES.get(flags)
    if got is None:
        if len(_IGNORES) >= 4096:
            _IGNORES.clear()
        got = _IGNORES[flags] = _entry_ignores(flags)
    return got


_IGNORES: dict[frozenset[str], frozenset[str]] = {}


def _entry_ignores(flags: Iterable[str]) -> frozenset[str]:
    values = [f[len(IGNORE_FLAG) :] for f in flags if f.startswith(IGNORE_FLAG)]
    return parse_ignore(values) if values else frozenset()


@lru_cache(maxsize=64)
def plural_layout(plural_expr: str, nplurals: int) -> tuple[frozenset[int], frozenset[int]]:
    """(forms used for exactly one n, forms n == 1 selects) for a gettext plural expression.

    A form used for a single value of n (Arabic "zero", "one", "two") may spell the
    number out and leave the count placeholder away, as ``msgfmt -c`` allows.
    """
    try:
        func = plural_function(plural_expr or "0")
    except (ValueError, SyntaxError):
        return frozenset(), frozenset({0})
    seen: dict[int, set[int]] = {}
    for n in range(0, 1201):
        try:
            form = int(func(n))
        except Exception:  # noqa: BLE001 -- a broken expression is reported elsewhere
            return frozenset(), frozenset({0})
        seen.setdefault(form, set()).add(n)
    single = frozenset(f for f, ns in seen.items() if len(ns) == 1 and f < max(nplurals, 1))
    one = frozenset(f for f, ns in seen.items() if 1 in ns)
    return single, one


#: Unit.where's prefixes of the first forms, made once
_FORMS = tuple(FORM % {"form": i} for i in range(8))


class Unit:
    """What a check sees: one message of one catalogue, plus a scratch cache.

    The message's fields are copied into plain attributes once (checks read them many
    times per entry).
    """

    __slots__ = (
        "message",
        "catalog",
        "language",
        "config",
        "_cache",
        "_shared",
        "source",
        "source_plural",
        "strings",
        "flags",
        "plural",
        "nplurals",
        "_forms",
    )

    def __init__(
        self,
        message: Any,  # workflow.catalogs.Message
        catalog: Any,  # workflow.catalogs.Catalog
        language: str,
        config: Any = None,
        cache: dict[str, Any] | None = None,
    ):
        self.message = message
        self.catalog = catalog
        self.language = language
        self.config = config
        self._cache = {} if cache is None else cache
        self._shared = None
        self.source: str = message.source
        self.source_plural: str | None = message.source_plural
        self.strings: tuple[str, ...] = tuple(message.strings)
        self.flags: frozenset[str] = message.flags
        self.plural: bool = message.source_plural is not None
        self.nplurals: int = int(getattr(catalog, "nplurals", 1) or 1)
        self._forms: list[tuple[int, str, str]] | None = None

    @property
    def cache(self) -> dict[str, Any]:
        """The unit's scratch cache (made by :meth:`of_run`: a copy of the run's shared
        dict, made on first use; few units of a run are ever asked)."""
        cache = self._cache
        if cache is None:
            cache = self._cache = dict(self._shared)
        return cache

    @classmethod
    def of_run(cls, messages: Iterable[Any], catalog: Any, language: str, config: Any,
               shared: dict[str, Any]) -> tuple[list[Unit], list[int]]:
        """The units of a whole-catalogue run and, per message, its unit's index (-1 for
        an obsolete or untranslated one): for each live message what
        ``Unit(message, catalog, language, config, dict(shared))`` gives, without a call,
        a ``getattr`` and a ``tuple()`` per message (``tests/test_checks_batch.py``
        compares both)."""
        nplurals = int(getattr(catalog, "nplurals", 1) or 1)
        new = object.__new__
        units: list[Unit] = []
        unit_of: list[int] = []
        add, mark = units.append, unit_of.append
        n = 0
        for m in messages:
            strings = m.strings
            if m.obsolete or not any(strings):
                mark(-1)
                continue
            u = new(cls)  # (one store per slot: no tuple packing)
            u.message = m
            u.catalog = catalog
            u.language = language
            u.config = config
            u._cache = None  # (a copy of *shared* on first use: see cache)
            u._shared = shared
            u.source = m.source
            u.source_plural = plural = m.source_plural
            u.strings = strings if strings.__class__ is tuple else tuple(strings)
            u.flags = m.flags
            u.plural = plural is not None
            u.nplurals = nplurals
            u._forms = None
            add(u)
            mark(n)
            n += 1
        return units, unit_of

    def forms(self) -> list[tuple[int, str, str]]:
        """(index, source for this form, translation) for every non-empty translated form."""
        forms = self._forms
        if forms is None:
            if not self.plural:
                text = self.strings[0] if self.strings else ""
                forms = [(0, self.source, text)] if text else []
            else:
                forms = list(self._plural_forms())
            self._forms = forms
        return forms

    def _plural_forms(self) -> Iterator[tuple[int, str, str]]:
        plural_source = self.source_plural or self.source
        for i, text in enumerate(self.strings):
            if not text:
                continue
            if self.nplurals == 1 or i not in self.forms_for_one():
                yield i, plural_source, text
            else:
                yield i, self.source, text

    def forms_for_one(self) -> frozenset[int]:
        return plural_layout(getattr(self.catalog, "plural_expr", "0"), self.nplurals)[1]

    def single_value_forms(self) -> frozenset[int]:
        return plural_layout(getattr(self.catalog, "plural_expr", "0"), self.nplurals)[0]

    def sources(self) -> tuple[str, ...]:
        if self.source_plural is None:
            return (self.source,)
        return (self.source, self.source_plural)

    @staticmethod
    def where(index: int, total: int) -> str:
        """A "form 1: " prefix for plural messages (``messages.FORM``), nothing otherwise."""
        if total <= 1:
            return ""
        return _FORMS[index] if index < len(_FORMS) else FORM % {"form": index}


class Check(ABC):
    """Base class of every QA check (subclasses must have a docstring)."""

    #: Stable id used in findings, ignore flags and ``letterflow checks``.
    id: ClassVar[str] = ""
    #: "error" blocks approval, export and the CI gate; "warning" is shown only.
    severity: ClassVar[str] = WARNING
    #: Skipped when the translation is identical to the source ("untranslated" failed).
    needs_translation: ClassVar[bool] = True
    #: If set (a regex character class), the check only runs on entries whose source or
    #: translation contains one of these characters (the runner tests all triggers at once).
    trigger: ClassVar[str] = ""
    #: Only run on plural entries (or entries with more than one string).
    plural_only: ClassVar[bool] = False
    #: ``check_catalog`` also takes the project configuration (``config=``).
    catalog_config: ClassVar[bool] = False
    #: Every English template (``N_``) the check builds its messages from, and the English
    #: words it may put in their slots: the UI shows them translated (``messages.explain``).
    messages: ClassVar[tuple[str, ...]] = ()
    words: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def title(cls) -> str:
        doc = inspect.cleandoc(cls.__doc__ or "")  # own docstring only, never inherited
        return doc.splitlines()[0].strip() if doc else ""

    @classmethod
    def description(cls) -> str:
        doc = inspect.cleandoc(cls.__doc__ or "")
        parts = doc.split("\n\n", 1)
        return " ".join(parts[1].split()) if len(parts) > 1 else ""

    @abstractmethod
    def check(self, unit: Unit) -> Iterable[str | Problem]:
        """One-line problem descriptions for one message (a list; a generator also works)."""

    def applies(self, language: str, config: Any = None) -> bool:
        """Whether :meth:`check` can find anything in *language* (a whole-catalogue run
        leaves out the checks that cannot: no dictionary, no word list). True by default."""
        return True

    def candidates(self, batch: Any) -> Iterable[int] | None:
        """Which messages of a run :meth:`check` must see: indices into ``batch.units``
        (a :class:`workflow.checks.batch.Batch`), or None for all (the default). Asked
        once per run, before this check's first :meth:`check` call, so it is also the
        place for per-catalogue preparation (``batch.shared["run"]`` is the run's memo).
        It must be conservative: a message left out is one :meth:`check` finds nothing
        in. ``trigger`` and ``plural_only`` still apply on top of it."""
        return None

    def finish(self, deferred: list) -> Iterable[tuple[Any, str | Problem]]:
        """(message, problem) pairs for the work :meth:`check` deferred during a whole-
        catalogue run (``unit.cache["deferred"][self.id]``): one batch instead of one call
        per message. None by default."""
        return ()

    def check_catalog(self, catalog: Any, language: str) -> Iterable[str | Problem]:
        """Yield problems of the catalogue as a whole (header); none by default."""
        return ()

    def __repr__(self) -> str:
        return f"<Check {self.id} ({self.severity})>"
