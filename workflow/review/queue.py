"""What a reviewer sees of a catalogue: the queue (letter order, state and QA filters),
navigation between entries, provenance notes, role comments and word-diff data.

Pure functions over a parsed catalogue (``workflow.catalogs.Catalog``); no I/O.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Container
from typing import Any

#: The states an entry can be in, in the order the queue filter offers them.
STATES = ("draft", "untranslated", "approved")

_WORDS = re.compile(r"\s+|[^\s]+")


def queue(catalog: Any, state: str | None = None,
          with_findings: Container[str] | None = None) -> list[Any]:
    """Active entries in letter order; only *state* ones if it is one of STATES, only those
    whose context is in *with_findings* if given (the "QA findings only" filter)."""
    items = catalog.active()
    if state in STATES:
        items = [m for m in items if m.state == state]
    if with_findings is not None:
        items = [m for m in items if m.context in with_findings]
    return items


def neighbours(catalog: Any, context: str) -> tuple[str | None, str | None]:
    """(previous, next) contexts of *context* in letter order; (None, None) if unknown."""
    items = [m.context for m in catalog.active()]
    try:
        i = items.index(context)
    except ValueError:
        return None, None
    return (items[i - 1] if i > 0 else None, items[i + 1] if i + 1 < len(items) else None)


def next_open(catalog: Any, context: str) -> str | None:
    """The next entry after *context* that still needs review (wrapping), else None."""
    items = catalog.active()
    ctxs = [m.context for m in items]
    start = ctxs.index(context) + 1 if context in ctxs else 0
    for m in items[start:] + items[:start]:
        if m.context != context and m.state != "approved":
            return m.context
    return None


def provenance(message: Any) -> str:
    """Who or what produced the current text, from the translator comments."""
    value = getattr(message, "provenance", None)
    return value if isinstance(value, str) else ""


def role_of(message: Any) -> str:
    """The role comment (``#. role: body``) or the first automatic comment."""
    for c in message.auto_comments:
        if c.lower().startswith("role"):
            return c
    return message.auto_comments[0] if message.auto_comments else ""


def word_diff(old: str | None, new: str | None) -> list[tuple[str, str]]:
    """A word diff as ``[(op, text)]`` with op ``"="`` (kept), ``"-"`` (removed) or
    ``"+"`` (added); whitespace runs count as words, so joining the ``=`` and ``+``
    parts gives *new* back."""
    a = _WORDS.findall(old or "")
    b = _WORDS.findall(new or "")
    out: list[tuple[str, str]] = []
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            out.append(("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("+", "".join(b[j1:j2])))
    return out
