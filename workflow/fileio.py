"""File writes that survive a crash and a concurrent writer.

- :func:`locked`: an exclusive advisory lock on ``<path>.lock`` (across processes), waited
  for at most :func:`lock_timeout` seconds (30 s; the web UI sets a few with
  :func:`lock_wait`), then :class:`~workflow.errors.LockTimeout`; the CLI
  (:func:`announce_lock_waits`) says on stderr when such a wait passes a second;
- :func:`write_atomic`: temp file in the same folder, fsync, ``os.replace``, fsync the folder;
- :func:`sweep_temp_files`: remove the temp files a killed writer left behind;
- :func:`fsync_path`, :func:`fsync_dir`: flush a file or a folder entry to disk.
- :func:`read_file`: a file's bytes and permission bits in a few system calls (the write path).

A reader therefore sees the old bytes or the new bytes, never a mix, and a write killed at
any point leaves the old file intact. Standard library only (``letterflow check`` loads it).
"""

from __future__ import annotations

import fcntl
import itertools
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from .crashpoint import crash_point


def as_path(path: str | Path) -> Path:
    """*path* as a Path; a Path is returned as it is (``Path(p)`` parses it again: a
    tenth of a batch write's Python work was making the same Path five times)."""
    return path if path.__class__ is _PATH_CLASS else Path(path)


_PATH_CLASS = type(Path())


def lock_path(path: str | Path) -> Path:
    """The lock file that guards *path*: ``<path>.lock`` beside it."""
    path = as_path(path)
    return path.with_name(path.name + ".lock")


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
    """Wait at most *seconds* for file locks in this thread (context)."""
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


#: A lock wait longer than this (seconds) is announced on stderr (the CLI, see below).
NOTICE_AFTER = 1.0
_announce = False


def announce_lock_waits(on: bool = True) -> None:
    """Say on stderr, once per wait, when a lock wait passes :data:`NOTICE_AFTER` seconds.
    The ``letterflow`` command turns it on; a wait bounded by :func:`lock_wait` (the web
    UI's requests) is never announced."""
    global _announce
    _announce = on


def lock_holder(fd: int) -> int | None:
    """The pid of the process holding the flock on the open lock file *fd*, if the kernel
    says (``/proc/locks``, Linux); else None."""
    try:
        st = os.fstat(fd)
        with open("/proc/locks", encoding="ascii", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return None
    want = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    for line in lines:
        parts = line.split()
        if len(parts) >= 6 and parts[1] == "FLOCK" and parts[5] == want:
            return int(parts[4]) if parts[4].isdigit() and parts[4] != "0" else None
    return None


def wait_message(path: str | Path, pid: int | None, timeout: float) -> str:
    """The one line said while waiting for *path*'s lock."""
    who = f" (pid {pid})" if pid else ""
    return f"waiting for {path}, locked by another process{who}… up to {timeout:g} s"


def _acquire(fd: int, path: Path, timeout: float) -> None:
    """flock with a deadline: LockTimeout when another process holds it that long.

    A held lock is waited for in the kernel (a helper thread's blocking ``flock`` on a
    duplicate of *fd*), so the waiter wakes the moment the holder lets go. Polling with
    growing sleeps lost, again and again, to a holder that takes the lock back within
    milliseconds (another server process writing its next batch): waits of a second."""
    from .errors import LockTimeout

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    start = time.monotonic()
    waiter = _KernelWait(fd)
    if _announce and _lock_timeout.get() is None and timeout > NOTICE_AFTER:
        if waiter.wait(NOTICE_AFTER, final=False):
            return
        print(wait_message(path, lock_holder(fd), timeout), file=sys.stderr, flush=True)
    if not waiter.wait(max(timeout - (time.monotonic() - start), 0.0)):
        raise LockTimeout(str(path), time.monotonic() - start)


class _KernelWait:
    """A blocking ``flock`` in a daemon thread; an abandoned wait lets go of what it gets."""

    def __init__(self, fd: int):
        import threading

        self._fd = os.dup(fd)  # the same open file: the lock it gets is *fd*'s
        self._state = threading.Lock()
        self._got = threading.Event()
        self._abandoned = False
        threading.Thread(target=self._run, name="letterflow-flock", daemon=True).start()

    def _run(self) -> None:
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except OSError:
            os.close(self._fd)
            return
        with self._state:
            if self._abandoned:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            else:
                self._got.set()
        os.close(self._fd)

    def wait(self, seconds: float, final: bool = True) -> bool:
        """True once the lock is held; False after *seconds* (a final wait is then given
        up: the thread lets go of the lock when it gets it)."""
        if self._got.wait(seconds):
            return True
        with self._state:
            if self._got.is_set():
                return True
            self._abandoned = final
            return False


@contextmanager
def locked(path: str | Path, timeout: float | None = None) -> Iterator[None]:
    """An exclusive advisory lock on ``<path>.lock`` (works across processes), waited for
    at most *timeout* seconds (default :func:`lock_timeout`: 30 s, a few seconds in the
    web UI); else :class:`~workflow.errors.LockTimeout`."""
    path = as_path(path)
    try:
        fd = os.open(lock_path(path), os.O_RDWR | os.O_CREAT, 0o644)
    except FileNotFoundError:  # the folder first (not a mkdir call on every write)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path(path), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, path, lock_timeout() if timeout is None else timeout)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def temp_pattern(path: str | Path) -> str:
    """The glob (in *path*'s folder) of the temp files :func:`write_atomic` makes for *path*."""
    return f".{Path(path).name}.*.tmp"


def sweep_temp_files(path: str | Path) -> list[Path]:
    """Remove temp files a killed writer of *path* left behind. Call it only while holding
    :func:`locked` on *path*: then no other writer of that file can be mid-write."""
    path = as_path(path)
    folder = path.parent
    prefix = f".{path.name}."  # temp_pattern(path), matched without building a glob
    shortest = len(prefix) + len(".tmp")
    gone = []
    try:
        with os.scandir(folder) as entries:
            names = [e.name for e in entries]
    except OSError:
        return gone
    for name in names:
        if len(name) >= shortest and name.startswith(prefix) and name.endswith(".tmp"):
            tmp = folder / name
            try:
                tmp.unlink()
                gone.append(tmp)
            except OSError:
                pass
    return gone


def fsync_path(path: str | Path) -> None:
    """Flush the file at *path* to disk (its data, not its folder entry)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: str | Path) -> None:
    """Flush the folder *path* (so a rename in it survives a power cut); best effort."""
    try:
        dfd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def _temp_file(path: Path) -> tuple[int, str]:
    """A new, empty temp file beside *path*, named by :func:`temp_pattern` and opened as
    ``tempfile.mkstemp`` opens one (exclusive, no symlink followed, mode 0600; the folder
    made if missing): (its descriptor, its path). Cheaper than mkstemp's name sequence."""
    folder = str(path.parent)
    flags = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
             | getattr(os, "O_CLOEXEC", 0))
    for _ in range(100):
        name = f".{path.name}.{os.getpid()}-{next(_serial)}-{os.urandom(3).hex()}.tmp"
        tmp = os.path.join(folder, name)
        try:
            return os.open(tmp, flags, 0o600), tmp
        except FileExistsError:
            continue
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
    raise FileExistsError(f"no free temporary file name beside {path}")


_serial = itertools.count()


def read_file(path: str | Path) -> tuple[bytes, int]:
    """The bytes of the file at *path* and its permission bits: ``Path.read_bytes()`` and
    ``os.stat(path).st_mode & 0o777`` of the same open file, in fewer system calls (open,
    fstat, read to the end, close: no isatty, no seek, no second stat). Raises what
    ``read_bytes`` raises (FileNotFoundError, IsADirectoryError, ...)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        chunks = []
        want = st.st_size + 1  # all of it in one read, and one more that finds the end
        while chunk := os.read(fd, want):
            chunks.append(chunk)
            want = max(want, 1 << 16)
        return b"".join(chunks), st.st_mode & 0o777
    finally:
        os.close(fd)


def write_atomic(path: str | Path, data: bytes, mode: int | None = None) -> None:
    """Write *data* to *path*: temp file in the same folder, fsync, os.replace, fsync dir.

    The file keeps its permission bits (a new one gets 0644); *mode*: those bits, if the
    caller has just read them under the file's lock (:func:`read_file`). On any failure the
    temp file is removed and *path* is left as it was."""
    path = as_path(path)
    if mode is None:
        try:
            mode = os.stat(path).st_mode & 0o777
        except FileNotFoundError:
            mode = 0o644
    fd, tmp = _temp_file(path)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fchmod(fd, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        crash_point("catalog.replace")
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    fsync_dir(path.parent)
