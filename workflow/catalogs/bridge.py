"""The one bridge to translate-toolkit's ``pypo``, the PO writer.

Unlike Babel's ``read_po`` pypo keeps ``#|`` previous msgids, and unlike polib it wraps
lines exactly as GNU gettext does, so a file written by ``msgmerge``/``msgcat``
round-trips byte for byte and a change to one entry changes only that entry (and
``PO-Revision-Date``). No other module imports translate-toolkit: the rest of the
package reaches pypo through :data:`pypo` here, which imports it on first use, so that
reading (the CI gate, the review queue) never loads it.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import re
import time
from pathlib import Path

from ..errors import CatalogError
from .load import parse_catalog
from .model import Catalog, Message


class _LazyModule:
    """Import translate-toolkit's pypo on first use: reading (the CI gate, the review
    queue) never needs it, only writing does."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module = None

    def __getattr__(self, attr: str):
        if self._module is None:
            import importlib

            self._module = importlib.import_module(self._name)
        return getattr(self._module, attr)


pypo = _LazyModule("translate.storage.pypo")


# ---------------------------------------------------------------------------
# pypo units -> the model


def unit_strings(unit: pypo.pounit) -> tuple[str, ...]:
    """The translation(s) of *unit*: one string, or one per plural form."""
    target = unit.target
    if unit.hasplural():
        if isinstance(target, pypo.multistring):
            return tuple(str(s) for s in target.strings)
        return (str(target or ""),)
    return (str(target or ""),)


def _comment_lines(lines: list[str], prefix: str) -> tuple[str, ...]:
    out = []
    for raw in lines:
        s = raw.rstrip("\n")
        if s.startswith(prefix):
            s = s[len(prefix) :]
            out.append(s[1:] if s.startswith(" ") else s)
    return tuple(out)


def unit_flag_list(unit: pypo.pounit) -> list[str]:
    """The ``#,`` flags of *unit* in file order, each once."""
    flags: dict[str, None] = {}
    for raw in unit.typecomments:
        for f in raw.strip()[2:].split(","):
            if f.strip():
                flags[f.strip()] = None
    return list(flags)


def unit_flags(unit: pypo.pounit) -> frozenset[str]:
    """The ``#,`` flags of *unit*."""
    return frozenset(unit_flag_list(unit))


def to_message(unit: pypo.pounit, line: int = 0) -> Message:
    """The :class:`Message` of a pypo unit (what the strict reader would give for it)."""
    source = unit.source
    if unit.hasplural() and isinstance(source, pypo.multistring):
        strings = source.strings
        src, src_pl = str(strings[0]), str(strings[1]) if len(strings) > 1 else ""
    else:
        src, src_pl = str(source or ""), None
    prev = None
    if unit.prev_msgid:
        prev = pypo.unquotefrompo(unit.prev_msgid)
    return Message(
        context=unit.getcontext() or "",
        source=src,
        source_plural=src_pl,
        strings=unit_strings(unit),
        fuzzy=unit.isfuzzy(),
        obsolete=unit.isobsolete(),
        flags=unit_flags(unit),
        auto_comments=_comment_lines(unit.automaticcomments, "#."),
        translator_comments=_comment_lines(unit.othercomments, "#"),
        locations=tuple(unit.getlocations()),
        previous_source=prev,
        line=line,
    )


# ---------------------------------------------------------------------------
# Stores: parse, serialize, headers


def parse_store(data: bytes, path: str) -> tuple[pypo.pofile, Catalog]:
    """Validate *data* strictly (and read it as a Catalog), then parse it with pypo for writing."""
    catalog = parse_catalog(data, path)
    store = pypo.pofile()
    store.filename = path
    try:
        store.parse(data)
    except Exception as exc:  # pypo raises bare ValueErrors etc. on odd input
        raise CatalogError(f"cannot parse: {exc}", path) from None
    return store, catalog


def serialize(store: pypo.pofile) -> bytes:
    """The bytes pypo writes for *store* (wrapped as GNU gettext wraps)."""
    buf = io.BytesIO()
    store.serialize(buf)
    return buf.getvalue()


def store_headers(store: pypo.pofile) -> dict[str, str]:
    """The header fields of *store* ({} if it has none or they cannot be read)."""
    try:
        return dict(store.parseheader())
    except Exception:
        return {}


def now_header() -> str:
    """Now, as ``PO-Revision-Date`` spells it: ``2026-01-31 14:05+0100``. Worked out once
    per minute of the clock (and ``TZ`` setting): the text shows minutes, and a local
    time's offset only changes on a whole minute."""
    global _now_memo
    t = time.time()
    key = (int(t // 60), os.environ.get("TZ"))
    memo = _now_memo
    if memo is not None and memo[0] == key:
        return memo[1]
    text = _header_time(t)
    _now_memo = (key, text)
    return text


def _header_time(t: float) -> str:
    """*t* (seconds since the epoch) in the local time zone, as ``PO-Revision-Date`` spells
    it (the rule :func:`now_header` remembers per minute)."""
    return _dt.datetime.fromtimestamp(t, _dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M%z")


_now_memo: tuple[tuple[int, str | None], str] | None = None


def set_header_field(store: pypo.pofile, name: str, value: str) -> pypo.pounit | None:
    """Change one header field in place, keeping the header's other lines as they are;
    the header unit (None if the store has none)."""
    header = store.header()
    if header is None:
        return None
    text = str(header.target)
    pattern = re.compile(rf"^{re.escape(name)}:.*$", re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _m: f"{name}: {value}", text, count=1)
    else:
        text = text + ("" if text.endswith("\n") or not text else "\n") + f"{name}: {value}\n"
    header.target = text
    return header


def read_template_store(path: str | Path) -> pypo.pofile:
    """The template at *path* as a pypo store (validated by the strict reader first)."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise CatalogError("template not found (run `letterflow extract`)", str(path)) from None
    store, _ = parse_store(data, str(path))
    return store
