"""Suggestions for one message: translation memory, then machine translation, then glossary.

* **Memory, whole message:** exact matches (100) and fuzzy matches (rapidfuzz ratio >=
  ``threshold``, 70 by default) among FTS5 candidates, each with its score, a word diff
  of the memory's source against this source, and where it came from.
* **Memory, sentences:** each sentence of the source (ICU) looked up the same way, so a
  sentence approved inside another paragraph comes back at 100.
* **Machine translation:** the cached result of every usable engine that offers the pair
  (``second_opinion=True`` asks the engines that have no cached result yet; their answers
  are cached like drafts). Glossary terms and protected text are enforced as in drafting.
* **Glossary:** the terms of the glossary found in the source, with the target term.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .match import best, score, word_diff
from .query import REQUEST_BUDGET
from .segment import sentences
from .store import Memory, Unit, key

THRESHOLD = 70.0


@dataclass
class Suggestion:
    origin: str  # "memory", "mt"
    score: float
    target: str
    forms: tuple[str, ...] = ()
    source: str = ""
    scope: str = "message"  # or "sentence"
    sentence: int = 0  # 1-based sentence of the looked-up source (scope "sentence")
    where: str = ""  # "icnk-2012/survivors", "tmx:old.tmx", the engine's route
    engine: str = ""
    approver: str = ""
    approved_at: str = ""
    cached: bool = False
    diff: list[dict] = field(default_factory=list)

    @property
    def provenance(self) -> str:
        if self.origin == "memory":
            return f"translation memory, {round(self.score)}%, from {self.where}"
        return f"machine translation: {self.engine} {self.where}"

    def as_dict(self) -> dict:
        return {
            "origin": self.origin, "score": round(self.score, 1), "target": self.target,
            "forms": list(self.forms or (self.target,)), "source": self.source,
            "scope": self.scope, "sentence": self.sentence, "where": self.where,
            "engine": self.engine, "approver": self.approver, "approved_at": self.approved_at,
            "cached": self.cached, "diff": self.diff, "provenance": self.provenance,
        }


def memory_matches(memory: Memory, lang: str, text: str, *, threshold: float = THRESHOLD,
                   limit: int = 5, kind: str | None = None, paragraph: bool = False,
                   budget: float = REQUEST_BUDGET) -> list[tuple[Unit, float]]:
    """(unit, score) for *text*: exact matches first, then fuzzy ones, best first.

    A *paragraph* (several sentences) is matched against messages only: a single sentence
    is too short to score *threshold* against it. *budget*: the estimated cost (µs) the
    candidate query may have (workflow.tm.query.plan)."""
    found: dict[int, tuple[Unit, float]] = {}
    for u in memory.exact(lang, text, kind=kind):
        found.setdefault(u.id, (u, 100.0))
    if len(found) < limit:
        kinds = (kind,) if kind else ("message",) if paragraph else ("message", "segment")
        pool = [(i, src) for i, src in
                memory.candidate_keys(lang, text, kinds=kinds, threshold=threshold,
                                      budget=budget)
                if i not in found]
        scored = [(pool[idx][0], sc) for idx, sc in
                  best(key(text), [src for _, src in pool], threshold, limit)]
        units = {u.id: u for u in memory.by_ids([i for i, _ in scored])}
        for i, sc in scored:
            if i in units:  # else removed since (a catalogue sync in another thread)
                found.setdefault(i, (units[i], sc))
    ranked = sorted(found.values(), key=lambda p: (-p[1], p[0].kind != "message"))
    return ranked[:limit]


def _from_unit(u: Unit, sc: float, text: str, scope: str = "message",
               sentence: int = 0) -> Suggestion:
    return Suggestion(
        origin="memory", score=sc, target=u.target, forms=u.forms, source=u.source,
        scope=scope, sentence=sentence, where=u.where, approver=u.approver,
        approved_at=u.approved_at, diff=[] if sc >= 100 else word_diff(u.source, text),
    )


def memory_suggestions(memory: Memory, lang: str, source: str, source_language: str,
                       threshold: float = THRESHOLD) -> list[Suggestion]:
    parts = sentences(source, source_language)
    looked = [(i, s) for i, s in enumerate(parts, start=1) if len(s.split()) >= 3]
    # the lookups share the request's candidate budget
    budget = REQUEST_BUDGET / (1 + len(looked) * (len(parts) > 1))
    out = [_from_unit(u, sc, source) for u, sc in
           memory_matches(memory, lang, source, threshold=threshold, paragraph=len(parts) > 1,
                          budget=budget)]
    if len(parts) > 1:
        for i, sent in looked:
            for u, sc in memory_matches(memory, lang, sent, threshold=threshold, limit=1,
                                        budget=budget):
                out.append(_from_unit(u, sc, sent, "sentence", i))
    return out


def mt_suggestions(config: object, lang: str, texts: list[str], *,
                   second_opinion: bool = False,
                   conn: object = None) -> tuple[list[Suggestion], dict[str, str]]:
    """Each usable engine's translation of *texts* (cached ones; with *second_opinion* the
    others are asked). Returns (suggestions, engine -> why it gave none). *conn*: an open
    connection to the project database to use (else one is opened and closed).

    The engines and the glossary shield are kept between calls, keyed on every input they
    are built from (workflow.mt.memo, workflow.mt.terms.shield_for); the texts are
    prepared (terms, protected text, placeholders masked) once for every engine."""
    from ..errors import MTError
    from ..mt.base import mask
    from ..mt.drafting import open_cache
    from ..mt.memo import config_key, engine
    from ..mt.routing import engine_names
    from ..mt.terms import shield_for, shielded

    source = config.source_language  # type: ignore[attr-defined]
    shield = shield_for(config)
    prepared = [shield.prepare(t) for t in texts]
    cores = [mask(p.text).core for p in prepared]
    key = config_key(config)
    out: list[Suggestion] = []
    skipped: dict[str, str] = {}
    cache = open_cache(config) if conn is None else _cache_on(config, conn)
    try:
        for name in engine_names(config):
            try:
                mt = engine(name, config, cache=cache, key=key)
                if (source, lang) not in mt.supported_pairs():
                    skipped[name] = f"no {source}->{lang} pair"
                    continue
                if not second_opinion and not _all_cached(mt, cores, source, lang):
                    skipped[name] = "not cached (ask for a second opinion)"
                    continue
                results = shielded(mt, shield, texts, source, lang, prepared=prepared)
            except MTError as exc:
                skipped[name] = str(exc)
                continue
            if any(r.text is None for r in results):
                skipped[name] = str(next(r.error for r in results if r.text is None))
                continue
            out.append(Suggestion(
                origin="mt", score=0.0, target=results[0].text or "",
                forms=tuple(r.text or "" for r in results), where=results[0].route,
                engine=name, cached=all(r.cached for r in results)))
    finally:
        if cache is not None and conn is None:
            cache.close()
    return out, skipped


def _cache_on(config: object, conn: object):
    """The MT cache on an open connection (None if caching is disabled)."""
    from ..mt.cache import MTCache

    if (getattr(config, "mt", {}) or {}).get("cache", True) is False:
        return None
    return MTCache(conn)  # type: ignore[arg-type]


def _all_cached(engine, cores: list[str], source: str, target: str) -> bool:
    """Whether every leg of every text is in the cache already (no engine call).
    *cores*: the prepared, masked texts (``mask(shield.prepare(t).text).core``)."""
    if engine.cache is None:
        return False
    current = list(cores)
    path = engine.route(source, target)
    for a, b in zip(path, path[1:], strict=False):
        found = engine.cache.lookup_many(engine.name, a, b, [c for c in current if c])
        if any(c and c not in found for c in current):
            return False
        current = [found.get(c, "") for c in current]
    return True


def glossary_hits(config: object, lang: str, source: str) -> list[dict]:
    from ..mt.terms import shield_for

    glossary = shield_for(config).glossary
    if glossary is None:
        return []
    return [{"id": c.id, "term": c.name, "target": c.preferred(lang),
             "requirement": c.requirement, "do_not_translate": c.dnt,
             "variants": [t.text for t in c.terms.get(lang, ())][1:]}
            for c in glossary.in_source(source)]


def suggestions(config: object, lang: str, message, *, second_opinion: bool = False,
                threshold: float = THRESHOLD, conn: object = None) -> dict:
    """Everything the review UI offers for one message (a catalogue Message). *conn*: an
    open connection to the project database (the web server's, per thread), else one is
    opened for this call."""
    from .sync import sync_catalogs

    config.check_language(lang)  # type: ignore[attr-defined]
    source_lang = config.source_language  # type: ignore[attr-defined]
    memory = Memory(conn or config.database)  # type: ignore[attr-defined]
    try:
        sync_catalogs(config, memory)
        mem = memory_suggestions(memory, lang, message.source, source_lang, threshold)
    finally:
        memory.close()
    current = message.strings[0] if message.strings else ""
    mem = [s for s in mem if not (s.where == message.context and s.target == current)]
    texts = [message.source] + ([message.source_plural] if message.source_plural else [])
    mt, skipped = mt_suggestions(config, lang, texts, second_opinion=second_opinion, conn=conn)
    return {
        "language": lang, "context": message.context, "source": message.source,
        "memory": [s.as_dict() for s in mem],
        "mt": [s.as_dict() for s in mt],
        "mt_skipped": skipped,
        "glossary": glossary_hits(config, lang, message.source),
    }


__all__ = ["Suggestion", "memory_matches", "score", "suggestions", "THRESHOLD"]
