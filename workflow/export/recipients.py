"""The recipients file (``recipients.csv``) -> :class:`Recipient` records, with CLDR lookups.

Columns (header row required, any order, names case-insensitive):

=============== =========================================================================
``country``     required: ISO 3166-1 alpha-2 code of the recipient's country (``FR``)
``language``    optional: locale id (``fr``, ``pt_BR``, ``zh-Hant``); default: the first of the
                country's official languages in CLDR (by population) that has a catalogue
``name``        optional: the recipient's name (``H.E. Ms Jane Doe``)
``title``       optional: the recipient's title (``Minister for Foreign Affairs``)
``salutation``  optional: replaces the catalogue's default salutation for this recipient
``address``     optional: address lines; several lines inside one quoted cell, or columns
                ``address1``, ``address2``... (``address_line_1``... also accepted)
``email``       optional
``fallback``    optional: ``yes`` (or ``source``/``true``/``1``) lets this recipient get the
                letter in the source language when their language has no catalogue
=============== =========================================================================

Other columns are kept in :attr:`Recipient.fields` (and may fill placeholders of the same name).
Rows are numbered like a spreadsheet: the header is row 1. Blank rows are skipped. The file is
UTF-8; a UTF-8 byte-order mark (as Excel writes it) is accepted and removed, a UTF-16/UTF-32
byte-order mark or bytes that are not UTF-8 are an error naming the row.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExportError
from ..textrules import XML_ILLEGAL as _XML_ILLEGAL
from .cldr import (  # noqa: F401 -- public names of this module since the start
    default_language,
    match_language,
    normalise_language,
    official_languages,
    territory_names,
)

_TRUE = frozenset({"yes", "y", "true", "1", "source", "x"})
_FALSE = frozenset({"", "no", "n", "false", "0"})
_ADDRESS_COL = re.compile(r"^address(?:_?line)?_?(\d*)$")
_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"),
)


class RecipientsError(ExportError):
    """The recipients file is unreadable or a row is invalid; the message names the row."""

    def __init__(self, message: str, path: str | None = None, row: int | None = None):
        self.path = path
        self.row = row
        where = f"{path}: " if path else ""
        if row is not None:
            where += f"row {row}: "
        super().__init__(f"{where}{message}")


@dataclass(frozen=True)
class Recipient:
    row: int  # spreadsheet row (header = 1)
    country: str  # ISO 3166-1 alpha-2, upper case
    language: str  # locale id of the letter this recipient gets
    name: str = ""
    title: str = ""
    salutation: str = ""
    address: tuple[str, ...] = ()
    email: str = ""
    fallback: bool = False  # the file allows the source-language fallback
    source_fallback: bool = False  # the fallback is used: no catalogue for the wanted language
    wanted_language: str = ""  # the language asked for (or CLDR default) before any fallback
    fallback_reason: str = ""  # why source_fallback: "no catalogue" or "nothing translated"
    fields: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What makes two rows the same recipient."""
        return (self.country, self.language, _fold(self.name), self.email.casefold())

    @property
    def slug(self) -> str:
        """A safe, readable file name stem: ``FR-fr-jane-doe``."""
        base = f"{self.country}-{self.language}"
        name = _slug(self.name)
        return f"{base}-{name}" if name else base


def load_recipients(
    path: str | Path,
    available: Iterable[str],
    *,
    source_language: str = "en",
) -> list[Recipient]:
    """Read and validate the recipients file at *path*.

    *available* are the languages that have a catalogue; the source language is always
    available (it needs none). Raises :class:`RecipientsError` naming the first bad row.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise RecipientsError("recipients file not found", str(path)) from None
    except OSError as exc:
        raise RecipientsError(
            f"cannot read the recipients file: {exc.strerror}", str(path)
        ) from None
    return parse_recipients(raw, available, source_language=source_language, path=str(path))


def parse_recipients(
    raw: bytes,
    available: Iterable[str],
    *,
    source_language: str = "en",
    path: str = "recipients.csv",
) -> list[Recipient]:
    """Like :func:`load_recipients`, for the bytes of a recipients file."""
    text = _decode(raw, path)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = _numbered_rows(reader, path)
    if not rows:
        raise RecipientsError("the file is empty (it needs a header row with 'country')", path, 1)
    columns = _header(rows[0], path)
    table = _Table(
        path=path, columns=columns, delimiter=delimiter,
        address_cols=sorted(
            (c for c in columns if _ADDRESS_COL.match(c)),
            key=lambda c: int(_ADDRESS_COL.match(c).group(1) or 0),
        ),
        countries=territory_names(), source_language=source_language,
        available=[a for a in available if a != source_language],
    )
    out: list[Recipient] = []
    seen: dict[tuple, int] = {}
    for rowno, cells in rows[1:]:
        if not any(c.strip() for c in cells):
            continue
        table.check_shape(rowno, cells)
        recipient = table.recipient(rowno, cells)
        if recipient.key in seen:
            raise RecipientsError(
                f"duplicate recipient: same country, language, name and email as row "
                f"{seen[recipient.key]}", path, rowno,
            )
        seen[recipient.key] = rowno
        out.append(recipient)
    if not out:
        raise RecipientsError("no recipients: the file has a header row but no data rows", path)
    return out


def _decode(raw: bytes, path: str) -> str:
    """The file's text: UTF-8, an Excel BOM removed; undecodable bytes kept as surrogates
    (reported with their row by :func:`_check_text`)."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            raise RecipientsError(
                f"the file starts with a {name} byte-order mark; save it as UTF-8 (CSV UTF-8)",
                path, 1,
            )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # Excel's "CSV UTF-8" signature: harmless, removed
    text = raw.decode("utf-8", errors="surrogateescape")
    if not text.strip():
        raise RecipientsError("the file is empty (it needs a header row with 'country')", path, 1)
    return text


def _header(row: tuple[int, list[str]], path: str) -> list[str]:
    """The folded column names of the header row, checked."""
    header_row, header = row
    _check_text(header, path, header_row)
    columns = [h.strip().casefold() for h in header]
    if "country" not in columns:
        found = ", ".join(repr(c) for c in columns if c) or "none"
        raise RecipientsError(
            f"missing required column 'country' (columns found: {found})", path, header_row
        )
    dupes = sorted({c for c in columns if c and columns.count(c) > 1})
    if dupes:
        raise RecipientsError(f"column(s) given twice: {', '.join(dupes)}", path, header_row)
    return columns


@dataclass
class _Table:
    """What every row is read against: the header, the countries, the catalogues."""

    path: str
    columns: list[str]
    delimiter: str
    address_cols: list[str]
    countries: dict[str, str]
    source_language: str
    available: list[str]

    def check_shape(self, rowno: int, cells: list[str]) -> None:
        """Exactly one cell per column, and line breaks only inside address cells: a stray
        quote that swallows the rows after it fails here, naming its row."""
        path, columns = self.path, self.columns
        if len(cells) != len(columns):
            raise RecipientsError(
                f"{len(cells)} {'cell' if len(cells) == 1 else 'cells'} but the header has "
                f"{len(columns)} columns "
                f"(a stray '{self.delimiter}' or quote, or missing quotes?)", path, rowno)
        for col, cell in zip(columns, cells, strict=True):
            if ("\n" in cell or "\r" in cell) and not _ADDRESS_COL.match(col):
                first = cell.splitlines()[0] if cell.splitlines() else ""
                raise RecipientsError(
                    f"the {col or 'unnamed'} cell spans several lines ({first[:40]!r}...): "
                    "a quote opened and never closed? (line breaks are allowed only in "
                    "address cells)", path, rowno)

    def recipient(self, rowno: int, cells: list[str]) -> Recipient:
        """One data row -> :class:`Recipient`, or :class:`RecipientsError` naming the row."""
        path, columns = self.path, self.columns
        _check_text(cells, path, rowno)
        if len(cells) > len(columns):
            raise RecipientsError(
                f"{len(cells)} cells but the header has {len(columns)} columns "
                f"(a stray '{self.delimiter}' or missing quotes?)", path, rowno,
            )
        values = {c: (cells[i].strip() if i < len(cells) else "") for i, c in enumerate(columns)}
        country = values.get("country", "").upper()
        if not country:
            raise RecipientsError("the country cell is empty", path, rowno)
        if country not in self.countries:
            raise RecipientsError(
                f"unknown country code {values['country']!r} (expected an ISO 3166 alpha-2 code "
                "such as FR, KR, US)", path, rowno,
            )
        flag = values.get("fallback", "").casefold()
        if flag not in _TRUE | _FALSE:
            raise RecipientsError(
                f"fallback must be yes or no, not {values['fallback']!r}", path, rowno
            )
        fallback = flag in _TRUE
        wanted, language = self._language(rowno, country, values.get("language", ""), fallback)
        address = tuple(
            line.strip() for col in self.address_cols for line in values[col].splitlines()
            if line.strip()
        )
        known = {"country", "language", "name", "title", "salutation", "email", "fallback",
                 *self.address_cols}
        return Recipient(
            row=rowno, country=country, language=language or self.source_language,
            name=values.get("name", ""), title=values.get("title", ""),
            salutation=values.get("salutation", ""), address=address,
            email=values.get("email", ""), fallback=fallback, source_fallback=language is None,
            fallback_reason="no catalogue" if language is None else "",
            wanted_language=wanted or language or self.source_language,
            fields={c: v for c, v in values.items() if c and c not in known},
        )

    def _language(self, rowno: int, country: str, asked: str,
                  fallback: bool) -> tuple[str, str | None]:
        """(the language wanted, the catalogue language that serves it or None for the
        source-language fallback, allowed by *fallback*)."""
        source, available = self.source_language, self.available
        if asked:
            wanted = normalise_language(asked)
            if wanted is None:
                raise RecipientsError(
                    f"unsupported language {asked!r}: not a language CLDR knows "
                    "(expected a locale id such as fr, pt_BR, zh_Hant)", self.path, rowno,
                )
            language = (source if match_language(wanted, [source])
                        else match_language(wanted, available))
        else:
            offered = official_languages(country)
            wanted = offered[0] if offered else ""
            language = default_language(country, [source, *available])
        if language is None and not fallback:
            what = (f"language {wanted!r}" if asked else
                    f"the official languages of {country} ({', '.join(offered) or 'none'})")
            have = ", ".join(available) or "none"
            raise RecipientsError(
                f"unsupported language: no catalogue for {what} (catalogues: {have}); "
                "set the language column, or fallback=yes to send the source language",
                self.path, rowno,
            )
        return wanted, language


def _numbered_rows(reader, path: str) -> list[tuple[int, list[str]]]:
    """Rows with their spreadsheet row number (quoted cells may span several lines).
    Strict: a quote never closed, or text after a closing quote, is an error naming the
    row and the line it starts on."""
    rows: list[tuple[int, list[str]]] = []
    last_line = 0
    records = iter(reader)
    while True:
        try:
            cells = next(records)
        except StopIteration:
            return rows
        except csv.Error as exc:
            raise RecipientsError(f"not a valid CSV row (it starts on line {last_line + 1}): "
                                  f"{_csv_why(exc)}", path, len(rows) + 1) from None
        rows.append((len(rows) + 1, cells))
        last_line = reader.line_num


def _csv_why(exc: csv.Error) -> str:
    text = str(exc)
    if "end of data" in text:
        return "a quote is opened and never closed"
    return "text follows a closing quote (a stray quote?)" if "expected after" in text else text


def _check_text(cells: list[str], path: str, rowno: int) -> None:
    for col, cell in enumerate(cells, start=1):
        for i, ch in enumerate(cell):
            if "\udc80" <= ch <= "\udcff":
                raise RecipientsError(
                    f"bad encoding: byte 0x{ord(ch) - 0xDC00:02x} in cell {col} (position {i + 1})"
                    " is not UTF-8; save the file as UTF-8 (CSV UTF-8)", path, rowno,
                )
        m = _XML_ILLEGAL.search(cell)
        if m:
            raise RecipientsError(
                f"control character U+{ord(m.group()):04X} in cell {col}", path, rowno
            )


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^\w]+", "-", text.casefold(), flags=re.UNICODE).strip("-_")
    return text[:40].strip("-_")
