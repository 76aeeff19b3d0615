"""Loading catalogues: bytes -> text (UTF-8) -> :class:`PoReader` -> :class:`Catalog`
with its language and Plural-Forms. Standard library only (``letterflow check`` loads it)."""

from __future__ import annotations

from pathlib import Path

from ..errors import CatalogError
from ..statmemo import FileVersion, read_with_stats
from .model import Catalog, Message, parse_plural_forms, plural_header
from .reader import read_messages


def decode(data: bytes, path: str) -> str:
    """The text of a catalogue file: UTF-8, a leading BOM dropped; else CatalogError."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError(
            "not valid UTF-8 (letterflow catalogues are UTF-8)", path, line
        ) from None


def load_catalog(path: str | Path, language: str | None = None) -> Catalog:
    """Read a .po (or .pot) file into a :class:`Catalog`; CatalogError with file:line if bad."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError("catalogue not found (run `letterflow update`)", str(path)) from None
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", str(path)) from None
    return parse_catalog(data, path, language)


def load_catalog_version(path: str | Path, language: str | None = None
                         ) -> tuple[Catalog, FileVersion]:
    """:func:`load_catalog`, and the version of the file it read (``statmemo``), for an
    in-process cache of the catalogue."""
    path = Path(path)
    try:
        data, before, after = read_with_stats(str(path))
    except FileNotFoundError:
        raise CatalogError("catalogue not found (run `letterflow update`)", str(path)) from None
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", str(path)) from None
    return parse_catalog(data, path, language), FileVersion.of_read(data, before, after)


def parse_catalog(data: bytes, path: str | Path, language: str | None = None) -> Catalog:
    """The :class:`Catalog` in *data* (the bytes of the file at *path*)."""
    path = Path(path)
    headers, messages = read_messages(decode(data, str(path)), str(path))
    return make_catalog(path, headers, messages, language)


def make_catalog(
    path: Path, headers: dict[str, str], messages: list[Message], language: str | None
) -> Catalog:
    """A :class:`Catalog` of parsed *messages*, its language and Plural-Forms from *headers*."""
    lang = language if language is not None else headers.get("Language", "")
    nplurals, expr = 2, "(n != 1)"
    pf = headers.get("Plural-Forms")
    if pf:
        try:
            nplurals, expr = parse_plural_forms(pf)
        except ValueError as exc:
            raise CatalogError(str(exc), str(path), 1) from None
    elif lang:
        nplurals, expr = parse_plural_forms(plural_header(lang))
    return Catalog(
        path=path,
        language=lang,
        nplurals=nplurals,
        plural_expr=expr,
        headers=headers,
        messages=messages,
    )


def load_template(path: str | Path) -> Catalog:
    path = Path(path)
    if not path.exists():
        raise CatalogError("template not found (run `letterflow extract`)", str(path))
    return load_catalog(path, language="")


def catalog_path(config, lang: str) -> Path:
    return config.catalog(lang)
