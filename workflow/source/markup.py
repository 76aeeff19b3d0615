"""The inline tag syntax of messages: ``<g1>…</g1>`` and ``<x2/>`` (plus the shared
do-not-translate mark ``<dnt>…</dnt>``, which is not numbered and is left to
``workflow/mt/protect.py`` and the ``protected`` QA check; a ``<gN translate="no">`` tag from
an older template is still read).

XLIFF 1.2's ``<g>``/``<x/>`` with the id folded into the name, so a translator sees short,
numbered codes (what Weblate's ``xml-text`` flag and Poedit treat as markup to keep). What a
number stands for lives in the letter's :class:`Tag` table, never in the message:

- :func:`encode` turns a sequence of :class:`Piece` (text with a formatting key, or a code)
  into tagged text and the tag table. Adjacent text with the same formatting is merged, and
  the paragraph's most common formatting needs no tag (tag reduction);
- :func:`parse` turns a (translated) tagged text back into a tree, checking that every tag is
  known, used once, and properly nested (:class:`MarkupError` otherwise);
- :func:`problems` is that check as one-line messages, for QA.

Literal ``<`` and ``&`` in the text are written ``&lt;`` and ``&amp;`` (XML style), ``>`` stays.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from workflow.errors import N_

#: A tag as it appears in a message.
TAG_RE = re.compile(r'<(/?)([gx])(\d{1,4})( translate="no")?\s*(/?)>')
_ENTITY = re.compile(r"&(lt|gt|amp|quot|apos);")
_ENTITY_LIKE = re.compile(r"&(?=(?:lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);)")
FLAG = "xml-text"


#: Tag problems: the markup check's findings (``workflow.checks.markup``), shown in the
#: UI's language (``workflow.checks.messages``).
NOT_IN_SOURCE = N_("tag %(tag)s is not in the source")
WRITE_AS = N_("tag %(tag)s must be written %(form)s")
TWICE = N_("tag %(tag)s appears twice")
PAIR = N_("tag %(tag)s must be a pair %(pair)s")
NOT_NESTED = N_("%(closing)s closes %(open)s: tags are not nested properly")
NOTHING = N_("nothing")
NEVER_CLOSED = N_("%(tag)s is never closed")
MISSING_TAG = N_("missing tag %(tags)s")
DNT_CHANGED = N_("do-not-translate text %(text)s was changed")
TAG_PROBLEMS = (NOT_IN_SOURCE, WRITE_AS, TWICE, PAIR, NOT_NESTED, NEVER_CLOSED, MISSING_TAG,
                DNT_CHANGED)


class MarkupError(ValueError):
    """A tagged text that cannot be turned back into formatting."""


@dataclass(frozen=True)
class Tag:
    """What one numbered tag stands for. *fmt* and *link* are opaque to this module (the
    source reader and the writer agree on them); *code* is a standalone item for ``x``."""

    number: int
    kind: str  # "g" (paired span) or "x" (standalone code)
    fmt: object = None  # formatting key of the span's text (g) or of the code (x)
    link: object = None  # hyperlink data when the span is a link
    code: object = None  # x: what to re-insert (e.g. XML elements)
    keep: bool = False  # do-not-translate span
    label: str = ""  # "bold", "link", "footnote", "break"... for the UI and comments

    @property
    def opening(self) -> str:
        if self.kind == "x":
            return f"<x{self.number}/>"
        keep = ' translate="no"' if self.keep else ""
        return f"<g{self.number}{keep}>"

    @property
    def closing(self) -> str:
        return "" if self.kind == "x" else f"</g{self.number}>"


@dataclass(frozen=True)
class Piece:
    """One item of a paragraph in order: text with its formatting, or a code."""

    text: str = ""
    fmt: object = None
    link: object = None  # items of one hyperlink share the same (hashable) link value
    code: object = None  # not None: a standalone code (break, tab, footnote reference...)
    label: str = ""
    keep: bool = False


#: The do-not-translate mark shared with MT protection and the ``protected`` QA check
#: (workflow/mt/protect.py): it stays as written, it is not one of the numbered tags.
DNT_OPEN, DNT_CLOSE = "<dnt>", "</dnt>"
_LT = re.compile(r"<(?!/?dnt>)")


def escape(text: str) -> str:
    return _LT.sub("&lt;", _ENTITY_LIKE.sub("&amp;", text))


def unescape(text: str) -> str:
    return _ENTITY.sub(lambda m: {"lt": "<", "gt": ">", "amp": "&", "quot": '"',
                                  "apos": "'"}[m.group(1)], text)


def merge(pieces: list[Piece]) -> list[Piece]:
    """Join adjacent text pieces with the same formatting and link (Word's split runs)."""
    out: list[Piece] = []
    for p in pieces:
        if p.code is None and not p.text:
            continue
        last = out[-1] if out else None
        if (last is not None and p.code is None and last.code is None and last.fmt == p.fmt
                and last.link == p.link and last.keep == p.keep):
            out[-1] = Piece(last.text + p.text, p.fmt, p.link, None, last.label, p.keep)
        else:
            out.append(p)
    return out


def base_format(pieces: list[Piece]) -> object:
    """The formatting most of the paragraph's text has (written without a tag)."""
    weight: Counter = Counter()
    for p in pieces:
        if p.code is None and p.link is None and not p.keep:
            weight[p.fmt] += len(p.text.strip()) or 0.1
    if not weight:
        weight.update(p.fmt for p in pieces if p.code is None)
    return weight.most_common(1)[0][0] if weight else None


@dataclass
class Encoded:
    text: str
    tags: tuple[Tag, ...]
    base: object
    plain: str = field(default="")  # the text without any tag


def encode(pieces: list[Piece], base: object = ...) -> Encoded:
    """Tagged text + tag table for *pieces* (merged first)."""
    pieces = merge(pieces)
    if base is ...:
        base = base_format(pieces)
    tags: list[Tag] = []
    out: list[str] = []
    plain: list[str] = []
    i = 0
    while i < len(pieces):
        p = pieces[i]
        if p.link is not None:  # one g for the whole hyperlink, nested g for other formatting
            j = i
            while j < len(pieces) and pieces[j].link == p.link:
                j += 1
            group = pieces[i:j]
            link_fmt = next((q.fmt for q in group if q.code is None), base)
            tag = Tag(len(tags) + 1, "g", link_fmt, p.link, label=_link_label(p.link))
            tags.append(tag)
            out.append(tag.opening)
            _spans(group, link_fmt, tags, out, plain)
            out.append(tag.closing)
            i = j
            continue
        _spans([p], base, tags, out, plain)
        i += 1
    return Encoded("".join(out), tuple(tags), base, "".join(plain))


def _link_label(link) -> str:
    target = dict(link).get("href") if isinstance(link, tuple) else None
    return f"link to {target}" if target else "link"


def _spans(group: list[Piece], base: object, tags: list[Tag], out: list[str],
           plain: list[str]) -> None:
    for p in group:
        if p.code is not None:
            tag = Tag(len(tags) + 1, "x", p.fmt, None, p.code, label=p.label or "code")
            tags.append(tag)
            out.append(tag.opening)
            continue
        plain.append(p.text)
        text = escape(p.text)
        if p.keep:  # do not translate: the shared <dnt> mark
            text = DNT_OPEN + text + DNT_CLOSE
        if p.fmt == base:
            out.append(text)
            continue
        tag = Tag(len(tags) + 1, "g", p.fmt, None, label=p.label or "format")
        tags.append(tag)
        out.append(tag.opening + text + tag.closing)


# --------------------------------------------------------------------------- parsing


@dataclass
class Node:
    """A parsed tagged text: text strings and child nodes; ``tag`` None for the root."""

    tag: Tag | None
    children: list = field(default_factory=list)  # str | Node


def parse(text: str, tags: tuple[Tag, ...]) -> Node:
    """Parse *text* against the tag table; :class:`MarkupError` on any tag problem."""
    table = {t.number: t for t in tags}
    root = Node(None)
    stack = [root]
    seen: set[int] = set()
    pos = 0
    for m in TAG_RE.finditer(text):
        if m.start() > pos:
            stack[-1].children.append(unescape(text[pos:m.start()]))
        pos = m.end()
        closing, kind, num, _keep, selfclose = m.groups()
        number = int(num)
        tag = table.get(number)
        if tag is None or tag.kind != kind:
            raise MarkupError(NOT_IN_SOURCE % {"tag": m.group(0)})
        if kind == "x":
            if closing or not selfclose:
                raise MarkupError(WRITE_AS % {"tag": m.group(0), "form": f"<x{number}/>"})
            if number in seen:
                raise MarkupError(TWICE % {"tag": f"<x{number}/>"})
            seen.add(number)
            stack[-1].children.append(Node(tag))
            continue
        if selfclose:
            raise MarkupError(PAIR % {"tag": m.group(0), "pair": f"<g{number}>…</g{number}>"})
        if not closing:
            if number in seen:
                raise MarkupError(TWICE % {"tag": f"<g{number}>"})
            seen.add(number)
            node = Node(tag)
            stack[-1].children.append(node)
            stack.append(node)
        else:
            if len(stack) == 1 or stack[-1].tag.number != number:
                open_ = f"<g{stack[-1].tag.number}>" if len(stack) > 1 else NOTHING
                raise MarkupError(NOT_NESTED % {"closing": f"</g{number}>", "open": open_})
            stack.pop()
    if text[pos:]:
        stack[-1].children.append(unescape(text[pos:]))
    if len(stack) > 1:
        raise MarkupError(NEVER_CLOSED % {"tag": f"<g{stack[-1].tag.number}>"})
    missing = sorted(set(table) - seen)
    if missing:
        raise MarkupError(MISSING_TAG % {"tags": " ".join(table[n].opening for n in missing)})
    return root


def problems(source: str, translation: str) -> list[str]:
    """Tag problems of *translation* against *source* (both tagged texts), one line each."""
    numbers = {}
    for m in TAG_RE.finditer(source):
        numbers.setdefault(int(m.group(3)), Tag(int(m.group(3)), m.group(2),
                                                keep=bool(m.group(4))))
    try:
        parse(translation, tuple(numbers.values()))
    except MarkupError as exc:
        return [str(exc)]
    out = []
    for tag in numbers.values():
        if tag.keep:
            want = re.search(rf'<g{tag.number} translate="no">(.*?)</g{tag.number}>', source)
            got = re.search(rf"<g{tag.number}(?: [^>]*)?>(.*?)</g{tag.number}>", translation)
            if want and got and want.group(1) != got.group(1):
                out.append(DNT_CHANGED % {"text": repr(want.group(1))})
    return out


def has_tags(text: str) -> bool:
    return "<" in text and TAG_RE.search(text) is not None


def strip_tags(text: str) -> str:
    return unescape(TAG_RE.sub("", text))
