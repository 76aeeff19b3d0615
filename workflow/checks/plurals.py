"""Plural forms: as many as the language needs, none of them empty."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from workflow.checks.base import ERROR, Check, Unit
from workflow.checks.header import RULE_MESSAGES
from workflow.checks.messages import N_

#: GNU gettext's older Plural-Forms for languages where CLDR (and Babel) later added a
#: "many" form (one, many, other). Catalogues made by msginit still carry these; like any
#: other count than CLDR's, they pass only with a reason (REASON_HEADER): the export picks
#: forms by CLDR's categories.
GETTEXT_NPLURALS = {"fr": 2, "es": 2, "pt": 2, "it": 2, "ca": 2, "pt_BR": 2, "pt_PT": 2}
#: A catalogue that needs another nplurals than CLDR's says why in this header.
REASON_HEADER = "X-Letterflow-Plural-Forms-Reason"


@lru_cache(maxsize=128)
def expected_nplurals(language: str) -> frozenset[int]:
    """Accepted nplurals for *language* without a declared reason: CLDR's (via Babel)."""
    from babel.messages.plurals import get_plural  # Babel is light; only loaded when needed

    try:
        return frozenset({get_plural(language).num_plurals})
    except (ValueError, LookupError):
        return frozenset()


def _gnu_value(language: str, n: int) -> bool:
    return any(GETTEXT_NPLURALS.get(key) == n for key in (language, language.split("_")[0]))


def _categories(language: str) -> str:
    from babel import Locale

    try:
        tags = Locale.parse(language).plural_form.tags | {"other"}
    except (ValueError, LookupError):
        return ""
    order = ("zero", "one", "two", "few", "many", "other")
    return ", ".join(t for t in order if t in tags)


NOT_PLURAL = N_("%(n)s translations for a message that has no plural")
WRONG_COUNT = N_("%(n)s plural forms, the catalogue (%(lang)s) needs %(want)s")
EMPTY_FORMS = N_("plural form %(forms)s empty")
NPLURALS_CLDR = N_("Plural-Forms header has nplurals=%(n)s, %(lang)s needs %(want)s (CLDR); if "
                   "this is on purpose, say why in an %(header)s header")
NPLURALS_GNU = N_("Plural-Forms header has nplurals=%(n)s, %(lang)s needs %(want)s (CLDR) (GNU "
                  "gettext's older value; CLDR's categories: %(categories)s); if this is on "
                  "purpose, say why in an %(header)s header")


class PluralFormsCheck(Check):
    """Plural forms complete.

    A plural message needs exactly nplurals translated forms (from the catalogue's
    Plural-Forms header) and none may be empty once the message is translated. The
    header's nplurals must be CLDR's count for the language (via Babel), unless the
    catalogue gives its reason in an X-Letterflow-Plural-Forms-Reason header (GNU
    gettext's older nplurals=2 for fr, es, pt, it and ca included).
    The rule must parse, give a form between 0 and nplurals-1 for every n from 0 to
    10,000, and pick CLDR's form for the letter's own numbers (179 in Russian: "many").
    """

    id = "plurals"
    severity = ERROR
    needs_translation = False
    plural_only = True
    catalog_config = True
    messages = (NOT_PLURAL, WRONG_COUNT, EMPTY_FORMS, NPLURALS_CLDR, NPLURALS_GNU,
                *RULE_MESSAGES)

    def check(self, unit: Unit) -> list[str]:
        out: list[str] = []
        strings = unit.strings
        if not unit.plural:
            if len(strings) > 1:
                out.append(NOT_PLURAL % {"n": len(strings)})
            return out
        n = unit.nplurals
        if len(strings) != n:
            out.append(WRONG_COUNT % {"n": len(strings), "lang": unit.language, "want": n})
        empty = [str(i) for i, s in enumerate(strings) if not s]
        if empty and len(empty) < len(strings):
            out.append(EMPTY_FORMS % {"forms": ", ".join(empty)})
        return out

    def check_catalog(self, catalog: Any, language: str, config: Any = None) -> Iterator[str]:
        from workflow.checks.header import plural_problems

        yield from plural_problems(catalog, language, config)
        accepted = expected_nplurals(language)
        n = int(getattr(catalog, "nplurals", 0) or 0)
        reason = (getattr(catalog, "headers", None) or {}).get(REASON_HEADER, "").strip()
        if accepted and n not in accepted and not reason:
            want = " or ".join(str(x) for x in sorted(accepted))
            params = {"n": n, "lang": language, "want": want, "header": REASON_HEADER}
            if _gnu_value(language, n):
                yield NPLURALS_GNU % {**params, "categories": _categories(language)}
            else:
                yield NPLURALS_CLDR % params
