"""Braces in a text letter: typed data (``{date:2014-12-05}``, ``{number:12500}``) and the
check that points at a bad brace with its own line and column."""

from __future__ import annotations

import datetime as _dt
import re
import string

from ..errors import LetterError

#: Typed data inside the text: ``{date:2014-12-05}``, ``{date:2013-03}``, ``{number:12500}``.
TYPED = {
    "date": re.compile(r"\d{4}-\d{2}(?:-\d{2})?"),
    "number": re.compile(r"-?\d+(?:\.\d+)?"),
}
TYPED_NOTE = {
    "date": "a date (ISO), written in the reader's locale at export; keep it as it is",
    "number": "a number, written with the reader's digits and separators at export; keep it",
}


def typed_value(name: str, spec: str) -> bool:
    """True if ``{name:spec}`` is typed data (a date or number) rather than a bad field."""
    pattern = TYPED.get(name)
    if pattern is None or not pattern.fullmatch(spec):
        return False
    if name == "date":
        try:
            _dt.date.fromisoformat(spec if len(spec) == 10 else spec + "-01")
        except ValueError:
            return False
    return True


_BRACE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def check_braces(content: list[tuple[int, str]], declared, where: str) -> None:
    """Point at the first bad brace with its own line and column (1-based)."""
    for lineno, text in content:
        if "{" not in text and "}" not in text:
            continue
        for m in _BRACE.finditer(text):
            token = m.group(0)
            if token in ("{{", "}}"):
                continue
            col = m.start() + 1
            if m.group(1) is None:
                raise LetterError(
                    f"unbalanced placeholder brace {token!r}: a placeholder is {{name}} on one "
                    "line; write {{ or }} for a literal brace", where, lineno, col)
            inner = m.group(1)
            name, _, spec = inner.partition(":")
            if spec and typed_value(name, spec):
                continue
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", inner):
                raise LetterError(
                    f"placeholder {{{inner}}} must be a plain name like {{country}} (or typed "
                    "data like {date:2014-12-05}); write {{ and }} for a literal brace",
                    where, lineno, col)
            if inner not in declared:
                raise LetterError(
                    f"placeholder {{{inner}}} is not declared in [placeholders] (for literal "
                    f"text write {{{{{inner}}}}})", where, lineno, col)


def placeholders_in(text: str, *, path: str | None = None, line: int | None = None) -> list[str]:
    """Return the ``{name}`` placeholders of *text* (typed data as ``date:2014-12-05``);
    LetterError if braces are unbalanced."""
    if "{" not in text and "}" not in text:
        return []  # what the parser gives for a text without a brace
    names: list[str] = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise LetterError(
            f"unbalanced placeholder braces ({exc}) in {text[:50]!r}; write {{{{ and }}}} "
            "for a literal brace", path, line
        ) from None
    for _literal, name, spec, conv in parsed:
        if name is None:
            continue
        if spec and not conv and typed_value(name, spec):
            name = f"{name}:{spec}"
        elif not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or spec or conv:
            raise LetterError(
                f"placeholder {{{name}}} must be a plain name like {{country}} (or typed data "
                "like {date:2014-12-05}); write {{ and }} for a literal brace", path, line
            )
        if name not in names:
            names.append(name)
    return names
