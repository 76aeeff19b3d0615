"""The fast, strict PO reader: :class:`PoReader`, and the functions that load catalogues.

Reading is the hot path (the CI gate, the review queue, export), so it does not go
through translate-toolkit: a line-based parser in the style of Babel's ``PoFileParser``
validates the syntax (reporting file:line) and builds :class:`Message` objects directly.
Writing always goes through pypo (:mod:`.bridge`); a test checks that both readers agree
on every fixture. Standard library only (``letterflow check`` loads it).
"""

from __future__ import annotations

import re

from ..errors import CatalogError
from ..gcpause import paused_gc
from .fastentry import (
    FAST_ENTRY,
    FAST_PLURAL,
    comment_body,
    new_head,
    plural_forms,
    plural_head,
    read_fresh,
)
from .knownheads import HEADS, read_known
from .model import Message, new_message
from .postext import _QUOTED, _msgstr, _strings, unquote

_KW_LINE = re.compile(
    r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)[ \t]+(" + _QUOTED + r")[ \t]*$"
)
_CONT_LINE = re.compile(r"^(" + _QUOTED + r")[ \t]*$")
#: The memo of entry heads (see workflow.catalogs.knownheads), under its old name.
_HEADS = HEADS
#: keyword -> the keywords that may come right before it in one entry (None: none yet)
_ALLOWED = {
    "msgctxt": (None,),
    "msgid": (None, "msgctxt"),
    "msgid_plural": ("msgid",),
    "msgstr": ("msgid",),
    "msgstr[]": ("msgid_plural", "msgstr[]"),
}


class _Entry:
    """The entry being read: its string pieces, comments and where the parser is in it."""

    __slots__ = ("ctx", "msgid", "plural", "strs", "flags", "auto", "trans", "locs", "prev",
                 "obsolete", "line", "kw", "idx", "has_ctx")

    def __init__(self, obsolete: bool = False) -> None:
        self.ctx: list[str] = []
        self.msgid: list[str] | None = None
        self.plural: list[str] | None = None
        self.strs: dict[int, list[str]] = {}
        self.flags: list[str] = []
        self.auto: list[str] = []
        self.trans: list[str] = []
        self.locs: list[str] = []
        self.prev: list[str] | None = None
        self.obsolete = obsolete
        self.line = 0
        self.kw: str | None = None  # the keyword the next continuation line extends
        self.idx = 0  # the msgstr[] index the next continuation line extends
        self.has_ctx = False


class PoReader:
    """A strict PO parser: ``PoReader(path).parse(text) -> (headers, messages)``.

    One instance reads one file, one blank-line-separated block at a time. A block in
    the common layout (comments, ``msgctxt``, ``msgid``, ``msgstr``; no plural, ``#|`` or
    ``#~``) is read with one regex match (:data:`_FAST_ENTRY`); any other block line by
    line, which gives the same result for the common layout (the tests compare both).
    Lines are dispatched by their first character: a string continuation (read without a
    regex when it has no escapes), a comment, or a keyword line. An entry ends at a blank
    line, at a comment or ``msgctxt``/``msgid`` after its strings, or at the end of the
    text. Every problem raises :class:`CatalogError` naming the file and the line.
    """

    #: Read blocks in the common layout with one regex (False: always line by line; the
    #: tests compare both).
    fast = True
    #: With ``fast``: read a file whose heads are mostly known in one whole-file pass
    #: (:func:`~workflow.catalogs.knownheads.read_known`; False: block by block).
    bulk = True

    def __init__(self, path: str) -> None:
        self.path = path
        self.messages: list[Message] = []
        self.header_text: str | None = None
        self._seen: dict[tuple[str, str], int] = {}  # (msgctxt, msgid) -> first line
        self._entry = _Entry()
        self._prev_kw: str | None = None  # the keyword of the last "#|" line

    def parse(self, text: str) -> tuple[dict[str, str], list[Message]]:
        """Parse PO *text*. Returns (header fields, messages in file order)."""
        if self.fast and self.bulk:
            try:  # a whole-file pass (see workflow.catalogs.knownheads and .fastentry)
                messages = (read_known if HEADS else read_fresh)(self, text)
            except CatalogError:
                messages = None  # the block path below reports the first problem
            if messages is not None:
                return self.headers(), messages
            self.__init__(self.path)
        lineno = 1
        for block in text.split("\n\n"):
            self._block(block, lineno)
            lineno += block.count("\n") + 2
        return self.headers(), self.messages

    def _block(self, block: str, lineno: int, known: bool = True) -> None:
        """Read one blank-line-separated block starting at line *lineno* (*known*: False
        if its head is known not to be in :data:`HEADS`)."""
        if self.fast:
            # a head read before (in this file, the template, another language) and
            # a msgstr after it: the block matches _FAST_ENTRY, only its msgstr is read
            cut = block.find("\nmsgstr ") + 1 if known else 0
            if cut and (head := HEADS.get(block[:cut])) is not None and (
                    msgstr := _msgstr(block, cut)) is not None:
                self._known_entry(head, msgstr, lineno)
                return
            if "\nmsgid_plural " not in block:  # (else FAST_ENTRY fails, and slowly)
                m = FAST_ENTRY.fullmatch(block)
                if m is not None:
                    self._fast_entry(m, block, lineno)  # (the current entry stays fresh)
                    return
            elif (m := FAST_PLURAL.fullmatch(block)) is not None and (
                    forms := plural_forms(m)) is not None:
                self._plural_entry(plural_head(m, block), forms, lineno)
                return
        self._lines(block.split("\n"), lineno)
        self._finish()  # the blank line after the block
        self._entry = _Entry()
        self._prev_kw = None

    def _fast_entry(self, m: re.Match, block: str, lineno: int) -> None:
        """Keep the entry of a block FAST_ENTRY matched whole: what reading it line by
        line gives, without a Python step per line. What its head gives is kept in
        :data:`_HEADS` for the next block with the same head."""
        s = m.group(7)
        self._known_entry(new_head(m, block),
                          s[1:-1].replace('"\n"', "") if "\\" not in s else _strings(s), lineno)

    def _plural_entry(self, head: tuple, forms: tuple, lineno: int) -> None:
        """Keep the entry of a plural block FAST_PLURAL matched whole (what reading it line
        by line gives: see :func:`~workflow.catalogs.fastentry.plural_head`)."""
        ctx, msgid, has_ctx, flags, auto, trans, locs, plural, offset = head
        line = lineno + offset
        if self._keep(ctx, msgid, has_ctx, False, forms, line):
            self.messages.append(new_message(
                ctx, msgid, plural, forms, "fuzzy" in flags, False, flags, auto, trans, locs,
                None, line))

    def _known_entry(self, head: tuple, msgstr: str, lineno: int) -> None:
        """Keep the entry of a fast block from its head's values and its msgstr's text."""
        ctx, msgid, has_ctx, flags, fuzzy, auto, trans, locs, offset = head[:9]
        strings = (msgstr,)
        line = lineno + offset
        if self._keep(ctx, msgid, has_ctx, False, strings, line):
            self.messages.append(new_message(
                ctx, msgid, None, strings, fuzzy, False, flags, auto, trans, locs, None, line
            ))

    def _lines(self, lines: list[str], first: int) -> None:
        """Read *lines* (numbered from *first*) one by one: the general path."""
        for lineno, raw in enumerate(lines, first):
            s = raw.strip()
            if not s:
                self._finish()
                self._entry = _Entry()
                self._prev_kw = None
                continue
            if s[0] == "#":
                if not s.startswith("#~") or s.startswith("#~|"):
                    self._comment(s)
                    continue
                s = s[2:].strip()  # an obsolete entry's line: read what follows "#~"
                if not s or s[0] == "#":
                    continue
                if s[0] != '"':
                    self._keyword(s, lineno, obsolete=True)
                    continue
                self._entry.obsolete = True
            elif s[0] != '"':
                self._keyword(s, lineno)
                continue
            self._continuation(s, lineno)

    def _continuation(self, s: str, lineno: int) -> None:
        value = s[1:-1]
        if len(s) < 2 or s[-1] != '"' or '"' in value or "\\" in value:
            value = self._quoted(s, lineno)
        e = self._entry
        kw = e.kw
        if kw == "msgstr":
            e.strs[0].append(value)
        elif kw == "msgid":
            e.msgid.append(value)
        elif kw == "msgstr[]":
            e.strs[e.idx].append(value)
        elif kw == "msgctxt":
            e.ctx.append(value)
        elif kw == "msgid_plural":
            e.plural.append(value)
        else:
            raise self._error("continuation string with no keyword before it", lineno)

    def headers(self) -> dict[str, str]:
        """The fields of the header entry (the one with an empty msgid)."""
        headers: dict[str, str] = {}
        for hline in (self.header_text or "").split("\n"):
            if ":" in hline:
                k, _, v = hline.partition(":")
                headers[k.strip()] = v.strip()
        return headers

    def _error(self, message: str, line: int) -> CatalogError:
        return CatalogError(message, self.path, line)

    def _malformed(self, s: str, lineno: int) -> CatalogError:
        return self._error(f"malformed string (check quotes and escapes): {s[:60]!r}", lineno)

    def _quoted(self, s: str, lineno: int) -> str:
        m = _CONT_LINE.match(s)
        if m is None:
            raise self._malformed(s, lineno)
        return unquote(m.group(1))

    def _comment(self, s: str) -> None:
        if self._entry.kw is not None:
            # a comment after the strings starts a new entry (no blank line between)
            self._finish()
            self._entry = _Entry()
        e = self._entry
        c = s[1:2]
        if c == ".":
            e.auto.append(comment_body(s, 2))
        elif c == ":":
            e.locs.extend(comment_body(s, 2).split())
        elif c == ",":
            e.flags.extend(f.strip() for f in s[2:].split(",") if f.strip())
        elif c == "|" or s.startswith("#~|"):
            self._previous(s[3:].strip() if s.startswith("#~|") else s[2:].strip())
        elif c != "~":
            e.trans.append(comment_body(s, 1))

    def _previous(self, body: str) -> None:
        """A ``#|`` line: keep the previous msgid; the other previous fields are skipped."""
        e = self._entry
        m = _KW_LINE.match(body)
        if m and m.group(1) == "msgid":
            e.prev = [unquote(m.group(3))]
            self._prev_kw = "msgid"
        elif m:
            self._prev_kw = m.group(1)
        else:
            mc = _CONT_LINE.match(body)
            if mc and self._prev_kw == "msgid" and e.prev is not None:
                e.prev.append(unquote(mc.group(1)))

    def _keyword(self, s: str, lineno: int, obsolete: bool = False) -> None:
        m = _KW_LINE.match(s)
        if m is None:
            if s.startswith(("msgid", "msgstr", "msgctxt")):
                raise self._malformed(s, lineno)
            raise self._error(f"not a PO line: {s[:60]!r}", lineno)
        kw = m.group(1)
        base = "msgstr[]" if m.group(2) is not None else kw
        e = self._entry
        if e.kw in ("msgstr", "msgstr[]") and base in ("msgctxt", "msgid"):
            self._finish()  # entries not separated by a blank line
            e = self._entry = _Entry()
        if obsolete:  # a "#~" line: this entry (not the one it may have ended) is obsolete
            e.obsolete = True
        if e.kw not in _ALLOWED[base]:
            raise self._error(f"{kw} is out of place here", lineno)
        value = unquote(m.group(3))
        if base == "msgctxt":
            e.ctx, e.has_ctx = [value], True
            e.line = e.line or lineno
        elif base == "msgid":
            e.msgid = [value]
            e.line = lineno
        elif base == "msgid_plural":
            e.plural = [value]
        elif base == "msgstr":
            e.strs = {0: [value]}
        else:
            idx = int(m.group(2))
            if idx in e.strs:
                raise self._error(f"msgstr[{idx}] given twice", lineno)
            e.strs[idx] = [value]
            e.idx = idx
        e.kw = base

    def _finish(self) -> None:
        """End the current entry: check it is whole, then keep it (or the header)."""
        e = self._entry
        if e.msgid is None:
            if e.kw is not None or e.ctx:
                raise self._error("entry has no msgid", e.line)
            return
        if e.kw not in ("msgstr", "msgstr[]"):
            raise self._error("entry has no msgstr", e.line)
        if e.plural is not None:
            n = len(e.strs)
            if sorted(e.strs) != list(range(n)):
                raise self._error("msgstr[] indexes are not 0..n-1", e.line)
            strings = tuple("".join(e.strs[i]) for i in range(n))
        else:
            strings = ("".join(e.strs[0]),)
        msgid = "".join(e.msgid)
        ctx = "".join(e.ctx)
        if self._keep(ctx, msgid, e.has_ctx, e.obsolete, strings, e.line):
            self.messages.append(_message(e, ctx, msgid, strings))

    def _keep(
        self, ctx: str, msgid: str, has_ctx: bool, obsolete: bool, strings: tuple, line: int
    ) -> bool:
        """Whether an entry is a message to keep: False for the header (kept as
        header_text); CatalogError for a second header or a duplicate message."""
        if not msgid and not has_ctx and not obsolete:
            if self.header_text is not None:
                raise self._error("second header entry (empty msgid)", line)
            self.header_text = strings[0]
            return False
        if not obsolete:
            key = (ctx, msgid)
            if key in self._seen:
                raise self._error(
                    f"duplicate message (msgctxt {ctx!r}), first at line {self._seen[key]}",
                    line,
                )
            self._seen[key] = line
        return True


def _message(e: _Entry, ctx: str, msgid: str, strings: tuple[str, ...]) -> Message:
    flags = frozenset(e.flags)
    return new_message(
        ctx,
        msgid,
        "".join(e.plural) if e.plural is not None else None,
        strings,
        "fuzzy" in flags,
        e.obsolete,
        flags,
        tuple(e.auto),
        tuple(e.trans),
        tuple(e.locs),
        "".join(e.prev) if e.prev is not None else None,
        e.line,
    )


def read_messages(text: str, path: str) -> tuple[dict[str, str], list[Message]]:
    """Parse PO *text* strictly. Returns (header fields, messages in file order)."""
    with paused_gc():  # thousands of acyclic objects: see workflow.gcpause
        return PoReader(path).parse(text)


def validate_syntax(text: str, path: str) -> None:
    """Raise CatalogError(path, line) at the first problem; used before every write."""
    read_messages(text, path)
