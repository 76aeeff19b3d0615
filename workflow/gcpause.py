"""paused_gc(): Python's cyclic garbage collector held off during a burst of allocations.

Reading a catalogue and checking it make hundreds of thousands of small objects (messages,
units, word lists, findings) that form no reference cycles. The cyclic collector would
walk them again and again while they are made: a collection every 700 new containers,
and full collections that grow with the heap. Reference counting frees them all the
same; the collector is back on once the burst is over (unless it was off already).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic collector off for the ``with`` block (nesting and threads are safe: only
    the outermost pause that turned it off turns it back on)."""
    was_on = gc.isenabled()
    if was_on:
        gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
