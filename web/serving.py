"""Process-wide settings of a long-running server process (``letterflow serve``).

- The cyclic garbage collector: everything built at start-up (modules, the app, templates,
  caches) lives as long as the process, so ``gc.freeze()`` moves it to the permanent
  generation and no later collection walks it again. A request allocates thousands of
  short-lived objects that form no cycles and are freed by reference counting; with the
  default first-generation threshold (700 allocations) the collector still ran several times
  per request. A higher threshold keeps it (cycles are still collected) at a fraction of that.
- waitress logs "Task queue depth is N" at WARNING for every request that waits for a free
  thread. Under load that is every request (20 connections, 8 threads), a line each, and its
  log record cost ~5% of an approval's CPU (py-spy, bench/bench_web.py). Waiting in the queue
  is normal operation, so that logger only reports errors.
"""

from __future__ import annotations

import gc
import logging

#: allocations (minus deallocations) between two first-generation collections
FIRST_GENERATION_THRESHOLD = 20_000


def tune_for_serving() -> None:
    """Freeze what start-up built, raise the collector's first threshold, quiet the queue
    depth warnings. Call it in the serving process once its app is built."""
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    gc.collect()
    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(FIRST_GENERATION_THRESHOLD, second, third)
