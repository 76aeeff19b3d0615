"""PoReader, the strict PO reader: what it reads, where it stops, and that it agrees with
pypo (the writer) on catalogues pypo itself wrote."""

from __future__ import annotations

import random

import pytest

from workflow.catalogs import PoReader, read_messages, serialize, to_message
from workflow.catalogs.bridge import pypo
from workflow.errors import CatalogError

HEADER = (
    'msgid ""\nmsgstr ""\n"Language: ru\\n"\n'
    '"Plural-Forms: nplurals=3; plural=(n%10==1 ? 0 : 1);\\n"\n'
)


def test_reads_every_part_of_an_entry():
    text = HEADER + (
        "\n"
        "# edited by ana\n"
        "#. role: body\n"
        "#: letters/a.txt:3 letters/a.txt:9\n"
        "#, fuzzy, python-brace-format\n"
        '#| msgid "old "\n'
        '#| "text"\n'
        'msgctxt "a/1"\n'
        'msgid "one {n} "\n'
        '"camp"\n'
        'msgid_plural "{n} camps"\n'
        'msgstr[0] "x"\n'
        'msgstr[1] "y"\n'
        '"z"\n'
        'msgstr[2] ""\n'
        "\n"
        '#~ msgctxt "gone"\n'
        '#~ msgid "old"\n'
        '#~ msgstr "alt"\n'
    )
    reader = PoReader("ru.po")
    headers, (m, gone) = reader.parse(text)
    assert headers == {"Language": "ru", "Plural-Forms": "nplurals=3; plural=(n%10==1 ? 0 : 1);"}
    assert (m.context, m.source, m.source_plural) == ("a/1", "one {n} camp", "{n} camps")
    assert m.strings == ("x", "yz", "")
    assert m.fuzzy and m.flags == {"fuzzy", "python-brace-format"}
    assert m.translator_comments == ("edited by ana",) and m.provenance == "edited by ana"
    assert m.auto_comments == ("role: body",)
    assert m.locations == ("letters/a.txt:3", "letters/a.txt:9")
    assert m.previous_source == "old text"
    assert m.line == 13  # the msgid line
    assert (gone.obsolete, gone.context, gone.strings, gone.line) == (True, "gone", ("alt",), 22)
    assert reader.messages == [m, gone] and reader.header_text.startswith("Language: ru\n")


def test_escapes_and_entries_without_blank_lines():
    text = (
        'msgid "tab\\there \\"q\\" back\\\\ nl\\n oct\\101 hex\\x42 q\\?"\nmsgstr "a"\n'
        'msgid "second"\nmsgstr "b"\n'
        "# a comment after the strings starts the next entry\n"
        'msgid "third"\nmsgstr "c"\n'
    )
    _, msgs = read_messages(text, "x.po")
    assert [m.source for m in msgs] == ['tab\there "q" back\\ nl\n octA hexB q?', "second", "third"]
    assert [m.line for m in msgs] == [1, 3, 6]
    assert msgs[2].translator_comments == ("a comment after the strings starts the next entry",)


@pytest.mark.parametrize(
    "text, line, message",
    [
        ('msgid "a"\nmsgctxt "c"\nmsgstr "b"\n', 2, "msgctxt is out of place here"),
        ('msgid "a"\n\nmsgstr "b"\n', 1, "entry has no msgstr"),
        ('msgid "a"\n', 1, "entry has no msgstr"),
        ('msgctxt "c"\n\n', 1, "entry has no msgid"),
        ('msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[2] "z"\n', 1,
         "msgstr[] indexes are not 0..n-1"),
        ('msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[0] "z"\n', 4,
         "msgstr[0] given twice"),
        ('msgid "a"\nmsgstr "x"\n\nmsgid "a"\nmsgstr "y"\n', 4,
         "duplicate message (msgctxt ''), first at line 1"),
        ('msgid ""\nmsgstr "A: b"\n\nmsgid ""\nmsgstr "C: d"\n', 4,
         "second header entry (empty msgid)"),
        ('"orphan"\n', 1, "continuation string with no keyword before it"),
        ('msgid "a"\nmsgstr "b\n', 2, "malformed string (check quotes and escapes)"),
        ('msgid "a"\nmsgstr "b"\n"bad \\q"\n', 3, "malformed string"),
        ('msgid "a"\nmsgstr "b"\nnonsense\n', 3, "not a PO line: 'nonsense'"),
    ],
)
def test_errors_name_the_file_and_line(text, line, message):
    with pytest.raises(CatalogError) as info:
        PoReader("locales/fr.po").parse(text)
    assert info.value.path == "locales/fr.po" and info.value.line == line
    assert str(info.value).startswith(f"locales/fr.po:{line}: {message}")


WORDS = ["camp", "Séoul", "中文", 'say "hi"', "back\\slash", "{country}", "%d", "tab\there",
         "line\nbreak", "long " * 30, "", "ملف", "x" * 90]


def _random_store(rng: random.Random) -> pypo.pofile:
    store = pypo.pofile()
    for i in range(40):
        unit = pypo.pounit(" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))) or "w")
        unit.setcontext(f"ctx/{i}")
        if rng.random() < 0.3:
            unit.source = pypo.multistring([unit.source, f"{unit.source} many"])
            unit.target = pypo.multistring([rng.choice(WORDS) for _ in range(3)])
        else:
            unit.target = rng.choice(WORDS)
        if rng.random() < 0.3:
            unit.markfuzzy()
        if rng.random() < 0.3:
            unit.addnote(rng.choice(["approved by ana", "machine translation: apertium"]),
                         origin="translator")
        if rng.random() < 0.3:
            unit.addnote("role: body", origin="developer")
        if rng.random() < 0.3:
            unit.addlocation(f"letters/a.txt:{i}")
        if rng.random() < 0.1:
            unit.makeobsolete()
        store.addunit(unit)
    return store


@pytest.mark.parametrize("seed", range(8))
def test_agrees_with_pypo_on_what_pypo_writes(seed):
    store = _random_store(random.Random(seed))
    data = serialize(store)
    _, fast = read_messages(data.decode("utf-8"), "gen.po")
    reparsed = pypo.pofile()
    reparsed.parse(data)
    slow = [to_message(u) for u in reparsed.units if not u.isheader()]
    assert len(fast) == len(slow) == 40
    for a, b in zip(fast, slow, strict=True):
        assert a == type(a)(**{**b.__dict__, "line": a.line}), a.context


def test_obsolete_and_active_entries_without_blank_lines_between_read_as_pypo_reads_them():
    text = (
        'msgid "a"\nmsgstr "b"\n#~ msgid "c"\n#~ msgstr "d"\n'
        'msgid "e"\nmsgstr "f"\n#~ msgctxt "g"\n#~ msgid "g"\n#~ msgstr ""\n#~ "h"\n'
    )
    _, msgs = read_messages(text, "x.po")
    store = pypo.pofile()
    store.parse(text.encode())
    slow = [to_message(u) for u in store.units if not u.isheader()]
    assert [(m.source, m.obsolete) for m in msgs] == [
        ("a", False), ("c", True), ("e", False), ("g", True)
    ]
    assert [(m.source, m.obsolete, m.strings) for m in msgs] == [
        (m.source, m.obsolete, m.strings) for m in slow
    ]


def _both_paths(text: str):
    """(fast-path result, line-by-line result) of one text, or the CatalogError each raised."""
    out = []
    for fast in (True, False):
        reader = PoReader("x.po")
        reader.fast = fast
        try:
            out.append((reader.parse(text), reader.header_text))
        except CatalogError as exc:
            out.append(("error", str(exc), exc.line))
    return out


@pytest.mark.parametrize("seed", range(8))
def test_block_regex_reads_what_the_line_reader_reads(seed):
    """The one-regex path for common blocks gives exactly the line reader's messages, line
    numbers and errors, on pypo's output and on hand-made variants of it."""
    rng = random.Random(seed)
    text = serialize(_random_store(rng)).decode("utf-8")
    fast, slow = _both_paths(text)
    assert fast == slow and len(fast[0][1]) == 40
    blocks = text.split("\n\n")
    variants = [
        'msgid "tab\\t \\"q\\" \\101\\x42"\nmsgstr "a"\n"\\1" "2"\n',
        '#.  two spaces\n#.\n#:a.txt:1  b.txt:2\n#,fuzzy,, c-format\n# x\n#\n'
        'msgid "k"\nmsgstr ""\n',
        '#. trailing space \nmsgid "k2"\nmsgstr "v"\n',
        'msgctxt "c"\nmsgid "d"\nmsgstr "v"\n\n\n\nmsgctxt "c"\nmsgid "d"\nmsgstr "w"\n',
        'msgid "e"\nmsgstr "x"\nmsgid "f"\nmsgstr "y"\n',
        'msgid  "two spaces"\nmsgstr "z"\n',
        '#, fuzzy\nmsgid ""\nmsgstr "second header"\n',
        'msgid "bad \\q escape"\nmsgstr ""\n',
    ]
    for extra in variants:
        mixed = list(blocks)
        mixed.insert(rng.randrange(1, len(mixed)), extra.rstrip("\n"))
        fast, slow = _both_paths("\n\n".join(mixed))
        assert fast == slow, extra


def test_block_regex_keeps_the_line_numbers_and_comments():
    text = HEADER + (
        "\n"
        "# edited by ana\n"
        "#. role: body\n"
        "#.   indented\n"
        "#: letters/a.txt:3 letters/a.txt:9\n"
        "#: letters/b.txt:1\n"
        "#, fuzzy, python-brace-format\n"
        'msgctxt "a/1"\n'
        'msgid ""\n'
        '"one "\n'
        '"two"\n'
        'msgstr "x\\ty"\n'
        '"\\101"\n'
    )
    reader = PoReader("ru.po")
    _, (m,) = reader.parse(text)
    # m.line: the msgid line
    assert (m.context, m.source, m.strings, m.line) == ("a/1", "one two", ("x\tyA",), 13)
    assert m.translator_comments == ("edited by ana",)
    assert m.auto_comments == ("role: body", "  indented")
    assert m.locations == ("letters/a.txt:3", "letters/a.txt:9", "letters/b.txt:1")
    assert m.fuzzy and m.flags == {"fuzzy", "python-brace-format"}
    fast, slow = _both_paths(text)
    assert fast == slow


def test_a_head_read_before_reads_the_same_as_the_line_reader():
    """A block whose head (comments, msgctxt, msgid) was read before, in another file, is
    read from the memo: the same messages, line numbers and errors as the line reader,
    whatever follows the head (another msgstr, escapes, a broken string, a plural, a
    second entry, a duplicate), and the very same source string objects."""
    from workflow.catalogs import reader

    head = ('# who\n#. role: body\n#: letters/a.txt:3\n#, python-brace-format\n'
            'msgctxt "a/1"\nmsgid ""\n"one {n} "\n"camp"\n')
    first = HEADER + "\n" + head + 'msgstr "x"\n'
    _, (m1,) = read_messages(first, "fr.po")
    assert head in reader._HEADS
    tails = [
        'msgstr "y"\n"z"', 'msgstr "y"\n"z"\n', 'msgstr "t\\tab \\"q\\" \\101"\n"\\1" "2"',
        'msgstr ""', 'msgstr "a"b"', 'msgstr "open', 'msgstr "a"\n\n', 'msgstr "a"\n"',
        'msgstr "a"\n"b"\n"', 'msgstr "a" \n', 'msgstr  "a"', 'msgstr "a"\nmsgid "b"\nmsgstr "c"',
        'msgstr "a"\n#, fuzzy\nmsgid "b"\nmsgstr "c"', 'msgstr "bad \\q"',
        'msgid_plural "{n} camps"\nmsgstr[0] "x"\nmsgstr[1] "y"',
    ]
    for tail in tails:
        for text in (HEADER + "\n" + head + tail,
                     HEADER + "\n" + head + 'msgstr "v"\n\n' + head + tail):
            fast, slow = _both_paths(text)
            assert fast == slow, tail
    _, (m2,) = read_messages(HEADER + '"X-A: b\\n"\n\n' + head + 'msgstr "w"', "de.po")
    assert (m2.line, m2.strings, m2.translator_comments) == (m1.line + 1, ("w",), ("who",))
    assert m2.source is m1.source and m2.context is m1.context
