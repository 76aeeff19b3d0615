"""Shared helpers of the reader tests: one reader's outcome for a text, and the three
reading paths (whole-file pass, block path, line reader) compared on broken variants."""

from __future__ import annotations

from workflow.catalogs import PoReader
from workflow.errors import CatalogError


def parse_outcome(text: str, fast: bool = True, bulk: bool = True):
    """(headers, messages, header text) of a fresh ``PoReader`` on *text* with the given
    paths, or ("error", message, line) when it refuses the text."""
    reader = PoReader("x.po")
    reader.fast, reader.bulk = fast, bulk
    try:
        headers, messages = reader.parse(text)
    except CatalogError as exc:
        return ("error", str(exc), exc.line)
    return headers, messages, reader.header_text


def broken_variants_agree(blocks: list[str], singles: list[int], rng, changes,
                          three_ways) -> int:
    """For each change, one randomly chosen single block of *blocks* changed; asserts the
    three paths (*three_ways* of the text) agree; the number of variants refused."""
    errors = 0
    for change in changes:
        mixed = list(blocks)
        i = rng.choice(singles)
        mixed[i] = change(mixed[i])
        assert mixed[i] != blocks[i]
        first, block, lines = three_ways("\n\n".join(mixed) + "\n")
        assert first == block == lines, (change, mixed[i])
        errors += first[0] == "error"
    return errors
