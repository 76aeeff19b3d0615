"""The catalogue header: what the export and ``msgfmt`` need from it.

Two groups, both catalogue-level (empty context):

:func:`plural_problems` (run by the ``plurals`` check):

- the catalogue is not empty (a header entry and at least one message);
- ``Plural-Forms`` parses, its rule compiles, and for every n from 0 to 10,000 it gives an
  index between 0 and nplurals - 1;
- with CLDR's number of forms, the rule picks CLDR's form for the letter's own numbers
  (the ``[plural] field`` of each letter: 179 in Russian is "many", form 2);

:func:`header_problems` (run by :func:`workflow.status.assess` on every catalogue file,
reported as ``header`` findings by the gate, the export and the UI):

- the catalogue is not empty and not truncated to a header or to messages only;
- the charset is UTF-8 and the ``Language`` header names the catalogue's folder.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from workflow.checks.messages import N_
from workflow.textrules import plural_function

#: The rule is tried on every n in this range.
PLURAL_RANGE = range(0, 10_001)
_CHARSET = re.compile(r"charset\s*=\s*([^\s;]+)", re.I)
#: The Plural-Forms rule's problems (the plurals check's catalogue findings)
RULE_UNPARSED = N_("Plural-Forms rule %(rule)s does not parse (%(error)s)")
RULE_FAILS = N_("Plural-Forms rule fails for n=%(n)s (%(error)s)")
RULE_RANGE = N_("Plural-Forms rule gives form %(form)s for n=%(n)s, but nplurals=%(nplurals)s "
                "(forms 0-%(last)s)")
CATEGORY = N_("the letter's number %(n)s is \"%(category)s\" in %(lang)s (CLDR, form %(want)s), "
              "but Plural-Forms picks form %(got)s")
NO_NPLURALS = N_("Plural-Forms has nplurals=%(n)s")
RULE_MESSAGES = (RULE_UNPARSED, RULE_FAILS, RULE_RANGE, CATEGORY, NO_NPLURALS)
#: The header entry's problems (``workflow.status.header_findings``: check id "header")
EMPTY_FILE = N_("the catalogue is empty (no header, no messages): restore it from version "
                "control")
NO_HEADER = N_("the catalogue has no header entry (truncated?)")
NO_MESSAGES = N_("the catalogue has no messages (truncated?): restore it or run "
                 "`letterflow update`")
LANGUAGE_HEADER = N_("Language header says %(declared)s, but the catalogue is the %(lang)s one")
NO_CHARSET = N_("no charset in the Content-Type header (letterflow catalogues are UTF-8)")
NOT_UTF8 = N_("charset is %(charset)s, but letterflow reads and writes UTF-8 only: convert the "
              "file (msgconv --to-code=UTF-8) and fix the header")
HEADER_MESSAGES = (EMPTY_FILE, NO_HEADER, NO_MESSAGES, LANGUAGE_HEADER, NO_CHARSET, NOT_UTF8)


@lru_cache(maxsize=64)
def rule_problem(expr: str, nplurals: int) -> str | None:
    """Why the Plural-Forms rule *expr* is unusable with *nplurals* forms, or None."""
    try:
        func = plural_function(expr)
    except (ValueError, SyntaxError, RecursionError) as exc:
        return RULE_UNPARSED % {"rule": repr(expr), "error": exc}
    try:
        forms = set(map(func, PLURAL_RANGE))  # one C-level pass; find n only on a problem
    except Exception:  # noqa: BLE001 -- a division by zero in a rule, say
        forms = None
    if forms is not None and all(isinstance(f, int) and 0 <= f < nplurals for f in forms):
        return None
    for n in PLURAL_RANGE:
        try:
            index = int(func(n))
        except Exception as exc:  # noqa: BLE001
            return RULE_FAILS % {"n": n, "error": type(exc).__name__}
        if not 0 <= index < nplurals:
            return RULE_RANGE % {"form": index, "n": n, "nplurals": nplurals,
                                 "last": nplurals - 1}
    return None


@lru_cache(maxsize=64)
def _cldr(language: str) -> tuple[int, Any, Any] | None:
    """(CLDR's nplurals, its gettext rule, the Locale) for *language*, or None."""
    from babel import Locale
    from babel.messages.plurals import get_plural

    try:
        plural = get_plural(language)
        locale = Locale.parse(language)
    except (ValueError, LookupError):
        return None
    return plural.num_plurals, plural_function(plural.plural_expr), locale


def category_problems(catalog: Any, language: str, numbers: tuple[int, ...]) -> Iterator[str]:
    """The letter's *numbers* for which the catalogue's rule picks another form than CLDR."""
    cldr = _cldr(language)
    if cldr is None or not numbers:
        return
    count, expected, locale = cldr
    if int(getattr(catalog, "nplurals", 0) or 0) != count:
        return  # another count, declared (the plurals check): no form-by-form mapping
    try:
        func = plural_function(catalog.plural_expr)
    except (ValueError, SyntaxError):
        return
    for n in numbers:
        got, want = int(func(n)), int(expected(n))
        if got != want:
            yield CATEGORY % {"n": n, "category": locale.plural_form(n), "lang": language,
                              "want": want, "got": got}


def letter_numbers(config: Any) -> tuple[int, ...]:
    """The numbers the project's letters fill into plural messages (the letters' facts are
    kept per version of each file: ``letter_facts``)."""
    from workflow.checks.letter_facts import letter_facts

    out: set[int] = set()
    for path in getattr(config, "letters", None) or []:
        try:
            n = letter_facts(path).plural_count
        except Exception:  # noqa: BLE001 -- a bad letter is the gate's "letter" finding
            continue
        if n is not None:
            out.add(n)
    return tuple(sorted(out))


def _same_language(header: str, folder: str) -> bool:
    def norm(code: str) -> str:
        return code.strip().replace("-", "_").lower()

    return norm(header) == norm(folder)


def header_problems(catalog: Any, language: str) -> list[str]:
    """Problems of a catalogue file's header entry: empty or truncated file, charset,
    Language header (the Plural-Forms rule is the ``plurals`` check's)."""
    headers = getattr(catalog, "headers", None) or {}
    messages = getattr(catalog, "messages", None) or []
    if not headers and not messages:
        return [EMPTY_FILE]
    out: list[str] = []
    if not headers:
        out.append(NO_HEADER)
    elif not messages:
        out.append(NO_MESSAGES)
    if headers:
        out.extend(_charset(headers))
        declared = headers.get("Language", "")
        if declared.strip() and language and not _same_language(declared, language):
            out.append(LANGUAGE_HEADER % {"declared": repr(declared), "lang": language})
    return out


def plural_problems(catalog: Any, language: str, config: Any) -> Iterator[str]:
    """The Plural-Forms rule: parses, valid for 0..10,000, CLDR's form for the letter's
    numbers."""
    if "Plural-Forms" not in (getattr(catalog, "headers", None) or {}):
        return  # the rule is CLDR's own (from the language code)
    expr = getattr(catalog, "plural_expr", "") or ""
    nplurals = int(getattr(catalog, "nplurals", 0) or 0)
    if nplurals < 1:
        yield NO_NPLURALS % {"n": nplurals}
        return
    problem = rule_problem(expr, nplurals)
    if problem:
        yield problem
        return
    if config is not None:
        yield from category_problems(catalog, language, letter_numbers(config))


def _charset(headers: dict) -> Iterator[str]:
    m = _CHARSET.search(headers.get("Content-Type", ""))
    if m is None:
        yield NO_CHARSET
    elif m.group(1).strip().lower().replace("_", "-") not in ("utf-8", "utf8"):
        yield NOT_UTF8 % {"charset": m.group(1)}
