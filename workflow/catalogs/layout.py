"""A written catalogue as one chunk of bytes per pypo unit, so that a write re-serialises
and re-validates only the entries it changed (:func:`edit.apply_changes`).

pypo writes a store as its units' texts joined by blank lines (``pofile.serialize``).
:class:`Layout` keeps, for the bytes of one validated version of a file, each unit's bytes
and the :class:`Catalog` the strict reader gave for the whole file. A write then encodes
only the changed units (and the header), checks each of them with the strict reader on
its own, and builds the new file's bytes and Catalog from the old ones. This is exactly
what serialising and parsing the whole file gives, because the reader reads a file one
blank-line-separated block at a time, with no state carried from one block to the next
but the duplicate and second-header checks, which a change cannot trip: a changed chunk
must read as one block holding the same entry (same msgctxt, msgid, msgid_plural) and
nothing else, or the caller falls back to the whole file (:meth:`Layout.write` answers
None). A layout is only made when the chunks joined give the file's bytes exactly (UTF-8,
LF line ends, no BOM), so unchanged bytes are bytes the reader has already accepted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import CatalogError
from .load import make_catalog
from .model import Catalog, Message
from .reader import read_messages

_SEP = b"\n"


def unit_chunks(store: Any) -> list[bytes] | None:
    """Each unit's bytes as ``pofile.serialize`` writes them (joined by a newline they are
    its output); None for a store this module does not handle (not UTF-8, not LF)."""
    if str(store.encoding).lower() not in ("utf-8", "utf8") or store.newline != "\n":
        return None
    return [u._getoutput().encode("utf-8") for u in store.units]


def _moved(msg: Message, line: int) -> Message:
    """*msg* at *line* (its cached revision kept: the text is the same)."""
    if msg.line == line:
        return msg
    out = Message.__new__(Message)
    object.__setattr__(out, "__dict__", {**msg.__dict__, "line": line})
    return out


def _one_block(chunk: bytes) -> bool:
    """Whether *chunk*, followed by the separator, is exactly one of the reader's blocks."""
    return chunk.endswith(b"\n") and b"\n\n" not in chunk


def _starts(chunks: list[bytes]) -> list[int]:
    """The 1-based line at which each chunk starts in the joined file."""
    out, line = [], 1
    for chunk in chunks:
        out.append(line)
        line += chunk.count(b"\n") + 1
    return out


class Layout:
    """The chunks of one validated version of a catalogue file and its Catalog."""

    __slots__ = ("chunks", "index", "catalog", "first", "starts")

    def __init__(self, chunks: list[bytes], index: dict[int, int], catalog: Catalog,
                 first: int, starts: list[int] | None = None):
        self.chunks = chunks      # one per unit of the store, in order
        self.index = index        # id(unit) -> its position in chunks
        self.catalog = catalog    # what the strict reader gives for b"\n".join(chunks)
        self.first = first        # where the messages start (1 after a header unit)
        self.starts = starts or _starts(chunks)  # each chunk's first line in the file

    @classmethod
    def of(cls, store: Any, data: bytes, catalog: Catalog,
           chunks: list[bytes] | None = None) -> Layout | None:
        """The layout of *store* if its units give exactly *data*, whose strict reading is
        *catalog*, with one message per unit after the header; else None."""
        if chunks is None:
            chunks = unit_chunks(store)
        if chunks is None or _SEP.join(chunks) != data:
            return None
        if not all(_one_block(c) for c in chunks):
            return None  # the reader's blocks would not be the units
        units = store.units
        first = 1 if units and units[0].isheader() else 0
        messages = catalog.messages
        if len(messages) != len(units) - first:
            return None
        for msg, unit in zip(messages, units[first:], strict=True):
            if msg.context != (unit.getcontext() or "") or msg.obsolete != unit.isobsolete():
                return None
        return cls(chunks, {id(u): i for i, u in enumerate(units)}, catalog, first)

    def write(self, store: Any, changed: list[Any], path: Path) -> tuple[bytes, Catalog,
                                                                        Layout] | None:
        """(the file's new bytes, their Catalog, their layout) after the units *changed*
        (the header among them if it changed) were modified in *store*; None if that
        cannot be worked out from the changed chunks alone, or a changed entry does not read
        (the caller then serialises and parses the whole file, which reports the error with
        its line in the file)."""
        if len(store.units) != len(self.chunks):
            return None
        positions = sorted({self.index[id(u)] for u in changed if id(u) in self.index})
        if len(positions) != len({id(u) for u in changed}):
            return None
        chunks = list(self.chunks)
        for i in positions:
            chunk = store.units[i]._getoutput().encode("utf-8")
            if not _one_block(chunk):
                return None  # the reader would split it differently
            chunks[i] = chunk
        old = self.catalog
        messages = list(old.messages)
        headers = dict(old.headers)
        # Only the changed chunks are looked at: an unchanged chunk starts where it did,
        # moved by the lines the changed chunks before it gained or lost (``shift``).
        starts = list(self.starts)
        shift, after = 0, 0  # lines gained so far; the first chunk not yet placed
        for i in positions:
            self._shift(starts, messages, after, i, shift)
            line = starts[i] = self.starts[i] + shift
            found = self._read(chunks[i], i, line, path)
            if found is None:
                return None
            if isinstance(found, dict):
                headers = found
            else:
                messages[i - self.first] = found
            shift += chunks[i].count(b"\n") - self.chunks[i].count(b"\n")
            after = i + 1
        self._shift(starts, messages, after, len(chunks), shift)
        data = _SEP.join(chunks)
        catalog = make_catalog(path, headers, messages, None)
        return data, catalog, Layout(chunks, self.index, catalog, self.first, starts)

    def _shift(self, starts: list[int], messages: list[Message], lo: int, hi: int,
               shift: int) -> None:
        """Unchanged chunks *lo* to *hi* (excluded) moved down by *shift* lines: their
        starts and their messages' lines (in place)."""
        if not shift:
            return
        first = self.first
        for i in range(lo, hi):
            starts[i] = self.starts[i] + shift
            if i >= first:
                msg = messages[i - first]
                messages[i - first] = _moved(msg, msg.line + shift)

    def _read(self, chunk: bytes, i: int, line: int, path: Path) -> Message | dict | None:
        """The strict reading of changed chunk *i* (starting at *line* of the file): the
        header's fields, or its one message, which must be the entry it was; None if it is
        something else."""
        try:
            headers, found = read_messages(chunk.decode("utf-8"), str(path))
        except (CatalogError, UnicodeDecodeError):
            return None
        if i < self.first:
            return headers if not found else None
        old = self.catalog.messages[i - self.first]
        if len(found) != 1 or headers:
            return None
        msg = found[0]
        if (msg.context, msg.source, msg.source_plural, msg.obsolete) != (
                old.context, old.source, old.source_plural, old.obsolete):
            return None
        return _moved(msg, msg.line + line - 1)
