"""Digits in the locale's default numbering system (CLDR ``defaultNumberingSystem``).

Babel formats the symbols of a numbering system (the Arabic group separator "٬") but always
writes ASCII digits, and ``format_date`` knows no numbering system at all. CLDR says ar_EG and
ar_SA write Arabic-Indic digits (``arab``), fa writes ``arabext``, ar_MA and ar (MSA default)
Latin: :func:`localise_digits` turns the ASCII digits of a formatted text into the digits of
the locale's default system, :func:`format_number` formats a number that way.
"""

from __future__ import annotations

from functools import lru_cache

#: numbering system -> its digit zero (the digits are the ten code points from it; Unicode
#: encodes every decimal digit set in order). CLDR numberingSystems.xml, numeric type.
DIGIT_ZERO = {
    "latn": "0", "arab": "\u0660", "arabext": "\u06f0", "deva": "\u0966", "beng": "\u09e6",
    "guru": "\u0a66", "gujr": "\u0ae6", "orya": "\u0b66", "tamldec": "\u0be6",
    "telu": "\u0c66", "knda": "\u0ce6", "mlym": "\u0d66", "thai": "\u0e50", "laoo": "\u0ed0",
    "tibt": "\u0f20", "mymr": "\u1040", "khmr": "\u17e0", "mong": "\u1810", "fullwide": "\uff10",
}


@lru_cache(maxsize=256)
def numbering_system(locale_id: str) -> str:
    """CLDR's default numbering system for *locale_id* (``ar_EG`` -> ``arab``)."""
    from babel import Locale

    return Locale.parse(locale_id).default_numbering_system or "latn"


@lru_cache(maxsize=64)
def _table(system: str) -> dict[int, str] | None:
    zero = DIGIT_ZERO.get(system)
    if zero is None or zero == "0":
        return None
    return {ord("0") + i: chr(ord(zero) + i) for i in range(10)}


def localise_digits(text: str, locale_id: str) -> str:
    """*text* with its ASCII digits written in the locale's default numbering system."""
    table = _table(numbering_system(locale_id))
    return text.translate(table) if table else text


def format_number(value, locale_id: str) -> str:
    """A number formatted by CLDR (symbols and digits of the default numbering system)."""
    from babel.numbers import format_decimal

    text = format_decimal(value, locale=locale_id, numbering_system="default")
    return localise_digits(text, locale_id)
