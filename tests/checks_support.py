"""Helpers for the QA check tests: real catalogs.Message / Catalog objects built in memory."""

from __future__ import annotations

from pathlib import Path

from workflow.catalogs import Catalog, Message
from workflow.checks import registry, run_checks
from workflow.checks.base import Problem, Unit

PLURAL_FORMS = {
    # Babel's (CLDR) Plural-Forms, as workflow.catalogs.plural_header writes them
    "fr": (3, "(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2"),
    "de": (2, "(n != 1)"),
    "ru": (
        3,
        "n % 10 == 1 && n % 100 != 11 ? 0 : n % 10 >= 2 && n % 10 <= 4 && "
        "(n % 100 < 12 || n % 100 > 14) ? 1 : 2",
    ),
    "ar": (
        6,
        "(n == 0 ? 0 : n == 1 ? 1 : n == 2 ? 2 : n % 100 >= 3 && n % 100 <= 10 ? 3 : "
        "n % 100 >= 11 && n % 100 <= 99 ? 4 : 5)",
    ),
    "ja": (1, "0"),
    "zh": (1, "0"),
    "ko": (1, "0"),
    "es": (3, "(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2)"),
    "pl": (3, "n == 1 ? 0 : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? 1 : 2"),
}


def msg(
    source: str,
    *strings: str,
    plural: str | None = None,
    context: str = "t/1",
    fuzzy: bool = False,
    flags: tuple[str, ...] = (),
    line: int = 10,
    obsolete: bool = False,
) -> Message:
    return Message(
        context=context,
        source=source,
        source_plural=plural,
        strings=tuple(strings),
        fuzzy=fuzzy,
        obsolete=obsolete,
        flags=frozenset(flags),
        line=line,
    )


def catalog(
    lang: str,
    messages: list[Message] | None = None,
    headers: dict | None = None,
    nplurals: int | None = None,
    path: str | None = None,
) -> Catalog:
    n, expr = PLURAL_FORMS.get(lang, (2, "(n != 1)"))
    return Catalog(
        path=Path(path or f"/tmp/locales/{lang}/LC_MESSAGES/letter.po"),
        language=lang,
        nplurals=nplurals if nplurals is not None else n,
        plural_expr=expr,
        headers=dict(headers or {}),
        messages=list(messages or []),
    )


def problems(
    check_id: str,
    source: str,
    *strings: str,
    lang: str = "fr",
    plural: str | None = None,
    flags: tuple[str, ...] = (),
    config=None,
    **cache,
) -> list[str]:
    """What one check says about one message (text only)."""
    m = msg(source, *strings, plural=plural, flags=flags)
    unit = Unit(m, catalog(lang, [m]), lang, config, dict(cache))
    out = []
    for p in registry[check_id].check(unit):
        out.append(p.message if isinstance(p, Problem) else p)
    return out


def findings(cat: Catalog, **kw):
    return run_checks(cat, **kw)
