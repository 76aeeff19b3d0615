"""Small text helpers for the templates: text direction and names from CLDR, BCP 47 tags,
placeholder highlighting and the word diff as HTML (the diff itself is
``workflow.review.word_diff``)."""

from __future__ import annotations

import functools
import re
from typing import Any

from markupsafe import Markup, escape

from workflow.source.markup import TAG_RE as INLINE_TAG_RE
from workflow.source.markup import unescape as _unescape
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


def _placeholders_html(text: str) -> str:
    out: list[str] = []
    pos = 0
    for m in PLACEHOLDER_RE.finditer(text):
        out.append(str(escape(text[pos:m.start()])))
        out.append(f'<mark class="ph">{escape(m.group(0))}</mark>')
        pos = m.end()
    out.append(str(escape(text[pos:])))
    return "".join(out)


#: The #. comment that says what a numbered inline tag stands for.
_TAG_NOTE = re.compile(r"tag <([gx])(\d{1,4})[^>]*>: (.+)$")
_FMT_CLASSES = ("bold", "italic", "underline", "superscript", "subscript", "struck", "link")


def tag_labels(comments) -> dict[int, str]:
    """``{1: "bold", 2: "line break"}`` from the message's ``#. tag <g1>: bold`` comments."""
    out: dict[int, str] = {}
    for line in comments or ():
        m = _TAG_NOTE.search(line.strip())
        if m:
            out[int(m.group(2))] = m.group(3)
    return out


def highlight_placeholders(text: str | None, comments=None) -> Markup:
    """Escape *text*, wrap placeholders like ``{country}`` in ``<mark class="ph">``, and show
    numbered inline tags as chips with the formatting they stand for (bold shown bold)."""
    text = text or ""
    if "<" not in text or not INLINE_TAG_RE.search(text):
        return Markup(_placeholders_html(text))
    labels = tag_labels(comments)
    out: list[str] = []
    open_: list[str] = []
    pos = 0
    for m in INLINE_TAG_RE.finditer(text):
        out.append(_placeholders_html(_unescape(text[pos:m.start()])))
        pos = m.end()
        closing, kind, num, keep, _ = m.groups()
        label = labels.get(int(num)) or ("do not translate" if keep else "")
        title = f' title="{escape(label)}"' if label else ""
        if kind == "x":
            out.append(f'<span class="tag tag-x"{title}>{num}</span>')
        elif not closing:
            classes = " ".join(f"fmt-{w}" for w in _FMT_CLASSES if w in label)
            if keep:
                classes += " fmt-keep"
            out.append(f'<span class="tag"{title}>{num}</span><span class="fmt {classes}">')
            open_.append(num)
        elif num in open_:
            while open_:  # close what is open down to it (the QA check reports bad nesting)
                out.append("</span>")
                if open_.pop() == num:
                    break
            out.append(f'<span class="tag tag-end"{title}>/{num}</span>')
        else:
            out.append(f'<span class="tag tag-end tag-bad"{title}>/{num}</span>')
    out.append(_placeholders_html(_unescape(text[pos:])))
    out.extend("</span>" for _ in open_)
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
