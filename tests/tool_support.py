"""The external tools tests need, found the way CI finds them.

* Console scripts of Python packages (``pybabel``, ``pofilter``, ``pocount``...) are looked up
  next to ``sys.executable`` -- the venv's ``bin/`` -- never through ``PATH``: ``scripts/test.sh``
  runs ``.venv/bin/python -m pytest`` without the venv on ``PATH``.
* System tools (``msgfmt``, ``apertium``, ``soffice``...) are looked up on ``PATH``; Chromium at
  the Debian path the browser tests use.

A test asks with :func:`need`, which returns the tool's path. When the tool is missing the test
is skipped with what to install -- except under ``CI=true``, where it **fails**: CI installs
every tool (``scripts/system-deps.sh test`` and the ``[test]`` extras), so a missing one is a
broken machine, not a reason to pass.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import NoReturn

import pytest

#: The venv's bin/ (not resolved: a venv's python is a symlink to the system one).
BIN = Path(sys.executable).parent

_GETTEXT = "apt-get install gettext"
#: tool -> (how it is found, what to install). Kinds: "script" (next to sys.executable),
#: "system" (on PATH), or an absolute path.
TOOLS: dict[str, tuple[str, str]] = {
    "pybabel": ("script", "babel, a project dependency: pip install -e '.[test]'"),
    "pofilter": ("script", "translate-toolkit, a project dependency: pip install -e '.[test]'"),
    "pocount": ("script", "translate-toolkit, a project dependency: pip install -e '.[test]'"),
    "msgfmt": ("system", _GETTEXT),
    "msgmerge": ("system", _GETTEXT),
    "msgcat": ("system", _GETTEXT),
    "apertium": ("system", "apt-get install apertium (pairs: see scripts/system-deps.sh)"),
    "soffice": ("system", "apt-get install libreoffice-writer-nogui"),
    "pdftotext": ("system", "apt-get install poppler-utils"),
    "pdffonts": ("system", "apt-get install poppler-utils"),
    "chromium": ("/usr/bin/chromium", "apt-get install chromium"),
}


def in_ci() -> bool:
    """True when the CI variable says so (CI=true, as every CI service sets it)."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def find_script(name: str) -> str | None:
    """The console script *name* installed beside the running interpreter, or None."""
    path = BIN / name
    return str(path) if path.is_file() and os.access(path, os.X_OK) else None


def find(name: str) -> str | None:
    """Where tool *name* (a key of :data:`TOOLS`) is, or None."""
    kind, _ = TOOLS[name]
    if kind == "script":
        return find_script(name)
    if kind == "system":
        return shutil.which(name)
    return kind if os.access(kind, os.X_OK) else None


def missing(what: str, install: str) -> NoReturn:
    """Skip the test because *what* is missing; under CI=true fail it instead."""
    message = f"{what} is not available ({install})"
    if in_ci():
        pytest.fail(f"{message}; CI=true, so a missing tool fails the test", pytrace=False)
    pytest.skip(message)


def need(name: str) -> str:
    """The path of tool *name*; skips the test if it is missing (fails under CI=true)."""
    path = find(name)
    if path is None:
        kind, install = TOOLS[name]
        where = {"script": f"next to {sys.executable}", "system": "on PATH"}.get(kind, f"at {kind}")
        missing(f"{name} (not found {where})", install)
    return path


def optional(name: str) -> str | None:
    """For a test whose tool is a cross-check on top of its own assertions: the tool's path,
    or None when it is missing outside CI (the rest of the test still runs). Under CI=true a
    missing tool fails the test, as with :func:`need`."""
    path = find(name)
    if path is None and in_ci():
        need(name)
    return path
