"""What letterflow derives from a file's bytes (their SHA-256, a parsed TOML table),
remembered under the file's full ``stat`` so that a warm ``letterflow check`` reads and
parses no unchanged file (and so does not even import ``hashlib`` or ``tomllib`` for it).

The rule is git's index ("racy git"): an entry is keyed on device, inode, size, mtime and
ctime (which no program can set back, so ``cp -p``, ``rsync -t`` or ``touch -d`` cannot
fool it), and it is recorded only for a file whose mtime and ctime are more than
:data:`RACY_NS` older than the clock at recording and that did not change while it was
read: a file changed again within the filesystem's timestamp granularity can never match
a stale entry. A file that is too fresh is simply read again next time.

It also remembers the last SHA-256 of a few texts (the gate's fingerprint and keys), so
that a warm run does not import ``hashlib`` at all.

One memo file per cache folder (``<cache>/check/stat-memo``, marshal: no import cost),
loaded on first use, written once at exit if it changed. A damaged or missing memo is an
empty one; a read-only folder runs without it.

The same rule guards every in-process memo of a file's content (:class:`FileVersion`,
:class:`FileMemo`: the glossary, the letters' facts, the web's catalogue cache): a stat
that cannot vouch for the content (:func:`is_racy`) is trusted only together with a
comparison of the bytes, until a comparison made when the stat was old enough proves it."""

from __future__ import annotations

import os
import time

#: A stat taken less than this after the file last changed cannot vouch for its content:
#: the coarsest timestamps in use (FAT, some network file systems) are 1-2 s apart.
RACY_NS = 2_000_000_000
_memos: dict[str, StatMemo] = {}


def stat_key(st: os.stat_result) -> tuple:
    """What a file's version is keyed on: device, inode, size, mtime, ctime."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


_key = stat_key


def is_racy(st: os.stat_result, now_ns: int | None = None) -> bool:
    """Whether *st* was taken too soon after the file changed (mtime or ctime less than
    :data:`RACY_NS` before *now_ns*, default now) to vouch for its content: a later write
    of the same size within the file system's timestamp granularity would leave the very
    same stat (git's "racily clean" entries)."""
    now = time.time_ns() if now_ns is None else now_ns
    return max(st.st_mtime_ns, st.st_ctime_ns) > now - RACY_NS


class StatMemo:
    """(kind, path) -> value, valid while the path's stat is the recorded one."""

    def __init__(self, path: str):
        self.path = path
        self.entries: dict | None = None
        self.dirty = False

    def _load(self) -> dict:
        if self.entries is None:
            import marshal

            try:
                with open(self.path, "rb") as fh:
                    data = marshal.load(fh)
            except (OSError, EOFError, ValueError, TypeError):
                data = {}
            self.entries = data if isinstance(data, dict) else {}
        return self.entries

    def get(self, kind: str, path: str, st: os.stat_result):
        """The value recorded for *path* in this exact state, or None."""
        hit = self._load().get((kind, path))
        if hit is not None and isinstance(hit, tuple) and len(hit) == 2 and hit[0] == _key(st):
            return hit[1]
        return None

    def put(self, kind: str, path: str, before: os.stat_result, after: os.stat_result,
            value) -> None:
        """Record *value*, computed from *path*'s bytes read between the two stats, if the
        file is old enough to trust its stat (see the module's note)."""
        entries = self._load()
        key = _key(before)
        if key != _key(after) or max(after.st_mtime_ns, after.st_ctime_ns) > (
            time.time_ns() - RACY_NS
        ):
            entries.pop((kind, path), None)
            return
        if entries.get((kind, path)) != (key, value):
            entries[(kind, path)] = (key, value)
            self._dirty()

    def sha256_text(self, slot: str, text: str) -> str:
        """The hex SHA-256 of *text*, remembered for the last text asked for under *slot*
        (a pure function: the memo only spares a warm run the import of hashlib)."""
        entries = self._load()
        hit = entries.get(("text", slot))
        if isinstance(hit, tuple) and len(hit) == 2 and hit[0] == text:
            return hit[1]
        import hashlib

        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        entries[("text", slot)] = (text, digest)
        self._dirty()
        return digest

    def _dirty(self) -> None:
        if not self.dirty:
            import atexit

            atexit.register(self.save)
        self.dirty = True

    def save(self) -> None:
        """Write the memo (atomically) if it changed; quietly nothing on a read-only disk."""
        if not self.dirty or self.entries is None:
            return
        import marshal

        from .fileio import write_atomic

        try:
            write_atomic(self.path, marshal.dumps(self.entries))
            self.dirty = False
        except (OSError, ValueError):
            pass


def memo_for(cache_root: str | os.PathLike) -> StatMemo:
    """The memo of one cache folder (``$LETTERFLOW_CACHE_DIR`` or the project's
    ``.letterflow-cache``)."""
    path = os.path.join(os.fspath(cache_root), "check", "stat-memo")
    memo = _memos.get(path)
    if memo is None:
        memo = _memos[path] = StatMemo(path)
    return memo


def read_with_stats(path: str) -> tuple[bytes, os.stat_result, os.stat_result]:
    """(the bytes of *path*, its stat before reading, its stat after)."""
    with open(path, "rb") as fh:
        before = os.fstat(fh.fileno())
        data = fh.read()
        after = os.fstat(fh.fileno())
    return data, before, after


def sha256_of(memo: StatMemo | None, path: str) -> str:
    """The hex SHA-256 of *path*'s bytes, from *memo* when the file is unchanged; OSError
    if it cannot be read."""
    if memo is not None:
        hit = memo.get("sha256", path, os.stat(path))
        if hit is not None:
            return hit
    import hashlib

    data, before, after = read_with_stats(path)
    digest = hashlib.sha256(data).hexdigest()
    if memo is not None:
        memo.put("sha256", path, before, after, digest)
    return digest


class FileVersion:
    """One version of a file, as an in-process memo's key: its :func:`stat_key`, and, while
    that stat is racy (:func:`is_racy`, or the file changed while it was read), the bytes
    the memo's value was made from. :meth:`current` then compares the file's bytes too,
    until a comparison made once the stat is old enough proves the stat (from then on a
    ``stat`` is enough: any later write gets a later timestamp)."""

    __slots__ = ("key", "data")

    def __init__(self, key: tuple, data: bytes | None):
        self.key = key
        self.data = data  # None: the stat alone vouches for the content

    @classmethod
    def of_read(cls, data: bytes, before: os.stat_result, after: os.stat_result
                ) -> FileVersion:
        """The version whose bytes *data* were read between the stats *before* and
        *after* (:func:`read_with_stats`)."""
        key = stat_key(after)
        return cls(key, data if key != stat_key(before) or is_racy(after) else None)

    def current(self, path: str | os.PathLike, st: os.stat_result | None = None) -> bool:
        """Whether the file at *path* (whose stat is *st*, if taken) is still this
        version; False if it cannot be read."""
        try:
            if stat_key(st if st is not None else os.stat(path)) != self.key:
                return False
            if self.data is None:
                return True
            data, before, after = read_with_stats(os.fspath(path))
        except OSError:
            return False
        if data != self.data:
            return False
        if stat_key(before) == stat_key(after) == self.key and not is_racy(after):
            self.data = None  # (proven: a later write cannot leave this stat)
        return True


class FileMemo:
    """(path, *extra*) -> a value made from the file's bytes, kept while the file is the
    same :class:`FileVersion`; at most *size* entries (all dropped when full). Two threads
    may make one value twice; each gets a correct one."""

    def __init__(self, size: int = 64):
        self.size = size
        self.entries: dict[tuple, tuple[FileVersion, object]] = {}

    def get(self, path: str | os.PathLike, make, extra: object = None):
        """``make(bytes of path)``, remembered; OSError if the file cannot be read."""
        path = os.fspath(path)
        hit = self.entries.get((path, extra))
        if hit is not None and hit[0].current(path):
            return hit[1]
        data, before, after = read_with_stats(path)
        value = make(data)
        if len(self.entries) >= self.size:
            self.entries.clear()
        self.entries[(path, extra)] = (FileVersion.of_read(data, before, after), value)
        return value

    def clear(self) -> None:
        self.entries.clear()
