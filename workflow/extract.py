"""The Babel extractor for letter sources (entry point group ``babel.extractors``).

``babel.cfg`` maps ``letters/**.txt`` to it, so plain ``pybabel extract -F babel.cfg``
works; :func:`extract_template` is what ``letterflow extract`` runs: the same Babel
machinery, plus "do not rewrite an unchanged template" (no POT-Creation-Date churn).
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from pathlib import Path

from .letter import ROLES, TYPED_NOTE, Letter, load_letter, parse_letter

#: Babel's default keywords: pgettext(ctx, msg) and npgettext(ctx, singular, plural).
_SINGULAR, _PLURAL = "pgettext", "npgettext"


def translator_comments(letter: Letter, block) -> list[str]:
    """The ``#.`` lines for one block: its role and position, and its placeholders."""
    role_desc = letter.roles.get(block.role) or ROLES.get(block.role, "")
    where = f", {block.position} of {block.of}" if block.of > 1 else ""
    lines = [
        f"role: {block.role}{where} ({role_desc}); block {block.index} of {len(letter.blocks)}"
        f" in letter {letter.id}" if block.index else
        f"role: {block.role} ({role_desc}) of letter {letter.id}"
    ]
    if block.variant:
        lines.append(
            f"form of address: {block.variant} ({letter.forms.get(block.variant, '')}); the "
            "source is the same for every form: write what this addressee needs"
        )
    for name in block.placeholders:
        note = letter.placeholders.get(name) or TYPED_NOTE.get(name.split(":")[0], "")
        lines.append(f"placeholder {{{name}}}: {note}")
    if block.plural:
        lines.append(
            f"plural message: the form is chosen by the number in {{{letter.plural_placeholder}}}"
        )
    lines.extend(block.notes)
    return lines


def extract_letter(fileobj, keywords, comment_tags, options) -> Iterator[tuple]:
    """Babel extractor: yield ``(lineno, funcname, messages, comments)`` per letter block."""
    data = fileobj.read()
    name = getattr(fileobj, "name", "<letter>")
    if isinstance(data, bytes) and data[:2] == b"PK":  # a Word letter (babel.cfg: **.docx)
        from .source.docx_source import parse_docx_letter

        letter = parse_docx_letter(data, name)
    else:
        text = data.decode(options.get("encoding", "utf-8-sig")) if isinstance(data, bytes) \
            else data
        letter = parse_letter(text, name)
    for block in letter.messages:
        comments = translator_comments(letter, block)
        if block.plural:
            yield block.line, _PLURAL, (block.context, block.text, block.text_plural), comments
        else:
            yield block.line, _SINGULAR, (block.context, block.text), comments


# ---------------------------------------------------------------------------

_CREATION = re.compile(rb'^"POT-Creation-Date: [^"]*\\n"\n', re.M)


def build_template(config) -> bytes:
    """Extract every configured letter with Babel, as ``pybabel extract`` would."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
    from babel.messages.frontend import DEFAULT_HEADER
    from babel.messages.pofile import write_po

    from .source.markup import FLAG as TAG_FLAG

    catalog = Catalog(charset="utf-8", header_comment=DEFAULT_HEADER)
    letters = sorted(config.letters, key=lambda p: os.path.relpath(p, config.root))
    for path in letters:
        letter = load_letter(path)  # clear LetterError (file:line) before Babel sees the file
        tagged = {b.context for b in letter.messages if b.tags}
        rel = os.path.relpath(path, config.root).replace(os.sep, "/")
        for lineno, message, comments, context in extract_from_file(
            "letterflow", str(path), keywords=DEFAULT_KEYWORDS
        ):
            flags = [TAG_FLAG] if context in tagged else []
            catalog.add(message, None, [(rel, lineno)], auto_comments=comments, context=context,
                        flags=flags)
    buf = io.BytesIO()
    write_po(buf, catalog)
    return buf.getvalue()


def one_spaced(text: str) -> str:
    """``" ".join(text.split())``: white space runs made one space, none at either end. A
    printable text holds no white space but the space (every other ``isspace`` character is
    unprintable), so one without two spaces in a row or one at an end is returned as it is
    (``tests/test_letter_fastpaths.py``)."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def expected_messages(config) -> list[tuple]:
    """What the template must hold for the current letters, computed without Babel
    (the CI gate's fast staleness check; ``build_template`` is the reference)."""
    out = []
    for path in sorted(config.letters, key=lambda p: os.path.relpath(p, config.root)):
        letter = load_letter(path)
        rel = os.path.relpath(path, config.root).replace(os.sep, "/")
        for block in letter.messages:
            out.append(
                (
                    block.context,
                    block.text,
                    block.text_plural,
                    one_spaced(" ".join(translator_comments(letter, block))),
                    (f"{rel}:{block.line}",),
                    bool(block.placeholders),
                )
            )
    return out


def template_problems(config, template) -> list[str]:
    """Why the template (a catalogs.Catalog) is out of sync with the letters; [] if it is not."""
    want = expected_messages(config)
    have = [
        (
            m.context,
            m.source,
            m.source_plural,
            one_spaced(" ".join(m.auto_comments)),
            m.locations,
            "python-brace-format" in m.flags,
        )
        for m in template.active()
    ]
    if want == have:
        return []
    want_ctx = {w[0]: w for w in want}
    have_ctx = {h[0]: h for h in have}
    added = [c for c in want_ctx if c not in have_ctx]
    removed = [c for c in have_ctx if c not in want_ctx]
    changed = [c for c in want_ctx if c in have_ctx and want_ctx[c] != have_ctx[c]]
    parts = []
    for label, items in (("new", added), ("removed", removed), ("changed", changed)):
        if items:
            parts.append(f"{label}: {', '.join(items[:3])}{'…' if len(items) > 3 else ''}")
    if not parts:
        parts.append("message order changed")
    return ["; ".join(parts)]


def same_template(a: bytes, b: bytes) -> bool:
    """Equal except for the POT-Creation-Date header."""
    return _CREATION.sub(b"", a) == _CREATION.sub(b"", b)


def extract_template(config) -> tuple[Path, bool]:
    """Write the template if its content changed. Returns (path, written)."""
    from .catalogs import CatalogError, load_template
    from .fileio import locked, sweep_temp_files, write_atomic

    path = Path(config.template)
    with locked(path):
        if path.exists():
            # Fast path: the template already holds exactly what the letters say.
            try:
                if not template_problems(config, load_template(path)):
                    return path, False
            except CatalogError:
                pass  # a broken template is simply rebuilt
        new = build_template(config)
        old = path.read_bytes() if path.exists() else None
        if old is not None and same_template(old, new):
            return path, False
        sweep_temp_files(path)
        write_atomic(path, new)
    return path, True
