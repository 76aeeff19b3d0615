"""One message's text in a letter: the translation in the plural form the count calls for (a
draft or the source text where there is none), then its placeholders filled -- letter fields,
recipient columns, CLDR-typed ``{date:…}`` / ``{number:…}`` -- with the XML-illegal
characters refused and the do-not-translate mark dropped. Used by :mod:`.model`.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from functools import lru_cache

from ..errors import ExportError
from ..textrules import XML_ILLEGAL as _XML_ILLEGAL
from ..textrules import plural_function as _compile_plural


@lru_cache(maxsize=256)
def plural_function(plural_expr: str) -> Callable[[int], int]:
    """The catalogue's ``Plural-Forms`` expression as a Python function (gettext's parser)."""
    try:
        return _compile_plural(plural_expr)
    except (ValueError, SyntaxError) as exc:
        raise ExportError(f"invalid Plural-Forms expression {plural_expr!r}: {exc}") from None


@lru_cache(maxsize=64)
def _source_plural_expr(language: str) -> str:
    from babel import Locale
    from babel.plural import to_gettext

    expr = to_gettext(Locale.parse(language).plural_form)
    return expr.split("plural=", 1)[1].rstrip(";").strip()


def plural_rule(catalog, source_language: str) -> tuple[Callable[[int], int], int]:
    """(plural form of a count, number of forms): the catalogue's, else the source's."""
    if catalog is not None:
        return plural_function(catalog.plural_expr), catalog.nplurals
    return plural_function(_source_plural_expr(source_language)), 2


def translation(block, catalog, count, plural_of, nplurals) -> tuple[str, str]:
    """(text, state) of *block*: the approved translation, a draft, or the source text."""
    forms = [block.text] if block.text_plural is None else [block.text, block.text_plural]
    if catalog is None:
        index = min(plural_of(count or 0), 1) if len(forms) > 1 else 0
        return forms[index], "source"
    message = catalog.get(block.context)
    if message is None or message.obsolete:
        index = (0 if count == 1 else 1) if len(forms) > 1 else 0
        return forms[index], "untranslated"
    state = message.state
    strings = list(message.strings)
    if block.text_plural is not None:
        index = plural_of(count if count is not None else 0)
        if not 0 <= index < max(nplurals, 1):
            raise ExportError(f"{block.context}: plural index {index} out of range")
        text = strings[index] if index < len(strings) else ""
    else:
        text = strings[0] if strings else ""
    if not text.strip():
        src_index = (0 if count == 1 else 1) if len(forms) > 1 else 0
        return forms[src_index], "untranslated"
    return text, ("approved" if state == "approved" else "draft")


def fill_placeholders(text: str, subst: Mapping[str, str], context: str, language: str) -> str:
    bad = _XML_ILLEGAL.search(text)
    if bad:
        raise ExportError(
            f"{language} {context}: control character U+{ord(bad.group()):04X} cannot go into a "
            "document (the QA check 'control characters' reports it; fix the translation)"
        )
    if "<dnt>" in text:  # the do-not-translate mark is not printed
        from ..mt.protect import strip_marks

        text = strip_marks(text)
    if "{" not in text and "}" not in text:
        return text
    out: list[str] = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise ExportError(f"{language} {context}: broken placeholder braces ({exc})") from None
    for literal, name, spec, conv in parsed:
        out.append(literal)
        if name is None:
            continue
        if spec and not conv and name in ("date", "number"):
            out.append(_typed(name, spec, context, language, subst))
            continue
        if spec or conv or name not in subst:
            raise ExportError(
                f"{language} {context}: unknown placeholder {{{name}}} "
                f"(known: {', '.join('{' + k + '}' for k in sorted(subst) if k != '__locale__')})"
            )
        out.append(subst[name])
    return "".join(out)


def _typed(name: str, spec: str, context: str, language: str, subst: Mapping[str, str]) -> str:
    """``{date:2014-12-05}`` / ``{date:2013-03}`` / ``{number:12500}`` written by CLDR."""
    import datetime as _dt

    from babel.dates import format_date, format_skeleton
    from babel.numbers import format_decimal

    from ..letter import typed_value

    locale = subst.get("__locale__", language)
    if not typed_value(name, spec):
        raise ExportError(f"{language} {context}: {{{name}:{spec}}} is not a valid {name}")
    if name == "number":
        return format_decimal(float(spec) if "." in spec else int(spec), locale=locale)
    if len(spec) == 7:
        return format_skeleton("yMMMM", _dt.date.fromisoformat(spec + "-01"), locale=locale)
    return format_date(_dt.date.fromisoformat(spec), format="long", locale=locale)
