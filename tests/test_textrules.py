"""workflow/textrules.py: the shared text rules, each checked against the real thing."""

from __future__ import annotations

import ast
import string
import unicodedata

import docx
import pytest
from conftest import REPO

from workflow import textrules
from workflow.textrules import (
    CONTROL,
    PLACEHOLDER,
    PLACEHOLDER_DISPLAY,
    XML_ILLEGAL,
    plural_function,
)

MAX = 0x110000


def _refused_by_python_docx() -> set[int]:
    """Every code point python-docx refuses as run text. A string is refused when any of
    its characters is, so blocks of 4,096 are tried at once and only refused blocks are
    tried one character at a time."""
    run = docx.Document().add_paragraph().add_run("")

    def refused(text: str) -> bool:
        try:
            run.text = text
        except ValueError:  # lxml's ValueError, UnicodeEncodeError for lone surrogates
            return True
        return False

    out: set[int] = set()
    for start in range(0, MAX, 4096):
        block = range(start, min(start + 4096, MAX))
        if refused("".join(map(chr, block))):
            out.update(c for c in block if refused(chr(c)))
    return out


def test_xml_illegal_is_exactly_what_python_docx_refuses():
    refused = _refused_by_python_docx()
    everything = "".join(map(chr, range(MAX)))
    ours = {ord(m.group()) for m in XML_ILLEGAL.finditer(everything)}
    assert ours == refused
    # what that set is, spelled out: C0 but tab/LF/CR, lone surrogates, U+FFFE, U+FFFF
    assert refused == (
        set(range(0x20)) - {0x09, 0x0A, 0x0D} | set(range(0xD800, 0xE000)) | {0xFFFE, 0xFFFF}
    )
    assert 0x7F not in refused and 0x85 not in refused and 0xFDD0 not in refused


def test_control_adds_the_other_unicode_controls_for_typed_text():
    everything = "".join(map(chr, range(MAX)))
    control = {ord(m.group()) for m in CONTROL.finditer(everything)}
    illegal = {ord(m.group()) for m in XML_ILLEGAL.finditer(everything)}
    cc = {c for c in range(MAX) if unicodedata.category(chr(c)) == "Cc"}
    assert control == illegal | (cc - {0x09, 0x0A, 0x0D})
    assert not CONTROL.search("tab\there\nline\r\n")


@pytest.mark.parametrize(
    "text",
    [
        "Dear {name}, {0} and {} and {}",
        "{obj.attr} {a[0]} {count:d} {x!r} {y!s:>10}",
        "{{literal}} {{ and }} {real}",
        "no fields at all",
        "{country} {country}",
    ],
)
def test_placeholder_finds_the_fields_python_formats(text):
    ours = [m.group(1) for m in PLACEHOLDER.finditer(text) if m.group(1) is not None]
    python = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
    assert ours == python


def test_placeholder_display_marks_fields_and_printf_but_not_escapes():
    text = "{{x}} {name} %(count)s %d 100% {a.b}"
    assert [m.group(0) for m in PLACEHOLDER_DISPLAY.finditer(text)] == [
        "{x}", "{name}", "%(count)s", "%d", "{a.b}"
    ]


def test_plural_function_is_gettexts_compiled_once():
    ru = (
        "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"
    )
    f = plural_function(ru)
    assert [f(n) for n in (1, 2, 5, 11, 21, 22, 179)] == [0, 1, 2, 2, 0, 1, 2]
    assert plural_function(ru) is f  # cached
    with pytest.raises(ValueError):
        plural_function("n; import os")


# Every literal that textrules owns, and where else it may be spelled: nowhere.
OWNED = {
    textrules.MT_DAMAGED_FLAG,
    textrules.IGNORE_FLAG,
    textrules.IGNORE_HEADER,
    textrules.DRAFT_BANNER,
    textrules.UNREVIEWED_MARK,
    textrules.UNREVIEWED_MARK + " ",
}


def _string_constants(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docstrings:
                yield node.lineno, node.value


def test_text_rules_are_spelled_only_in_textrules():
    offenders = []
    for top in ("workflow", "web"):
        for path in (REPO / top).rglob("*.py"):
            if path == REPO / "workflow" / "textrules.py":
                continue
            for line, value in _string_constants(path):
                where = f"{path.relative_to(REPO)}:{line}"
                if value in OWNED:
                    offenders.append(f"{where}: {value!r}")
                elif sum(ch in value for ch in "\x0b\x0c\x0e\x1f\ufffe") >= 2:
                    offenders.append(f"{where}: a control-character set")
                elif "c2py" in value:
                    offenders.append(f"{where}: c2py")
            text = path.read_text(encoding="utf-8")
            if "gettext.c2py" in text:
                offenders.append(f"{path.relative_to(REPO)}: compiles plural forms itself")
    assert offenders == []
