"""QA data for reviewers: findings of a new catalogue version from those of the version
before (only changed messages are checked again), and the glossary terms of an entry."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from ..errors import LetterflowError
from ..textrules import IGNORE_HEADER

log = logging.getLogger("letterflow.review")

Check = Callable[..., list]  # check(catalog) or check(catalog, message) -> findings


def recheck(old_cat: Any, old_findings: list, cat: Any, check: Check,
            known: dict[tuple[str, str, str], list] | None = None) -> list:
    """The findings of *cat* given *old_findings* of *old_cat*: messages whose revision,
    source and flags are unchanged keep theirs; the others are checked again (or taken
    from *known*, keyed (language, context, revision), consumed). A change of the plural
    header, the ignore list or the message order checks the whole catalogue again."""
    if (old_cat.headers.get("Plural-Forms") != cat.headers.get("Plural-Forms")
            or old_cat.headers.get(IGNORE_HEADER) != cat.headers.get(IGNORE_HEADER)
            or [m.context for m in old_cat.active()] != [m.context for m in cat.active()]):
        return check(cat)
    by_ctx: dict[str, list] = {}
    for f in old_findings:
        by_ctx.setdefault(f.context, []).append(f)
    out = list(by_ctx.get("", []))
    for m in cat.active():
        o = old_cat.get(m.context)
        same = o is m or (o is not None and o.revision == m.revision and o.source == m.source
                          and o.source_plural == m.source_plural and o.flags == m.flags)
        if same:
            out.extend(by_ctx.get(m.context, []))
            continue
        hit = known.pop((cat.language, m.context, m.revision), None) if known else None
        out.extend(hit if hit is not None else check(cat, m))
    return out


def glossary_terms(config: Any, catalog: Any, message: Any) -> list[dict[str, Any]]:
    """Glossary concepts in the message's source with their required translation and
    whether the current text uses it: [{"term", "translation", "requirement", "found"}].
    An unreadable glossary gives [] (and a log line): the gate reports it."""
    from ..checks.glossary import TextIndex, glossary_for

    try:
        glossary = glossary_for(catalog, config)
    except LetterflowError as exc:
        log.warning("glossary unavailable: %s", exc)
        return []
    if glossary is None:
        return []
    lang = catalog.language
    text = " ".join(message.strings)
    index = TextIndex(text, lang) if text.strip() else None
    out = []
    seen: set[str] = set()
    for source in (message.source, message.source_plural or ""):
        for concept in glossary.in_source(source):
            if concept.id in seen:
                continue
            seen.add(concept.id)
            out.append({
                "term": concept.name, "translation": concept.preferred(lang),
                "requirement": concept.requirement,
                "found": concept.found_in(index) if index is not None else None,
            })
    return out
