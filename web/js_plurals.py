"""Counted messages that app.js shows, in every plural form of the interface language.

gettext picks a form by the catalogue's ``Plural-Forms``; the browser picks one by CLDR's
category (``Intl.PluralRules``). So each message is rendered here once per CLDR category
of the interface language, for a sample number of that category, and sent by category
(``{"one": …, "other": …}``) in the page's ``data-strings``; the count stays a ``%(n)s``
placeholder that app.js fills in."""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask_babel import ngettext

from .i18n import get_locale_name

#: Numbers tried for a category's sample (French and Spanish say "many" of millions).
_SAMPLES = (*range(0, 230), 1_000_000)


@functools.lru_cache(maxsize=64)
def category_samples(lang: str) -> tuple[tuple[str, int], ...]:
    """(CLDR plural category, the first sample number in it) for each category of *lang*."""
    from babel import Locale

    try:
        rule = Locale.parse(lang).plural_form
    except (ValueError, LookupError):
        rule = Locale("en").plural_form
    first: dict[str, int] = {}
    for n in _SAMPLES:
        first.setdefault(rule(n), n)
    return tuple(first.items())


def _by_category(render: Callable[[int], str]) -> dict[str, str]:
    return {category: render(n) for category, n in category_samples(get_locale_name())}


def js_plural(key: str) -> dict[str, str]:
    """The counted message *key* for app.js, one text per plural category."""
    if key == "export_done":
        return _by_category(lambda n: ngettext(
            "Done: letters.zip with %(n)s letter was downloaded.",
            "Done: letters.zip with %(n)s letters was downloaded.", n, n="%(n)s"))
    if key == "export_skipped":
        return _by_category(lambda n: ngettext(
            "%(n)s blocked recipient skipped: listed in manifest.json.",
            "%(n)s blocked recipients skipped: listed in manifest.json.", n, n="%(n)s"))
    raise KeyError(key)
