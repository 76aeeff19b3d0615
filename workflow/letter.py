"""Parse a letter source file into blocks. Pure: no catalogue, no I/O but reading the file.

This module holds the model (:class:`Letter`, :class:`Block`, the roles) and the front matter;
the body's blocks are read by :mod:`workflow.source.textblocks`, a Word letter by
:mod:`workflow.source.docx_source`.

The format (documented in docs/letter-format.md)::

    +++
    id = "icnk-2012"            # TOML front matter
    language = "en"
    date = 2012-10-31           # data, never a translatable string
    [fields]
    signatories = 179
    [placeholders]
    country = "description shown to translators"
    [plural]
    field = "signatories"       # the number that drives plural messages
    placeholder = "count"       # how the number appears in the text
    +++

    [role]            or   [role block-id]
    text, wrapped over any number of lines, ends at a blank line

    [sender]
    one: {count} defector      <- a plural message: "one:" and "other:" lines
    other: {count} defectors
"""

from __future__ import annotations

import datetime as _dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import LetterError
from .source.braces import (  # noqa: F401 -- public names of the letter format
    TYPED,
    TYPED_NOTE,
    check_braces,
    placeholders_in,
    typed_value,
)
from .textrules import CONTROL as _CONTROL

#: What ``register`` in the front matter may say ("formal": the informal second person is
#: an error in every translation; see the QA check ``register``).
REGISTERS = ("", "formal", "informal")

#: The roles a letter block can have. A letter may add its own with ``extra_roles``.
ROLES: dict[str, str] = {
    "sender": "who the letter is from",
    "recipient": "who the letter is addressed to",
    "address": "a line of the recipient's address",
    "place": "where the letter was written",
    "date": "the date line (filled from the date field, in the reader's locale)",
    "reference": "a reference or file number",
    "subject": "the subject line",
    "salutation": "the greeting to the recipient",
    "body": "a paragraph of the letter's body",
    "closing": "the closing formula before the signature",
    "signature": "who signs the letter",
    "cc": "a copy-to line",
    "postscript": "a postscript after the signature",
    "enclosure": "a note about what is attached",
    "title": "the letter's title (e.g. \"Joint Open Letter to ...\")",
    "heading": "a heading inside the letter",
    "dateline": "place and date on one line; {date} is the letter's date, written per locale",
    "bulleted-item": "an item of a bulleted list",
    "numbered-item": "an item of a numbered list",
    "footnote": "the text of a footnote",
    "signatories": "names and organisations that sign: never translated, one per line",
}

#: Roles that carry no translatable text (their content is data).
DATA_ROLES = frozenset({"date", "signatories"})

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class Block:
    """One block of the letter: one gettext message (unless its role is data)."""

    id: str
    role: str
    context: str  # msgctxt: "<letter id>/<block id>", stable across edits of other blocks
    text: str
    text_plural: str | None
    line: int  # line of the block header in the source file
    placeholders: tuple[str, ...]
    position: int  # 1-based position among blocks of the same role
    of: int  # number of blocks with that role
    index: int = 0  # 1-based position in the letter
    variant: str | None = None  # form of address ("minister-f") of a salutation/closing variant
    tags: tuple = ()  # markup.Tag table of the inline tags in text (Word letters)
    notes: tuple[str, ...] = ()  # extra translator comments (style, table cell...)
    anchor: object = None  # where the block sits in its source document (Word letters)

    @property
    def translatable(self) -> bool:
        return self.role not in DATA_ROLES

    @property
    def plural(self) -> bool:
        return self.text_plural is not None


@dataclass
class Letter:
    id: str
    title: str
    language: str
    date: _dt.date
    path: Path
    fields: dict[str, object] = field(default_factory=dict)
    placeholders: dict[str, str] = field(default_factory=dict)
    plural_field: str | None = None
    plural_placeholder: str | None = None
    roles: dict[str, str] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    #: forms of address the letter declares: name -> note for translators
    forms: dict[str, str] = field(default_factory=dict)
    #: salutation/closing variants, one per (block, form): their own catalogue messages
    variants: list[Block] = field(default_factory=list)
    #: the front matter's title as a message: the document's title property, localised
    title_block: Block | None = None
    #: front matter ``signatories = [...]``: names printed in an appendix, never translated
    signatories: list[str] = field(default_factory=list)
    #: front matter ``signatories_heading``: the appendix heading, a message
    signatories_block: Block | None = None
    kind: str = "text"  # "text" (this format) or "docx" (workflow.source.docx_source)
    register: str = ""  # "formal" or "informal" (front matter); "" if not declared

    @property
    def messages(self) -> list[Block]:
        """The translatable blocks in letter order, then the form-of-address variants, then the
        front matter's messages (title, signatories heading)."""
        out = [b for b in self.blocks if b.translatable]
        out.extend(self.variants)  # after the blocks: the review queue keeps the letter order
        out.extend(b for b in (self.title_block, self.signatories_block) if b)
        return out

    def block(self, block_id: str) -> Block:
        for b in self.blocks:
            if b.id == block_id:
                return b
        raise KeyError(block_id)

    @property
    def plural_count(self) -> int | None:
        if self.plural_field is None:
            return None
        value = self.fields.get(self.plural_field)
        return value if isinstance(value, int) else None


def load_letter(path: str | Path) -> Letter:
    """The letter in the file at *path*: a Word letter (``.docx``) or the text format."""
    path = Path(path)
    raw = read_letter_file(path)
    if path.suffix.lower() == ".docx":
        from .source.docx_source import parse_docx_letter

        return parse_docx_letter(raw, path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LetterError(f"not UTF-8 (byte {exc.start})", str(path)) from None
    return parse_letter(text, path)


def read_letter_file(path: Path) -> bytes:
    """The bytes of a letter file; LetterError (one line) if it is missing or unreadable."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise LetterError("letter file not found", str(path)) from None
    except OSError as exc:
        raise LetterError(f"cannot read letter file: {exc.strerror}", str(path)) from None


def _front_matter(lines: list[str], where: str) -> tuple[dict, int]:
    if not lines or lines[0].strip() != "+++":
        raise LetterError("a letter starts with a '+++' TOML front matter line", where, 1)
    for i in range(1, len(lines)):
        if lines[i].strip() == "+++":
            try:
                meta = tomllib.loads("\n".join(lines[1:i]))
            except tomllib.TOMLDecodeError as exc:
                raise LetterError(f"front matter is not valid TOML: {exc}", where, 2) from None
            return meta, i + 1
    raise LetterError("front matter has no closing '+++' line", where, 1)


def _extra_roles(meta: dict, where: str) -> dict[str, str]:
    """``extra_roles`` from the front matter. Written after ``[plural]`` (where a TOML key
    after a table header belongs to that table) it is taken from there too."""
    extra = meta.get("extra_roles")
    plural = meta.get("plural")
    if isinstance(plural, dict) and "extra_roles" in plural:
        if extra is not None:
            raise LetterError("extra_roles is given twice (once inside [plural])", where, 2)
        extra = plural.pop("extra_roles")
    if extra is None:
        return {}
    if isinstance(extra, list):
        extra = {str(r): "" for r in extra}
    if not isinstance(extra, dict):
        raise LetterError("extra_roles must be a table: { role = \"description\" }", where, 2)
    for role in extra:
        if not re.fullmatch(r"[a-z][a-z0-9_-]*", role):
            raise LetterError(f"extra role {role!r} must be lower-case letters, digits, -",
                              where, 2)
    return {str(k): str(v) for k, v in extra.items()}


def parse_letter(text: str, path: str | Path = "<letter>") -> Letter:
    where = str(path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    meta, body_start = _front_matter(lines, where)
    letter = _letter_from_meta(meta, where, Path(path))
    from .source.textblocks import read_blocks

    seen_ids = read_blocks(letter, lines[body_start:], body_start + 1, where)
    from .letter_meta import add_front_matter_messages

    add_front_matter_messages(letter, meta, where, seen_ids)
    return letter


def _letter_from_meta(meta: dict, where: str, path: Path) -> Letter:
    """The front matter's letter, checked, without its blocks yet."""
    letter_id = meta.get("id") or Path(where).stem
    if not isinstance(letter_id, str) or not _ID.match(letter_id):
        raise LetterError(
            f"front matter id {letter_id!r} must be lower-case letters, digits, -", where, 2
        )
    date = _date_of(meta, where)
    extra = _extra_roles(meta, where)
    placeholders = {str(k): str(v) for k, v in (meta.get("placeholders") or {}).items()}
    placeholders.setdefault("date", "the letter's date, written in the reader's locale")
    fields = dict(meta.get("fields") or {})
    plural = meta.get("plural") or {}
    plural_field = plural.get("field")
    plural_placeholder = plural.get("placeholder")
    if plural_field is not None and plural_field not in fields:
        raise LetterError(f"plural field {plural_field!r} is not in [fields]", where, 2)
    if plural_placeholder is not None and plural_placeholder not in placeholders:
        raise LetterError(
            f"plural placeholder {{{plural_placeholder}}} is not in [placeholders]", where, 2
        )
    register = meta.get("register", "")
    if register not in REGISTERS:
        raise LetterError(f"register {register!r} must be \"formal\" or \"informal\"", where, 2)
    return Letter(
        id=letter_id,
        register=register,
        title=str(meta.get("title", letter_id)),
        language=str(meta.get("language", "en")),
        date=date,
        path=path,
        fields=fields,
        placeholders=placeholders,
        plural_field=plural_field,
        plural_placeholder=plural_placeholder,
        roles={**ROLES, **extra},
        forms=_forms_from(meta, where),
    )


def _date_of(meta: dict, where: str) -> _dt.date:
    date = meta.get("date")
    if isinstance(date, str):
        try:
            date = _dt.date.fromisoformat(date)
        except ValueError:
            raise LetterError(f"date {date!r} is not an ISO date (YYYY-MM-DD)", where, 2) from None
    if not isinstance(date, _dt.date) or isinstance(date, _dt.datetime):
        raise LetterError("front matter needs date = YYYY-MM-DD", where, 2)
    return date


def _forms_from(meta: dict, where: str) -> dict[str, str]:
    from .letter_meta import forms_of_address

    return forms_of_address(meta, where)


_SPACES = re.compile(r"[ \t]+")


def _clean(text: str, where: str, line: int) -> str:
    """*text* with runs of spaces and tabs made one space, stripped; LetterError on a control
    character. A printable text holds none of ``CONTROL`` (all of them are unprintable), and
    one without a tab or two spaces in a row has no run to shorten: both tests are skipped
    then (``tests/test_letter_fastpaths.py``)."""
    if not text.isprintable():
        m = _CONTROL.search(text)
        if m:
            raise LetterError(f"control character U+{ord(m.group()):04X} in text", where, line)
    if "\t" in text or "  " in text:
        text = _SPACES.sub(" ", text)
    return text.strip()
