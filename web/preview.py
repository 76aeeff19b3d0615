"""The whole-letter preview: the letter as a sample recipient reads it in one language
(date, country name and plural filled), built with workflow.export.model.build_model."""

from __future__ import annotations

import logging
import re
from typing import Any

from workflow.errors import LetterflowError

from .core import services

log = logging.getLogger("letterflow.web")
_STYLE_ATTR = re.compile(r'\sstyle="[^"]*"')


def sample_country(lang: str) -> str:
    """The country CLDR thinks most likely for *lang* (fr -> FR, ar -> EG)."""
    from babel.core import get_global

    likely = get_global("likely_subtags").get(lang) or ""
    for part in reversed(likely.split("_")):
        if len(part) == 2 and part.isalpha() and part.isupper():
            return part
    return "US"


def countries(lang: str) -> dict[str, str]:
    """ISO code -> country name in *lang*, for the recipient picker."""
    from babel import Locale

    names = Locale.parse(lang).territories
    return {c: n for c, n in sorted(names.items(), key=lambda kv: kv[1])
            if len(c) == 2 and c.isalpha()
            and c not in {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"}}


def letter_html(model: Any) -> str:
    """The letter as HTML from workflow.export.html (the same model as the .docx), minus
    its inline style attribute: the CSP forbids inline styles; static/app.css and
    /preview.css (workflow.export.html.STYLE) style it instead."""
    from workflow.export.html import render_html

    return _STYLE_ATTR.sub("", render_html(model), count=1)


def preview_css() -> str:
    from workflow.export.html import STYLE

    return STYLE


def build_preview(lang: str, country: str | None) -> tuple[Any, dict[str, str], str | None]:
    """(letter model or None, country choices, error message or None)."""
    svc = services()
    choices = countries(lang)
    if country is None or country not in choices:
        country = sample_country(lang)
    from workflow.export.run import preview_model

    try:
        # the same model `letterflow preview` and the .docx export use
        model = preview_model(svc.config, lang, country)
    except LetterflowError as exc:
        return None, choices, f"The letter cannot be rendered yet: {exc}"
    return model, choices, None
