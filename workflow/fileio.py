"""File writes that survive a crash and a concurrent writer.

- :func:`locked`: an exclusive advisory lock on ``<path>.lock`` (across processes), waited
  for at most :func:`lock_timeout` seconds (30 s; the web UI sets a few with
  :func:`lock_wait`), then :class:`~workflow.errors.LockTimeout`; the CLI
  (:func:`announce_lock_waits`) says on stderr when such a wait passes a second;
- :func:`write_atomic`: temp file in the same folder, fsync, ``os.replace``, fsync the folder;
- :func:`sweep_temp_files`: remove the temp files a killed writer left behind;
- :func:`fsync_path`, :func:`fsync_dir`: flush a file or a folder entry to disk.

A reader therefore sees the old bytes or the new bytes, never a mix, and a write killed at
any point leaves the old file intact. Standard library only (``letterflow check`` loads it).
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from .crashpoint import crash_point


def lock_path(path: str | Path) -> Path:
    """The lock file that guards *path*: ``<path>.lock`` beside it."""
    path = Path(path)
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
    """flock with a deadline: LockTimeout when another process holds it that long."""
    from .errors import LockTimeout

    start = time.monotonic()
    delay = 0.005
    notice = _announce and _lock_timeout.get() is None
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            waited = time.monotonic() - start
            if waited >= timeout:
                raise LockTimeout(str(path), waited) from None
            if notice and waited >= NOTICE_AFTER:
                notice = False
                print(wait_message(path, lock_holder(fd), timeout), file=sys.stderr, flush=True)
            time.sleep(min(delay, max(timeout - waited, 0.001)))
            delay = min(delay * 2, 0.2)


@contextmanager
def locked(path: str | Path, timeout: float | None = None) -> Iterator[None]:
    """An exclusive advisory lock on ``<path>.lock`` (works across processes), waited for
    at most *timeout* seconds (default :func:`lock_timeout`: 30 s, a few seconds in the
    web UI); else :class:`~workflow.errors.LockTimeout`."""
    path = Path(path)
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
    path = Path(path)
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


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write *data* to *path*: temp file in the same folder, fsync, os.replace, fsync dir.

    The file keeps its permission bits (a new one gets 0644). On any failure the temp
    file is removed and *path* is left as it was."""
    import tempfile  # not at import: a warm `letterflow check` writes nothing

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
    fsync_dir(path.parent)
