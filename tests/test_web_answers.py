"""Fast paths of the write answer's Flask side, each compared with the rule it replaces:
``web.answers.json_answer`` with ``flask.jsonify`` (bytes, headers, status), and the CSRF
check's exemption test (``MaskedCSRFProtect._exempt``) with Flask-WTF's ``_is_exempt``."""

from __future__ import annotations

from flask import Blueprint, Flask, jsonify
from hypothesis import given, settings
from hypothesis import strategies as st

from web.answers import json_answer
from web.security import MaskedCSRFProtect

_json = st.recursive(
    st.none() | st.booleans() | st.integers(-2**60, 2**60) | st.floats(allow_nan=False)
    | st.text(),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids,
                                                              max_size=4),
    max_leaves=20)


def _same(app: Flask, data) -> None:
    with app.test_request_context("/"):
        want, got = jsonify(data), json_answer(data)
        assert got.get_data() == want.get_data()
        assert got.status == want.status
        assert list(got.headers.items()) == list(want.headers.items())


@settings(max_examples=300, deadline=None)
@given(data=_json)
def test_json_answer_is_jsonify(data):
    _same(Flask("plain"), data)


def test_json_answer_follows_the_provider_settings():
    import datetime
    import decimal
    import uuid

    odd = {"when": datetime.date(2026, 11, 30), "n": decimal.Decimal("1.5"),
           "id": uuid.UUID(int=7), "é": ["ü", "\u2028", "\ud7ff"], "b": 2, "a": 1}
    app = Flask("settings")
    _same(app, odd)
    app.json.sort_keys = False
    _same(app, odd)
    app.json.ensure_ascii = False
    _same(app, odd)
    app.debug = True  # indented, as jsonify does in debug mode
    _same(app, odd)
    app.debug = False
    app.json.compact = False
    _same(app, odd)
    app.json.compact = True
    app.debug = True
    _same(app, odd)


def _csrf_app() -> tuple[Flask, MaskedCSRFProtect]:
    app = Flask("exempt")
    app.config["SECRET_KEY"] = "k"
    csrf = MaskedCSRFProtect(app)
    free, kept = Blueprint("free", __name__), Blueprint("kept", __name__)

    @free.post("/free/a")
    def a():
        return "a"

    @kept.post("/kept/b")
    def b():
        return "b"

    @kept.post("/kept/c")
    def c():
        return "c"

    @app.post("/d")
    def d():
        return "d"

    csrf.exempt(free)
    csrf.exempt(c)
    app.register_blueprint(free)
    app.register_blueprint(kept)
    return app, csrf


def test_the_exemption_test_is_flask_wtfs():
    app, csrf = _csrf_app()
    seen = []
    for path in ("/free/a", "/kept/b", "/kept/c", "/d", "/nowhere"):
        with app.test_request_context(path, method="POST") as ctx:
            try:
                ctx.match_request()
            except Exception:  # noqa: BLE001 - the 404 route has no endpoint
                pass
            from flask import current_app, request

            got = csrf._exempt(request._get_current_object(), current_app._get_current_object())
            assert got == csrf._is_exempt()
            seen.append(got)
    assert seen == [True, False, True, False, False]


def test_services_is_the_apps_own(app):
    import pytest

    from web.core import services

    with app.test_request_context("/"):
        from flask import current_app

        assert services() is current_app.extensions["letterflow"]
    with app.app_context():
        assert services() is app.extensions["letterflow"]
    with pytest.raises(RuntimeError):
        services()


def test_as_path_is_path(tmp_path):
    from pathlib import Path, PurePosixPath

    from workflow.fileio import as_path, lock_path

    p = tmp_path / "fr.po"
    assert as_path(p) is p  # a Path is not parsed again
    for raw in (str(p), PurePosixPath(p), p):
        got = as_path(raw)
        assert type(got) is type(Path(raw)) and got == Path(raw)
        assert lock_path(raw) == Path(raw).with_name("fr.po.lock")
