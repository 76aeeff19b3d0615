"""Fill untranslated messages with machine drafts, safely and resumably; back-translation.

* Only ``untranslated`` messages are drafted (``Change.only_states={"untranslated"}`` plus
  the revision the draft was based on), so approved or human-edited entries are never
  touched, even if a reviewer saves one while the run is going.
* Drafts are written as **fuzzy** entries with a provenance comment
  (``machine translation: apertium eng-spa``, ``... eng-spa + es-fr via spa``), in atomic
  batches through :func:`workflow.catalogs.apply_changes` as they complete. A run killed
  half-way keeps every batch already reported; a re-run drafts only what is still
  untranslated, and the cache makes the texts already translated free.
* A draft whose placeholders/markup the engine mangled is still written but flagged
  ``letterflow-mt-damaged`` and its note says what was lost.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from ..catalogs import Change, Message, catalog_path, load_catalog
from ..errors import MTError
from ..textrules import MT_DAMAGED_FLAG as DAMAGED_FLAG
from . import get_translator
from .base import Outcome, Translator
from .terms import Drafted, TermShield, shield_for, shielded

NOTE_PREFIX = "machine translation:"

#: progress(done, total, language): called once before any work (done=0) and after each
#: batch written to a catalogue.
Progress = Callable[[int, int, str], None]


@dataclass
class LanguageReport:
    language: str
    drafted: int = 0  # written from a fresh engine result
    cached: int = 0  # written from the cache / translation memory (no engine call)
    failed: int = 0  # the engine failed on the item; left untranslated
    skipped: int = 0  # already approved or drafted (reviewed or edited): not touched
    damaged: int = 0  # written but flagged letterflow-mt-damaged (counted in drafted/cached)
    tm: int = 0  # written from an exact translation-memory match (before any engine)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "drafted": self.drafted, "cached": self.cached, "failed": self.failed, "tm": self.tm,
            "skipped": self.skipped, "damaged": self.damaged, "errors": list(self.errors),
        }


@dataclass
class DraftReport:
    provider: str
    languages: dict[str, LanguageReport] = field(default_factory=dict)
    engine_calls: int = 0
    seconds: float = 0.0
    unsupported: list[str] = field(default_factory=list)  # languages the engine cannot reach
    routes: dict[str, str] = field(default_factory=dict)  # language -> engine that drafted it
    reasons: dict[str, str] = field(default_factory=dict)  # language -> why no engine did

    def total(self, attr: str) -> int:
        return sum(getattr(r, attr) for r in self.languages.values())

    @property
    def failed(self) -> int:
        return self.total("failed")

    def as_dict(self) -> dict:
        return {
            "provider": self.provider,
            "drafted": self.total("drafted"),
            "cached": self.total("cached"),
            "failed": self.total("failed"),
            "skipped": self.total("skipped"),
            "damaged": self.total("damaged"),
            "tm": self.total("tm"),
            "engine_calls": self.engine_calls,
            "seconds": round(self.seconds, 3),
            "languages": {k: v.as_dict() for k, v in self.languages.items()},
            "unsupported": list(self.unsupported),
            "routes": dict(self.routes),
            "reasons": dict(self.reasons),
        }


def open_cache(config: object):
    """The project's MT cache (in ``cfg.database``), or None if caching is disabled."""
    from .cache import MTCache

    mt = getattr(config, "mt", {}) or {}
    if mt.get("cache", True) is False:
        return None
    return MTCache(config.database)  # type: ignore[attr-defined]


def provenance(translator: Translator, outcome: Outcome) -> str:
    note = f"{NOTE_PREFIX} {translator.name} {outcome.route}"
    enforced = getattr(outcome, "enforced", ())
    if enforced:
        note += "; glossary terms enforced: " + ", ".join(enforced)
    if outcome.damaged:
        lost = ", ".join(outcome.damaged)
        note += f" (damaged by the engine, check: {lost})"
    return note


def _forms(singular: str, plural: str | None, nplurals: int) -> list[str]:
    if plural is None:
        return [singular]
    if nplurals <= 1:
        return [plural]
    return [singular] + [plural] * (nplurals - 1)


def _chunks(items: list, size: int | None) -> list[list]:
    if not size or size >= len(items):
        return [items] if items else []
    return [items[i : i + size] for i in range(0, len(items), size)]


@contextmanager
def _engine(config, provider: str, translator: Translator | None) -> Iterator[Translator]:
    """The given translator, or one for *provider* with its own cache (closed after)."""
    if translator is not None:
        yield translator
        return
    cache = open_cache(config)
    try:
        yield get_translator(provider, config, cache=cache)
    finally:
        cache.close()


def draft_catalogs(
    config: object,
    langs: Sequence[str] | None = None,
    provider: str | None = None,
    progress: Progress | None = None,
    *,
    translator: Translator | None = None,
    batch_size: int | None = None,
    audit: bool = True,
    shield: TermShield | None = None,
) -> DraftReport:
    """Draft every untranslated message of *langs* (default: all configured languages the
    engine can reach; the others are listed in ``report.unsupported``).

    Raises MTError if the engine cannot run at all (no key, no network, not installed) or
    offers no pair for a language named in *langs*; drafts written before stay written."""
    explicit = bool(langs)
    langs = list(langs) if langs else list(config.languages)  # type: ignore[attr-defined]
    langs = [config.check_language(lang) for lang in langs]  # type: ignore[attr-defined]
    source = config.source_language  # type: ignore[attr-defined]
    shield = shield or shield_for(config)
    with _engine(config, provider, translator) as engine:
        return _draft(config, langs, explicit, source, engine, progress, batch_size, audit,
                      shield)


def _draft(
    config, langs: list[str], explicit: bool, source: str, translator: Translator,
    progress: Progress | None, batch_size: int | None, audit: bool, shield: TermShield,
) -> DraftReport:
    start = time.perf_counter()
    report = DraftReport(provider=translator.name)
    calls_before = translator.calls
    size = batch_size or translator.batch_size

    if not explicit:
        reachable = {t for s, t in translator.supported_pairs() if s == source}
        report.unsupported = [lang for lang in langs if lang not in reachable]
        langs = [lang for lang in langs if lang in reachable]
    plan: list[tuple[str, object, list[Message]]] = []
    for lang in langs:
        path = catalog_path(config, lang)
        catalog = load_catalog(path, lang)
        rep = report.languages.setdefault(lang, LanguageReport(lang))
        todo: list[Message] = []
        for m in catalog.active():
            if m.state == "untranslated" and m.source:
                todo.append(m)
            elif m.state != "untranslated":
                rep.skipped += 1
        if todo:
            translator.route(source, lang)  # unsupported pair: fail before any work
        plan.append((lang, catalog, todo))
    if audit:
        _resume_audit(config, [lang for lang, _, _ in plan])
    total = sum(len(todo) for _, _, todo in plan)
    if progress:
        progress(0, total, langs[0] if langs else "")
    extras = _pivot_extras(translator, source, plan, size, shield)
    # pivot languages first, so their single batch also fills the cache for the others
    plan.sort(key=lambda item: item[0] not in extras)

    state = {"conn": None, "done": 0}

    def write(lang: str, catalog, batch: list[Message], outcomes: list[Outcome]) -> None:
        rep = report.languages[lang]
        changes: list[Change] = []
        kinds: dict[str, tuple[bool, bool]] = {}  # context -> (cached, damaged)
        pos = 0
        for m in batch:
            n = 2 if m.source_plural is not None else 1
            outs = outcomes[pos : pos + n]
            pos += n
            failed = [o for o in outs if o.error is not None or not o.text]
            if failed:
                rep.failed += 1
                err = failed[0].error or MTError("empty result", translator.name, source, lang,
                                                 m.source)
                rep.errors.append(f"{m.context}: {err}")
                continue
            merged = Drafted(
                text=outs[0].text,
                cached=all(o.cached for o in outs),
                damaged=tuple(dict.fromkeys(d for o in outs for d in o.damaged)),
                route=outs[0].route,
                enforced=tuple(dict.fromkeys(e for o in outs for e in getattr(o, "enforced", ()))),
            )
            strings = _forms(outs[0].text or "", outs[1].text if n == 2 else None,
                             catalog.nplurals)
            changes.append(Change(
                context=m.context,
                strings=strings,
                fuzzy=True,
                note=provenance(translator, merged),
                add_flags=frozenset({DAMAGED_FLAG}) if merged.damaged else frozenset(),
                base_revision=m.revision,
                only_states=frozenset({"untranslated"}),
            ))
            kinds[m.context] = (merged.cached, bool(merged.damaged))
        if changes:
            if audit and state["conn"] is None:
                state["conn"] = _audit_conn(config)
            conn = state["conn"] if audit else None
            result = _apply_audited(conn, translator, lang, catalog.path, changes)
            for ctx in result.applied:
                cached, damaged = kinds[ctx]
                if cached:
                    rep.cached += 1
                else:
                    rep.drafted += 1
                if damaged:
                    rep.damaged += 1
            rep.skipped += len(result.skipped) + len(result.conflicts)
        state["done"] += len(batch)
        if progress:
            progress(state["done"], total, lang)

    def translate(lang: str, batch: list[Message]) -> list[Outcome]:
        # the other languages' first leg to this (pivot) language rides along
        return shielded(translator, shield, _texts(batch) + extras.pop(lang, []), source, lang)

    jobs = _jobs(config, translator, size)
    try:
        if jobs <= 1:
            for lang, catalog, todo in plan:
                for batch in _chunks(todo, size):
                    write(lang, catalog, batch, translate(lang, batch))
        else:
            # One batch per language: run the language pairs side by side (direct pairs
            # first, then the pivoted ones, whose first leg is in the cache by then), and
            # write each catalogue from this thread as its batch completes.
            from concurrent.futures import ThreadPoolExecutor, as_completed

            direct = translator.direct_pairs()
            stages = [[p for p in plan if (source, p[0]) in direct],
                      [p for p in plan if (source, p[0]) not in direct]]
            with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="mt-draft") as ex:
                for stage in stages:
                    futures = {
                        ex.submit(translate, lang, todo): (lang, catalog, todo)
                        for lang, catalog, todo in stage if todo
                    }
                    try:
                        for fut in as_completed(futures):
                            lang, catalog, todo = futures[fut]
                            write(lang, catalog, todo, fut.result())
                    except BaseException:
                        for fut in futures:
                            fut.cancel()
                        raise
    finally:
        report.engine_calls = translator.calls - calls_before
        report.seconds = time.perf_counter() - start
        if state["conn"] is not None:
            state["conn"].close()
    return report


def _jobs(config: object, translator: Translator, size: int | None) -> int:
    """How many language pairs run side by side: only for one-batch-per-language engines
    (Apertium, pseudo) with a cache (the pivot legs are shared through it)."""
    if size is not None or translator.cache is None:
        return 1
    import os

    value = (getattr(config, "mt", {}) or {}).get("jobs", min(4, os.cpu_count() or 1))
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise MTError(f"[tool.letterflow.mt] jobs must be a whole number >= 1, not {value!r}",
                      translator.name)
    return value


def _texts(messages: Sequence[Message]) -> list[str]:
    texts: list[str] = []
    for m in messages:
        texts.append(m.source)
        if m.source_plural is not None:
            texts.append(m.source_plural)
    return texts


def _pivot_extras(
    translator: Translator, source: str, plan: list, size: int | None, shield: TermShield
) -> dict[str, list[str]]:
    """Keep Apertium at one process per language pair: the source->pivot leg of every
    pivoted language is done in one batch (with the pivot language's own drafts if it is
    being drafted too, else right here), and the cache hands it to each language."""
    if size is not None or translator.cache is None:
        return {}
    extras: dict[str, list[str]] = {}
    direct = translator.direct_pairs()
    for lang, _, todo in plan:
        if not todo:
            continue
        path = translator.route(source, lang)
        if len(path) == 3 and (source, path[1]) in direct:
            extras.setdefault(path[1], []).extend(_texts(todo))
    planned = {lang for lang, _, todo in plan if todo}
    for pivot in [p for p in extras if p not in planned]:
        shielded(translator, shield, extras.pop(pivot), source, pivot)  # fills the cache
    return extras


def _audit_conn(config: object):
    from .. import db

    try:
        return db.connect(config.database)  # type: ignore[attr-defined]
    except Exception:  # the audit trail must not make drafting impossible
        return None


def _resume_audit(config: object, langs: list[str]) -> None:
    """Record the drafts a killed run wrote but did not audit (its pending intents)."""
    conn = _audit_conn(config)
    if conn is None:
        return
    from .. import audit_intents

    try:
        for lang in langs:
            audit_intents.reconcile_stale(conn, lang, catalog_path(config, lang))
    finally:
        conn.close()


def _apply_audited(conn, translator: Translator, lang: str, path, changes: list[Change]):
    """``apply_changes`` with audit intents (see workflow.audit_intents.apply_audited)."""
    from .. import audit_intents

    return audit_intents.apply_audited(conn, f"mt:{translator.name}", lang, path, changes)


# --------------------------------------------------------------------------- back-translation


@dataclass(frozen=True)
class BackTranslation:
    text: str  # the back-translated text (first form for plurals)
    strings: tuple[str, ...]  # one per input string
    engine: str
    route: str
    cached: bool
    damaged: bool

    @property
    def note(self) -> str:
        return f"back-translation: {self.engine} {self.route}"


def back_translate(
    config: object,
    language: str,
    text: str | Sequence[str],
    *,
    provider: str | None = None,
    translator: Translator | None = None,
) -> BackTranslation | None:
    """Translate a draft or approved *text* of *language* back into the source language.

    Returns None if the engine offers no pair (direct or via the pivot table) for it.
    Results go through the same cache as drafts."""
    strings = [text] if isinstance(text, str) else list(text)
    source = config.source_language  # type: ignore[attr-defined]
    with _engine(config, provider, translator) as translator:
        try:
            translator.route(language, source)
        except MTError:
            return None
        outcomes = translator.translate_each(strings, language, source)
    for o in outcomes:
        if o.error is not None:
            raise o.error
    return BackTranslation(
        text=outcomes[0].text or "",
        strings=tuple(o.text or "" for o in outcomes),
        engine=translator.name,
        route=outcomes[0].route,
        cached=all(o.cached for o in outcomes),
        damaged=any(o.damaged for o in outcomes),
    )
