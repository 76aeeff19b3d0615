"""Small text helpers for the templates: text direction and names from CLDR, BCP 47 tags,
placeholder highlighting and the word diff as HTML (the diff itself is
``workflow.review.word_diff``)."""

from __future__ import annotations

import functools
from typing import Any

from markupsafe import Markup, escape

from workflow.textrules import PLACEHOLDER_DISPLAY as PLACEHOLDER_RE


@functools.lru_cache(maxsize=256)
def direction(lang: str) -> str:
    """"rtl" or "ltr" from CLDR."""
    from babel import Locale

    try:
        return Locale.parse(lang).text_direction
    except (ValueError, LookupError):
        return "ltr"


@functools.lru_cache(maxsize=256)
def language_name(lang: str) -> str:
    from babel import Locale

    try:
        return Locale.parse(lang).get_display_name("en") or lang
    except (ValueError, LookupError):
        return lang


def bcp47(lang: str) -> str:
    """gettext id -> HTML lang attribute (``pt_BR`` -> ``pt-BR``)."""
    return lang.replace("_", "-")


def highlight_placeholders(text: str | None) -> Markup:
    """Escape *text* and wrap placeholders like ``{country}`` in ``<mark class="ph">``."""
    out: list[str] = []
    pos = 0
    text = text or ""
    for m in PLACEHOLDER_RE.finditer(text):
        out.append(str(escape(text[pos:m.start()])))
        out.append(f'<mark class="ph">{escape(m.group(0))}</mark>')
        pos = m.end()
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


_DIFF_TAGS = {"=": ("", ""), "-": ("<del>", "</del>"), "+": ("<ins>", "</ins>")}


def word_diff(old: str | None, new: str | None) -> Markup:
    """An escaped word diff: removed words in ``<del>``, added ones in ``<ins>``."""
    from workflow.review import word_diff as diff_ops

    out: list[Any] = []
    for op, text in diff_ops(old, new):
        start, end = _DIFF_TAGS[op]
        out.append(f"{start}{escape(text)}{end}")
    return Markup("".join(out))
