"""The common block layout the reader reads with one regex (:data:`FAST_ENTRY`), the head
such a block gives (:func:`new_head`), and :func:`read_fresh`: the reader's whole-file pass
over a file read while no head is known yet (a template in the gate's parent, the first
catalogue a process reads).

:func:`read_fresh` is the block path's reading in one loop: a block :data:`FAST_ENTRY`
matches whole (and not the header) becomes its message right there, with no call per block
but :func:`new_head`'s; any other block (the header, plurals, ``#~``, odd layouts) goes
through the reader's block path, in file order. Duplicates are looked for once at the end;
on one, or on any error, the caller reads the file block by block from the start, which
reports the first problem as it always did. Standard library only.
"""

from __future__ import annotations

import re

from .knownheads import make_head, remember
from .model import Message
from .postext import _STRS, _strings

# One regex over a whole blank-line-separated block in the common layout (comments, then
# msgctxt, msgid and msgstr with one space after the keyword, no whitespace at either end
# of any line, no "#|", "#~" or plural). _QUOTED unrolled, one line per string; any other
# block is read line by line.
FAST_ENTRY = re.compile(
    r"(?P<t>(?:#(?:[^.:,|~\n][^\n]*)?(?<=\S)\n)*)"  # translator comments
    r"(?P<a>(?:#\.[^\n]*(?<=\S)\n)*)"  # automatic comments
    r"(?P<l>(?:#:[^\n]*(?<=\S)\n)*)"  # locations
    r"(?P<f>(?:#,[^\n]*(?<=\S)\n)*)"  # flags
    r"(?:msgctxt (?P<x>" + _STRS + r")\n)?"
    r"msgid (?P<i>" + _STRS + r")\n"
    r"msgstr (?P<s>" + _STRS + r")\n?"
)
#: A plural block in the same layout: msgid_plural after msgid, then msgstr[n] lines (their
#: indexes checked apart: 0, 1, ... in order, else the line reader reads the block).
FAST_PLURAL = re.compile(
    FAST_ENTRY.pattern[: FAST_ENTRY.pattern.index("msgstr (?P<s>")]
    + r"msgid_plural (?P<p>" + _STRS + r")\n"
    r"(?P<s>(?:msgstr\[\d+\] " + _STRS + r"\n)*msgstr\[\d+\] " + _STRS + r")\n?"
)
_FORMS = re.compile(r"msgstr\[(\d+)\] (" + _STRS + r")(?:\n|\Z)")
NO_FLAGS: frozenset[str] = frozenset()
AUTO_BODY = re.compile(r"#\. ?([^\n]*)\n")
#: the flags lines of a head (as FAST_ENTRY's group "f" matched them) -> their flags
_FLAGS_OF: dict[str, frozenset] = {"": NO_FLAGS}
_new, _set = object.__new__, object.__setattr__


def comment_body(s: str, n: int) -> str:
    body = s[n:]
    return body[1:] if body.startswith(" ") else body


def _flags(f: str) -> frozenset:
    """The flags of a head's flags lines *f* (each "#," then flags separated by commas)."""
    got = _FLAGS_OF.get(f)
    if got is None:
        if len(_FLAGS_OF) > 1024:
            _FLAGS_OF.clear()
        got = _FLAGS_OF[f] = frozenset(
            x for x in (y.strip() for y in f.replace("\n#,", ",")[2:].split(",")) if x)
    return got


def _auto(a: str) -> tuple:
    """The automatic comments of a head's "#." lines *a* (each line's body after "#." and
    one optional space). Every line opening with "#. ": one split (no body holds a "\\n")."""
    if a.startswith("#. "):
        bodies = a[3:-1].split("\n#. ")
        if len(bodies) == a.count("\n"):  # (each line, not only the first, opens so)
            return tuple(bodies)
    return tuple(AUTO_BODY.findall(a))


def new_head(m: re.Match, block: str) -> tuple:
    """The head of *block*, which :data:`FAST_ENTRY` matched as *m*, kept in
    ``knownheads.HEADS`` under its text (everything before "msgstr ")."""
    t, a, loc, f, ctx, i = m.group(1, 2, 3, 4, 5, 6)
    # (_strings, inlined for the common case: no escapes)
    msgid = i[1:-1].replace('"\n"', "") if "\\" not in i else _strings(i)
    has_ctx = ctx is not None
    if has_ctx:
        ctx = ctx[1:-1].replace('"\n"', "") if "\\" not in ctx else _strings(ctx)
    else:
        ctx = ""
    head = make_head(
        ctx, msgid, has_ctx, _flags(f),
        _auto(a) if a else (),
        tuple(comment_body(c, 1) for c in t[:-1].split("\n")) if t else (),
        tuple(loc.replace("\n#:", " ")[2:].split()) if loc else (),
        offset := block.count("\n", 0, m.start(6)),
    )
    # (the head ends where "msgstr " starts; its comment lines where the flags end; its
    # lines: those before the msgid line and the msgid's own)
    return remember(block[: m.start(7) - 7], head, m.end(4), offset + i.count("\n") + 1)


def read_fresh(reader, text: str) -> list | None:
    """*reader*'s messages of *text* (its header kept as the block path keeps it), or None
    if this pass cannot be sure to give what the block-by-block path gives (a duplicate:
    the block path names the first one). See the module's docstring."""
    out = reader.messages
    append = out.append
    keys: list[tuple[str, str]] = []
    key = keys.append
    match = FAST_ENTRY.fullmatch
    other = reader._block
    lineno = 1
    for b in text.split("\n\n"):
        if (m := match(b)) is None:
            other(b, lineno, False)
            lineno += b.count("\n") + 2
            continue
        h = new_head(m, b)
        raw = m.group(7)
        s = raw[1:-1].replace('"\n"', "") if "\\" not in raw else _strings(raw)
        if (p := h[9]) is None:  # the header (as the block path keeps it)
            reader._known_entry(h, s, lineno)
        else:
            d = p.copy()
            d["strings"] = (s,)
            d["line"] = lineno + h[8]
            _set(msg := _new(Message), "__dict__", d)
            append(msg)
            key(h[10])
        # (the block's lines: the head's and the msgstr's; only the text's last block can
        # end with a line break, and no line number comes after it)
        lineno += h[11] + raw.count("\n")
    unique = set(keys)
    if len(unique) != len(keys) or not unique.isdisjoint(reader._seen):
        return None
    return out


def plural_forms(m: re.Match) -> tuple | None:
    """The msgstr[n] texts of a plural block :data:`FAST_PLURAL` matched as *m*, or None
    unless their indexes are 0, 1, ... in order (the line reader then reads the block)."""
    forms: list[str] = []
    text, at = m.group(8), 0
    while at < len(text):  # (each form where the one before it ends)
        f = _FORMS.match(text, at)
        if f is None or f.group(1) != str(len(forms)):
            return None
        raw, at = f.group(2), f.end()
        forms.append(raw[1:-1].replace('"\n"', "") if "\\" not in raw else _strings(raw))
    return tuple(forms)


def plural_head(m: re.Match, block: str) -> tuple:
    """The fields of a plural block's head (:data:`FAST_PLURAL`'s *m*): (context, msgid,
    has msgctxt, flags, automatic comments, translator comments, locations, msgid_plural,
    the msgid line's offset in the block)."""
    t, a, loc, f, ctx, i, p = m.group(1, 2, 3, 4, 5, 6, 7)
    return (
        _strings(ctx) if ctx is not None else "", _strings(i), ctx is not None, _flags(f),
        _auto(a) if a else (),
        tuple(comment_body(c, 1) for c in t[:-1].split("\n")) if t else (),
        tuple(loc.replace("\n#:", " ")[2:].split()) if loc else (),
        _strings(p), block.count("\n", 0, m.start(6)),
    )
