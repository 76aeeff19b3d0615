"""The reader's memo of entry heads, and its whole-file pass over the blocks whose head it
knows (every language of a template has the template's heads).

A head is everything of a common block before its ``msgstr`` line: comments, ``msgctxt``
and ``msgid``. :data:`HEADS` maps the head's text to what it gives (see :func:`make_head`).
:func:`read_known` reads a file in one pass: a block with a known head and a plain msgstr
costs a find, a slice, a dict lookup, a few str tests and one dict copy (the message's
fields), with no function call; the other blocks (the header, plurals, escapes, heads not
seen yet) go through the reader's block-by-block path, in file order. Duplicates are
looked for once at the end; on one, or on any error, the caller reads the file block by
block from the start, which reports the first problem as it always did. Standard library
only.
"""

from __future__ import annotations

from .model import Message

#: head text -> (context, msgid, has msgctxt, flags, fuzzy, automatic comments,
#: translator comments, locations, the msgid line's offset in the block, the message's
#: fields but strings and line (None for a header-like head: empty msgid, no msgctxt),
#: (context, msgid)). Keyed on the text itself, so never stale; a gate worker keeps
#: ~40,000 (the template, 10,000 messages x 15 languages).
HEADS: dict[str, tuple] = {}
HEADS_MAX = 65536

_new, _set = object.__new__, object.__setattr__
#: Every set of flags a head has had: equal sets are one object (a catalogue has a
#: handful), so messages share it and memos keyed on it find it at once.
_FLAG_SETS: dict[frozenset, frozenset] = {}


def make_head(ctx: str, msgid: str, has_ctx: bool, flags: frozenset, auto: tuple,
              trans: tuple, locs: tuple, offset: int) -> tuple:
    """The memo's value for a head (see :data:`HEADS`)."""
    flags = _FLAG_SETS.setdefault(flags, flags)  # (one object per set of flags)
    fuzzy = "fuzzy" in flags
    proto = None if not msgid and not has_ctx else {  # (every field, in Message's order:
        # a copy, then "strings" and "line" set, is one step with no resize)
        "context": ctx, "source": msgid, "source_plural": None, "strings": (),
        "fuzzy": fuzzy, "obsolete": False, "flags": flags, "auto_comments": auto,
        "translator_comments": trans, "locations": locs, "previous_source": None, "line": 0,
    }
    return (ctx, msgid, has_ctx, flags, fuzzy, auto, trans, locs, offset, proto, (ctx, msgid))


def remember(head_text: str, head: tuple) -> None:
    if len(HEADS) >= HEADS_MAX:
        HEADS.clear()
        _FLAG_SETS.clear()
    HEADS[head_text] = head


def read_known(reader, text: str) -> list | None:
    """*reader*'s messages of *text* (its header kept as the block path keeps it), or None
    if this pass cannot be sure to give what the block-by-block path gives (a duplicate:
    the block path names the first one). One pass: a block with a known head and a plain
    msgstr (no escape, one string per line) is a message made from the head's fields;
    any other block goes through ``reader._block``."""
    out = reader.messages
    append = out.append
    keys: list[tuple[str, str]] = []
    key = keys.append
    get = HEADS.get
    other = reader._block
    lineno = 1
    for b in text.split("\n\n"):
        c = b.find("\nmsgstr ") + 1
        if c and (h := get(b[:c])) is not None and (p := h[9]) is not None:
            # (_msgstr's test for a msgstr without escapes, inlined; a last block that
            # ends with "\n" takes the block path)
            if b[-1:] == '"' and b.startswith('"', c + 7) and len(b) > c + 8 and not (
                    '"' in (s := b[c + 8:-1].replace('"\n"', "")) or "\n" in s or "\\" in s):
                d = p.copy()
                d["strings"] = (s,)
                d["line"] = lineno + h[8]
                _set(msg := _new(Message), "__dict__", d)
                append(msg)
                key(h[10])
                lineno += b.count("\n") + 2
                continue
            other(b, lineno)
        else:
            other(b, lineno, False)
        lineno += b.count("\n") + 2
    unique = set(keys)
    if len(unique) != len(keys) or not unique.isdisjoint(reader._seen):
        return None
    return out
