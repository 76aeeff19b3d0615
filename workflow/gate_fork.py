"""When the gate may fork, and a call run in a forked child (the template step).

A forked process gets a copy of its parent's memory but only the thread that forked: any
other thread's state (a lock it held, a job queue it served) is copied without the thread.
A native thread pool then waits forever in the child for threads that do not exist (lingua's
pool did: a forked gate worker that read a text with it never finished). So the gate forks
only from a parent that runs one thread, checked at every fork (the parent's own checking
may have started threads since the last one), and otherwise spawns its workers or runs the
step in-process."""

from __future__ import annotations

import os
import sys

#: Checks that may start native threads in the process that runs them (lingua's pool): with
#: one of them in the run, the parent checks no catalogue before forking its workers.
THREADED_CHECKS = frozenset({"wrong-language"})


def os_threads() -> int | None:
    """How many threads this process runs, native ones included (Linux's /proc), or None
    where that cannot be told."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return None


def fork_context():
    """The "fork" start method if forking is safe now, else None (spawn instead): forked
    workers start at once with the parent's modules, configuration, parsed template and
    memos (no re-import, no re-parse). Safe: this process runs one thread (where that
    cannot be counted: Python knows of one thread and lingua is not loaded)."""
    import multiprocessing

    threads = os_threads()
    if threads is None:
        import threading

        if threading.active_count() != 1 or "lingua" in sys.modules:
            return None
    elif threads != 1:
        return None
    try:
        return multiprocessing.get_context("fork")
    except ValueError:
        return None


def threaded_checks_run(skip: frozenset[str]) -> bool:
    """Whether a check of :data:`THREADED_CHECKS` runs despite *skip*."""
    return not THREADED_CHECKS <= skip


class ChildVanished(RuntimeError):
    """A forked call's child ended without an answer (killed, or out of memory)."""


class ForkedCall:
    """``fn()`` run in a child forked now (through *context*); :meth:`result` waits for
    it and returns its value, or raises what it raised. The child ends without ``atexit``
    (as every forked worker): what it must keep, it writes itself."""

    def __init__(self, context, fn) -> None:
        reader, writer = context.Pipe(duplex=False)
        self._process = context.Process(target=_answer, args=(fn, writer), daemon=True)
        self._process.start()
        writer.close()
        self._reader = reader

    def result(self):
        try:
            ok, value = self._reader.recv()
        except EOFError:
            ok, value = False, None
        finally:
            self._reader.close()
            self._process.join()
        if ok:
            return value
        if value is None:
            raise ChildVanished(
                f"a forked step ended without an answer (exit code {self._process.exitcode})")
        raise value


def _answer(fn, writer) -> None:
    """The child's side of :class:`ForkedCall`: (True, value) or (False, the exception)."""
    try:
        out = (True, fn())
    except BaseException as exc:  # noqa: BLE001 -- raised again in the parent
        out = (False, exc)
    try:
        writer.send(out)
    except Exception as exc:  # noqa: BLE001 -- e.g. an exception that does not pickle
        writer.send((False, RuntimeError(f"{out[1]!r} ({exc})")))
    finally:
        writer.close()
