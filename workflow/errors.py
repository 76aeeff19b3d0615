"""One exception hierarchy for the whole library.

Every error a user can cause (bad input, a missing tool, a hung service) is a
:class:`LetterflowError`; the CLI prints ``str(err)`` on one line and exits 2
instead of showing a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping


def N_(message: str) -> str:
    """Mark *message* as a UI text without translating it (the core never imports Flask):
    ``pybabel extract`` (``web.i18n.EXTRACT_FROM``) puts it into ``locales/ui.pot``, and the
    web translates it when it shows the error (``web.errors.localized``)."""
    return message


def os_error_line(exc: OSError) -> str:
    """One line for an operating-system error: what failed, on which path."""
    what = exc.strerror or type(exc).__name__
    paths = [str(p) for p in (exc.filename, exc.filename2) if p]
    line = f"{what}: {' -> '.join(paths)}" if paths else f"{what} ({exc})"
    return " ".join(line.split())


class LetterflowError(Exception):
    """Base class of every error letterflow raises on purpose."""

    exit_code = 2


class ConfigError(LetterflowError):
    """The project configuration is missing or invalid."""


class LetterError(LetterflowError):
    """A letter source file is missing or malformed (``path:line:column: message``)."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 column: int | None = None):
        self.path = path
        self.line = line
        self.column = column
        at = f"{line}:{column}" if line and column else f"{line}"
        where = f"{path}:{at}: " if path and line else (f"{path}: " if path else "")
        super().__init__(f"{where}{message}")


class CatalogError(LetterflowError):
    """A .po/.pot file is missing, malformed or cannot be written."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.path = path
        self.line = line
        where = f"{path}:{line}: " if path and line else (f"{path}: " if path else "")
        super().__init__(f"{where}{message}")


class LockTimeout(CatalogError):
    """Another process held a catalogue's lock longer than we may wait (exit code 2; the
    web UI answers 503 with Retry-After)."""

    def __init__(self, path: str, waited: float):
        self.waited = waited
        super().__init__(
            f"locked by another process (waited {waited:.0f} s); try again when it is done"
            " (letterflow update, draft or the review server may be writing it)", path)


class ConflictError(CatalogError):
    """A save was based on an older revision of the entry than the one on disk."""

    def __init__(self, context: str, expected: str, current: object):
        self.context = context
        self.expected = expected
        self.current = current  # the catalogs.Message now on disk
        super().__init__(
            f"entry {context!r} changed since it was loaded (revision {expected} is stale)"
        )


class MTError(LetterflowError):
    """A machine-translation engine failed.

    Carries the engine name, the language pair and the failing item (if any).
    """

    def __init__(
        self,
        message: str,
        engine: str = "",
        source: str = "",
        target: str = "",
        item: str | None = None,
    ):
        self.engine = engine
        self.source = source
        self.target = target
        self.item = item
        pair = f" {source}->{target}" if source or target else ""
        head = f"{engine}{pair}: " if engine or pair else ""
        tail = f" (item: {item[:60]!r})" if item else ""
        super().__init__(f"{head}{message}{tail}")


class QAError(LetterflowError):
    """The QA layer (checks, glossary) got bad input."""


class ExportError(LetterflowError):
    """Export could not produce the letters (gate closed, bad recipients file...)."""


class ReviewError(LetterflowError):
    """A review action (save, approve, reject, revert) that may not be done as asked.

    Raised by :mod:`workflow.review`; a front end maps each subclass to its answer (the web
    UI: 400/413, 403, 404, 409, 422, 503). ``outcome`` carries the entry as it is now when
    the caller should show it (a conflict, a refused approval).

    ``message`` is a stable English template (marked with :func:`N_`) and ``params`` fill
    its ``%(name)s`` slots: ``str(exc)`` is the English text (the CLI), ``msgid`` and
    ``params`` let a front end show it in the user's language.
    """

    def __init__(self, message: str, outcome: object = None, *,
                 params: Mapping[str, object] | None = None):
        self.msgid = message
        self.params = dict(params or {})
        super().__init__(message % self.params if self.params else message)
        self.outcome = outcome


class Forbidden(ReviewError):
    """The user may not work on this language."""


class NotFound(ReviewError):
    """No such language catalogue, entry or history version."""


class InvalidInput(ReviewError):
    """Input the user must fix; ``too_large`` when it is over a size limit (HTTP 413)."""

    def __init__(self, message: str, too_large: bool = False, outcome: object = None, *,
                 params: Mapping[str, object] | None = None):
        super().__init__(message, outcome, params=params)
        self.too_large = too_large

    @property
    def status(self) -> int:
        return 413 if self.too_large else 400


class Conflict(ReviewError):
    """The edit was based on an older revision; ``outcome`` holds both texts."""


class ApprovalRefused(ReviewError):
    """Approval refused (empty text, QA errors, or QA could not run); ``outcome`` holds
    the findings and whether the edit was kept as a draft."""


class Busy(ReviewError):
    """The catalogue could not be written now (lock or file system); try again in
    ``retry_after`` seconds."""

    def __init__(self, message: str, outcome: object = None, retry_after: int = 1, *,
                 params: Mapping[str, object] | None = None):
        super().__init__(message, outcome, params=params)
        self.retry_after = retry_after
