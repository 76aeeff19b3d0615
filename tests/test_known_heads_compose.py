"""Heads read before but written another way (workflow.catalogs.knownheads.compose): msgid
and msgctxt wrapped at another column, a fuzzy flag added. The whole-file pass must give
what the block path and the line reader give (messages, every field, line numbers,
errors), on rewrapped catalogues and on every broken variant near a known head."""

from __future__ import annotations

import random

import pytest
from translate.storage import pypo

from tests.reader_support import broken_variants_agree, parse_outcome
from workflow.catalogs import PoReader, serialize
from workflow.catalogs import knownheads as kh

WORDS = ["camp", "Séoul", "中文", 'say "hi"', "back\\slash", "{country}", "tab\there",
         "line\nbreak", "long " * 30, "ملف", "x" * 90, "survivors", "of", "the", "rights"]
PLAIN = [w for w in WORDS if w.isprintable() and '"' not in w and "\\" not in w]


def _read(text: str, fast: bool = True, bulk: bool = True):
    out = parse_outcome(text, fast, bulk)
    if out[0] == "error":
        return out
    headers, messages, header_text = out
    return (headers, [list(vars(m).items()) for m in messages], header_text)


def _three_ways(text: str) -> list:
    return [_read(text), _read(text, bulk=False), _read(text, fast=False)]


def _store(rng: random.Random, n: int = 60) -> pypo.pofile:
    store = pypo.pofile()
    store.updateheader(add=True, Language="fr",
                       Plural_Forms="nplurals=2; plural=(n > 1);")
    for i in range(n):
        words = [rng.choice(WORDS if rng.random() < 0.05 else PLAIN)
                 for _ in range(rng.randint(1, 14))]
        unit = pypo.pounit(" ".join(words))
        if rng.random() < 0.8:
            unit.setcontext(f"synthetic/p{i:05d}" + (" " + rng.choice(WORDS)) * (i % 7 == 0))
        else:
            unit.source += f" {i}"
        if rng.random() < 0.4:
            unit.addnote("role: body, a paragraph of the letter's body", origin="developer")
        if rng.random() < 0.2:
            unit.addnote("approved by ana", origin="translator")
        if rng.random() < 0.5:
            unit.addlocation(f"letters/a.txt:{i}")
        if rng.random() < 0.4:
            unit.settypecomment("python-brace-format")
        unit.target = ""
        store.addunit(unit)
    return store


def _literal_lines(keyword: str, content: str, cuts: list[int]) -> list[str]:
    """*content* (escaped, as written between quotes) as literals cut at *cuts*."""
    pieces, start = [], 0
    for cut in sorted(cuts) + [len(content)]:
        pieces.append(content[start:cut])
        start = cut
    return [f'{keyword} "{pieces[0]}"'] + [f'"{p}"' for p in pieces[1:]]


def _cuts(content: str) -> list[int]:
    """Where *content* (escaped) can be cut between literals: not inside an escape."""
    out, i = [0], 0
    while i < len(content):
        i += 2 if content[i] == "\\" else 1
        out.append(i)
    return out


def _rewrap(block: str, rng: random.Random, anywhere: bool = False) -> str:
    """*block* with its msgctxt and msgid literals cut again at random places (*anywhere*:
    inside an escape too, which gives a broken or another string)."""
    out: list[str] = []
    keyword, content = None, ""

    def flush() -> None:
        if keyword is not None:
            places = range(len(content) + 1) if anywhere else _cuts(content)
            cuts = [rng.choice(places) for _ in range(rng.randint(0, 3))]
            out.extend(_literal_lines(keyword, content, cuts))

    for line in block.split("\n"):
        if line.startswith(("msgctxt ", "msgid ")) and not line.startswith("msgid_plural"):
            flush()
            keyword, rest = line.split(" ", 1)
            content = rest[1:-1]
        elif keyword is not None and line.startswith('"'):
            content += line[1:-1]
        else:
            flush()
            keyword = None
            out.append(line)
    flush()
    return "\n".join(out)


def _fuzzy(block: str) -> str:
    """*block* marked fuzzy as msgmerge marks it."""
    lines = block.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("#, "):
            lines[i] = "#, fuzzy, " + line[3:]
            return "\n".join(lines)
        if line.startswith(("msgctxt ", "msgid ")):
            lines.insert(i, "#, fuzzy")
            return "\n".join(lines)
    return block


def _catalogue(seed: int) -> tuple[str, list[str]]:
    """A template (read: its heads are known) and the blocks of a translated catalogue of
    it, rewrapped and partly fuzzy (the header first)."""
    rng = random.Random(seed)
    store = _store(rng)
    _read(serialize(store).decode("utf-8"))  # the template's heads: known from here on
    for unit in store.units:
        if not unit.isheader():
            unit.target = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 5)))
    blocks = serialize(store).decode("utf-8").rstrip("\n").split("\n\n")
    out = [blocks[0]]
    for b in blocks[1:]:
        b = _rewrap(b, rng) if rng.random() < 0.8 else b
        out.append(_fuzzy(b) if rng.random() < 0.3 else b)
    return serialize(store).decode("utf-8"), out


def _through_block_path(text: str) -> int:
    """How many blocks of *text* the whole-file pass hands to the block path with a head
    it neither knows nor can compose."""
    seen = []

    class Counting(PoReader):
        def _block(self, block, lineno, known=True):
            if not known:
                seen.append(block)
            return super()._block(block, lineno, known)

    assert kh.read_known(Counting("x.po"), text) is not None
    return len(seen)


@pytest.mark.parametrize("seed", range(8))
def test_a_rewrapped_partly_fuzzy_catalogue_reads_as_the_line_reader_reads_it(seed):
    _, blocks = _catalogue(seed)
    text = "\n\n".join(blocks) + "\n"
    bulk, block, lines = _three_ways(text)
    assert bulk == block == lines
    assert bulk[0] != "error" and len(bulk[1]) == 60


def test_the_pass_composes_rewrapped_and_fuzzy_heads_with_the_template_s_sources():
    template, blocks = _catalogue(99)
    plain = [b for b in blocks[1:] if "\\" not in b.split("\nmsgstr ")[0]]
    assert len(plain) > 30
    # mostly new head texts: without compose each would take the block path
    new = [b for b in plain if b[: b.index("\nmsgstr ") + 1] not in kh.HEADS]
    assert len(new) > 20
    text = "\n\n".join([blocks[0]] + plain) + "\n"
    assert _through_block_path(text) <= 1  # (the header)
    reader = PoReader("x.po")
    _, sources = reader.parse(template)
    _, messages = PoReader("x.po").parse(text)
    own = {(m.context, m.source): m.source for m in sources}
    assert all(m.source is own[m.context, m.source] for m in messages)  # the same objects
    fuzzy = [m for m in messages if m.fuzzy]
    assert fuzzy and all("fuzzy" in m.flags for m in fuzzy)


BROKEN = [
    # (what is done to the text of a known block)
    lambda b: b.replace('msgid "', 'msgid "\n""', 1),  # msgid " / ""x": a broken line
    lambda b: b.replace('msgid "', 'msgid  "', 1),  # two spaces
    lambda b: b.replace('msgid "', 'msgid\t"', 1),  # a tab
    lambda b: b.replace('"\nmsgid', '" \nmsgid', 1),  # a space after a literal
    lambda b: b.replace('msgid "', 'msgid ""\n""\n"', 1),  # empty literals: still valid
    lambda b: b.replace('msgid "', 'msgid "a"b', 1),  # a quote inside
    lambda b: b.replace('msgid "', 'msgid "\\', 1),  # an escape that escapes the quote
    lambda b: b.replace('msgid "', '"\nmsgid "', 1),  # a literal with no keyword
    lambda b: b.replace('msgid "', 'msgid "x"\n"', 1),  # a join that is not in the template
    lambda b: b.replace("\nmsgctxt ", '"\n"msgctxt ', 1),  # a join after a comment
    lambda b: b.replace("\nmsgctxt ", "\n#, fuzzy\nmsgctxt ", 1),  # a second flags line
    lambda b: b.replace("\nmsgctxt ", "\n#,fuzzy\nmsgctxt ", 1),
    lambda b: b.replace("\nmsgctxt ", "\n#, fuzzy \nmsgctxt ", 1),
    lambda b: b.replace("\nmsgctxt ", "\n#, fuzzy\n#, fuzzy\nmsgctxt ", 1),
    lambda b: b.replace("#, ", "#, fuzzy,", 1),
    lambda b: b.replace("#, ", "#, fuzzy, fuzzy, ", 1),
    lambda b: b.replace("#, ", "#, fuzzy, ,", 1),
    lambda b: "# a note #, fuzzy, here\n" + b,  # "#, fuzzy, " inside another comment
    lambda b: b.replace("#. ", "#, fuzzy\n#. ", 1),  # a flag before other comments
    lambda b: b.replace("#: ", "#, fuzzy, ", 1),  # a location line made a flags line
    lambda b: b.replace("\nmsgctxt ", "\nmsgctxt \"\"\nmsgctxt ", 1),  # msgctxt twice
    lambda b: b.replace("\nmsgctxt ", "\nmsgid \"a\"\nmsgctxt ", 1),  # msgid first
    lambda b: b.replace('msgctxt "', 'msgctxt ""\n"', 1),  # rewrapped: valid
    lambda b: b.replace('msgctxt "', 'msgctxt "\n"', 1),
    lambda b: b.replace("\nmsgid ", "\n\"\"\nmsgid ", 1),  # an empty literal: valid
    lambda b: b.replace("\nmsgid ", "\n#. late\nmsgid ", 1),  # a comment between
    lambda b: b.replace("\nmsgstr ", "\n\nmsgstr ", 1),  # a blank line before msgstr
    lambda b: b.replace("\nmsgid ", "\r\nmsgid ", 1),
    lambda b: _rewrap(b.replace('msgid "', 'msgid "\\"\\\\\\t\\101\\x41', 1),
                      random.Random(len(b)), anywhere=True),  # cut inside escapes
]


@pytest.mark.parametrize("seed", range(3))
def test_broken_variants_near_known_heads_read_as_the_line_reader_reads_them(seed):
    rng = random.Random(seed)
    _, blocks = _catalogue(seed)
    singles = [i for i, b in enumerate(blocks) if i and "msgctxt" in b and "#, " in b
               and "#. " in b and "#: " in b]
    assert singles
    errors = broken_variants_agree(blocks, singles, rng, BROKEN, _three_ways)
    assert errors >= 8  # (the broken ones; the others are valid another way)


def test_compose_gives_what_the_one_regex_path_gives_for_the_same_head():
    """The rule: a composed head equals the head a reader with empty memos makes of the
    same block (every field but the memo's own objects)."""
    _, blocks = _catalogue(1007)
    composed = []
    for b in blocks[1:]:
        head = b[: b.index("\nmsgstr ") + 1]
        if head not in kh.HEADS and (got := kh.compose(head)) is not None:
            composed.append((b, got))
    assert len(composed) > 20
    saved = {n: dict(getattr(kh, n)) for n in ("HEADS", "COMMENTS", "STRINGS")}
    try:
        for n in saved:
            getattr(kh, n).clear()
        for b, got in composed:
            reader = PoReader("x.po")
            reader.bulk = False
            reader._block(b, 1, False)
            head = kh.HEADS[b[: b.index("\nmsgstr ") + 1]]
            assert head == got
    finally:
        for n, memo in saved.items():
            getattr(kh, n).update(memo)


def test_fuzzy_is_only_taken_from_a_flags_line():
    """"#, fuzzy, " inside another comment is that comment's text, not a flag: a head
    that differs from a known one only there is another head."""
    head = '# see #, {}here\n#. role: body\n#, python-brace-format\nmsgctxt "c/1"\n'
    template = f'{head.format("")}msgid "a b"\nmsgstr ""\n'
    _read(template)
    for flags in ("fuzzy, ", "fuzzy,", "fuzzy, fuzzy, "):
        text = f'{head.format(flags)}msgid "a"\n" b"\nmsgstr "x"\n'
        bulk, block, lines = _three_ways(text)
        assert bulk == block == lines
        assert dict(bulk[1][0])["translator_comments"] == (f"see #, {flags}here",)
        assert not dict(bulk[1][0])["fuzzy"]
