"""JSON answers of the write path: ``flask.jsonify``'s bytes, headers and status, made
without its per-call set-up.

``jsonify(data)`` goes through ``app.json.response``: a keyword dict, ``json.dumps`` with
a ``default`` hook (so a new ``JSONEncoder`` for every answer), the response class. For
Flask's own provider in its compact form (the default outside debug mode) the same
encoder is built once per setting here and reused; any other provider or setting is
``jsonify`` itself. ``tests/test_web_answers.py`` compares the two on random data."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, current_app, jsonify
from flask.json.provider import DefaultJSONProvider

_encoders: dict[tuple[Any, bool, bool], json.JSONEncoder] = {}


def json_answer(data: Any) -> Response:
    """``jsonify(data)`` for one JSON value *data*."""
    app = current_app._get_current_object()
    text = json_text(app, data)
    if text is None:
        return jsonify(data)
    return app.response_class(text, mimetype=app.json.mimetype)


def json_text(app: Any, data: Any) -> str | None:
    """The body ``jsonify(data)`` would send for *app*, or None when its provider or
    setting is not Flask's own compact one (then only ``jsonify`` itself knows)."""
    provider = app.json
    if (provider.__class__ is not DefaultJSONProvider or provider.compact is False
            or (provider.compact is None and app.debug)):
        return None
    key = (provider.default, bool(provider.ensure_ascii), bool(provider.sort_keys))
    encoder = _encoders.get(key)
    if encoder is None:
        # what json.dumps(obj, default=..., ensure_ascii=..., sort_keys=...,
        # separators=(",", ":")) builds for every call
        if len(_encoders) >= 16:
            _encoders.clear()
        encoder = _encoders[key] = json.JSONEncoder(
            default=key[0], ensure_ascii=key[1], sort_keys=key[2], separators=(",", ":"))
    return f"{encoder.encode(data)}\n"
