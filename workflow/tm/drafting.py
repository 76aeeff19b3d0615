"""Exact translation-memory matches as drafts, before any engine.

An untranslated message whose source (and plural source) was approved before -- in this
letter or another, or imported from TMX -- gets that translation as a fuzzy draft with the
provenance ``translation memory, 100%, from <letter>/<id>`` (a TMX unit: ``from tmx:<file>``).
Plural messages reuse only units with the same number of forms.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..catalogs import Change, load_catalog
from .store import Memory

NOTE_PREFIX = "translation memory"


def provenance(where: str, score: int = 100) -> str:
    return f"{NOTE_PREFIX}, {score}%, from {where}"


def open_memory(config: object) -> Memory:
    return Memory(config.database)  # type: ignore[attr-defined]


def fill_from_memory(config: object, langs: Sequence[str], report=None) -> int:
    """Write exact memory matches into *langs*; returns how many entries were filled.

    *report* (a :class:`workflow.mt.report.DraftReport`) gets per-language ``tm`` counts."""
    from .sync import sync_catalogs

    memory = open_memory(config)
    filled = 0
    try:
        sync_catalogs(config, memory)
        for lang in langs:
            n = _fill_language(config, memory, lang)
            filled += n
            if report is not None and n:
                from ..mt.report import LanguageReport

                report.languages.setdefault(lang, LanguageReport(lang)).tm += n
    finally:
        memory.close()
    return filled


def _fill_language(config, memory: Memory, lang: str) -> int:
    path = config.catalog(lang)
    if not path.exists():
        return 0
    catalog = load_catalog(path, lang)
    changes: list[Change] = []
    for m in catalog.active():
        if m.state != "untranslated" or not m.source:
            continue
        for unit in memory.exact(lang, m.source, m.source_plural, kind="message"):
            if m.source_plural is not None and len(unit.forms) != catalog.nplurals:
                continue
            strings = list(unit.forms) if m.source_plural is not None else [unit.target]
            changes.append(Change(
                context=m.context, strings=strings, fuzzy=True,
                note=provenance(unit.where), base_revision=m.revision,
                only_states=frozenset({"untranslated"}),
            ))
            break
    if not changes:
        return 0
    from .. import audit_intents, db

    conn = db.connect(config.database)  # type: ignore[attr-defined]
    try:  # audit intent before the write, row after: a kill leaves nothing unaudited
        audit_intents.reconcile_stale(conn, lang, path)
        result = audit_intents.apply_audited(conn, "tm", lang, path, changes)
    finally:
        conn.close()
    return len(result.applied)
