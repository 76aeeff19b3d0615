"""The MT provider registry: the one table of engines.

A new engine is one module (a :class:`workflow.mt.base.Translator` subclass) plus one line in
:data:`PROVIDERS` below; a new deep-translator service is only a line (its client class, keys,
limits and client arguments live in its :class:`Service`). Everything else is derived from
this table: :func:`get_translator`, :data:`OFFLINE` / :data:`ONLINE`,
``workflow.mt.online.PROVIDERS``, ``letterflow providers`` and the ``--provider`` help.

This module imports no engine: each is imported on first use.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from ..errors import MTError


@dataclass(frozen=True)
class Service:
    """How :mod:`workflow.mt.online` drives one deep-translator client."""

    client: str  # deep_translator class name
    keys: tuple[str, ...] = ()  # required environment variables
    optional: tuple[str, ...] = ()  # optional environment variables
    limit: int = 5000  # characters per request
    cjk_limit: int = 5000  # ... when the source text is Chinese/Japanese/Korean
    languages: str | None = None  # deep_translator.constants table (None: ask the service)
    codes_are_keys: bool = False  # the constants table maps code -> name
    notes: str = ""
    extra: dict = field(default_factory=dict)  # locale id -> code, before the generic mapping
    #: client keyword -> where its value comes from: an environment variable (passed when
    #: set), "not VAR" (True unless VAR is set) or "@url" (the configured service URL).
    args: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ProviderSpec:
    """One engine: its name, where its class lives and what ``letterflow providers`` says."""

    name: str
    engine: str  # "module:Class", module relative to workflow.mt
    network: bool = False
    status: str = ""  # shown for a usable offline engine
    service: Service | None = None  # deep-translator details (online engines)

    @property
    def kind(self) -> str:
        return "online" if self.network else "offline"

    def engine_class(self) -> type:
        module, _, attr = self.engine.partition(":")
        if module not in _modules:
            _modules[module] = importlib.import_module(module, __package__)
        return getattr(_modules[module], attr)


#: "module" of a ProviderSpec.engine -> the imported module (a reload keeps the object)
_modules: dict = {}


def _online(name: str, service: Service) -> ProviderSpec:
    return ProviderSpec(name, ".online:OnlineTranslator", network=True, service=service)


PROVIDERS: dict[str, ProviderSpec] = {
    p.name: p
    for p in [
        ProviderSpec("apertium", ".apertium:ApertiumTranslator", status="installed"),
        ProviderSpec("pseudo", ".pseudo:PseudoTranslator", status="deterministic test engine"),
        _online("google", Service("GoogleTranslator", limit=5000, cjk_limit=1500,
                                  languages="GOOGLE_LANGUAGES_TO_CODES",
                                  notes="no key; web endpoint")),
        _online("mymemory", Service("MyMemoryTranslator", optional=("LETTERFLOW_MYMEMORY_EMAIL",),
                                    limit=500, cjk_limit=500,
                                    languages="MY_MEMORY_LANGUAGES_TO_CODES",
                                    extra={"en": "en-GB", "ar": "ar-SA"},
                                    notes="no key; optional e-mail raises the daily quota",
                                    args={"email": "LETTERFLOW_MYMEMORY_EMAIL"})),
        _online("deepl", Service("DeeplTranslator", keys=("LETTERFLOW_DEEPL_KEY",),
                                 optional=("LETTERFLOW_DEEPL_PRO",),
                                 languages="DEEPL_LANGUAGE_TO_CODE",
                                 args={"api_key": "LETTERFLOW_DEEPL_KEY",
                                       "use_free_api": "not LETTERFLOW_DEEPL_PRO"})),
        _online("microsoft", Service("MicrosoftTranslator", keys=("LETTERFLOW_MICROSOFT_KEY",),
                                     optional=("LETTERFLOW_MICROSOFT_REGION",), languages=None,
                                     extra={"zh": "zh-hans", "zh_Hans": "zh-hans",
                                            "zh_Hant": "zh-hant", "pt_BR": "pt", "pt_PT": "pt-pt",
                                            "sr": "sr-cyrl", "nb": "nb"},
                                     args={"api_key": "LETTERFLOW_MICROSOFT_KEY",
                                           "region": "LETTERFLOW_MICROSOFT_REGION"})),
        _online("libre", Service("LibreTranslator", keys=("LETTERFLOW_LIBRE_KEY",),
                                 optional=("LETTERFLOW_LIBRE_URL",),
                                 languages="LIBRE_LANGUAGES_TO_CODES",
                                 notes="self-hostable; URL from LETTERFLOW_LIBRE_URL or "
                                 "mt.libre_url",
                                 args={"api_key": "LETTERFLOW_LIBRE_KEY", "custom_url": "@url"})),
        _online("papago", Service("PapagoTranslator",
                                  keys=("LETTERFLOW_PAPAGO_ID", "LETTERFLOW_PAPAGO_SECRET"),
                                  cjk_limit=1500, languages="PAPAGO_LANGUAGE_TO_CODE",
                                  codes_are_keys=True,
                                  args={"client_id": "LETTERFLOW_PAPAGO_ID",
                                        "secret_key": "LETTERFLOW_PAPAGO_SECRET"})),
    ]
}

#: Engines that need no network.
OFFLINE = tuple(n for n, p in PROVIDERS.items() if not p.network)
#: Engines through deep-translator (see :mod:`workflow.mt.online`).
ONLINE = tuple(n for n, p in PROVIDERS.items() if p.network)
NAMES = tuple(PROVIDERS)
DEFAULT = "apertium"


def spec(name: str) -> ProviderSpec:
    """The registry entry of *name*; MTError naming the known engines if there is none."""
    try:
        return PROVIDERS[name]
    except KeyError:
        raise MTError(f"unknown MT provider {name!r} (known: {', '.join(NAMES)})") from None


def get_translator(name: str | None, config: object | None = None, *, cache=None, **kwargs):
    """Return the engine *name* (default: ``cfg.mt["provider"]``, else "apertium").

    *cache* is an :class:`workflow.mt.cache.MTCache` (or None for no caching); other keyword
    arguments go to the engine (``executable`` for Apertium, ``env``/``base_url`` online).
    Raises MTError for an unknown name, MTUnavailable when the engine cannot run here."""
    if not name:
        name = (getattr(config, "mt", {}) or {}).get("provider") or DEFAULT
    entry = spec(name.strip().lower())
    return entry.engine_class().create(entry, config, cache=cache, **kwargs)
