"""The Markdown-like text inside a text letter's block, parsed with markdown-it-py.

A block's lines are CommonMark (with footnotes, mdit-py-plugins), reduced to what a letter
needs; headings, quotes, code blocks, rules, raw HTML and images are switched off, so ``#``,
``>``, ``---`` or ``<b>`` are plain text:

- ``**strong**`` and ``*emphasis*``: bold and italic; ``[text](https://…)``: a hyperlink;
- `` `Human Rights Watch` `` (or ``<dnt>Human Rights Watch</dnt>``): do not translate, the
  ``<dnt>`` mark in the message (workflow/mt/protect.py, QA check ``protected``);
- a ``\\`` at the end of a line: a hard line break inside the paragraph;
- ``[^1]`` in the text and ``[^1]: note text`` (in any block): a footnote;
- lines starting ``- `` or ``1. ``: a bulleted or numbered list, one message per item.

In messages, this formatting is the numbered tags of :mod:`.markup` (the same as Word letters):
``<g1>…</g1>`` for a span, ``<x2/>`` for a line break or footnote reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import markup


@dataclass(frozen=True)
class Item:
    """One message-to-be of a block: a paragraph or a list item."""

    kind: str  # "paragraph" | "bullet" | "number"
    text: str  # tagged text
    tags: tuple[markup.Tag, ...]
    level: int = 0  # list nesting, 0 for a paragraph


@dataclass(frozen=True)
class Footnote:
    label: str
    text: str
    tags: tuple[markup.Tag, ...]


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": False}).use(footnote_plugin, inline=False)
    md.disable(["code", "fence", "blockquote", "hr", "reference", "html_block", "heading",
                "lheading", "html_inline", "image", "autolink", "entity",
                "footnote_tail"])  # keep every definition where it is, referenced or not
    return md


def footnote_labels(text: str) -> list[str]:
    """The footnote definitions (``[^label]: …``) in one block."""
    return [t.meta["label"] for t in _parser().parse(text)
            if t.type == "footnote_reference_open"]


def parse_block(text: str, labels: set[str] = frozenset()) -> tuple[list[Item], list[Footnote]]:
    """Items and footnote definitions of a block's text; *labels* are the footnotes defined
    anywhere in the letter (a reference may be in another block than its note)."""
    env = {"footnotes": {"refs": {f":{label}": -1 for label in labels}}}
    tokens = _parser().parse(text, env)
    items: list[Item] = []
    notes: list[Footnote] = []
    lists: list[str] = []
    note_label: str | None = None
    for tok in tokens:
        if tok.type == "bullet_list_open":
            lists.append("bullet")
        elif tok.type == "ordered_list_open":
            lists.append("number")
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif tok.type == "footnote_reference_open":
            note_label = tok.meta["label"]
        elif tok.type == "footnote_reference_close":
            note_label = None
        elif tok.type == "inline":
            tagged, tags = inline_tags(tok.children or [])
            if note_label is not None:
                if notes and notes[-1].label == note_label:  # a second paragraph of the note
                    continue
                notes.append(Footnote(note_label, tagged, tags))
            elif lists:
                items.append(Item(lists[-1], tagged, tags, len(lists)))
            else:
                items.append(Item("paragraph", tagged, tags))
    return items, notes


_FORMAT = {"strong_open": "bold", "em_open": "italic", "s_open": "struck"}


def inline_tags(children) -> tuple[str, tuple[markup.Tag, ...]]:
    """Inline tokens -> tagged text and its tag table."""
    out: list[str] = []
    tags: list[markup.Tag] = []
    stack: list[markup.Tag] = []
    for tok in children:
        kind = tok.type
        if kind == "text":
            out.append(markup.escape(tok.content))
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            tag = markup.Tag(len(tags) + 1, "x", code=("break",), label="line break")
            tags.append(tag)
            out.append(tag.opening)
        elif kind in _FORMAT or kind == "link_open":
            href = tok.attrs.get("href") if kind == "link_open" else None
            label = f"link to {href}" if href else _FORMAT[kind]
            tag = markup.Tag(len(tags) + 1, "g", fmt=_FORMAT.get(kind), link=href,
                             label=label)
            tags.append(tag)
            stack.append(tag)
            out.append(tag.opening)
        elif kind.endswith("_close") and kind[:-6] + "_open" in (*_FORMAT, "link_open"):
            out.append(stack.pop().closing)
        elif kind == "code_inline":  # `Human Rights Watch`: do not translate
            out.append(markup.DNT_OPEN + markup.escape(tok.content) + markup.DNT_CLOSE)
        elif kind == "footnote_ref":
            label = tok.meta["label"]
            tag = markup.Tag(len(tags) + 1, "x", code=("footnote", label),
                             label=f"footnote {label}")
            tags.append(tag)
            out.append(tag.opening)
        else:
            out.append(markup.escape(tok.content or ""))
    return "".join(out).strip(), tuple(tags)
