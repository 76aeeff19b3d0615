"""The catalogue access the review rules need, and a plain implementation on the files.

:class:`CatalogStore` is what :func:`workflow.review.perform` is given: the web UI's
``web.core.Services`` implements it with its per-version cache and per-catalogue
group-commit write queue; :class:`FileStore` implements it directly on the files and the
project database (a CLI, a script, a second front end, the tests).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any, Protocol

from ..errors import N_, LetterflowError, NotFound


class CatalogStore(Protocol):
    """Catalogue access for the review rules."""

    config: Any

    @property
    def conn(self) -> sqlite3.Connection:
        """The project database (audit trail)."""

    def catalog(self, lang: str, *, fresh: bool = False, wait: bool = True) -> Any:
        """The parsed catalogue of *lang* (*fresh*: re-read the file); NotFound if none."""

    def write(self, lang: str, change: Any) -> tuple[str, Any]:
        """Apply one ``catalogs.Change``: ("applied", message as written) or
        ("conflict", message now on disk) or ("missing", None). Raises CatalogError."""

    def write_audited(self, lang: str, change: Any, intent: Any) -> tuple[str, Any, int | None]:
        """:meth:`write` with its ``audit_intents.Intent``: intent durable before the file
        is replaced, audit row after (``review.batch``); (outcome, message, audit id).
        Raises LockTimeout (nothing written), CatalogError, OSError."""

    def check(self, catalog: Any, message: Any = None) -> list:
        """QA findings of *message* (or the whole catalogue). Raises if QA cannot run."""

    def remember_findings(self, lang: str, message: Any, findings: list) -> None:
        """Findings just computed for *message* as written (a cache may reuse them)."""


def catalog_path(config: Any, lang: str) -> Path | None:
    """The catalogue path of a configured language, or None if the code is not
    configured, or the path leaves the locales folder or passes a symlink (a language
    code from a URL never reaches a file outside ``locales/``)."""
    if lang not in config.languages:
        return None
    try:
        path = Path(config.catalog(lang))
    except LetterflowError:
        return None
    base = Path(config.locales_dir)
    try:
        rel = path.relative_to(base)
    except ValueError:
        return None
    cur = str(base)
    for part in rel.parts:
        cur = os.path.join(cur, part)
        if part in ("..", ".") or os.path.islink(cur):
            return None
    if not os.path.realpath(path).startswith(os.path.realpath(base) + os.sep):
        return None
    return path


def catalog_file(config: Any, lang: str) -> Path:
    """:func:`catalog_path`, or NotFound if there is none or the file does not exist."""
    path = catalog_path(config, lang)
    if path is None:
        raise NotFound(N_("%(lang)s has no catalogue in this project."), params={"lang": lang})
    if not path.is_file():
        raise NotFound(N_("There is no catalogue for %(lang)s yet (run %(cmd)s)."),
                           params={"lang": lang, "cmd": "`letterflow update`"})
    return path


class FileStore:
    """:class:`CatalogStore` on the catalogue files and the project database, no cache:
    every read parses the file, every write is one ``catalogs.apply_changes``."""

    def __init__(self, config: Any, conn: sqlite3.Connection | None = None):
        self.config = config
        self._conn = conn

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            from .. import db

            self._conn = db.connect(self.config.database)
        return self._conn

    def catalog(self, lang: str, *, fresh: bool = False, wait: bool = True) -> Any:
        from ..catalogs import load_catalog

        return load_catalog(catalog_file(self.config, lang), language=lang)

    def write(self, lang: str, change: Any) -> tuple[str, Any]:
        from ..catalogs import apply_changes

        result = apply_changes(catalog_file(self.config, lang), [change])
        return result.outcomes[0]

    def write_audited(self, lang: str, change: Any, intent: Any) -> tuple[str, Any, int | None]:
        """One audited write: ``review.batch.write_batch`` of this one change."""
        from .batch import Item, write_batch

        item = Item(change, intent)
        write_batch(self.conn, lang, catalog_file(self.config, lang), [item])
        if item.error is not None:
            raise item.error
        return item.kind or "missing", item.message, item.audit_id

    def check(self, catalog: Any, message: Any = None) -> list:
        from ..checks import run_checks

        return list(run_checks(catalog, message, config=self.config))

    def remember_findings(self, lang: str, message: Any, findings: list) -> None:
        pass
