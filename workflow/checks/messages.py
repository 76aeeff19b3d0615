"""QA finding messages in the reader's language, at no cost to the gate.

A check builds every message from English templates declared once, as module constants
marked with :func:`N_` (``%(name)s`` slots only), and lists them in its class's
``messages`` (and the English words it may put in a slot, "no mark", "none", in its
``words``). ``Finding.message`` is the filled English text, as the CLI, the gate's reports
and the JSON reports have always shown it: nothing more is computed or stored per finding.

A front end that shows a finding in another language asks :func:`explain` for its parts:
the template's inverse (one regular expression per template, made on first use) gives the
template and the slot values back, and the front end fills the translated template with
them (``web/qa_text.py``). ``pybabel extract`` (``web.i18n.EXTRACT_FROM``, with
``web/translations/babel.cfg``) puts the templates, the words, the checks' titles (the
first line of their docstrings, through :func:`extract_checks`) and the severity words
into the ``ui`` domain. A message no template explains is shown as it is (English).
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from typing import Any

from workflow.errors import N_

__all__ = ["CHECK_FAILED", "FORM", "N_", "SEVERITY_WORDS", "explain", "extract_checks",
           "failed", "slots", "templates"]

#: Before a plural form's problem (``Unit.where``): "form 2: ".
FORM = N_("form %(form)s: ")
#: The severities, as the UI shows them (``base.ERROR``, ``base.WARNING``).
SEVERITY_WORDS = (N_("error"), N_("warning"))
#: Any check's finding when the check itself raised (the runner's).
CHECK_FAILED = N_("check failed: %(error)s: %(detail)s")

_SLOT = re.compile(r"%\((\w+)\)s|%%|%")


def failed(exc: BaseException) -> str:
    """The finding of a check that raised *exc* (CHECK_FAILED)."""
    return CHECK_FAILED % {"error": type(exc).__name__, "detail": exc}


def slots(template: str) -> tuple[str, ...]:
    """The slot names of *template*, in order (``ValueError`` for any other ``%``
    directive than ``%(name)s`` and ``%%``)."""
    names = []
    for m in _SLOT.finditer(template):
        if m.group(0) == "%":
            raise ValueError(f"only %(name)s slots in a finding template: {template!r}")
        if m.group(1):
            names.append(m.group(1))
    return tuple(names)


@lru_cache(maxsize=512)
def _pattern(template: str, prefix: bool = False, longest: bool = False) -> re.Pattern[str]:
    """The inverse of ``template % params``: a slot matches any text (the shortest that
    lets the rest match, or with *longest* the longest; a slot used twice matches the
    same text again)."""
    out, seen, pos = [], set(), 0
    for m in _SLOT.finditer(template):
        out.append(re.escape(template[pos:m.start()]))
        pos = m.end()
        name = m.group(1)
        if name is None:
            out.append("%")
        elif name in seen:
            out.append(f"(?P={name})")
        else:
            seen.add(name)
            out.append(rf"(?P<{name}>\d+)" if prefix
                       else f"(?P<{name}>.*)" if longest else f"(?P<{name}>.*?)")
    out.append(re.escape(template[pos:]))
    return re.compile("".join(out), re.S)


@lru_cache(maxsize=128)
def templates(check_id: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """(the templates, the slot words) check *check_id* declares (and CHECK_FAILED); empty
    if unknown."""
    from workflow.checks.registry import registry

    check = registry.get(check_id)
    if check is not None:
        declared, words = (*check.messages, CHECK_FAILED), frozenset(check.words)
    elif check_id == "header":  # the header entry's findings (workflow.status)
        from workflow.checks.header import HEADER_MESSAGES

        declared, words = HEADER_MESSAGES, frozenset()
    else:
        return (), frozenset()
    # the most specific first: "... (and %(more)s more): ..." before "...: ..." (a slot
    # matches any text, so the shorter template could also make the longer one's message)
    return tuple(sorted(declared, key=_literal_length, reverse=True)), words


def _literal_length(template: str) -> int:
    return len(_SLOT.sub("", template))


def explain(check_id: str, message: str) -> list[tuple[str, dict[str, str]]] | None:
    """The parts of *message* (a finding of check *check_id*): ``[(template, params)]``,
    with ``(FORM, {"form": "2"})`` first for a plural form's problem, such that joining
    ``template % params`` over the parts gives *message* back; None when no declared
    template makes it (the message is shown as it is)."""
    declared, _words = templates(check_id)
    if not declared:
        return None
    parts: list[tuple[str, dict[str, str]]] = []
    rest = message
    head = _pattern(FORM, True).match(rest)
    if head is not None:
        parts.append((FORM, head.groupdict()))
        rest = rest[head.end():]
    for template in declared:
        m = _pattern(template).fullmatch(rest)
        if m is not None:
            params = m.groupdict()
            # a slot value holding the template's own words: more than one reading (the
            # shortest and the longest first slot differ), none of them to be trusted
            longest = _pattern(template, longest=True).fullmatch(rest)
            if longest is None or longest.groupdict() != params:
                return None
            parts.append((template, params))
            return parts
    return None


def extract_checks(fileobj: Any, keywords: Any, comment_tags: Any,
                   options: dict) -> Any:
    """A Babel extractor for the UI's Python (``web/translations/babel.cfg``): what the
    Python extractor finds (``_``, ``N_``...), plus the title of each class derived from
    ``Check`` (the first line of its docstring, ``Check.title``), which the UI shows
    translated."""
    from babel.messages.extract import extract_python

    data = fileobj.read()
    fileobj.seek(0)
    yield from extract_python(fileobj, keywords, comment_tags, options)
    tree = ast.parse(data.decode(options.get("encoding", "utf-8")))
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        is_check = any(isinstance(b, ast.Name) and b.id == "Check" for b in node.bases)
        doc = ast.get_docstring(node)
        if is_check and doc:
            title = doc.splitlines()[0].strip()
            yield node.body[0].lineno, "_", title, ["check title (letterflow checks)"]
