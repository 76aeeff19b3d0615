"""Engines kept between calls, for the review UI's per-request work (suggestions).

Building an engine is pure work on its inputs: the provider's language codes, the language
pairs it offers (through the pivot table), its settings, the Apertium program found on the
PATH. :func:`engine` builds one once per distinct set of inputs and hands each caller a
copy bound to the caller's cache (:meth:`workflow.mt.base.Translator.bind`: its own call
count, the memoised pairs shared). The key holds every input an engine is built from:

* the registry entry (:data:`workflow.mt.registry.PROVIDERS`) and the engine class;
* the config's ``source_language``, ``languages`` and the whole ``mt`` table, compared by
  value on every call (a config edited in place is seen);
* what the engine class says it reads besides (:meth:`Translator.memo_inputs`): the values
  of the environment variables of an online service (API keys, URLs), Apertium's PATH and
  the modification times of its folders; an engine class that says nothing is built anew
  on every call;
* :meth:`Translator.memo_valid`, asked on every hit: Apertium's program is the same file.

Apertium's installed pairs keep the discovery's own cache
(:func:`workflow.mt.apertium.list_modes`); the pairs derived from them are recomputed
whenever it answers with a new table. A constructor's MTError (no API key, a bad setting) is
a function of the same inputs: it is kept too, and a copy raised on every call.
"""

from __future__ import annotations

import copy
import threading

from ..errors import MTError
from .base import Translator
from .registry import spec

_LIMIT = 64  # kept engines (several configs, key changes); all dropped when reached
_engines: dict[tuple, tuple] = {}  # key -> (registry entry, engine or its MTError)
_lock = threading.Lock()


def freeze(value: object) -> object:
    """A hashable value equal for equal TOML-like data (dicts, lists, scalars)."""
    if isinstance(value, dict):
        return ("{", tuple((k, freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return ("[", tuple(freeze(v) for v in value))
    if isinstance(value, set | frozenset):
        return ("(", frozenset(freeze(v) for v in value))
    if isinstance(value, str | int | float | bool | type(None)):
        return (type(value), value)
    return (type(value), repr(value))


def config_key(config: object) -> tuple:
    """What an engine reads of *config*, as a hashable value (see the module docstring)."""
    return (getattr(config, "source_language", None),
            tuple(getattr(config, "languages", None) or ()),
            freeze(dict(getattr(config, "mt", {}) or {})))


def engine(name: str, config: object, *, cache=None, key: tuple | None = None) -> Translator:
    """The engine *name* for *config* on *cache*, as ``get_translator(name, config,
    cache=cache)`` would build it now. *key*: ``config_key(config)`` when the caller asks
    for several engines at once. Raises what the constructor raises."""
    entry = spec(name.strip().lower())
    cls = entry.engine_class()
    inputs = cls.memo_inputs(entry, config)
    if inputs is None:
        return cls.create(entry, config, cache=cache)
    # the registry entry by identity (a ProviderSpec holds dicts: not hashable); the kept
    # pair holds the entry, so its id is not reused while it is kept
    full = (id(entry), cls, config_key(config) if key is None else key, inputs)
    kept = _engines.get(full)
    if kept is None or kept[0] is not entry or (
            isinstance(kept[1], Translator) and not kept[1].memo_valid()):
        try:
            kept = (entry, cls.create(entry, config, cache=None))
        except MTError as exc:  # no key, a bad setting: a function of the key too
            kept = (entry, exc.with_traceback(None))
        with _lock:
            if len(_engines) >= _LIMIT:
                _engines.clear()
            _engines[full] = kept
    if isinstance(kept[1], MTError):
        raise copy.copy(kept[1])  # a fresh exception (same type, message, fields) per call
    return kept[1].bind(cache)


def clear() -> None:
    """Forget every kept engine (tests)."""
    with _lock:
        _engines.clear()
