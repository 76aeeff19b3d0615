"""Group commit of the review UI's writes to one catalogue.

Saves to one ``.po`` file serialise on its lock, and every write costs a serialisation,
a validating parse and two fsyncs. So concurrent requests for the same catalogue queue
their :class:`~workflow.catalogs.Change` here, and one of them (the writer) applies all
queued changes in ONE ``catalogs.apply_changes`` call: lock, re-read, apply in order,
validate, temp file, fsync, ``os.replace``. Each change keeps its own base revision and
gets its own outcome (``ApplyResult.outcomes``): applied (with the revision it produced),
or a conflict with the entry as the changes before it left it, exactly as if the
requests had been written one after another. Requests that arrive while a batch is being
written form the next batch. Other server processes are serialised by the file lock, as
before.

A batch that fails as a whole (say one change makes the file invalid) is retried one
change at a time, so one bad change cannot fail the others.
"""

from __future__ import annotations

import threading
from typing import Any

from workflow.errors import CatalogError


class _Pending:
    __slots__ = ("change", "done", "kind", "message", "error")

    def __init__(self, change: Any):
        self.change = change
        self.done = False
        self.kind: str | None = None
        self.message: Any = None
        self.error: BaseException | None = None


class WriteQueue:
    """The queue of one catalogue file (one per language and app)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._waiting: list[_Pending] = []
        self._busy = False
        self._batches = 0  # batches written so far

    def wait_batch(self, timeout: float) -> bool:
        """If a batch is being written, wait (at most *timeout* s) until it is done and
        its catalogue cached; False if none was being written."""
        with self._cond:
            if not self._busy:
                return False
            n = self._batches
            self._cond.wait_for(lambda: self._batches != n, timeout)
            return True

    def submit(self, svc: Any, lang: str, path: Any, change: Any) -> tuple[str, Any]:
        """Write *change* (alone or with others queued meanwhile); returns (outcome,
        message) as in ``ApplyResult.outcomes``. Raises what the write raised."""
        me = _Pending(change)
        with self._cond:
            self._waiting.append(me)
            while self._busy and not me.done:
                self._cond.wait()
            if not me.done:  # nobody is writing: write everything queued, ours included
                self._busy = True
                batch, self._waiting = self._waiting, []
        if not me.done:
            try:
                _write_batch(svc, lang, path, batch)
            except BaseException as exc:  # noqa: BLE001 (handed to every waiting request)
                for p in batch:
                    if p.kind is None and p.error is None:
                        p.error = exc
            finally:
                with self._cond:
                    for p in batch:
                        p.done = True
                    self._busy = False
                    self._batches += 1
                    self._cond.notify_all()
        if me.error is not None:
            raise me.error
        return me.kind or "missing", me.message


def _write_batch(svc: Any, lang: str, path: Any, batch: list[_Pending]) -> None:
    from workflow.catalogs import apply_changes

    try:
        result = apply_changes(path, [p.change for p in batch])
    except CatalogError as exc:
        if len(batch) == 1:
            batch[0].error = exc
            return
        for p in batch:  # find the change that fails; the others are written
            _write_batch(svc, lang, path, [p])
        return
    svc.install_catalog(lang, result.file_key, result.catalog)
    for p, (kind, message) in zip(batch, result.outcomes, strict=True):
        p.kind, p.message = kind, message
