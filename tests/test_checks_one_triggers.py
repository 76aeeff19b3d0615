"""``checks.one.triggered`` looks up each character's trigger classes once (a memo per
check set) instead of matching every class against every character found: against the
rule it stands for, on random texts over the registry's trigger characters."""

from __future__ import annotations

import random
import re
from types import SimpleNamespace

from workflow.checks import one
from workflow.checks.registry import registry


def _rule(triggers: tuple[str, ...], unit) -> set[str]:
    """triggered() as it was: every class against every character found."""
    if unit.flags and one.MT_DAMAGED_FLAG in unit.flags:
        return set(triggers)
    anything = re.compile("[" + "".join(triggers) + "]+")
    found = "".join(anything.findall(unit.source))
    if unit.source_plural is not None:
        found += "".join(anything.findall(unit.source_plural))
    for s in unit.strings:
        found += "".join(anything.findall(s))
    chars = set(found)
    return {t for t in triggers if any(re.compile("[" + t + "]").match(c) for c in chars)}


def test_triggered_is_every_class_against_every_character():
    triggers = tuple(dict.fromkeys(c.trigger for c in registry.values() if c.trigger))
    assert len(triggers) > 3
    alphabet = "abc XY 09 .,;:!?%{}<>[]()/&'\\\"\u00a0\u200b\t\n\u2019\u00ab\u00bb\x07"
    alphabet += "".join(chr(c) for c in range(0x20, 0x7f))
    rng = random.Random(9)
    seen = set()
    for _ in range(3000):
        def text():
            return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        unit = SimpleNamespace(
            flags=frozenset({one.MT_DAMAGED_FLAG}) if rng.random() < 0.05 else frozenset(),
            source=text(), source_plural=text() if rng.random() < 0.3 else None,
            strings=tuple(text() for _ in range(rng.randint(1, 3))))
        got = one.triggered(triggers, unit)
        assert got == _rule(triggers, unit)
        seen.add(len(got))
    assert len(seen) > 3  # the texts did select different sets
