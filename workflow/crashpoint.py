"""Chosen crash points for the kill tests.

``LETTERFLOW_CRASH_AT=<name>`` (or ``<name>:<n>``, the n-th time the point is reached in
this process) makes :func:`crash_point` kill the process with SIGKILL right there: no
``finally``, no ``atexit``, no flush, exactly like ``kill -9`` or a power cut of the
process. Unset (always, outside the tests) it costs one dictionary lookup.

Points: ``audit.intent`` (intent durable, file not written), ``catalog.replace`` (temp
file written and synced, not yet renamed), ``audit.written`` (file replaced, audit row not
completed), ``audit.completed``; the export's ``export.render``, ``export.move``,
``export.manifest``, ``export.zip``, ``export.swap``.
"""

from __future__ import annotations

import os

ENV = "LETTERFLOW_CRASH_AT"
_hits: dict[str, int] = {}


def crash_point(name: str) -> None:
    """Kill this process (SIGKILL) if ``LETTERFLOW_CRASH_AT`` names this point."""
    spec = os.environ.get(ENV)
    if not spec:
        return
    want, _, nth = spec.partition(":")
    if want != name:
        return
    count = _hits[name] = _hits.get(name, 0) + 1
    if count >= (int(nth) if nth.isdigit() else 1):
        import signal  # only here: its enums cost every `letterflow check` ~1 ms

        os.kill(os.getpid(), signal.SIGKILL)
