"""Fill untranslated messages with machine drafts, safely and resumably.

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

from ..catalogs import Change, Message, catalog_path, load_catalog
from ..errors import MTError
from ..textrules import MT_DAMAGED_FLAG as DAMAGED_FLAG
from . import get_translator
from .base import Outcome, Translator
from .report import DraftReport, LanguageReport
from .terms import Drafted, TermShield, shield_for, shielded

NOTE_PREFIX = "machine translation:"

#: progress(done, total, language): called once before any work (done=0) and after each
#: batch written to a catalogue.
Progress = Callable[[int, int, str], None]


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
def open_engine(config, provider: str | None, translator: Translator | None
                ) -> Iterator[Translator]:
    """The given translator, or one for *provider* with its own cache (closed after; none
    when ``[tool.letterflow.mt] cache = false``)."""
    if translator is not None:
        yield translator
        return
    cache = open_cache(config)
    try:
        yield get_translator(provider, config, cache=cache)
    finally:
        if cache is not None:
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
    with open_engine(config, provider, translator) as engine:
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
    plan = _plan(config, langs, source, translator, report)
    if audit:
        _resume_audit(config, [lang for lang, _, _ in plan])
    total = sum(len(todo) for _, _, todo in plan)
    if progress:
        progress(0, total, langs[0] if langs else "")
    extras = _pivot_extras(translator, source, plan, size, shield)
    # pivot languages first, so their single batch also fills the cache for the others
    plan.sort(key=lambda item: item[0] not in extras)
    write = _BatchWriter(config, translator, source, report, audit, progress, total)

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
            _run_side_by_side(plan, translate, write, jobs, translator.direct_pairs(), source)
    finally:
        report.engine_calls = translator.calls - calls_before
        report.seconds = time.perf_counter() - start
        write.close()
    return report


def _plan(config, langs: list[str], source: str, translator: Translator,
          report: DraftReport) -> list[tuple[str, object, list[Message]]]:
    """(language, catalogue, untranslated messages) per language; the others are counted as
    skipped. An unsupported pair fails here, before any work."""
    plan: list[tuple[str, object, list[Message]]] = []
    for lang in langs:
        catalog = load_catalog(catalog_path(config, lang), lang)
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
    return plan


def _run_side_by_side(plan: list, translate, write, jobs: int, direct: set, source: str) -> None:
    """One batch per language: run the language pairs side by side (direct pairs first, then
    the pivoted ones, whose first leg is in the cache by then), and write each catalogue from
    this thread as its batch completes."""
    from concurrent.futures import ThreadPoolExecutor, as_completed

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


class _BatchWriter:
    """Writes one batch of engine outcomes to its catalogue as fuzzy drafts (with audit
    intents), counts them in the report and reports progress."""

    def __init__(self, config, translator: Translator, source: str, report: DraftReport,
                 audit: bool, progress: Progress | None, total: int) -> None:
        self.config, self.translator, self.source = config, translator, source
        self.report, self.audit, self.progress, self.total = report, audit, progress, total
        self.conn = None
        self.done = 0

    def __call__(self, lang: str, catalog, batch: list[Message],
                 outcomes: list[Outcome]) -> None:
        rep = self.report.languages[lang]
        changes, kinds = self._changes(rep, lang, catalog, batch, outcomes)
        if changes:
            if self.audit and self.conn is None:
                self.conn = _audit_conn(self.config)
            conn = self.conn if self.audit else None
            result = _apply_audited(conn, self.translator, lang, catalog.path, changes)
            for ctx in result.applied:
                cached, damaged = kinds[ctx]
                if cached:
                    rep.cached += 1
                else:
                    rep.drafted += 1
                if damaged:
                    rep.damaged += 1
            rep.skipped += len(result.skipped) + len(result.conflicts)
        self.done += len(batch)
        if self.progress:
            self.progress(self.done, self.total, lang)

    def _changes(self, rep: LanguageReport, lang: str, catalog, batch: list[Message],
                 outcomes: list[Outcome]) -> tuple[list[Change], dict[str, tuple[bool, bool]]]:
        """The drafts of *batch* as changes, and context -> (cached, damaged); a failed
        message is counted and left untranslated."""
        changes: list[Change] = []
        kinds: dict[str, tuple[bool, bool]] = {}
        pos = 0
        for m in batch:
            n = 2 if m.source_plural is not None else 1
            outs = outcomes[pos : pos + n]
            pos += n
            failed = [o for o in outs if o.error is not None or not o.text]
            if failed:
                rep.failed += 1
                err = failed[0].error or MTError("empty result", self.translator.name,
                                                 self.source, lang, m.source)
                rep.errors.append(f"{m.context}: {err}")
                continue
            merged = _merged(outs)
            changes.append(Change(
                context=m.context,
                strings=_forms(outs[0].text or "", outs[1].text if n == 2 else None,
                               catalog.nplurals),
                fuzzy=True,
                note=provenance(self.translator, merged),
                add_flags=frozenset({DAMAGED_FLAG}) if merged.damaged else frozenset(),
                base_revision=m.revision,
                only_states=frozenset({"untranslated"}),
            ))
            kinds[m.context] = (merged.cached, bool(merged.damaged))
        return changes, kinds

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def _merged(outs: list[Outcome]) -> Drafted:
    """One message's outcomes (two for a plural) as one draft."""
    return Drafted(
        text=outs[0].text,
        cached=all(o.cached for o in outs),
        damaged=tuple(dict.fromkeys(d for o in outs for d in o.damaged)),
        route=outs[0].route,
        enforced=tuple(dict.fromkeys(e for o in outs for e in getattr(o, "enforced", ()))),
    )


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
