"""``web.inputs.json_object`` walks a body only when its screens (bracket count, surrogate
escapes, the numbers seen while parsing) say the walk might find something: against the
rule it stands for (always walk), on hypothesis-made bodies and hand-made edge cases."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException

from web import inputs


def _always_walked(raw: bytes):
    """json_object as it was: parse, then always walk."""
    try:
        data = json.loads(raw.decode("utf-8"),
                          parse_constant=lambda c: inputs.bad(f"{c} is not JSON"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        inputs.bad("Send a JSON object (Content-Type: application/json).")
    if not isinstance(data, dict):
        inputs.bad("Send a JSON object (Content-Type: application/json).")
    inputs._walk(data, 1)
    return data


def _outcome(fn, raw: bytes):
    app = Flask(__name__)
    with app.test_request_context("/", method="POST", data=raw,
                                  content_type="application/json"):
        try:
            return "ok", fn() if fn is inputs.json_object else fn(raw)
        except HTTPException as exc:
            return exc.code, exc.description


def _same(raw: bytes) -> None:
    a, b = _outcome(inputs.json_object, raw), _outcome(_always_walked, raw)
    if a[0] == "ok" and b[0] == "ok":  # NaN != NaN: compare as JSON text
        assert json.dumps(a[1], sort_keys=True) == json.dumps(b[1], sort_keys=True)
    else:
        assert a == b, raw


values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**60), 2**60)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=4), kids,
                                                               max_size=3),
    max_leaves=30)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.text(max_size=6), values, max_size=4))
def test_screened_walk_answers_as_the_full_walk(data):
    _same(json.dumps(data).encode())
    _same(json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("raw", [
    '{"a": "x\\ud800"}', '{"a": "\\ud83d\\ude00"}', '{"a": "\\\\ud800"}', '{"\\udfff": 1}',
    '{"a": 9007199254740993}', '{"a": -9007199254740992}', '{"a": 1e999}', '{"a": -1e400}',
    '{"a": NaN}', '{"a": Infinity}', '{"a": 10000000000000000000000000000000}',
    '{"a": ' + "[" * 15 + "1" + "]" * 15 + "}", '{"a": ' + "[" * 14 + "1" + "]" * 14 + "}",
    '{"a": ' + "[" * 15 + "]" * 15 + "}", '{"a": ' + "[" * 16 + "]" * 16 + "}",
    '{"a": "' + "[" * 20 + '"}', '{"a": ' + "[" * 15 + "1e999" + "]" * 15 + "}",
    '{"a": ' + "[" * 20 + '"\\ud800"' + "]" * 20 + "}", '[1]', '"x"', "{", "",
])
def test_edge_cases(raw):
    _same(raw.encode())
