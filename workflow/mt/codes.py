"""Language codes and keys of the deep-translator services (:mod:`workflow.mt.online`).

Pure functions of the registry's :class:`~workflow.mt.registry.Service` entries, of
deep-translator's constant tables (module data that never changes in a process) and of the
environment passed in; the code tables are read once per process.
"""

from __future__ import annotations

import os
from functools import lru_cache

from .registry import Service

_SPECIAL = {
    "zh": ("zh-CN", "zh", "zh-Hans"),
    "zh_Hans": ("zh-CN", "zh", "zh-Hans"),
    "zh_Hant": ("zh-TW", "zh-Hant"),
    "he": ("he", "iw"),
    "nb": ("no", "nb"),
    "pt_BR": ("pt-BR", "pt"),
    "pt_PT": ("pt-PT", "pt"),
}


def engine_code(
    lang: str, codes: set[str] | frozenset[str] | None, overrides: dict[str, str] | None = None
) -> str | None:
    """Map a gettext locale id to one of the engine's language codes (None: not offered)."""
    base = lang.split("_")[0]
    if overrides and lang in overrides:
        return overrides[lang]
    cands = [*_SPECIAL.get(lang, ()), lang.replace("_", "-"), base, f"{base}-{base.upper()}"]
    if codes is None:
        return cands[0]
    lower = _lowered(codes) if isinstance(codes, frozenset) else {c.lower(): c for c in codes}
    for c in cands:
        if c in codes:
            return c
        if c.lower() in lower:
            return lower[c.lower()]
    for c in sorted(codes):
        if c.lower().startswith(base + "-"):
            return c
    return None


@lru_cache(maxsize=32)
def _lowered(codes: frozenset[str]) -> dict[str, str]:
    return {c.lower(): c for c in codes}


def provider_codes(provider: Service) -> frozenset[str] | None:
    """The service's language codes (None: the service is asked at run time)."""
    if provider.languages is None:
        return None
    return _codes(provider.languages, provider.codes_are_keys)


@lru_cache(maxsize=32)
def _codes(table_name: str, codes_are_keys: bool) -> frozenset[str]:
    from deep_translator import constants

    table = getattr(constants, table_name)
    return frozenset(table) if codes_are_keys else frozenset(table.values())


def missing_keys(provider: Service, env=None) -> list[str]:
    env = os.environ if env is None else env
    return [k for k in provider.keys if not env.get(k)]


def env_names(provider: Service, name: str) -> tuple[str, ...]:
    """Every environment variable an engine of *provider* reads (keys, optional settings,
    client arguments and ``LETTERFLOW_<NAME>_URL``)."""
    sources = [s[4:] if s.startswith("not ") else s for s in provider.args.values()
               if s != "@url"]
    names = [*provider.keys, *provider.optional, *sources, f"LETTERFLOW_{name.upper()}_URL"]
    return tuple(dict.fromkeys(names))


def client_kwargs(service: Service, env: dict, base_url: str | None) -> dict:
    """The client's keyword arguments from ``service.args`` (see :class:`Service`)."""
    kwargs: dict = {}
    for keyword, source in service.args.items():
        if source == "@url":
            if base_url:
                kwargs[keyword] = base_url.rstrip("/") + "/"
        elif source.startswith("not "):
            kwargs[keyword] = not env.get(source[4:])
        elif env.get(source):
            kwargs[keyword] = env[source]
    return kwargs
