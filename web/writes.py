"""Group commit of the review UI's writes to one catalogue.

Saves to one ``.po`` file serialise on its lock, and every write costs a serialisation,
a validating parse, two fsyncs and two SQLite transactions (the audit intents before the
write, the audit rows after). So concurrent requests for the same catalogue queue their
:class:`~workflow.catalogs.Change` (with its audit intent) here, and one of them (the
writer) writes all queued changes with the steps of ``review.batch``: one transaction for
every intent, one ``catalogs.apply_changes`` (lock, re-read, apply in order, validate, temp
file, fsync, ``os.replace``) and, still under the file's lock, the batch's audit rows in
one transaction (``audit_intents.complete``), so that the rows follow the order of the
writes across threads and processes; then it hands the queue to the next batch.
Each change keeps its own base revision and gets its own outcome
(``ApplyResult.outcomes``) and audit row: applied (with the revision it produced), or a
conflict with the entry as the changes before it left it, exactly as if the requests had
been written one after another. Requests that arrive while a batch is being written form
the next batch. Other server processes are serialised by the file lock, as before.

A batch that fails as a whole (say one change makes the file invalid, or cannot be
encoded) is retried one change at a time, so one bad change cannot fail the others.

Every wait is bounded (``LOCK_TIMEOUT``, a few seconds): a file locked by another process
(``letterflow update``, a ``draft`` run) costs each request for that language a few
seconds and then a 503 with Retry-After, and never holds the server threads that login
and the other languages need.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from workflow.errors import LockTimeout


class _Pending:
    __slots__ = ("change", "intent", "done", "kind", "message", "audit_id", "error", "wake")

    def __init__(self, change: Any, intent: Any = None):
        self.change = change
        self.intent = intent  # workflow.audit_intents.Intent, or None (not audited)
        self.done = False
        self.kind: str | None = None
        self.message: Any = None
        self.audit_id: int | None = None
        self.error: BaseException | None = None
        self.wake = threading.Event()  # set when done, or when it is this one's turn to write


class WriteQueue:
    """The queue of one catalogue file (one per language and app)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._batch_done = threading.Condition(self._lock)
        self._waiting: list[_Pending] = []
        self._busy = False
        self._turn: _Pending | None = None  # the waiter handed the writer's turn
        self._batches = 0  # batches written so far
        self._blocked_until = 0.0  # the file's lock timed out: fail fast until then

    @property
    def busy(self) -> bool:
        """A batch is being written (or about to be)."""
        return self._busy

    def wait_batch(self, timeout: float) -> bool:
        """If a batch is being written, wait (at most *timeout* s) until it is done and
        its catalogue cached; False if none was being written."""
        with self._lock:
            if not self._busy:
                return False
            n = self._batches
            self._batch_done.wait_for(lambda: self._batches != n, timeout)
            return True

    def submit(self, svc: Any, lang: str, path: Any, change: Any,
               timeout: float = 3.0) -> tuple[str, Any]:
        """Write *change* (alone or with others queued meanwhile); returns (outcome,
        message) as in ``ApplyResult.outcomes``. Raises what the write raised.

        Bounded: a request waits at most *timeout* s in the queue and the writer at most
        *timeout* s for the file's lock (LockTimeout); while the lock is known to be held
        by another process, writers try it once and give up at once."""
        me = self._submit(svc, lang, path, _Pending(change), timeout)
        return me.kind or "missing", me.message

    def submit_audited(self, svc: Any, lang: str, path: Any, change: Any, intent: Any,
                       timeout: float = 3.0) -> tuple[str, Any, int | None]:
        """:meth:`submit` with the change's audit intent (written with the batch's):
        (outcome, message, audit id)."""
        me = self._submit(svc, lang, path, _Pending(change, intent), timeout)
        return me.kind or "missing", me.message, me.audit_id

    def _submit(self, svc: Any, lang: str, path: Any, me: _Pending,
                timeout: float) -> _Pending:
        with self._lock:
            self._waiting.append(me)
            writer = not self._busy
            self._busy = True
        if not writer and not me.wake.wait(timeout):
            with self._lock:
                if self._turn is not me and me in self._waiting:
                    self._waiting.remove(me)  # not taken into a batch: give up
                    raise LockTimeout(str(path), timeout)
            me.wake.wait()  # in a batch being written (its lock wait is bounded) or my turn
        if not me.done:
            self._write(svc, lang, path, timeout)
        if me.error is not None:
            raise me.error
        return me

    def _write(self, svc: Any, lang: str, path: Any, timeout: float) -> None:
        """Write every queued change as one batch (its audit rows recorded under the
        file's lock), hand the turn on, and answer the batch's requests."""
        from workflow.fileio import lock_wait

        with self._lock:
            batch, self._waiting = self._waiting, []
            self._turn = None
        wait = 0.0 if time.monotonic() < self._blocked_until else timeout
        try:
            with lock_wait(wait):
                _write_batch(svc, lang, path, batch)
        except BaseException as exc:  # noqa: BLE001 (handed to every request of the batch)
            if isinstance(exc, LockTimeout):
                self._blocked_until = time.monotonic() + timeout
            for p in batch:
                if p.kind is None and p.error is None:
                    p.error = exc
        finally:
            with self._lock:
                # requests that came meanwhile: the first one writes them all next
                turn = self._turn = self._waiting[0] if self._waiting else None
                self._busy = turn is not None
                self._batches += 1
                self._batch_done.notify_all()
            if turn is not None:
                turn.wake.set()
            for p in batch:
                p.done = True
                p.wake.set()


def _write_batch(svc: Any, lang: str, path: Any, batch: list[_Pending]) -> None:
    """The three steps of ``review.batch`` for *batch* (intents, file, audit rows under the
    file's lock); fills each request's outcome, audit id or error."""
    from workflow.catalogs import apply_changes
    from workflow.review.batch import Item, begin_items, fail_items, rows_under_lock

    items = [Item(p.change, p.intent) for p in batch]
    conn = svc.conn if any(p.intent is not None for p in batch) else None
    try:
        ids = begin_items(conn, lang, path, items)
        try:
            # step 3, the audit rows, runs under the file's lock (review.batch)
            result = apply_changes(path, [it.change for it in items],
                                   under_lock=rows_under_lock(conn, items, ids))
        except BaseException as exc:
            fail_items(conn, lang, path, ids, exc)
            raise
    except LockTimeout:
        raise  # the file is held by another process: retrying each change would wait again
    except Exception as exc:  # noqa: BLE001 - whatever one change breaks, not the others
        # (fail_items has settled the batch's intents from what the file holds)
        if len(batch) == 1:
            batch[0].error = exc
            return
        for p in batch:  # find the change that fails; the others are written
            _write_batch(svc, lang, path, [p])
        return
    svc.install_catalog(lang, result.file_version, result.catalog)
    for p, it, (kind, message) in zip(batch, items, result.outcomes, strict=True):
        it.kind, it.message = kind, message
        p.kind, p.message = kind, message
        p.audit_id = it.audit_id
        if it.error is not None:
            p.error = it.error
    app = getattr(svc, "app", None)
    if result.catalog is not None and app is not None:  # written: a git commit (gitsync)
        from .gitsync import notify

        notify(app, lang)
