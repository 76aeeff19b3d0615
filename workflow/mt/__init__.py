"""Machine translation: one backend interface over Apertium (offline default), the
deep-translator clients (online) and a deterministic ``pseudo`` engine for tests.

    from workflow.mt import get_translator, MTError
    t = get_translator("apertium", config)
    t.translate_batch(["Dear {name},"], "en", "es")

Engines are imported lazily, so importing this package stays cheap.
"""

from __future__ import annotations

from ..errors import MTError
from .base import MTUnavailable, Outcome, Translator

#: Engines that need no network.
OFFLINE = ("apertium", "pseudo")
#: Engines through deep-translator (see :mod:`workflow.mt.online`).
ONLINE = ("google", "mymemory", "deepl", "microsoft", "libre", "papago")
PROVIDERS = OFFLINE + ONLINE


def get_translator(name: str | None, config: object | None = None, *, cache=None, **kwargs):
    """Return the engine *name* (default: ``cfg.mt["provider"]``, else "apertium").

    *cache* is an :class:`workflow.mt.cache.MTCache` (or None for no caching).
    Raises MTError for an unknown name, MTUnavailable when the engine cannot run here."""
    if not name:
        name = (getattr(config, "mt", {}) or {}).get("provider") or "apertium"
    name = name.strip().lower()
    if name == "apertium":
        from .apertium import ApertiumTranslator

        return ApertiumTranslator(config, cache=cache, **kwargs)
    if name == "pseudo":
        from .pseudo import PseudoTranslator

        return PseudoTranslator(config, cache=cache)
    if name in ONLINE:
        from .online import OnlineTranslator

        return OnlineTranslator(name, config, cache=cache, **kwargs)
    raise MTError(f"unknown MT provider {name!r} (known: {', '.join(PROVIDERS)})")


__all__ = [
    "MTError", "MTUnavailable", "Outcome", "Translator", "get_translator", "PROVIDERS",
    "OFFLINE", "ONLINE",
]
