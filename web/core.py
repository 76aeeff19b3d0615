"""Shared plumbing of the web app: the per-app services object (config, SQLite per
thread, catalogue cache with per-version QA findings, the group-commit write queues)
and the ``lang`` URL converter. ``Services`` is the web's
:class:`workflow.review.CatalogStore`: the review rules read and write through it."""

from __future__ import annotations

import functools
import logging
import os
import sqlite3
import threading
import time
from pathlib import Path
from stat import S_ISREG
from typing import Any

from flask import Flask, current_app
from werkzeug.routing import BaseConverter, ValidationError

from workflow import db
from workflow.errors import N_, NotFound
from workflow.statmemo import FileVersion

log = logging.getLogger("letterflow.web")

LOCALE_RE = r"[a-z]{2,3}(?:_[A-Za-z0-9]{2,8})*"
#: Seconds a catalogue path check (configured, inside locales/, no symlink) stays valid.
PATH_CHECK_INTERVAL = 1.0
#: Seconds a request waits for this process's write of a catalogue to finish (and cache
#: the catalogue it wrote) before parsing the changed file itself.
WRITER_WAIT = 0.25


class LangConverter(BaseConverter):
    """Matches only a language code from the project's configured list (else 404)."""

    regex = LOCALE_RE

    def to_python(self, value: str) -> str:
        if value not in services().config.languages:
            raise ValidationError()
        return value

    def to_url(self, value: str) -> str:
        return value


try:  # the context variable behind ``current_app`` (Flask 2.3+)
    from flask.globals import _cv_app
except ImportError:  # pragma: no cover -- another Flask: the proxy
    _cv_app = None


def services() -> Services:
    """This app's :class:`Services` (``current_app.extensions["letterflow"]``; read
    from Flask's app context directly: a request asks several times, and each proxy
    lookup costs more than the rest of the call). Outside an app context, the proxy's
    RuntimeError."""
    ctx = _cv_app.get(None) if _cv_app is not None else None
    if ctx is None:
        return current_app.extensions["letterflow"]
    return ctx.app.extensions["letterflow"]


class CachedCatalog:
    """A parsed catalogue and what the views derive from it, valid while the file is
    *version* (``statmemo.FileVersion``: its stat, and its bytes while that stat is too
    fresh to vouch for them). Derived values are filled lazily; recomputing one twice
    under a race is harmless."""

    def __init__(self, version: FileVersion, catalog: Any,
                 previous: CachedCatalog | None = None):
        self.version = version
        self.catalog = catalog
        self.previous = previous  # the version before, to update findings incrementally
        self.findings: list | None = None
        self.by_context: dict[str, list] | None = None
        self.summary: dict[str, Any] | None = None
        self.pages: dict[Any, Any] = {}

    @property
    def key(self) -> tuple[int, int, int]:
        """(inode, mtime, size) of the file's version."""
        _, ino, size, mtime, _ = self.version.key
        return (ino, mtime, size)


def _base(old: CachedCatalog | None) -> CachedCatalog | None:
    """What the version after *old* keeps to recheck its findings from: *old*, or, if
    nobody asked for *old*'s findings yet (versions written while every answer used the
    one before), the version before it whose findings are known. Without that, the
    findings of the next version asked for were a whole-catalogue QA run (~20x a
    recheck) in some request's answer.

    History stays one step deep: an entry keeps its own ``previous`` only while that one's
    findings are known (their entry has dropped its own ``previous``), so that a request
    still holding *old* can recheck it too."""
    if old is None or old.findings is not None:
        return old
    prev = old.previous
    if prev is not None and prev.findings is not None:
        return prev
    old.previous = None
    return old


class Services:
    """Everything the views share, built once per app."""

    def __init__(self, app: Flask, config: Any):
        self.app = app
        self.config = config
        self._local = threading.local()
        self._lock = threading.Lock()
        self._cache: dict[str, CachedCatalog] = {}
        self._paths: dict[str, tuple[float, Path | None]] = {}
        self.user_cache: dict[str, tuple[float, Any]] = {}  # web.auth.load_user
        self._known: dict[tuple[str, str, str], list] = {}  # (lang, context, revision)
        self._writers: dict[str, Any] = {}  # lang -> web.writes.WriteQueue
        self._loaders: dict[str, threading.Lock] = {}  # lang -> lock held while parsing

    # -- database ---------------------------------------------------------------------
    @property
    def conn(self) -> sqlite3.Connection:
        """One SQLite connection per server thread (WAL allows concurrent readers)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = db.connect(self.config.database)
            self._local.conn = conn
        return conn

    # -- catalogues -------------------------------------------------------------------
    def catalog_path(self, lang: str) -> Path | None:
        """The catalogue path of a configured language, or None if the code is not
        configured, or the path leaves the locales folder or passes a symlink.
        The answer is re-checked on the file system at most once a second."""
        now = time.monotonic()
        hit = self._paths.get(lang)
        if hit is not None and now - hit[0] < PATH_CHECK_INTERVAL:
            return hit[1]
        path = self._catalog_path(lang)
        self._paths[lang] = (now, path)
        return path

    def _catalog_path(self, lang: str) -> Path | None:
        from workflow.review import catalog_path

        return catalog_path(self.config, lang)

    @staticmethod
    def _stat(path: Path) -> os.stat_result | None:
        """The catalogue file's stat; None if it is missing or is not a regular file (what
        ``has_catalog`` says)."""
        try:
            st = os.stat(path)
        except OSError:
            return None
        return st if S_ISREG(st.st_mode) else None

    def _entry(self, lang: str, *, fresh: bool = False, wait: bool = True) -> CachedCatalog:
        """The cache entry of *lang*, reloaded when the file changed; NotFound if none.
        With ``wait=False``, while this process is writing the file the entry from before
        that write is good enough (the write path: its base-revision check is redone
        under the file lock)."""
        from workflow.catalogs.load import load_catalog_version

        path = self.catalog_path(lang)
        if path is None:
            raise NotFound(N_("%(lang)s has no catalogue in this project."), params={"lang": lang})
        st = self._stat(path)
        if st is None:
            raise NotFound(N_("There is no catalogue for %(lang)s yet (run %(cmd)s)."),
                               params={"lang": lang, "cmd": "`letterflow update`"})
        if not fresh:
            hit = self._cache.get(lang)
            if hit is not None and hit.version.current(path, st):
                return hit
            # The file changed. If this process is writing it, the writer is about to
            # cache the catalogue it wrote and parsed: wait for that, not parse again.
            queue = self._writers.get(lang)
            if hit is not None and not wait and queue is not None and queue.busy:
                return hit
            if queue is not None and queue.wait_batch(WRITER_WAIT):
                hit = self._cache.get(lang)
                if hit is not None and hit.version.current(path):
                    return hit
        with self._loading(lang):  # one parse per version of the file, not one per thread
            old = self._cache.get(lang)
            if not fresh and old is not None and old.version.current(path):
                return old
            catalog, version = load_catalog_version(path, language=lang)
            entry = CachedCatalog(version, catalog, _base(old))
            with self._lock:
                self._cache[lang] = entry
        return entry

    def _loading(self, lang: str) -> threading.Lock:
        lock = self._loaders.get(lang)
        if lock is None:
            with self._lock:
                lock = self._loaders.setdefault(lang, threading.Lock())
        return lock

    def install_catalog(self, lang: str, version: FileVersion | None,
                        catalog: Any) -> None:
        """Cache *catalog* as *version* of *lang*'s file: the catalogue ``apply_changes``
        just wrote and parsed (``ApplyResult.file_version``), so that the next request
        need not parse the file again."""
        if version is None or catalog is None or getattr(catalog, "language", None) != lang:
            return
        with self._lock:
            old = self._cache.get(lang)
            if (old is not None and old.version.key == version.key
                    and old.version.data == version.data):
                return
            self._cache[lang] = CachedCatalog(version, catalog, _base(old))

    def writer(self, lang: str) -> Any:
        """The group-commit queue of *lang*'s catalogue (web.writes)."""
        queue = self._writers.get(lang)
        if queue is None:
            from .writes import WriteQueue

            with self._lock:
                queue = self._writers.setdefault(lang, WriteQueue())
        return queue

    def write(self, lang: str, change: Any) -> tuple[str, Any]:
        """Apply one ``catalogs.Change`` through *lang*'s group-commit queue. Waits at
        most ``LOCK_TIMEOUT`` seconds for the file (then Busy: 503 with Retry-After), so
        a catalogue locked by another process never holds every server thread."""
        path = self.catalog_path(lang)
        if path is None:
            raise NotFound(N_("%(lang)s has no catalogue in this project."), params={"lang": lang})
        timeout = float(self.app.config.get("LOCK_TIMEOUT", 3.0))
        return self.writer(lang).submit(self, lang, path, change, timeout=timeout)

    def write_audited(self, lang: str, change: Any, intent: Any) -> tuple[str, Any, int | None]:
        """:meth:`write` with the change's audit intent, written with the batch's intents
        (``review.batch``): (outcome, message, audit id)."""
        path = self.catalog_path(lang)
        if path is None:
            raise NotFound(N_("%(lang)s has no catalogue in this project."), params={"lang": lang})
        timeout = float(self.app.config.get("LOCK_TIMEOUT", 3.0))
        return self.writer(lang).submit_audited(self, lang, path, change, intent,
                                                timeout=timeout)

    def catalog(self, lang: str, *, fresh: bool = False, wait: bool = True) -> Any:
        """The parsed catalogue of *lang* (cached until the file changes); NotFound if none."""
        return self._entry(lang, fresh=fresh, wait=wait).catalog

    def cached(self, lang: str, *, wait: bool = True) -> CachedCatalog:
        """The current cache entry (catalogue plus what was computed from it)."""
        return self._entry(lang, wait=wait)

    def cached_now(self, lang: str) -> CachedCatalog | None:
        """The cache entry of *lang* as it is, without a look at the file (None if none)."""
        return self._cache.get(lang)

    def has_catalog(self, lang: str) -> bool:
        path = self.catalog_path(lang)
        return path is not None and os.path.isfile(path)

    # -- QA ---------------------------------------------------------------------------
    @functools.cached_property
    def checks_available(self) -> bool:
        """Whether the QA checks import (shown on the dashboard). Nothing depends on it:
        ``check`` raises when they do not, and approvals are then refused."""
        try:
            from workflow.checks import run_checks  # noqa: F401
        except ImportError:
            log.exception("workflow.checks does not import: QA cannot run")
            return False
        return True

    def findings(self, lang: str) -> list:
        """All QA findings of a language's catalogue (cached with the catalogue)."""
        return self.entry_findings(self._entry(lang))

    def entry_findings(self, entry: CachedCatalog) -> list:
        """All QA findings of one cached version of a catalogue."""
        if entry.findings is None:
            prev = entry.previous
            if prev is not None and prev.findings is not None:
                entry.findings = self._recheck(prev, entry.catalog)
            else:
                entry.findings = self.check(entry.catalog)
            entry.previous = None
        return entry.findings

    def _recheck(self, prev: CachedCatalog, cat: Any) -> list:
        """Findings of *cat* from those of the version before: only messages that
        changed are checked again (a save changes one entry; a full run costs ~20x)."""
        from workflow.review import recheck

        return recheck(prev.catalog, prev.findings or [], cat, self.check, self._known)

    def remember_findings(self, lang: str, message: Any, findings: list) -> None:
        """Findings just computed for a message as written (reused by the next recheck)."""
        if len(self._known) > 1000:
            self._known.clear()
        self._known[(lang, message.context, message.revision)] = list(findings)

    def findings_by_context(self, lang: str) -> dict[str, list]:
        entry = self._entry(lang)
        if entry.by_context is None:
            out: dict[str, list] = {}
            for f in self.findings(lang):
                out.setdefault(f.context, []).append(f)
            entry.by_context = out
        return entry.by_context

    def check(self, catalog: Any, message: Any = None) -> list:
        """QA findings of *message* (or the whole catalogue). Raises if QA cannot run."""
        from workflow.checks import run_checks

        return list(run_checks(catalog, message, config=self.config))

    def glossary_terms(self, catalog: Any, message: Any) -> list[dict[str, Any]]:
        from workflow.review import glossary_terms

        return glossary_terms(self.config, catalog, message)
