"""PO string literals: their syntax, their escapes, and the text of consecutive literals.
Standard library only (``letterflow check`` loads it through the reader)."""

from __future__ import annotations

import re

_QUOTED = r'"(?:[^"\\]|\\(?:[\\"abfnrtv?\']|[0-7]{1,3}|x[0-9A-Fa-f]+))*"'
# One string literal per line, _QUOTED unrolled (the reader's fast path).
_STR = (
    r'"[^"\\\n]*(?:\\(?:[\\"abfnrtv?\']|[0-7]{1,3}|x[0-9A-Fa-f]+)[^"\\\n]*)*"'
)
_STRS = _STR + r"(?:\n" + _STR + r")*"
#: A fast block's msgstr line(s), read from where its head ends.
_TAIL = re.compile(r"msgstr (" + _STRS + r")\n?")
_ESCAPE = re.compile(r"\\(?:[0-7]{1,3}|x[0-9A-Fa-f]+|.)")
_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "\\": "\\",
    '"': '"',
    "?": "?",
    "'": "'",
}
def _unescape_match(m: re.Match) -> str:
    esc = m.group(0)[1:]
    if esc in _ESCAPES:
        return _ESCAPES[esc]
    if esc[0] == "x":
        return chr(int(esc[1:], 16))
    if esc[0].isdigit():
        return chr(int(esc, 8))
    return esc


def unquote(quoted: str) -> str:
    """The text of one PO string literal (with its quotes), C escapes resolved."""
    body = quoted[1:-1]
    return _ESCAPE.sub(_unescape_match, body) if "\\" in body else body


def _strings(group: str) -> str:
    """The text of consecutive string literals, one per line (as _FAST_ENTRY matched them)."""
    if "\\" not in group:
        return group[1:-1].replace('"\n"', "")
    # escapes are resolved per literal ("\\1" "2" is not "\\12")
    return "".join(unquote(f'"{part}"') for part in group[1:-1].split('"\n"'))


def _msgstr(block: str, cut: int) -> str | None:
    """The text of the msgstr line(s) starting at *cut* if they are all *block* has left
    (what _FAST_ENTRY's last part matches), else None. Without escapes, a str test: the
    quoted lines with every '"\\n"' between them removed leave no quote and no newline."""
    body = block[cut + 7 :]  # after "msgstr "
    if body[-1:] == "\n":
        body = body[:-1]
    if "\\" in body:
        m = _TAIL.fullmatch(block, cut)
        return _strings(m.group(1)) if m is not None else None
    if len(body) < 2 or body[0] != '"' or body[-1] != '"':
        return None
    text = body[1:-1].replace('"\n"', "")
    return None if '"' in text or "\n" in text else text
