"""The localised letter model -> HTML, for the preview (CLI and web UI).

The same :class:`~workflow.export.model.LetterModel` the .docx is made from, so the preview
and the document cannot drift apart. Every text is escaped; the fragment carries ``lang`` and
``dir`` and per-role classes, unapproved paragraphs are marked as in the .docx, and
untranslated ones (the source text) carry the source language's ``lang`` and ``dir``.
"""

from __future__ import annotations

from html import escape

from ..textrules import DRAFT_BANNER, UNREVIEWED_MARK, UNTRANSLATED_MARK
from .model import LetterModel

STYLE = """\
.lf-letter{font-family:var(--lf-font);max-width:42em;margin:1em auto;padding:2.5em;
 background:#fff;color:#111;box-shadow:0 0 .4em #999;line-height:1.45}
.lf-letter.paper-A4{aspect-ratio:210/297}.lf-letter.paper-Letter{aspect-ratio:216/279}
.lf-letter p{margin:0 0 .6em}.lf-letter .role-body{text-align:justify}
.lf-letter .role-sender,.lf-letter .role-place,.lf-letter .role-recipient,
.lf-letter .role-address{margin:0}
.lf-letter .role-salutation,.lf-letter .role-closing{margin:1em 0}
.lf-letter .role-signature{margin-top:1.5em}.lf-letter .role-cc{margin-top:2em;font-size:.85em}
.lf-draft-banner{text-align:center;color:#c00000;font-weight:bold;font-family:sans-serif}
.lf-letter .unapproved{background:#ffff8c}
.lf-letter .lf-link{color:#0550ae;text-decoration:underline}
.lf-letter .unapproved-mark{color:#c00000;font-weight:bold;unicode-bidi:isolate}
"""


_HTML_FORMATS = (("bold", "strong"), ("italic", "em"), ("underline", "u"),
                 ("superscript", "sup"), ("subscript", "sub"), ("struck", "s"))


def _inline_html(text: str, tags) -> str:
    """Tagged text (Word letters) as HTML with the formatting the tags stand for."""
    from ..source import markup

    try:
        tree = markup.parse(text, tags)
    except markup.MarkupError:
        return escape(markup.strip_tags(text))
    return _node_html(tree)


def _node_html(node) -> str:
    out = []
    for child in node.children:
        if isinstance(child, str):
            out.append(escape(child).replace("\n", "<br>"))
            continue
        tag = child.tag
        if tag.kind == "x":
            label = tag.label
            if label == "line break":
                out.append("<br>")
            elif label == "tab":
                out.append("\t")
            elif label in ("footnote", "endnote"):
                out.append(f'<sup class="lf-note-ref" title="{label}">*</sup>')
            continue
        inner = _node_html(child)
        for word, element in _HTML_FORMATS:
            if word in tag.label:
                inner = f"<{element}>{inner}</{element}>"
        if tag.link is not None:
            inner = f'<span class="lf-link">{inner}</span>'
        out.append(inner)
    return "".join(out)


def render_html(model: LetterModel, *, standalone: bool = False) -> str:
    """HTML for *model*: a ``<article>`` fragment, or a whole page with ``standalone=True``."""
    fonts = [model.fonts.east_asia, model.fonts.complex, model.fonts.latin, "serif"]
    font_css = ", ".join(f"'{f}'" if f != "serif" else f for f in fonts if f)
    parts = [
        f'<article class="lf-letter paper-{escape(model.paper)}" lang="{escape(model.lang_tag)}"'
        f' dir="{escape(model.direction)}" style="--lf-font: {escape(font_css)}"'
        f' data-letter="{escape(model.letter_id)}" data-country="{escape(model.country)}">'
    ]
    if model.draft:
        parts.append(f'<div class="lf-draft-banner" lang="en" dir="ltr">{DRAFT_BANNER}</div>')
    for p in model.paragraphs:
        classes = f"role-{escape(p.role)}"
        attrs = f' data-state="{escape(p.state)}"'
        if p.context:
            attrs += f' data-context="{escape(p.context)}"'
        body = _inline_html(p.text, p.tags) if p.tags else escape(p.text)
        if p.language is not None:  # the source text: its own language and direction
            from babel import Locale

            lang = p.language.replace("_", "-")
            direction = Locale.parse(p.language).text_direction
            parts.append(
                f'<p class="{classes} unapproved untranslated"{attrs} lang="{escape(lang)}"'
                f' dir="{escape(direction)}"><span class="unapproved-mark" lang="en" dir="ltr">'
                f"{UNTRANSLATED_MARK}</span> {body}</p>")
        elif p.approved:
            parts.append(f'<p class="{classes}"{attrs}>{body}</p>')
        else:
            parts.append(
                f'<p class="{classes} unapproved"{attrs}>'
                f'<span class="unapproved-mark" lang="en" dir="ltr">{UNREVIEWED_MARK}</span> '
                f"{body}</p>"
            )
    parts.append("</article>")
    fragment = "\n".join(parts)
    if not standalone:
        return fragment
    title = f"{model.title} \u2014 {model.country_name} ({model.language})"
    return (
        "<!doctype html>\n"
        f'<html lang="{escape(model.lang_tag)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>\n"
        f'<body style="background:#eee">\n{fragment}\n</body></html>\n'
    )
