"""Process-wide settings of a long-running server process (``letterflow serve``).

- The cyclic garbage collector: everything built at start-up (modules, the app, templates,
  caches) lives as long as the process, so ``gc.freeze()`` moves it to the permanent
  generation and no later collection walks it again. A request allocates thousands of
  short-lived objects that form no cycles and are freed by reference counting; with the
  default first-generation threshold (700 allocations) the collector still ran several times
  per request. A higher threshold keeps it (cycles are still collected) at a fraction of that.
- What the first requests load lazily (the QA checks and their dictionaries and models, the
  translate-toolkit bridge, templates) lives as long as the process too, but was not there
  when start-up was frozen: every full collection walked it again (a 30-50 ms pause of the
  whole process every ~10 s under bench_web.py's approvals, in its p99). So it is frozen as
  well, once :data:`REFREEZE_AFTER` requests have been served (a full collection first:
  only live objects are frozen; frozen objects are still freed when no longer referenced,
  only a reference cycle among them is never collected).
- waitress logs "Task queue depth is N" at WARNING for every request that waits for a free
  thread. Under load that is every request (20 connections, 8 threads), a line each, and its
  log record cost ~5% of an approval's CPU (py-spy, bench/bench_web.py). Waiting in the queue
  is normal operation, so that logger only reports errors.
- waitress's main loop (:func:`serve`, :class:`Channel`): a worker thread sends its answer
  itself while holding the connection's output lock. Meanwhile the main loop saw the
  connection's unsent bytes, asked ``select`` whether the socket was writable (it is, at
  once), failed to take the lock, and went round again: about ten turns of the loop and
  fifteen failed flushes per approval at 20 connections, a tenth of an approval's CPU, each
  turn taking the GIL back from the worker it waited for. Such a connection is not
  offered for writing while a task holds its output lock; every path that leaves bytes
  behind wakes the loop again once the lock is free (the end of every task does).
- waitress's task hands an answer's head and its body to the connection one after the
  other, and each is sent at once: two ``send`` calls (and two turns of the output lock)
  per answer. :func:`_task_class` hands them over together when the body fits its
  Content-Length (every Flask answer here): the same bytes, one ``send``.
"""

from __future__ import annotations

import gc
import itertools
import logging
from typing import Any

#: allocations (minus deallocations) between two first-generation collections
FIRST_GENERATION_THRESHOLD = 20_000
#: Served requests after which what they loaded is frozen too (once at each count).
REFREEZE_AFTER = (100, 1000)


def tune_for_serving(app: Any = None) -> None:
    """Freeze what start-up built, raise the collector's first threshold, quiet the queue
    depth warnings; with *app*, freeze again after its first requests. Call it in the
    serving process once its app is built."""
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    gc.collect()
    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(FIRST_GENERATION_THRESHOLD, second, third)
    if app is not None:
        _refreeze_after_warm_up(app)


def _refreeze_after_warm_up(app: Any) -> None:
    served = itertools.count(1)

    @app.teardown_request
    def _refreeze(_exc: BaseException | None) -> None:
        if next(served) in REFREEZE_AFTER:
            gc.collect()
            gc.freeze()


def _task_class() -> type:
    from waitress.task import WSGITask

    class Task(WSGITask):
        """waitress's WSGI task, handing the head of an answer and its first body chunk to
        the connection together: one ``send`` (and one turn of the output lock) instead of
        two per answer. The bytes are the same; anything but that plain case (no
        Content-Length, a body longer than it, no body) is waitress's own ``write``."""

        def write(self, data: bytes) -> None:
            cl = self.content_length
            if (self.wrote_header or not data or not self.complete or cl is None
                    or len(data) > cl - self.content_bytes_written or not self.has_body):
                # (without a Content-Length the head decides whether the body is chunked;
                # a body over it is trimmed and logged by waitress)
                return super().write(data)
            head = self.build_response_header()
            self.wrote_header = True
            self.content_bytes_written += len(data)
            self.channel.write_soon(head + data)
            return None

    return Task


def _channel_class() -> type:
    from waitress.channel import HTTPChannel

    class Channel(HTTPChannel):
        """waitress's connection, not offered to ``select`` for writing while a running task
        holds its output lock (that task is sending the bytes itself); its tasks send the
        head and the first body chunk of an answer at once (:func:`_task_class`)."""

        task_class = _task_class()

        def writable(self) -> bool:
            if self.will_close or self.close_when_flushed:
                return True
            if not self.total_outbufs_len:
                return False
            if self.requests:  # a task runs: is it sending right now?
                lock = self.outbuf_lock
                if not lock.acquire(False):
                    return False
                lock.release()
            return True

    return Channel


def serve(app: Any, **kw: Any) -> None:
    """``waitress.serve(app, **kw)`` (quietly) with :class:`Channel` connections."""
    from waitress.server import BaseWSGIServer, create_server

    kw.pop("_quiet", None)
    server = create_server(app, **kw)
    channel = _channel_class()
    listeners = [server] if isinstance(server, BaseWSGIServer) else [
        obj for obj in getattr(server, "map", {}).values() if isinstance(obj, BaseWSGIServer)]
    for listener in listeners:
        listener.channel_class = channel
    server.run()
