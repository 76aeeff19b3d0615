"""The reader's whole-file pass over a file read while no head is known
(workflow.catalogs.fastentry.read_fresh: the template in the gate's parent) against the
block-by-block path and the line reader: the same messages (every field), line numbers,
header, errors, and the same memo of heads for the files read after it."""

from __future__ import annotations

import random

import pytest

from tests.reader_support import broken_variants_agree, parse_outcome
from tests.test_known_heads_compose import BROKEN, _store
from tests.test_po_reader import HEADER, _random_store
from workflow.catalogs import PoReader, serialize
from workflow.catalogs import fastentry as fe
from workflow.catalogs import knownheads as kh

MEMOS = ("HEADS", "COMMENTS", "STRINGS", "_TEXTS", "_FLAG_SETS", "_UNSPLIT")


@pytest.fixture(autouse=True)
def _own_memos():
    """Each test starts and leaves the reader's memos as they were (they are global)."""
    saved = {n: getattr(kh, n).copy() for n in MEMOS}
    yield
    for n, memo in saved.items():
        getattr(kh, n).clear()
        getattr(kh, n).extend(memo) if isinstance(memo, list) else getattr(kh, n).update(memo)


def _forget() -> None:
    for n in MEMOS:
        getattr(kh, n).clear()
    kh.COMMENTS[""] = (frozenset(), (), (), (), 0)


def _read(text: str, fast: bool = True, bulk: bool = True, memos: bool = False):
    """What a reader with empty memos (*memos*: as they are) gives for *text*, and the
    heads it then knows."""
    if not memos:
        _forget()
    out = parse_outcome(text, fast, bulk)
    if out[0] == "error":
        return out
    headers, messages, header_text = out
    heads = {k: v[:9] + v[10:] for k, v in kh.HEADS.items()}  # (all but the prototype)
    return (headers, [list(vars(m).items()) for m in messages], header_text,
            heads if fast else None)


def _three_ways(text: str) -> list:
    fresh, block, lines = _read(text), _read(text, bulk=False), _read(text, fast=False)
    if fresh[0] != "error":  # (the line reader keeps no heads)
        lines = lines[:3] + (fresh[3],)
    return [fresh, block, lines]


def _pass_alone(text: str) -> PoReader:
    """A reader that read *text* with read_fresh itself (no fallback to the block path)."""
    _forget()
    reader = PoReader("x.po")
    assert fe.read_fresh(reader, text) is not None
    return reader


@pytest.mark.parametrize("seed", range(6))
def test_a_template_reads_with_no_memo_as_the_block_path_reads_it(seed):
    store = _store(random.Random(seed))
    text = serialize(store).decode("utf-8")
    fresh, block, lines = _three_ways(text)
    assert fresh == block == lines and len(fresh[1]) == 60
    reader = _pass_alone(text)
    assert [list(vars(m).items()) for m in reader.messages] == fresh[1]
    assert not reader._seen  # (every block but the header read by the pass itself)


@pytest.mark.parametrize("seed", range(6))
def test_plurals_obsolete_fuzzy_and_notes_read_as_the_line_reader_reads_them(seed):
    text = serialize(_random_store(random.Random(seed))).decode("utf-8")
    for end in ("", "\n", "\n\n"):
        fresh, block, lines = _three_ways(text.rstrip("\n") + end)
        assert fresh == block == lines and len(fresh[1]) == 40


@pytest.mark.parametrize("seed", range(3))
def test_broken_and_odd_blocks_read_as_the_line_reader_reads_them(seed):
    rng = random.Random(seed)
    blocks = serialize(_store(random.Random(seed + 50))).decode("utf-8").split("\n\n")
    singles = [i for i, b in enumerate(blocks) if i and "msgctxt" in b and "#, " in b
               and "#. " in b and "#: " in b]
    extra = [
        lambda b: b.replace("#. ", "#.  ", 1),  # two spaces: one is the comment's
        lambda b: b.replace("#. ", "#.", 1),  # no space
        lambda b: b.replace("#. ", "#.\n#. ", 1),  # an empty automatic comment
        lambda b: b.replace("#. ", "#. a #. b\n#. ", 1),
        lambda b: b.replace("#: ", "#. late\n#: ", 1),  # "#." after "#.": still in order
        lambda b: b.replace("#, ", "#. after flags\n#, ", 1),
        lambda b: b.replace("\nmsgctxt ", "\n#. after flags\nmsgctxt ", 1),  # out of order
        lambda b: b.replace("#, ", "#,fuzzy ,, c-format,", 1),
        lambda b: b + "\n" + b.replace('msgctxt "', 'msgctxt "x', 1),  # two, no blank line
        lambda b: b + "\n\n" + b,  # a duplicate right after
        lambda b: b + "\n\n" + 'msgid ""\nmsgstr "second header"',
        lambda b: b.replace('msgid "', 'msgid ""\n"', 1) + "\n",
    ]
    errors = broken_variants_agree(blocks, singles, rng, BROKEN + extra, _three_ways)
    assert errors >= 10


def test_then_a_catalogue_of_it_reads_as_after_the_block_path():
    """The heads the pass keeps are the block path's: a catalogue read after the template
    (through the memo of known heads) gives the same either way."""
    store = _store(random.Random(7))
    template = serialize(store).decode("utf-8")
    for unit in store.units[1::2]:
        unit.target = "traduit"
    catalogue = serialize(store).decode("utf-8")
    got = []
    for bulk in (True, False):
        _forget()
        first = PoReader("x.pot")
        first.bulk = bulk
        first.parse(template)
        _, messages = PoReader("x.po").parse(catalogue)
        got.append([list(vars(m).items()) for m in messages])
    assert got[0] == got[1] and len(got[0]) == 60


@pytest.mark.parametrize("lines", [
    ["#. a"], ["#. a", "#. b c"], ["#.", "#. a"], ["#.  a", "#. b"], ["#.a", "#. b"],
    ["#. a", "#.b"], ["#. a #. b", "#. c"], ["#. a", "#.", "#.x"],
])
def test_automatic_comments_as_the_regex_reads_them(lines):
    text = "".join(line + "\n" for line in lines)
    assert fe._auto(text) == tuple(fe.AUTO_BODY.findall(text))
    assert fe._auto(text) == tuple(fe.comment_body(line, 2) for line in lines)


@pytest.mark.parametrize("text", [
    "#, fuzzy\n", "#, fuzzy, python-brace-format\n", "#,fuzzy,,x\n", "#, a\n#, b, a\n",
    "#, \n", "#, a ,  b\n",
])
def test_flags_as_the_line_reader_reads_them(text):
    want = frozenset(f.strip() for line in text.splitlines() for f in line[2:].split(",")
                     if f.strip())
    assert fe._flags(text) == want
    assert fe._flags(text) is fe._flags(text)  # (the memo)


PLURAL = ('#. role: body\n#: a.txt:{i}\n#, python-brace-format\nmsgctxt "c/{i}"\n'
          'msgid ""\n"{{count}} source "\n"{i}"\nmsgid_plural "{{count}} sources {i}"\n'
          'msgstr[0] "un {i}"\nmsgstr[1] ""\n"deux "\n"{i}"\nmsgstr[2] "trois"')
PLURAL_VARIANTS = [
    lambda b: b,
    lambda b: b.replace("msgstr[2]", "msgstr[3]"),  # a gap
    lambda b: b.replace("msgstr[1]", "msgstr[0]"),  # given twice
    lambda b: b.replace("msgstr[0]", "msgstr[9]").replace("msgstr[2]", "msgstr[0]"),
    lambda b: b.replace("msgstr[0]", "msgstr[00]"),  # valid, not the common layout
    lambda b: b.replace('msgstr[0] "', 'msgstr[0]  "'),
    lambda b: b.replace('msgstr[0] "', 'msgstr[0] "\\"q\\" \\101\\t'),  # escapes
    lambda b: b.replace('msgstr[2] "trois"', 'msgstr[2] "trois msgstr[3] "'),
    lambda b: b.replace('msgstr[2] "trois"', 'msgstr[2] "trois\\" msgstr[3] \\""'),
    lambda b: b.replace('\nmsgstr[2] "trois"', ""),
    lambda b: b.replace("msgstr[1]", "msgstr"),  # a plain msgstr in a plural
    lambda b: b.replace('msgid_plural "', 'msgid_plural "\\n'),
    lambda b: b.replace("msgid_plural ", "msgid_plural  "),
    lambda b: b.replace('msgctxt "', 'msgctxt ""\n"'),
    lambda b: b.replace('msgid ""\n"{count} source "\n', 'msgid ""\n'),
    lambda b: b.replace('msgctxt "c/', 'msgctxt "').replace('msgid ""\n"{count} source "\n',
                                                           'msgid ""\n'),
    lambda b: b.replace("#, ", "#, fuzzy, "),
    lambda b: "#~ " + b.replace("\n", "\n#~ "),  # obsolete
    lambda b: b.replace("#: ", "# note\n#: "),  # a translator comment after "#."
    lambda b: b + "\n",
    lambda b: b.replace("\nmsgstr[0]", "\n\nmsgstr[0]"),
]


@pytest.mark.parametrize("fresh", [True, False])
def test_plural_blocks_read_as_the_line_reader_reads_them(fresh):
    """FAST_PLURAL (msgstr[n] 0, 1, ... in order) against the line reader, on good and
    odd plural blocks next to others, as the first file read and after its heads."""
    blocks = [HEADER.rstrip("\n")] + [PLURAL.replace("{i}", str(i)).replace("{{", "{")
                                      .replace("}}", "}") for i in range(6)]
    errors = 0
    for change in PLURAL_VARIANTS:
        for at in (2, 6):
            mixed = list(blocks)
            mixed[at] = change(mixed[at])
            text = "\n\n".join(mixed) + "\n"
            if not fresh:
                _read(text)
            got = [_read(text, memos=not fresh), _read(text, bulk=False, memos=not fresh),
                   _read(text, fast=False)]
            got = [g[:3] if g[0] != "error" else g for g in got]
            assert got[0] == got[1] == got[2], (change, mixed[at])
            errors += got[0][0] == "error"
    assert errors >= 8
    _forget()
    reader, by_line = PoReader("x.po"), []
    line_reader = reader._lines
    reader._lines = lambda lines, first: (by_line.append(first), line_reader(lines, first))
    _, forms = reader.parse("\n\n".join(blocks))
    assert len(forms) == 6 and not by_line  # (no block read line by line)
    assert [m.strings for m in forms][:1] == [("un 0", "deux 0", "trois")]
    assert [m.source_plural for m in forms][:1] == ["{count} sources 0"]
