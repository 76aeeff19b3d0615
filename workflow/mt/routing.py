"""Engine routing: which MT engine drafts which language, and one draft run over all.

Configuration (``[tool.letterflow.mt]``)::

    provider = "apertium"                 # the default engine
    [tool.letterflow.mt.routes]           # language -> engine, or a list tried in order
    ar = "libre"
    de = ["deepl", "libre"]
    default = "apertium"                  # optional: overrides provider

A language goes to the first engine of its route that can run here (installed, key set)
and offers the pair source -> language (directly or through the pivot table). A language
no engine offers is listed with the reason, not an error: ``letterflow draft`` drafts
everything it can and exits 0. ``--provider NAME`` sends every language to that engine.

Before any engine, exact matches from the translation memory fill untranslated messages
(:func:`workflow.tm.drafting.fill_from_memory`), for every requested language, engine or
not. Engines are asked for by name through :func:`workflow.mt.get_translator`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field

from ..errors import ConfigError, MTError
from .base import MTUnavailable, Translator
from .drafting import Progress, draft_catalogs, open_cache
from .report import DraftReport, LanguageReport
from .terms import shield_for

ROUTES_KEY = "routes"


def route_names(config: object, lang: str, provider: str | None = None) -> list[str]:
    """The engines to try for *lang*, in order."""
    if provider:
        return [provider.strip().lower()]
    mt = getattr(config, "mt", {}) or {}
    routes = mt.get(ROUTES_KEY, {}) or {}
    if not isinstance(routes, dict):
        raise ConfigError("[tool.letterflow.mt] routes must be a table: language -> engine")
    default = routes.get("default") or mt.get("provider") or "apertium"
    value = routes.get(lang, default)
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise ConfigError(f"[tool.letterflow.mt] routes: {lang} must name an engine or a "
                          f"list of engines, not {value!r}")
    return [n.strip().lower() for n in names]


def engine_names(config: object) -> list[str]:
    """Every engine a second opinion may ask: the known providers, without the ``pseudo``
    test engine unless the project routes to it."""
    from .registry import PROVIDERS

    mt = getattr(config, "mt", {}) or {}
    routed = {str(mt.get("provider") or "apertium").lower()}
    for value in (mt.get(ROUTES_KEY) or {}).values():
        routed.update([value] if isinstance(value, str) else list(value))
    return [n for n in PROVIDERS if n != "pseudo" or n in routed]


@dataclass
class RoutePlan:
    """engine name -> its languages; languages no engine offers -> why."""

    engines: dict[str, list[str]] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    errors: list[MTError] = field(default_factory=list)  # engines that cannot run here


def plan_routes(
    config: object, langs: Sequence[str], provider: str | None,
    make: Callable[[str], Translator],
) -> tuple[RoutePlan, dict[str, Translator]]:
    """Assign each language to an engine. *make(name)* builds (or raises for) an engine;
    an unknown engine name is a ConfigError/MTError raised at once."""
    source = config.source_language  # type: ignore[attr-defined]
    routes = (getattr(config, "mt", {}) or {}).get(ROUTES_KEY) or {}
    for lang in routes if isinstance(routes, dict) else ():
        if lang != "default" and lang not in config.languages:  # type: ignore[attr-defined]
            raise ConfigError(f"[tool.letterflow.mt] routes: {lang!r} is not a configured "
                              "language")
    plan = RoutePlan()
    engines: dict[str, Translator] = {}
    broken: dict[str, MTError] = {}
    for lang in langs:
        why: list[str] = []
        for name in route_names(config, lang, provider):
            if name in broken:
                why.append(str(broken[name]))
                continue
            if name not in engines:
                try:
                    engines[name] = make(name)
                except MTUnavailable as exc:
                    broken[name] = exc
                    plan.errors.append(exc)
                    why.append(str(exc))
                    continue
            if (source, lang) in engines[name].supported_pairs():
                plan.engines.setdefault(name, []).append(lang)
                break
            why.append(f"{name} offers no {source}->{lang} pair")
        else:
            plan.reasons[lang] = "; ".join(dict.fromkeys(why))
    return plan, engines


def draft_routed(
    config: object,
    langs: Sequence[str] | None = None,
    provider: str | None = None,
    progress: Progress | None = None,
    *,
    batch_size: int | None = None,
    memory: bool = True,
) -> DraftReport:
    """Fill every requested language (default: all configured) from the translation
    memory, then with the engine its route names; list the languages left with a reason.

    Raises the engine's MTError only when nothing at all could be drafted because of it
    (no engine usable, key refused, no network)."""
    langs = list(langs) if langs else list(config.languages)  # type: ignore[attr-defined]
    langs = [config.check_language(lang) for lang in langs]  # type: ignore[attr-defined]
    shield = shield_for(config)
    report = DraftReport(provider="")
    filled = 0
    if memory:
        from ..tm.drafting import fill_from_memory

        filled = fill_from_memory(config, langs, report)
    with ExitStack() as stack:
        cache = open_cache(config)
        if cache is not None:
            stack.callback(cache.close)
        from . import get_translator

        plan, engines = plan_routes(
            config, langs, provider, lambda name: get_translator(name, config, cache=cache))
        report.reasons.update(plan.reasons)
        failures: list[MTError] = []
        step = _Progress(progress)
        ran = 0
        for name, group in plan.engines.items():
            step.next_group()
            try:
                part = draft_catalogs(config, group, progress=step, translator=engines[name],
                                      batch_size=batch_size, shield=shield)
            except MTError as exc:
                failures.append(exc)
                for lang in group:
                    report.reasons[lang] = str(exc)
                continue
            ran += 1
            _merge(report, part, name)
    report.provider = "+".join(dict.fromkeys(report.routes.values())) or (
        provider or next(iter(plan.engines), "") or _default_name(config))
    report.unsupported = [lang for lang in langs if lang in report.reasons]
    errors = failures + plan.errors
    if errors and not ran and not filled:
        raise errors[0]
    return report


class _Progress:
    """One progress line over several engines' runs (each counts from 0)."""

    def __init__(self, progress: Progress | None):
        self.progress = progress
        self.base_done = self.base_total = self.done = self.total = 0

    def next_group(self) -> None:
        self.base_done, self.base_total = self.done, self.total

    def __call__(self, done: int, total: int, lang: str) -> None:
        self.done, self.total = self.base_done + done, self.base_total + total
        if self.progress:
            self.progress(self.done, self.total, lang)


def _default_name(config: object) -> str:
    return ((getattr(config, "mt", {}) or {}).get("provider") or "apertium").lower()


def _merge(report: DraftReport, part: DraftReport, engine: str) -> None:
    for lang, rep in part.languages.items():
        mine = report.languages.setdefault(lang, LanguageReport(lang))
        mine.drafted += rep.drafted
        mine.cached += rep.cached
        mine.failed += rep.failed
        mine.damaged += rep.damaged
        mine.errors.extend(rep.errors)
        # entries the memory filled were counted there, not as "skipped" here
        mine.skipped += max(0, rep.skipped - mine.tm)
        report.routes[lang] = engine
    report.engine_calls += part.engine_calls
    report.seconds += part.seconds
