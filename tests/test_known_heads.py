"""The reader's whole-file pass over blocks whose head it knows (workflow.catalogs.knownheads)
against the block-by-block path it bypasses and the line reader: the same messages, line
numbers, header and errors, on every kind of block and every kind of broken file."""

from __future__ import annotations

import random

import pytest

from tests.reader_support import parse_outcome
from tests.test_po_reader import HEADER, _random_store
from workflow.catalogs import PoReader, serialize
from workflow.catalogs import knownheads as kh


def _read(text: str, fast: bool = True, bulk: bool = True):
    out = parse_outcome(text, fast, bulk)
    if out[0] == "error":
        return out
    headers, messages, header_text = out
    return headers, messages, [m.line for m in messages], header_text


def _three_ways(text: str) -> list:
    """The whole-file pass, the block path and the line reader on *text*."""
    return [_read(text), _read(text, bulk=False), _read(text, fast=False)]


def _template_and_catalogue(seed: int) -> tuple[str, str]:
    """A template's text (heads read once: now known) and a catalogue of it."""
    store = _random_store(random.Random(seed))
    catalogue = serialize(store).decode("utf-8")
    for unit in store.units:
        if not unit.isheader():
            unit.target = ["" for _ in unit.target.strings] if unit.hasplural() else ""
    template = serialize(store).decode("utf-8")
    _read(template)
    return template, catalogue


@pytest.mark.parametrize("seed", range(6))
def test_a_catalogue_of_known_heads_reads_as_the_block_path_reads_it(seed):
    _, text = _template_and_catalogue(seed)
    bulk, block, lines = _three_ways(text)
    assert bulk == block == lines and len(bulk[1]) == 40
    reader = PoReader("x.po")
    assert kh.read_known(reader, text) is not None  # (the pass itself, no fallback)
    assert reader.messages == bulk[1]
    # every field, in the same order as the reader's other paths give them
    fields = [list(vars(m).items()) for m in bulk[1]]
    assert fields == [list(vars(m).items()) for m in lines[1]]
    # most blocks were read by the pass: their source strings are the memo's own objects
    head_sources = {id(h[1]) for h in kh.HEADS.values()}
    assert sum(id(m.source) in head_sources for m in bulk[1]) >= 20


MSGSTRS = [
    'msgstr ""', 'msgstr "plain"', 'msgstr ""\n"two "\n"lines"', 'msgstr "t\\tab \\"q\\""',
    'msgstr "a"b"', 'msgstr "open', 'msgstr "a"\n"', 'msgstr "a" ', 'msgstr  "a"',
    'msgstr "\\101\\x42"\n"\\1" "2"', 'msgstr "x"\n#, fuzzy\nmsgid "new"\nmsgstr "y"',
    'msgstr "bad \\q"', 'msgstr "a"\nmsgstr "b"', 'msgstr "line\nbreak"',
]


@pytest.mark.parametrize("seed", range(4))
def test_any_msgstr_after_a_known_head_reads_as_the_block_path_reads_it(seed):
    rng = random.Random(seed)
    _, text = _template_and_catalogue(seed)
    blocks = text.split("\n\n")
    singles = [i for i, b in enumerate(blocks) if i and "msgid_plural" not in b
               and "#~" not in b and "\nmsgstr " in b]
    for tail in MSGSTRS:
        mixed = list(blocks)
        i = rng.choice(singles)
        mixed[i] = mixed[i][: mixed[i].index("\nmsgstr ") + 1] + tail
        for end in ("", "\n", "\n\n", "\n\n\n"):
            bulk, block, lines = _three_ways("\n\n".join(mixed).rstrip("\n") + end)
            assert bulk == block == lines, (tail, end)


def test_duplicates_and_errors_are_reported_as_the_block_path_reports_them():
    """A duplicate of a known entry (after it, before it, next to a broken block), a
    second header, a broken block before a duplicate: the first problem in file order,
    with its line, whichever path found it."""
    entries = [f'#. role: body\n#: a.txt:{i}\n#, python-brace-format\nmsgctxt "c/{i}"\n'
               f'msgid "source {i}"\nmsgstr "{{}}"' for i in range(30)]
    _read("\n\n".join([HEADER.rstrip("\n")] + [e.format("") for e in entries]))
    blocks = [HEADER.rstrip("\n")] + [e.format(f"text {i}") for i, e in enumerate(entries)]
    a, b = 4, 25
    variants = [
        blocks[: b + 1] + [blocks[a]] + blocks[b + 1:],  # a known entry again, later
        blocks[:a] + [blocks[b]] + blocks[a:],  # ... earlier
        blocks[:a] + ['msgid "broken'] + blocks[a:] + [blocks[b]],  # broken, then dup
        blocks[:a] + [blocks[b]] + blocks[a:b] + ['msgid "broken'] + blocks[b:],
        blocks + ['msgid ""\nmsgstr "second header"'],
        blocks[:a] + [blocks[a].replace("\nmsgstr ", "\nmsgstr[0] ")] + blocks[a + 1:],
        blocks[:a] + [blocks[a] + "\n" + blocks[b]] + blocks[a + 1:],  # two entries, no gap
    ]
    errors = 0
    for mixed in variants:
        bulk, block, lines = _three_ways("\n\n".join(mixed))
        assert bulk == block == lines
        errors += bulk[0] == "error"
    assert errors == len(variants)
    dup = "\n\n".join(variants[0])
    assert kh.read_known(PoReader("x.po"), dup) is None  # the pass gives up on a duplicate
    reader = PoReader("x.po")
    assert kh.read_known(reader, "\n\n".join(blocks)) is not None  # (the pass itself)
    assert len(reader.messages) == 30 and not reader._seen  # no block took the block path
    assert "duplicate message" in _read(dup)[1]


def test_a_known_header_like_head_and_known_context_only_heads():
    """A head with an empty msgid and no msgctxt is a header (never a message of the pass);
    one with a msgctxt and an empty msgid is a message."""
    first = HEADER + '\n#. note\nmsgctxt "c"\nmsgid ""\nmsgstr "x"\n'
    _read(first)
    again = HEADER.replace("ru", "uk") + '\n#. note\nmsgctxt "c"\nmsgid ""\nmsgstr "y"\n'
    bulk, block, lines = _three_ways(again)
    assert bulk == block == lines
    assert [(m.context, m.source, m.strings) for m in bulk[1]] == [("c", "", ("y",))]
    assert "uk" in bulk[3]
