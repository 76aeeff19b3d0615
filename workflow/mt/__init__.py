"""Machine translation: one backend interface over Apertium (offline default), the
deep-translator clients (online) and a deterministic ``pseudo`` engine for tests.

    from workflow.mt import get_translator, MTError
    t = get_translator("apertium", config)
    t.translate_batch(["Dear {name},"], "en", "es")

The engines are listed once, in :mod:`workflow.mt.registry`, and imported lazily, so
importing this package stays cheap.
"""

from __future__ import annotations

from ..errors import MTError
from .base import MTUnavailable, Outcome, Translator
from .registry import NAMES as PROVIDERS
from .registry import OFFLINE, ONLINE, get_translator

__all__ = [
    "MTError", "MTUnavailable", "Outcome", "Translator", "get_translator", "PROVIDERS",
    "OFFLINE", "ONLINE",
]
