"""The review server's git thread: commits after write batches, debounced push,
scheduled pull. One per server process; git work itself is serialised across processes
by the repository lock (``Repo.lock``).

On start it commits whatever the audit trail holds uncommitted (a server killed between
a ``.po`` write and its commit) with the rows' authors.
"""

from __future__ import annotations

import logging
import threading
import time

from workflow import db

from . import state
from .commits import commit_all, commit_language
from .repo import GitError, Repo
from .settings import GitSettings
from .sync import SyncReport, ensure_driver, sync, unpushed

log = logging.getLogger("letterflow.git")

#: Seconds before a failed push is tried again (also the next sync, commit or pull pushes).
PUSH_RETRY = 300.0
#: How long a batch waits for its audit rows before it is committed anyway.
ROWS_WAIT = 3.0
RETRY = 0.02


class GitWorker:
    def __init__(self, config, settings: GitSettings):
        self.config = config
        self.settings = settings
        self.repo = Repo(config.root, settings)
        self._cond = threading.Condition()
        self._pending: dict[str, float] = {}   # lang -> first notification (monotonic)
        self._gen: dict[str, int] = {}         # lang -> notifications so far
        self._waiting: dict[str, float] = {}   # lang -> since when it waits for audit rows
        self._commit_due: float | None = None
        self._push_due: float | None = None
        self._unpushed_attempt = False          # commits made since the last push attempt
        self._pull_due: float | None = None
        self._busy = False
        self._stop = False
        self._thread: threading.Thread | None = None

    # -- life cycle -------------------------------------------------------------------
    def start(self) -> GitWorker:
        conn = db.connect(self.config.database)
        try:
            ensure_driver(self.repo)
            state.since_audit_id(conn)
            made = [c for c in commit_all(conn, self.repo, self.config) if c.commits]
            for c in made:
                log.info("committed %d pending change(s) of %s left by the last run",
                         c.rows, c.language)
        finally:
            conn.close()
        now = time.monotonic()
        if self.settings.push and (made or (unpushed(self.repo) or 0) > 0):
            self._push_due = now + self.settings.push_delay  # incl. commits a dead remote kept
        if self.settings.pull_interval > 0:
            self._pull_due = now + self.settings.pull_interval
        self._thread = threading.Thread(target=self._run, name="letterflow-git", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

    # -- called by the web app --------------------------------------------------------
    def notify(self, lang: str) -> None:
        """A write batch of *lang* is on disk: commit it (after ``commit_delay``)."""
        with self._cond:
            now = time.monotonic()
            self._pending.setdefault(lang, now)
            self._gen[lang] = self._gen.get(lang, 0) + 1
            due = now + self.settings.commit_delay
            self._commit_due = min(self._commit_due or due, due)
            self._cond.notify_all()

    def flush(self, timeout: float = 30.0, *, push: bool = False) -> bool:
        """Wait until every notified batch is committed (with ``push``: and the push
        that follows has been tried)."""
        with self._cond:
            return self._cond.wait_for(
                lambda: not self._pending and not self._busy
                and not (push and self._unpushed_attempt), timeout)

    def sync_now(self, conn) -> SyncReport:
        """Pull, rebase and push now (the coordinator's button)."""
        report = sync(self.config, conn, self.repo)
        with self._cond:
            self._push_due = None
            self._unpushed_attempt = False
            if self.settings.pull_interval > 0:
                self._pull_due = time.monotonic() + self.settings.pull_interval
        return report

    def status(self, conn) -> state.Status:
        st = state.status(conn)
        try:
            st.unpushed = unpushed(self.repo)
        except GitError:
            st.unpushed = None
        return st

    # -- the thread -------------------------------------------------------------------
    def _next_due(self) -> float | None:
        dues = [d for d in (self._commit_due, self._push_due, self._pull_due) if d is not None]
        return min(dues) if dues else None

    def _run(self) -> None:
        conn = db.connect(self.config.database)
        try:
            while True:
                with self._cond:
                    while not self._stop:
                        due = self._next_due()
                        wait = None if due is None else due - time.monotonic()
                        if wait is not None and wait <= 0:
                            break
                        self._cond.wait(wait)
                    if self._stop:
                        return
                    self._busy = True
                try:
                    self._tick(conn)
                except Exception:  # noqa: BLE001 - the thread must survive anything
                    log.exception("git worker")
                finally:
                    with self._cond:
                        self._busy = False
                        self._cond.notify_all()
        finally:
            conn.close()

    def _tick(self, conn) -> None:
        now = time.monotonic()
        if self._commit_due is not None and self._commit_due <= now:
            self._commit(conn, now)
        if self._push_due is not None and self._push_due <= now:
            self._push_due = None
            report = sync(self.config, conn, self.repo, pull=False)
            if not report.ok and "non-fast-forward" in " ".join(report.lines):
                report = sync(self.config, conn, self.repo)  # pull, rebase, push again
            with self._cond:
                self._unpushed_attempt = False
                if not report.ok and self._push_due is None:
                    self._push_due = time.monotonic() + PUSH_RETRY
            for line in report.lines:
                (log.info if report.ok else log.warning)("git: %s", line)
        if self._pull_due is not None and self._pull_due <= now:
            self._pull_due = now + self.settings.pull_interval
            report = sync(self.config, conn, self.repo)
            for line in report.lines:
                (log.info if report.ok else log.warning)("git: %s", line)

    def _commit(self, conn, now: float) -> None:
        with self._cond:
            langs = dict(self._pending)
            gens = dict(self._gen)
            self._commit_due = None
        retry = {}
        made = False
        for lang in langs:
            final = now - self._waiting.get(lang, now) > ROWS_WAIT
            res = commit_language(conn, self.repo, self.config, lang, final=final)
            made = made or bool(res.commits)
            if res.waiting:
                retry[lang] = self._waiting.setdefault(lang, now)
            else:
                self._waiting.pop(lang, None)
        with self._cond:
            for lang in langs:
                if lang not in retry and self._gen.get(lang) == gens.get(lang):
                    self._pending.pop(lang, None)
            if retry:
                self._commit_due = min(self._commit_due or now + RETRY, now + RETRY)
            if made and self.settings.push:
                delay = max(self.settings.push_delay, self.settings.squash_window)
                self._push_due = time.monotonic() + delay
                self._unpushed_attempt = True
