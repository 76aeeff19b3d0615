"""paused_gc(): Python's cyclic garbage collector held off during a burst of allocations.

Reading a catalogue and checking it make hundreds of thousands of small objects (messages,
units, word lists, findings) that form no reference cycles. The cyclic collector would
walk them again and again while they are made: a collection every 700 new containers,
and full collections that grow with the heap. Reference counting frees them all the
same; the collector is back on once the burst is over (unless it was off already).
What such a block leaves in a cycle stays until a collection: in the gate (paused over every
catalogue, forked workers inheriting the pause) for the whole process. So nothing per
catalogue may form one (the checks' run memo is emptied as a run ends; tests/test_gate_memory).
Only ``gc`` is imported (``letterflow check`` loads this module on every run).
"""

from __future__ import annotations

import gc


class paused_gc:  # noqa: N801 -- used like the function-style context managers it is
    """``with paused_gc():`` the cyclic collector is off for the block (nesting and
    threads are safe: only the outermost pause that turned it off turns it back on)."""

    __slots__ = ("_was_on",)

    def __enter__(self) -> None:
        self._was_on = gc.isenabled()
        if self._was_on:
            gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self._was_on:
            gc.enable()
