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

A head not in :data:`HEADS` is often one read before written another way: its ``msgid``
wrapped at another column (GNU gettext and pypo wrap at 79, Babel at 76), or a ``fuzzy`` flag added
(``#, fuzzy`` as a last comment line, or ``#, fuzzy, `` opening the flags line).
:func:`compose` makes such a head from its two parts, each known or read with a strict str
test: its comment lines (exactly as seen before, but for that flag: :data:`COMMENTS`) and its
``msgctxt``/``msgid`` strings (as seen before: :data:`STRINGS`; or plain literals, one per
line, no escape, no quote, which is all a rewrap can change). Either part not so read: the
block takes the block path, as any new head does.
"""

from __future__ import annotations

from .model import Message

#: head text -> (context, msgid, has msgctxt, flags, fuzzy, automatic comments,
#: translator comments, locations, the msgid line's offset in the block, the message's
#: fields but strings and line (None for a header-like head: empty msgid, no msgctxt),
#: (context, msgid), the head's lines + 2: a block's lines but its msgstr's, and the blank
#: line after it). Keyed on the text itself, so never stale; a gate worker keeps
#: ~35,000 (the template's 10,000, its first catalogue's rewrapped 10,000, and ~1,000 fuzzy
#: ones per language; all emptied at HEADS_MAX).
HEADS: dict[str, tuple] = {}
HEADS_MAX = 65536
#: a head's comment lines (all of them, each ending in "\n"; "" for none) -> (flags,
#: automatic comments, translator comments, locations, their number of lines), for every
#: head read by the reader's one-regex path (so: lines in its common layout).
COMMENTS: dict[str, tuple] = {"": (frozenset(), (), (), (), 0)}
#: a head's strings part (from its "msgctxt " or "msgid " line to the msgstr line) ->
#: (context, msgid, has msgctxt, lines before the msgid line), for every head read.
STRINGS: dict[str, tuple] = {}
#: one object per source text (and context) of the heads read: a message's source is the
#: template's own string, whatever the wrapping (memos compare it by identity first).
_TEXTS: dict[str, str] = {}
#: (head text, where its comment lines end, head) of the heads not split yet
_UNSPLIT: list[tuple] = []
_FUZZY_LINE, _FUZZY_OPENING, _FLAGS_OPENING = "#, fuzzy\n", "#, fuzzy, ", "#, "

_new, _set = object.__new__, object.__setattr__
#: Every set of flags a head has had: equal sets are one object (a catalogue has a
#: handful), so messages share it and memos keyed on it find it at once.
_FLAG_SETS: dict[frozenset, frozenset] = {}


def make_head(ctx: str, msgid: str, has_ctx: bool, flags: frozenset, auto: tuple,
              trans: tuple, locs: tuple, offset: int) -> tuple:
    """The memo's value for a head (see :data:`HEADS`)."""
    flags = _FLAG_SETS.setdefault(flags, flags)  # (one object per set of flags)
    ctx, msgid = _TEXTS.setdefault(ctx, ctx), _TEXTS.setdefault(msgid, msgid)
    fuzzy = "fuzzy" in flags
    proto = None if not msgid and not has_ctx else {  # (every field, in Message's order:
        # a copy, then "strings" and "line" set, is one step with no resize)
        "context": ctx, "source": msgid, "source_plural": None, "strings": (),
        "fuzzy": fuzzy, "obsolete": False, "flags": flags, "auto_comments": auto,
        "translator_comments": trans, "locations": locs, "previous_source": None, "line": 0,
    }
    return (ctx, msgid, has_ctx, flags, fuzzy, auto, trans, locs, offset, proto, (ctx, msgid))


def remember(head_text: str, head: tuple, comments: int | None = None,
             lines: int | None = None) -> tuple:
    """Keep *head* (:func:`make_head`'s) under *head_text*, with its number of lines
    (*lines*: known already, else counted); *comments*: where its comment lines end in it
    (the reader's one-regex path: its two parts are then kept too, for :func:`compose`).
    Returns what is kept."""
    if len(HEADS) >= HEADS_MAX:
        for memo in (HEADS, _FLAG_SETS, COMMENTS, STRINGS, _TEXTS, _UNSPLIT):
            memo.clear()
        COMMENTS[""] = (frozenset(), (), (), (), 0)
    if lines is None:
        lines = head_text.count("\n")
    head = HEADS[head_text] = head + (lines + 2,)
    if comments is not None:  # (split on first need: a template's reading stays as cheap)
        _UNSPLIT.append((head_text, comments, head))
    return head


def _split_heads() -> None:
    """Keep the two parts of every head read by the one-regex path since the last call."""
    for head_text, comments, head in _UNSPLIT:
        ctx, msgid, has_ctx, flags, _fuzzy, auto, trans, locs, offset = head[:9]
        lines = head_text.count("\n", 0, comments)
        COMMENTS[head_text[:comments]] = (flags, auto, trans, locs, lines)
        STRINGS[head_text[comments:]] = (ctx, msgid, has_ctx, offset - lines)
    _UNSPLIT.clear()


def compose(head_text: str) -> tuple | None:
    """The head of *head_text* made from its two parts (see the module's docstring) and
    kept in :data:`HEADS`, or None if a part is neither known nor plain."""
    if _UNSPLIT:
        _split_heads()
    if head_text.startswith(("msgctxt ", "msgid ")):
        cut = 0
    else:  # (a valid head's first line that starts with a keyword; else a part is unknown)
        cut = head_text.find("\nmsgctxt ") + 1 or head_text.find("\nmsgid ") + 1
        if not cut:
            return None
    comments = _comments(head_text[:cut])
    if comments is None:
        return None
    strings = head_text[cut:]
    got = STRINGS.get(strings)
    if got is None:
        if (got := _plain_strings(strings)) is None:
            return None
        STRINGS[strings] = got
    ctx, msgid, has_ctx, ctx_lines = got
    flags, auto, trans, locs, lines = comments
    head = make_head(ctx, msgid, has_ctx, flags, auto, trans, locs, lines + ctx_lines)
    return remember(head_text, head)


def _comments(text: str) -> tuple | None:
    """What the comment lines *text* give: known as they are, or known without the one
    ``fuzzy`` flag msgmerge writes (a last line "#, fuzzy", or "fuzzy, " opening the first
    flags line); None if not known."""
    got = COMMENTS.get(text)
    if got is not None:
        return got
    if text.endswith(_FUZZY_LINE):
        got = COMMENTS.get(text[: -len(_FUZZY_LINE)])
        lines = 1
    else:
        at = text.find(_FUZZY_OPENING)
        if at < 0 or (at and text[at - 1] != "\n"):
            return None  # (not at a line's start: part of another comment)
        got = COMMENTS.get(text[:at] + _FLAGS_OPENING + text[at + len(_FUZZY_OPENING):])
        lines = 0
    if got is None:
        return None
    flags, auto, trans, locs, n = got
    flags = flags | {"fuzzy"}  # ("#, fuzzy, x" is the flags of "#, x", and fuzzy)
    return (_FLAG_SETS.setdefault(flags, flags), auto, trans, locs, n + lines)


def _plain_strings(text: str) -> tuple | None:
    """(context, msgid, has msgctxt, lines before the msgid line) of a strings part made of
    plain literals (no escape), one per line: ``msgctxt`` (optional) and ``msgid`` lines,
    each followed by its continuation lines; None for anything else."""
    if "\\" in text or text[-1:] != "\n":
        return None
    if text.startswith("msgctxt "):
        at = text.find("\nmsgid ")
        if at < 0 or (ctx := _literals(text[8:at])) is None:
            return None
        msgid = _literals(text[at + 7 : -1])
        return None if msgid is None else (ctx, msgid, True, text.count("\n", 0, at) + 1)
    msgid = _literals(text[6:-1]) if text.startswith("msgid ") else None
    return None if msgid is None else ("", msgid, False, 0)


def _literals(quoted: str) -> str | None:
    """The text of plain string literals, one per line (*quoted* has no backslash), or
    None: with every '"\\n"' between them removed they leave no quote and no newline (as
    ``postext._msgstr`` reads a msgstr)."""
    if len(quoted) < 2 or quoted[0] != '"' or quoted[-1] != '"':
        return None
    text = quoted[1:-1].replace('"\n"', "")
    return None if '"' in text or "\n" in text else text


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
    either = compose
    lineno = 1
    for b in text.split("\n\n"):
        c = b.find("\nmsgstr ") + 1
        if c and ((h := get(head := b[:c])) is not None or (h := either(head)) is not None) \
                and (p := h[9]) is not None:
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
                # (the msgstr's line breaks: each was in a '"\n"' the replace removed)
                lineno += h[11] + (len(b) - c - 9 - len(s)) // 3
                continue
            other(b, lineno)
        else:
            other(b, lineno, False)
        lineno += b.count("\n") + 2
    unique = set(keys)
    if len(unique) != len(keys) or not unique.isdisjoint(reader._seen):
        return None
    return out
