"""``catalogs.edit.same_but_line`` and ``carry_revision`` (the outcomes of apply_changes
take the written file's messages without a dataclass copy per change, and keep the
revision already hashed) against the rules they stand for: ``replace(a, line=b.line) ==
b`` and ``Message.revision`` worked out afresh."""

from __future__ import annotations

import random
from dataclasses import replace

from workflow.catalogs.edit import carry_revision, same_but_line
from workflow.catalogs.model import Message, new_message


def _message(rng: random.Random, **kw) -> Message:
    data = dict(
        context=rng.choice(["a", "b"]), source=rng.choice(["S", "T"]),
        source_plural=rng.choice([None, "Ps"]), strings=tuple(rng.choice(["x", "y", ""])
                                                              for _ in range(rng.randint(1, 2))),
        fuzzy=rng.random() < 0.5, obsolete=rng.random() < 0.2,
        flags=frozenset(rng.sample(["fuzzy", "c-format", "x"], rng.randint(0, 2))),
        auto_comments=tuple(rng.sample(["#. a", "#. b"], rng.randint(0, 1))),
        translator_comments=tuple(rng.sample(["approved by x", "n"], rng.randint(0, 1))),
        locations=tuple(rng.sample(["l:1", "l:2"], rng.randint(0, 1))),
        previous_source=rng.choice([None, "old"]), line=rng.randint(1, 3))
    data.update(kw)
    if rng.random() < 0.5:
        return Message(**data)
    return new_message(*data.values())


def test_same_but_line_is_replace_then_eq():
    rng = random.Random(5)
    seen = set()
    for _ in range(4000):
        a, b = _message(rng), _message(rng)
        if rng.random() < 0.5:  # often equal but for the line, or for one field
            b = replace(a, line=rng.randint(1, 3))
            if rng.random() < 0.5:
                b = _message(rng) if rng.random() < 0.2 else replace(
                    b, strings=(*b.strings, "z")) if rng.random() < 0.5 else replace(
                    b, flags=b.flags | {"y"})
        want = replace(a, line=b.line) == b
        seen.add(want)
        assert same_but_line(a, b) == want
    assert seen == {True, False}


def test_a_carried_revision_is_the_revision():
    rng = random.Random(6)
    for _ in range(500):
        a = _message(rng)
        a.revision  # noqa: B018 (hashed and kept)
        b = replace(a, line=a.line + 1)
        if not same_but_line(b, a):
            continue
        carry_revision(a, b)
        fresh = replace(b)  # a copy without the kept revision
        assert "_revision" not in fresh.__dict__ and b.revision == fresh.revision == a.revision
