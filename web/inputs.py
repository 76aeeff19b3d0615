"""Untrusted input, checked before any view uses it: every malformed request is a 400
with a one-line reason, never a 500 and never a failure of somebody else's save.

JSON bodies are parsed here (not by ``request.get_json``, which lets a deeply nested
document raise RecursionError) and checked: nesting depth, numbers that fit the
database, text without lone surrogates (they cannot be encoded as UTF-8, so a catalogue
holding one could not be written). The value is walked only when the text could hold one
of these (MAX_DEPTH brackets or more, a surrogate escape, an odd number seen while
parsing); a body that cannot is answered as the walk would (tests/test_web_inputs_screen.py)."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import abort, request

#: Deepest JSON nesting accepted (the API's bodies are two levels deep).
MAX_DEPTH = 16
#: Largest integer accepted anywhere (SQLite's INTEGER is 64-bit).
MAX_INT = 2**53
_SURROGATE = re.compile("[\ud800-\udfff]")
_ID = re.compile(r"[0-9]{1,15}")


def bad(description: str) -> None:
    abort(400, description=description)


def check_text(value: str, what: str = "text") -> str:
    if _SURROGATE.search(value):
        bad(f"{what} contains an unpaired surrogate (not valid Unicode)")
    return value


def _walk(value: Any, depth: int) -> None:
    if depth > MAX_DEPTH:
        bad(f"JSON nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, dict):
        for k, v in value.items():
            check_text(k, "a JSON key")
            _walk(v, depth + 1)
    elif isinstance(value, list):
        for v in value:
            _walk(v, depth + 1)
    elif isinstance(value, str):
        check_text(value, "a JSON string")
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        if abs(value) > MAX_INT:
            bad("a number in the JSON is out of range")
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            bad("a number in the JSON is not finite")


#: A JSON escape of a UTF-16 surrogate: the only way a parsed string can hold one (UTF-8
#: text cannot; a valid pair becomes one character, so this finds more than lone ones).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class _Numbers:
    """json.loads' number hooks: the numbers as ``json`` makes them, noting whether one is
    out of the range or not finite (then :func:`_walk` reports it, as it always did)."""

    __slots__ = ("odd",)

    def __init__(self) -> None:
        self.odd = False

    def integer(self, text: str) -> int:
        value = int(text)
        if abs(value) > MAX_INT:
            self.odd = True
        return value

    def real(self, text: str) -> float:
        value = float(text)
        if value != value or value in (float("inf"), float("-inf")):
            self.odd = True
        return value


def json_object() -> dict[str, Any]:
    """The request's JSON object, checked; 400 for anything else."""
    raw = request.get_data(cache=True)
    numbers = _Numbers()
    try:
        text = raw.decode("utf-8")
        data = json.loads(text, parse_constant=lambda c: bad(f"{c} is not JSON"),
                          parse_int=numbers.integer, parse_float=numbers.real)
    except (UnicodeDecodeError, ValueError, RecursionError):
        bad("Send a JSON object (Content-Type: application/json).")
    if not isinstance(data, dict):
        bad("Send a JSON object (Content-Type: application/json).")
    # The walk finds nothing in a body with fewer than MAX_DEPTH brackets (no value can be
    # deeper), no surrogate escape and no odd number: it is only walked otherwise.
    if (numbers.odd or text.count("[") + text.count("{") >= MAX_DEPTH
            or ("\\u" in text and _SURROGATE_ESCAPE.search(text))):
        _walk(data, 1)
    return data


def row_id(value: str | None) -> int | None:
    """A positive database id written in ASCII digits ("²" is a digit to str.isdigit,
    not to int()), else None."""
    if value is None or not _ID.fullmatch(value):
        return None
    n = int(value)
    return n if n > 0 else None
