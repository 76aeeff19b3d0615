"""The only module that reads and writes .po/.pot files.

The PO layer is translate-toolkit's ``pypo``: unlike Babel's ``read_po`` it keeps
``#|`` previous msgids, and unlike polib it wraps lines exactly as GNU gettext does,
so a file written by ``msgmerge``/``msgcat`` round-trips byte for byte and a change
to one entry changes only that entry (and ``PO-Revision-Date``).

Every write takes a per-file lock, re-reads the file, applies the change, validates
the new bytes by parsing them again, writes a temp file, fsyncs it and ``os.replace``-s
it into place. A file that cannot be parsed is never rewritten.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import fcntl
import hashlib
import io
import os
import re
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from pathlib import Path

from .crashpoint import crash_point
from .errors import CatalogError, ConflictError, LockTimeout


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
# The read-only model

APPROVED, DRAFT, UNTRANSLATED, OBSOLETE = "approved", "draft", "untranslated", "obsolete"
STATES = (APPROVED, DRAFT, UNTRANSLATED, OBSOLETE)

#: Translator-comment prefixes that record who or what produced the current text.
PROVENANCE_PREFIXES = ("machine translation:", "edited by ", "approved by ", "reverted by ")


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    source_plural: str | None
    strings: tuple[str, ...]
    fuzzy: bool
    obsolete: bool
    flags: frozenset[str]
    auto_comments: tuple[str, ...] = ()
    translator_comments: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    previous_source: str | None = None
    line: int = 0

    @property
    def plural(self) -> bool:
        return self.source_plural is not None

    @property
    def translated(self) -> bool:
        return bool(self.strings) and all(s != "" for s in self.strings)

    @property
    def state(self) -> str:
        if self.obsolete:
            return OBSOLETE
        if not any(self.strings):
            return UNTRANSLATED
        if self.fuzzy or not self.translated:
            return DRAFT
        return APPROVED

    @property
    def revision(self) -> str:
        """A short hash of what a reviewer sees: the strings and the fuzzy mark
        (computed once per message: the message is immutable)."""
        rev = self.__dict__.get("_revision")
        if rev is None:
            h = hashlib.sha1(b"F" if self.fuzzy else b"A")
            for s in self.strings:
                h.update(b"\0" + s.encode("utf-8"))
            rev = h.hexdigest()[:12]
            object.__setattr__(self, "_revision", rev)  # not a field: eq/hash ignore it
        return rev

    @property
    def provenance(self) -> str | None:
        for c in reversed(self.translator_comments):
            if c.startswith(PROVENANCE_PREFIXES):
                return c
        return None


@dataclass
class Stats:
    approved: int = 0
    draft: int = 0
    untranslated: int = 0
    obsolete: int = 0

    @property
    def total(self) -> int:
        return self.approved + self.draft + self.untranslated

    @property
    def percent(self) -> float:
        return 100.0 * self.approved / self.total if self.total else 100.0

    def as_dict(self) -> dict[str, int | float]:
        return {
            "approved": self.approved,
            "draft": self.draft,
            "untranslated": self.untranslated,
            "obsolete": self.obsolete,
            "total": self.total,
            "percent": round(self.percent, 1),
        }


@dataclass
class Catalog:
    path: Path
    language: str
    nplurals: int
    plural_expr: str
    headers: dict[str, str]
    messages: list[Message] = field(default_factory=list)
    _index: dict[str, Message] | None = field(default=None, repr=False, compare=False)

    def get(self, context: str) -> Message | None:
        if self._index is None:
            self._index = {m.context: m for m in self.messages if not m.obsolete}
        return self._index.get(context)

    def active(self) -> list[Message]:
        return [m for m in self.messages if not m.obsolete]

    @property
    def stats(self) -> Stats:
        st = Stats()
        for m in self.messages:
            setattr(st, m.state, getattr(st, m.state) + 1)
        return st

    def plural_index(self, n: int) -> int:
        """Which msgstr[] form the catalogue's Plural-Forms picks for *n*."""
        return plural_function(self.plural_expr)(n)


# ---------------------------------------------------------------------------
# Plural forms


def plural_header(language: str) -> str:
    """The gettext Plural-Forms header for *language* from Babel's CLDR-based table."""
    from babel.messages.plurals import get_plural

    return get_plural(language).plural_forms


def parse_plural_forms(header: str) -> tuple[int, str]:
    m = re.search(r"nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?);?\s*$", header or "")
    if not m:
        raise ValueError(f"bad Plural-Forms header {header!r}")
    return int(m.group(1)), m.group(2).strip().rstrip(";")


def plural_function(expr: str):
    import gettext

    return gettext.c2py(expr)


# ---------------------------------------------------------------------------
# The fast, strict reader.
#
# Reading is the hot path (the CI gate, the review queue, export), so it does not go
# through pypo: a line-based state machine validates the syntax (reporting file:line)
# and builds Message objects directly. Writing always goes through pypo. A test
# checks that both readers agree on every fixture.

_QUOTED = r'"(?:[^"\\]|\\(?:[\\"abfnrtv?\']|[0-7]{1,3}|x[0-9A-Fa-f]+))*"'
_KW_LINE = re.compile(
    r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)[ \t]+(" + _QUOTED + r")[ \t]*$"
)
_CONT_LINE = re.compile(r"^(" + _QUOTED + r")[ \t]*$")
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


def _unq(quoted: str) -> str:
    body = quoted[1:-1]
    return _ESCAPE.sub(_unescape_match, body) if "\\" in body else body


_ALLOWED = {
    "msgctxt": (None,),
    "msgid": (None, "msgctxt"),
    "msgid_plural": ("msgid",),
    "msgstr": ("msgid",),
    "msgstr[]": ("msgid_plural", "msgstr[]"),
}


class _Entry:
    __slots__ = (
        "ctx",
        "msgid",
        "plural",
        "strs",
        "flags",
        "auto",
        "trans",
        "locs",
        "prev",
        "obsolete",
        "line",
        "kw",
        "idx",
        "has_ctx",
    )

    def __init__(self) -> None:
        self.ctx: list[str] = []
        self.msgid: list[str] | None = None
        self.plural: list[str] | None = None
        self.strs: dict[int, list[str]] = {}
        self.flags: list[str] = []
        self.auto: list[str] = []
        self.trans: list[str] = []
        self.locs: list[str] = []
        self.prev: list[str] | None = None
        self.obsolete = False
        self.line = 0
        self.kw: str | None = None
        self.idx = 0
        self.has_ctx = False


def _comment_body(s: str, n: int) -> str:
    body = s[n:]
    return body[1:] if body.startswith(" ") else body


def read_messages(text: str, path: str) -> tuple[dict[str, str], list[Message]]:
    """Parse PO *text* strictly. Returns (header fields, messages in file order)."""
    messages: list[Message] = []
    header_text: str | None = None
    seen: dict[tuple[str, str], int] = {}
    e = _Entry()
    prev_kw: str | None = None  # "#| msgid" continuation target

    def finish(e: _Entry) -> None:
        nonlocal header_text
        if e.msgid is None:
            if e.kw is not None or e.ctx:
                raise CatalogError("entry has no msgid", path, e.line)
            return
        if e.kw not in ("msgstr", "msgstr[]"):
            raise CatalogError("entry has no msgstr", path, e.line)
        msgid = "".join(e.msgid)
        ctx = "".join(e.ctx)
        if e.plural is not None:
            n = len(e.strs)
            if sorted(e.strs) != list(range(n)):
                raise CatalogError("msgstr[] indexes are not 0..n-1", path, e.line)
            strings = tuple("".join(e.strs[i]) for i in range(n))
        else:
            strings = ("".join(e.strs[0]),)
        if not msgid and not e.has_ctx and not e.obsolete:
            if header_text is not None:
                raise CatalogError("second header entry (empty msgid)", path, e.line)
            header_text = strings[0]
            return
        if not e.obsolete:
            key = (ctx, msgid)
            if key in seen:
                raise CatalogError(
                    f"duplicate message (msgctxt {ctx!r}), first at line {seen[key]}", path, e.line
                )
            seen[key] = e.line
        flags = frozenset(e.flags)
        messages.append(
            Message(
                context=ctx,
                source=msgid,
                source_plural="".join(e.plural) if e.plural is not None else None,
                strings=strings,
                fuzzy="fuzzy" in flags,
                obsolete=e.obsolete,
                flags=flags,
                auto_comments=tuple(e.auto),
                translator_comments=tuple(e.trans),
                locations=tuple(e.locs),
                previous_source="".join(e.prev) if e.prev is not None else None,
                line=e.line,
            )
        )

    for lineno, raw in enumerate(text.split("\n"), 1):
        s = raw.strip()
        if not s:
            finish(e)
            e = _Entry()
            prev_kw = None
            continue
        if s[0] == "#":
            obsolete = s.startswith("#~")
            if obsolete and not s.startswith("#~|"):
                s = s[2:].strip()
                if not s:
                    continue
                if s[0] == "#":
                    continue
                e.obsolete = True
            else:
                if e.kw is not None and e.kw != "comment":
                    # a comment after the strings starts a new entry (no blank line between)
                    finish(e)
                    e = _Entry()
                c = s[1:2]
                if c == ".":
                    e.auto.append(_comment_body(s, 2))
                elif c == ":":
                    e.locs.extend(_comment_body(s, 2).split())
                elif c == ",":
                    e.flags.extend(f.strip() for f in s[2:].split(",") if f.strip())
                elif c == "|" or s.startswith("#~|"):
                    body = s[3:].strip() if s.startswith("#~|") else s[2:].strip()
                    m = _KW_LINE.match(body)
                    if m and m.group(1) == "msgid":
                        e.prev = [_unq(m.group(3))]
                        prev_kw = "msgid"
                    elif m:
                        prev_kw = m.group(1)
                    else:
                        mc = _CONT_LINE.match(body)
                        if mc and prev_kw == "msgid" and e.prev is not None:
                            e.prev.append(_unq(mc.group(1)))
                elif c == "~":
                    pass
                else:
                    e.trans.append(_comment_body(s, 1))
                continue
        if s[0] == '"':  # continuation line: the commonest line, so no regex when plain
            body = s[1:-1]
            if len(s) >= 2 and s[-1] == '"' and '"' not in body and "\\" not in body:
                value = body
            else:
                mc = _CONT_LINE.match(s)
                if mc is None:
                    raise CatalogError(
                        f"malformed string (check quotes and escapes): {s[:60]!r}", path, lineno
                    )
                value = _unq(mc.group(1))
            if e.kw == "msgstr":
                e.strs[0].append(value)
            elif e.kw == "msgid":
                e.msgid.append(value)
            elif e.kw == "msgstr[]":
                e.strs[e.idx].append(value)
            elif e.kw == "msgctxt":
                e.ctx.append(value)
            elif e.kw == "msgid_plural":
                e.plural.append(value)
            else:
                raise CatalogError("continuation string with no keyword before it", path, lineno)
            continue
        m = _KW_LINE.match(s)
        if m:
            kw = m.group(1)
            base = "msgstr[]" if m.group(2) is not None else kw
            if e.kw == "comment":
                e.kw = None
            if e.kw in ("msgstr", "msgstr[]") and base in ("msgctxt", "msgid"):
                finish(e)  # entries not separated by a blank line
                keep_obsolete = e.obsolete
                e = _Entry()
                e.obsolete = keep_obsolete
            if e.kw not in _ALLOWED[base]:
                raise CatalogError(f"{kw} is out of place here", path, lineno)
            value = _unq(m.group(3))
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
                    raise CatalogError(f"msgstr[{idx}] given twice", path, lineno)
                e.strs[idx] = [value]
                e.idx = idx
            e.kw = base
            continue
        if s.startswith(("msgid", "msgstr", "msgctxt")) or s.startswith('"'):
            raise CatalogError(
                f"malformed string (check quotes and escapes): {s[:60]!r}", path, lineno
            )
        raise CatalogError(f"not a PO line: {s[:60]!r}", path, lineno)
    finish(e)
    headers: dict[str, str] = {}
    for hline in (header_text or "").split("\n"):
        if ":" in hline:
            k, _, v = hline.partition(":")
            headers[k.strip()] = v.strip()
    return headers, messages


def validate_syntax(text: str, path: str) -> None:
    """Raise CatalogError(path, line) at the first problem; used before every write."""
    read_messages(text, path)


def _decode(data: bytes, path: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError(
            "not valid UTF-8 (letterflow catalogues are UTF-8)", path, line
        ) from None


# ---------------------------------------------------------------------------
# Reading


def _unit_strings(unit: pypo.pounit) -> tuple[str, ...]:
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


def _flags(unit: pypo.pounit) -> frozenset[str]:
    flags: set[str] = set()
    for raw in unit.typecomments:
        body = raw.strip()[2:]
        for f in body.split(","):
            f = f.strip()
            if f:
                flags.add(f)
    return frozenset(flags)


def to_message(unit: pypo.pounit, line: int = 0) -> Message:
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
        strings=_unit_strings(unit),
        fuzzy=unit.isfuzzy(),
        obsolete=unit.isobsolete(),
        flags=_flags(unit),
        auto_comments=_comment_lines(unit.automaticcomments, "#."),
        translator_comments=_comment_lines(unit.othercomments, "#"),
        locations=tuple(unit.getlocations()),
        previous_source=prev,
        line=line,
    )


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


def _headers(store: pypo.pofile) -> dict[str, str]:
    try:
        return dict(store.parseheader())
    except Exception:
        return {}


def load_catalog(path: str | Path, language: str | None = None) -> Catalog:
    """Read a .po (or .pot) file into a :class:`Catalog`; CatalogError with file:line if bad."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError("catalogue not found (run `letterflow update`)", str(path)) from None
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", str(path)) from None
    return parse_catalog(data, path, language)


def parse_catalog(data: bytes, path: str | Path, language: str | None = None) -> Catalog:
    path = Path(path)
    headers, messages = read_messages(_decode(data, str(path)), str(path))
    return _make_catalog(path, headers, messages, language)


def _make_catalog(
    path: Path, headers: dict[str, str], messages: list[Message], language: str | None
) -> Catalog:
    lang = language if language is not None else headers.get("Language", "")
    nplurals, expr = 2, "(n != 1)"
    pf = headers.get("Plural-Forms")
    if pf:
        try:
            nplurals, expr = parse_plural_forms(pf)
        except ValueError as exc:
            raise CatalogError(str(exc), str(path), 1) from None
    elif lang:
        nplurals, expr = parse_plural_forms(plural_header(lang))
    return Catalog(
        path=path,
        language=lang,
        nplurals=nplurals,
        plural_expr=expr,
        headers=headers,
        messages=messages,
    )


def load_template(path: str | Path) -> Catalog:
    path = Path(path)
    if not path.exists():
        raise CatalogError("template not found (run `letterflow extract`)", str(path))
    return load_catalog(path, language="")


def catalog_path(config, lang: str) -> Path:
    return config.catalog(lang)


def template_path(config) -> Path:
    return config.template


# ---------------------------------------------------------------------------
# Atomic, locked writes


#: Seconds a lock is waited for by default (the CLI); the web UI waits a few seconds.
LOCK_TIMEOUT = 30.0
_lock_timeout: ContextVar[float | None] = ContextVar("letterflow_lock_timeout", default=None)


def lock_timeout() -> float:
    """Seconds :func:`locked` waits here: :func:`lock_wait`'s value, else the
    ``LETTERFLOW_LOCK_TIMEOUT`` environment variable, else :data:`LOCK_TIMEOUT`."""
    value = _lock_timeout.get()
    if value is not None:
        return value
    try:
        return float(os.environ.get("LETTERFLOW_LOCK_TIMEOUT", LOCK_TIMEOUT))
    except ValueError:
        return LOCK_TIMEOUT


@contextmanager
def lock_wait(seconds: float) -> Iterator[None]:
    """Wait at most *seconds* for catalogue locks in this thread (context)."""
    token = _lock_timeout.set(seconds)
    try:
        yield
    finally:
        _lock_timeout.reset(token)


def set_lock_wait(seconds: float | None):
    """Set this context's lock wait (None: back to the default); a token for
    :func:`reset_lock_wait` (a web request sets it in before_request)."""
    return _lock_timeout.set(seconds)


def reset_lock_wait(token) -> None:
    _lock_timeout.reset(token)


def _acquire(fd: int, path: Path, timeout: float) -> None:
    """flock with a deadline: LockTimeout when another process holds it that long."""
    start = time.monotonic()
    delay = 0.005
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            waited = time.monotonic() - start
            if waited >= timeout:
                raise LockTimeout(str(path), waited) from None
            time.sleep(min(delay, max(timeout - waited, 0.001)))
            delay = min(delay * 2, 0.2)


@contextmanager
def locked(path: str | Path, timeout: float | None = None) -> Iterator[None]:
    """An exclusive advisory lock on ``<path>.lock`` (works across processes), waited for
    at most *timeout* seconds (default :func:`lock_timeout`); else LockTimeout."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, path, lock_timeout() if timeout is None else timeout)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def sweep_temp_files(path: str | Path) -> list[Path]:
    """Remove temp files a killed writer of *path* left behind. Call it only while holding
    :func:`locked` on *path*: then no other writer of that file can be mid-write."""
    path = Path(path)
    gone = []
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            tmp.unlink()
            gone.append(tmp)
        except OSError:
            pass
    return gone


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write *data* to *path*: temp file in the same folder, fsync, os.replace, fsync dir."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        crash_point("catalog.replace")
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def serialize(store: pypo.pofile) -> bytes:
    buf = io.BytesIO()
    store.serialize(buf)
    return buf.getvalue()


def _now_header() -> str:
    now = _dt.datetime.now(_dt.UTC).astimezone()
    return now.strftime("%Y-%m-%d %H:%M%z")


def _set_header_field(store: pypo.pofile, name: str, value: str) -> None:
    """Change one header field in place, keeping the header's other lines as they are."""
    header = store.header()
    if header is None:
        return
    text = str(header.target)
    pattern = re.compile(rf"^{re.escape(name)}:.*$", re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _m: f"{name}: {value}", text, count=1)
    else:
        text = text + ("" if text.endswith("\n") or not text else "\n") + f"{name}: {value}\n"
    header.target = text


# ---------------------------------------------------------------------------
# Applying changes (the review UI, MT drafts, tests)


@dataclass
class Change:
    context: str
    strings: list[str]
    fuzzy: bool
    note: str | None = None
    add_flags: frozenset[str] = frozenset()
    base_revision: str | None = None
    only_states: frozenset[str] | None = None
    remove_flags: frozenset[str] = frozenset()


@dataclass
class ApplyResult:
    applied: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    conflicts: list[tuple[Change, Message]] = field(default_factory=list)
    revisions: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    #: One (outcome, message) per change, in the order given: outcome is "applied",
    #: "skipped", "conflict" or "missing"; message is the entry right after this change
    #: ("applied") or as this change found it (else; None if "missing"). Unlike
    #: ``revisions`` it tells apart two changes of one entry in one call.
    outcomes: list[tuple[str, Message | None]] = field(default_factory=list)
    #: The catalogue as written (parsed from the validated bytes), and the written file's
    #: (st_ino, st_mtime_ns, st_size) taken under the lock; None if nothing was written.
    catalog: Catalog | None = None
    file_key: tuple[int, int, int] | None = None


def _set_flags(unit: pypo.pounit, add: Iterable[str], remove: Iterable[str]) -> None:
    current = [
        f.strip() for raw in unit.typecomments for f in raw.strip()[2:].split(",") if f.strip()
    ]
    for f in remove:
        if f in current:
            current.remove(f)
    for f in add:
        if f not in current:
            current.append(f)
    if "fuzzy" in current:  # gettext writes fuzzy first
        current.remove("fuzzy")
        current.insert(0, "fuzzy")
    unit.typecomments = [f"#, {', '.join(current)}\n"] if current else []
    unit._typecomments_cache = None


def _set_note(unit: pypo.pounit, note: str) -> None:
    kept = []
    for raw in unit.othercomments:
        body = raw.rstrip("\n")[1:]
        body = body[1:] if body.startswith(" ") else body
        if not body.startswith(PROVENANCE_PREFIXES):
            kept.append(raw)
    for line in note.splitlines() or [""]:
        kept.append(f"# {line}\n" if line else "#\n")
    unit.othercomments = kept


def _apply_one(unit: pypo.pounit, change: Change, nplurals: int) -> None:
    strings = list(change.strings)
    if unit.hasplural():
        if len(strings) == 1 and nplurals > 1:
            strings = strings * nplurals
        unit.target = pypo.multistring(strings) if len(strings) > 1 else strings[0]
        if len(strings) == 1:
            # keep msgstr[0] form for a one-form language
            unit.msgstr = {0: unit.quote(strings[0])}
            unit._invalidate_target_cache()
    else:
        if len(strings) != 1:
            raise CatalogError(f"{change.context}: a singular message takes exactly one string")
        unit.target = strings[0]
    remove = set(change.remove_flags)
    add = set(change.add_flags)
    if change.fuzzy:
        add.add("fuzzy")
    else:
        remove.add("fuzzy")
        # approved text is no longer a damaged MT draft
        remove.add("letterflow-mt-damaged")
    if not change.fuzzy or not any(strings):
        unit.prev_msgctxt, unit.prev_msgid, unit.prev_msgid_plural = [], [], []
    if not any(strings):
        remove.add("fuzzy")
    _set_flags(unit, add - remove, remove)
    if change.note is not None:
        _set_note(unit, change.note)


#: path -> (bytes, pypo store, Catalog) of the last version this process read or wrote
#: under the file's lock, so that the next write to an unchanged file (same bytes) skips
#: both parses. An entry is taken out while a writer uses it and only put back once the
#: file on disk holds exactly its bytes; any failure just drops it.
_stores: dict[str, tuple[bytes, pypo.pofile, Catalog, dict[str, pypo.pounit]]] = {}
_STORES_MAX = 64


def _open_store(
    path: Path, data: bytes
) -> tuple[pypo.pofile, Catalog, dict[str, pypo.pounit]]:
    """The store, catalogue and active units by context of *data* (the file's bytes)."""
    hit = _stores.pop(str(path), None)
    if hit is not None and hit[0] == data:
        return hit[1], hit[2], hit[3]
    store, catalog = parse_store(data, str(path))
    units = {
        (u.getcontext() or ""): u
        for u in store.units
        if not u.isheader() and not u.isobsolete()
    }
    return store, catalog, units


def _keep_store(path: Path, data: bytes, store: pypo.pofile, catalog: Catalog,
                units: dict[str, pypo.pounit]) -> None:
    if len(_stores) >= _STORES_MAX:
        _stores.clear()
    _stores[str(path)] = (data, store, catalog, units)


def apply_changes(
    path: str | Path,
    changes: Iterable[Change],
    *,
    raise_on_conflict: bool = False,
    touch_revision_date: bool = True,
) -> ApplyResult:
    """Apply *changes* to the catalogue at *path* atomically under its lock.

    Entries that are not changed keep their exact bytes. A change whose
    ``base_revision`` is stale is a conflict: it is reported (or raised) and the
    message on disk is left as it is. Changes are applied in order, each seeing the
    entry as the changes before it left it, exactly as if applied one call at a time
    (a second change based on the revision the first one replaced is a conflict).
    """
    path = Path(path)
    changes = list(changes)
    result = ApplyResult()
    with locked(path):
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise CatalogError("catalogue not found (run `letterflow update`)", str(path)) from None
        store, catalog, units = _open_store(path, data)
        now: dict[str, Message] = {}  # entries changed by this call, as they are now
        changed = False
        for change in changes:
            unit = units.get(change.context)
            if unit is None:
                result.missing.append(change.context)
                result.outcomes.append(("missing", None))
                continue
            current = now.get(change.context) or catalog.get(change.context) or to_message(unit)
            if change.base_revision is not None and change.base_revision != current.revision:
                if raise_on_conflict:
                    raise ConflictError(change.context, change.base_revision, current)
                result.conflicts.append((change, current))
                result.outcomes.append(("conflict", current))
                continue
            if change.only_states is not None and current.state not in change.only_states:
                result.skipped.append(change.context)
                result.outcomes.append(("skipped", current))
                continue
            changed = True  # from here on the store differs from the file
            _apply_one(unit, change, catalog.nplurals)
            new = to_message(unit)
            now[change.context] = new
            result.applied.append(change.context)
            result.revisions[change.context] = new.revision
            result.outcomes.append(("applied", new))
        if not changed:
            _keep_store(path, data, store, catalog, units)
            return result
        if touch_revision_date:
            _set_header_field(store, "PO-Revision-Date", _now_header())
        out = serialize(store)
        # validate what we are about to write (the strict reader, as for every read)
        written = parse_catalog(out, path)
        sweep_temp_files(path)
        write_atomic(path, out)
        try:
            st = os.stat(path)
            result.file_key = (st.st_ino, st.st_mtime_ns, st.st_size)
        except OSError:
            pass
        _keep_store(path, out, store, written, units)
    result.catalog = written
    # the messages of this call, with their line numbers in the file as written
    for i, (kind, msg) in enumerate(result.outcomes):
        final = written.get(msg.context) if msg is not None else None
        if final is not None and replace(final, line=msg.line) == msg:
            result.outcomes[i] = (kind, final)
    return result


# ---------------------------------------------------------------------------
# Creating and updating catalogues from the template (msgmerge semantics)


def _new_header(language: str, template: pypo.pofile, domain: str) -> str:
    theaders = _headers(template)
    from babel import Locale

    try:
        name = Locale.parse(language).english_name
    except Exception:
        name = language
    return (
        f"Project-Id-Version: {theaders.get('Project-Id-Version', domain)}\n"
        f"Report-Msgid-Bugs-To: {theaders.get('Report-Msgid-Bugs-To', '')}\n"
        f"POT-Creation-Date: {theaders.get('POT-Creation-Date', '')}\n"
        f"PO-Revision-Date: {_now_header()}\n"
        "Last-Translator: \n"
        f"Language-Team: {name}\n"
        f"Language: {language}\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=UTF-8\n"
        "Content-Transfer-Encoding: 8bit\n"
        f"Plural-Forms: {plural_header(language)}\n"
    )


def _fresh_unit(tunit: pypo.pounit, nplurals: int) -> pypo.pounit:
    """A catalogue unit for template unit *tunit*, untranslated."""
    unit = pypo.pounit(wrapper=tunit.wrapper)
    unit.automaticcomments = list(tunit.automaticcomments)
    unit.sourcecomments = list(tunit.sourcecomments)
    unit.msgctxt = list(tunit.msgctxt)
    # re-quote (not copy) so that lines are wrapped as msgmerge wraps them
    unit.source = tunit.source
    if tunit.hasplural():
        unit.msgstr = {i: ['""'] for i in range(nplurals)}
    else:
        unit.msgstr = ['""']
    flags = [f for f in _flags(tunit) if f != "fuzzy"]
    unit.typecomments = [f"#, {', '.join(sorted(flags))}\n"] if flags else []
    unit._typecomments_cache = None
    return unit


def _similar(a: str, b: str) -> float:
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if sm.real_quick_ratio() < 0.6 or sm.quick_ratio() < 0.6:
        return 0.0
    return sm.ratio()


_WORD = re.compile(r"\w{3,}")


class _FuzzyIndex:
    """Candidate finder for fuzzy matching: an inverted index of words, so each new
    message is compared (with difflib) only to the few old ones sharing most words,
    not to every old message (Babel's quadratic behaviour)."""

    def __init__(self, units: list[pypo.pounit]):
        self.units = units
        self.index: dict[str, list[int]] = {}
        self.used: set[int] = set()
        for i, u in enumerate(units):
            for w in set(_WORD.findall(str(u.source).lower())):
                self.index.setdefault(w, []).append(i)

    def best(self, source: str, limit: int = 8) -> pypo.pounit | None:
        counts: dict[int, int] = {}
        words = set(_WORD.findall(source.lower()))
        for w in words:
            postings = self.index.get(w)
            if postings and len(postings) < 2000:
                for i in postings:
                    counts[i] = counts.get(i, 0) + 1
        best, best_score = None, 0.6
        for i, _ in sorted(counts.items(), key=lambda kv: -kv[1])[:limit]:
            if i in self.used:
                continue
            score = _similar(source, str(self.units[i].source))
            if score >= best_score:
                best, best_score = i, score
        if best is None:
            return None
        self.used.add(best)
        return self.units[best]


def _merge_from(unit: pypo.pounit, old: pypo.pounit, fuzzy: bool, nplurals: int) -> None:
    """Carry the translation and translator comments of *old* into *unit*."""
    unit.othercomments = list(old.othercomments)
    old_strings = _unit_strings(old)
    if unit.hasplural():
        forms = list(old_strings) + [""] * nplurals
        if not old.hasplural():
            forms = [old_strings[0]] * nplurals
        unit.msgstr = {i: unit.quote(forms[i]) for i in range(nplurals)}
        unit._invalidate_target_cache()
    else:
        unit.target = old_strings[0]
    flags = list(_flags(unit))
    has_text = any(old_strings)
    if has_text and (fuzzy or old.isfuzzy()):
        flags = ["fuzzy", *[f for f in sorted(flags) if f != "fuzzy"]]
    unit.typecomments = [f"#, {', '.join(flags)}\n"] if flags else []
    unit._typecomments_cache = None
    if fuzzy and has_text:
        if old.prev_msgid:  # already stale: keep the source the translation was made for
            unit.prev_msgctxt = list(old.prev_msgctxt)
            unit.prev_msgid = list(old.prev_msgid)
            unit.prev_msgid_plural = list(old.prev_msgid_plural)
        else:
            unit.prev_msgctxt = list(old.msgctxt)
            unit.prev_msgid = list(old.msgid)
            unit.prev_msgid_plural = list(old.msgid_plural)
    elif old.isfuzzy() and old.prev_msgid and has_text:
        unit.prev_msgctxt = list(old.prev_msgctxt)
        unit.prev_msgid = list(old.prev_msgid)
        unit.prev_msgid_plural = list(old.prev_msgid_plural)


def _obsolete(store: pypo.pofile, old: pypo.pounit) -> None:
    """Add *old* to *store* as an obsolete (#~) entry, wrapped as msgmerge wraps it."""
    old.sourcecomments = []
    old.automaticcomments = []
    was_active = not old.isobsolete()
    if was_active:
        old.makeobsolete()
    store.addunit(old)
    if was_active:  # GNU wraps "#~ " lines 3 columns narrower
        wide = old.wrapper
        old.wrapper = pypo.PoWrapper(width=wide.width - 3)
        old.source = old.source
        old.target = old.target
        old.wrapper = wide


@dataclass
class UpdateResult:
    language: str
    path: Path
    created: bool = False
    written: bool = False
    new: int = 0
    fuzzy: int = 0
    obsolete: int = 0


def merge_catalog(
    template: pypo.pofile,
    old: pypo.pofile | None,
    language: str,
    domain: str,
    path: Path,
) -> tuple[pypo.pofile, UpdateResult]:
    """msgmerge --previous semantics, without Babel's quadratic fuzzy matching."""
    result = UpdateResult(language=language, path=path, created=old is None)
    nplurals, _ = parse_plural_forms(plural_header(language))
    store = pypo.pofile()
    store.units = []  # pypo starts with a default header; ours comes from old or template
    header = template.header()
    if old is not None and old.header() is not None:
        head = old.header()
        store.addunit(head)
        theaders = _headers(template)
        if "POT-Creation-Date" in theaders:
            _set_header_field(store, "POT-Creation-Date", theaders["POT-Creation-Date"])
        hdrs = _headers(old)
        if "Plural-Forms" in hdrs:
            try:
                nplurals, _ = parse_plural_forms(hdrs["Plural-Forms"])
            except ValueError:
                pass
        else:
            _set_header_field(store, "Plural-Forms", plural_header(language))
    else:
        head = pypo.pounit(wrapper=store.wrapper)
        head.msgid = ['""']
        head.target = _new_header(language, template, domain)
        if header is not None:
            head.othercomments = [
                "# " + f"{domain} translations for {language}.\n",
            ]
            head.typecomments = []
        store.addunit(head)

    old_active: dict[tuple[str, str], pypo.pounit] = {}
    old_by_ctx: dict[str, pypo.pounit] = {}
    old_obsolete: list[pypo.pounit] = []
    if old is not None:
        for u in old.units:
            if u.isheader():
                continue
            if u.isobsolete():
                old_obsolete.append(u)
                continue
            old_active[(u.getcontext() or "", u.getid())] = u
            old_by_ctx.setdefault(u.getcontext() or "", u)
    used: set[int] = set()
    exact_obsolete = {(u.getcontext() or "", u.getid()): u for u in old_obsolete}

    pending: list[tuple[pypo.pounit, pypo.pounit]] = []
    for tunit in template.units:
        if tunit.isheader() or tunit.isobsolete():
            continue
        unit = _fresh_unit(tunit, nplurals)
        key = (tunit.getcontext() or "", tunit.getid())
        old_unit = old_active.get(key)
        if old_unit is None and key in exact_obsolete:
            old_unit = exact_obsolete[key]
            old_unit.resurrect()
        if old_unit is not None:
            used.add(id(old_unit))
            _merge_from(unit, old_unit, fuzzy=False, nplurals=nplurals)
        else:
            same_ctx = old_by_ctx.get(key[0])
            if same_ctx is not None and id(same_ctx) not in used and key[0]:
                used.add(id(same_ctx))
                _merge_from(unit, same_ctx, fuzzy=True, nplurals=nplurals)
                result.fuzzy += 1 if any(_unit_strings(same_ctx)) else 0
                result.new += 0 if any(_unit_strings(same_ctx)) else 1
            else:
                pending.append((tunit, unit))
        store.addunit(unit)

    if pending and old is not None:
        leftovers = [
            u
            for u in [*old_active.values(), *old_obsolete]
            if id(u) not in used and any(_unit_strings(u))
        ]
        index = _FuzzyIndex(leftovers)
        for tunit, unit in pending:
            match = index.best(str(tunit.source)) if leftovers else None
            if match is not None:
                used.add(id(match))
                _merge_from(unit, match, fuzzy=True, nplurals=nplurals)
                result.fuzzy += 1
            else:
                result.new += 1
    else:
        result.new += len(pending)

    for u in [*old_active.values(), *old_obsolete]:
        if id(u) in used or not any(_unit_strings(u)):
            continue  # msgmerge drops untranslated entries instead of obsoleting them
        _obsolete(store, u)
        result.obsolete += 1
    return store, result


def update_catalog(
    template_store: pypo.pofile, path: Path, language: str, domain: str
) -> UpdateResult:
    """Create or update the catalogue at *path* from the parsed template."""
    with locked(path):
        old = None
        before = None
        if path.exists():
            before = path.read_bytes()
            old, _ = parse_store(before, str(path))
            if old.header() is None:
                raise CatalogError(
                    "cannot read this catalogue (empty or truncated: no header entry); "
                    "refusing to overwrite it: restore it from version control, or delete "
                    "it to start again", str(path))
        store, result = merge_catalog(template_store, old, language, domain, path)
        out = serialize(store)
        validate_syntax(_decode(out, str(path)), str(path))
        if out != before:
            sweep_temp_files(path)
            write_atomic(path, out)
            result.written = True
    return result


def read_template_store(path: Path) -> pypo.pofile:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise CatalogError("template not found (run `letterflow extract`)", str(path)) from None
    store, _ = parse_store(data, str(path))
    return store


def template_signature(store: pypo.pofile) -> list[tuple]:
    """What a catalogue must agree with to be in sync with its template."""
    return [
        (u.getcontext() or "", u.getid(), tuple(u.getlocations()))
        for u in store.units
        if not u.isheader() and not u.isobsolete()
    ]


def catalog_in_sync(template: Catalog, catalog: Catalog) -> list[str]:
    """Return human-readable reasons why *catalog* is out of sync with *template* (empty if ok)."""
    problems = []
    want = {(m.context, m.source, m.source_plural) for m in template.active()}
    have = {(m.context, m.source, m.source_plural) for m in catalog.active()}
    missing = want - have
    extra = have - want
    if missing:
        ctxs = sorted(c for c, _, _ in missing)
        problems.append(
            f"{len(missing)} template message(s) missing or with an old source text "
            f"({', '.join(ctxs[:3])}{'…' if len(ctxs) > 3 else ''}); run `letterflow update`"
        )
    if extra:
        ctxs = sorted(c for c, _, _ in extra)
        problems.append(
            f"{len(extra)} message(s) no longer in the template "
            f"({', '.join(ctxs[:3])}{'…' if len(ctxs) > 3 else ''}); run `letterflow update`"
        )
    return problems
