"""Where the benchmarks find the tools they compare letterflow against.

Console scripts of Python packages (pofilter, pocount) are looked up next to
``sys.executable`` -- the venv's bin/ -- never through PATH; system tools (msgfmt, msgmerge)
on PATH. A comparison that cannot run is announced loudly on stderr, never dropped silently.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def console_script(name: str) -> str | None:
    """The console script *name* installed beside the running interpreter, or None."""
    path = Path(sys.executable).parent / name
    return str(path) if path.is_file() and os.access(path, os.X_OK) else None


def system_tool(name: str) -> str | None:
    return shutil.which(name)


def cannot_compare(what: str, why: str) -> None:
    """Say on stderr, unmissably, that a comparison is left out of this run and why."""
    bar = "!" * 78
    print(f"\n{bar}\n!! NOT MEASURED: {what}\n!! because {why}\n{bar}\n", file=sys.stderr)
