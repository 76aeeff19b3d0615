"""The text letter's fast paths against the rules they stand for: `_clean`'s skipped tests,
`_plain`'s class scan, `placeholders_in` without braces, `_split_body`'s header test."""

from __future__ import annotations

import random
import re
import string

import pytest

from workflow.errors import LetterError
from workflow.letter import _clean
from workflow.source import textblocks
from workflow.source.braces import placeholders_in
from workflow.textrules import CONTROL

#: Characters that matter to one rule or another, and some that do not.
ALPHABET = (
    list("ab Z.,;:-+*_`[]\\<>&!~{}()1.9)") + ["\t", "  ", "\u00a0", "\u2003", "\u3000", "\u0661",
                                              "\u0966", "\x85", "\u2028", "\x0b", "\x0c",
                                              "\x1c", "\x01", "\x7f", "\x9f", "\ud800",
                                              "\ufffe", "é", "\U0001d7d9"]
)


def _texts(seed: int, count: int = 4000) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 12)))
            for _ in range(count)]


def _clean_rule(text: str, where: str, line: int) -> str:
    """`letter._clean` as it was: the control search, then the regex, on every text."""
    m = CONTROL.search(text)
    if m:
        raise LetterError(f"control character U+{ord(m.group()):04X} in text", where, line)
    return re.sub(r"[ \t]+", " ", text).strip()


def _outcome(fn, *args):
    try:
        return ("ok", fn(*args))
    except LetterError as exc:
        return ("error", str(exc), exc.path, exc.line)


def test_every_control_character_is_unprintable():
    every = "".join(map(chr, range(0x110000)))
    found = CONTROL.findall(every)
    assert len(found) > 2000  # C0, C1, surrogates, U+FFFE/F
    assert not any(c.isprintable() for c in found)


def test_clean_equals_the_rule():
    texts = _texts(1) + ["a\tb", "a  b", " a ", "a \t b", "\t", "", "x\x01y", "a\u00a0 b",
                         "é  ü", "a\x85b", "\ud800"]
    for text in texts:
        assert _outcome(_clean, text, "l.txt", 3) == _outcome(_clean_rule, text, "l.txt", 3), text


def _plain_rule(content) -> bool:
    return textblocks._SYNTAX.search("\n".join(t for _, t in content)) is None


def test_plain_equals_the_syntax_regex():
    rnd = random.Random(2)
    texts = _texts(3) + ["- item", "+ x", "12. x", "1) x", "١. x", "٣) y", "1234567890. x",
                         "1.x", "-x", "+", "-", "3.", " - x", "\u2003- x", "a\n- b", "a\n\nb",
                         "plain words", "a_b", "x & y", "2024 was", "1,5 x", "\U0001d7d9. x"]
    cases = [[(1, t)] for t in texts]
    cases += [[(n, rnd.choice(texts)) for n in range(rnd.randint(1, 4))] for _ in range(3000)]
    plain = sum(textblocks._plain(c) for c in cases)
    assert 0 < plain < len(cases)
    for content in cases:
        assert textblocks._plain(content) == _plain_rule(content), content


def _placeholders_rule(text: str) -> list[str] | str:
    """The parser's answer for *text* (braces or not): names, or the error."""
    names: list[str] = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return "error"
    for _literal, name, _spec, _conv in parsed:
        if name is not None and name not in names:
            names.append(name)
    return names


def test_placeholders_without_braces_are_what_the_parser_finds():
    texts = [t for t in _texts(4) if "{" not in t and "}" not in t] + ["", "plain", "a:b!r"]
    assert len(texts) > 1000
    for text in texts:
        assert placeholders_in(text) == _placeholders_rule(text) == []
    assert placeholders_in("{count} x {country}") == ["count", "country"]
    with pytest.raises(LetterError):
        placeholders_in("a } b")


def _split_rule(lines, first_line, roles, where):
    """`textblocks._split_body` as it was: every rstripped line asked of the header regex."""
    raw_blocks, current = [], None
    for lineno, line in enumerate((x.rstrip() for x in lines), start=first_line):
        if not line.strip():
            if current is not None and current[3]:
                current = None
            continue
        m = textblocks._HEADER.match(line)
        if m:
            role = m.group("role")
            if role not in roles:
                raise LetterError(f"unknown role [{role}]", where, lineno)
            current = [lineno, role, m.group("id"), []]
            raw_blocks.append(current)
            continue
        if current is None and line.lstrip().startswith("["):
            raise LetterError(f"malformed block header {line.strip()!r}", where, lineno)
        if current is None:
            raise LetterError("text outside a block", where, lineno)
        current[3].append((lineno, line.strip()))
    if not raw_blocks:
        raise LetterError("the letter has no blocks", where)
    return raw_blocks


def _split_outcome(fn, lines):
    try:
        return ("ok", fn(lines, 5, {"body": "", "cc": ""}, "l.txt"))
    except LetterError as exc:
        kinds = [k for k in ("unknown role", "malformed block header", "text outside",
                             "no blocks") if k in str(exc)]
        return ("error", kinds, exc.line)


def test_split_body_equals_the_rule():
    lines = ["[body]", "[body a1]", "[cc]", " [body]", "[body]  ", "[body a]\t", "[Body]",
             "[other]", "[body a b]", "[body]x", "text", "  text  ", "", " ", "\t", "\u3000",
             "\u2003[body]", "[", "[body", "one: x", "- item", "\x85", "[body\u3000]",
             "[body -x]", "[body x-]"]
    rnd = random.Random(5)
    bodies = [[rnd.choice(lines) for _ in range(rnd.randint(0, 8))] for _ in range(5000)]
    bodies = [["[body]", *b] for b in bodies[:2500]] + bodies[2500:]
    oks = 0
    for body in bodies:
        got = _split_outcome(textblocks._split_body, body)
        assert got == _split_outcome(_split_rule, body), body
        oks += got[0] == "ok"
    assert 500 < oks < len(bodies)


def test_every_white_space_but_the_space_is_unprintable():
    spaces = [c for c in map(chr, range(0x110000)) if c.isspace()]
    assert " " in spaces and len(spaces) > 20
    assert [c for c in spaces if c.isprintable()] == [" "]


def test_one_spaced_equals_the_rule():
    from workflow.extract import one_spaced

    texts = _texts(6) + ["", " ", "a b", " a", "a ", "a  b", "a\tb", "a\nb", "a\u00a0b",
                         "role: body (x); block 3 of 9 in letter l", "a\u2028b", "a\x1cb"]
    for text in texts:
        assert one_spaced(text) == " ".join(text.split()), text


def _made(fn, spec):
    try:
        block = fn(spec)
    except TypeError as exc:
        return ("TypeError", str(exc).split("(")[0][:0])
    return ("ok", block, list(vars(block).items()), hash(block))


def test_new_block_equals_the_dataclass():
    from workflow.letter import Block

    assert not hasattr(Block, "__post_init__")
    base = {"id": "p1", "role": "body", "text": "x {a}", "text_plural": None, "line": 3,
            "placeholders": ("a",)}
    specs = [base, {**base, "tags": ("t",)}, {**base, "notes": ("list level 2",)},
             {**base, "anchor": "fn", "variant": "v"}, {**base, "text_plural": "y"},
             {k: v for k, v in base.items() if k != "line"}, {**base, "nope": 1},
             {**base, "index": 9}, {**base, "context": "c"}]
    for spec in specs:
        got = _made(lambda s: textblocks.new_block(s, "l/p1", 2, 5, 7), spec)
        want = _made(lambda s: Block(context="l/p1", position=2, of=5, index=7, **s), spec)
        assert got == want, spec
    assert sum(_made(lambda s: Block(context="c", position=1, of=1, index=1, **s), s)[0]
               == "TypeError" for s in specs) == 4


def test_letters_blocks_are_what_the_dataclass_makes(tmp_path):
    from conftest import REPO

    from workflow.letter import Block, load_letter

    letters = sorted((REPO / "letters").glob("*.txt")) + [REPO / "tests/data/appeal-letter.txt"]
    assert letters
    for path in letters:
        for block in load_letter(path).blocks:
            again = Block(**vars(block))
            assert list(vars(block).items()) == list(vars(again).items())
            assert block == again and hash(block) == hash(again)
