"""``web.fastwrite``: the JSON write API's plain requests answered below Flask, compared
with the Flask path. Two apps over identical copies of one project get the same requests
in the same order: one with the fast layer, one without it (Flask answers everything).
Status, headers and body must be equal for every kind of request, plain or not, and the
fast layer must really have answered the plain ones."""

from __future__ import annotations

import gzip
import json
import shutil
import time

import pytest
from conftest import WEB_USERS
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.middleware.proxy_fix import ProxyFix

from web import create_app
from web.fastwrite import FastWrites

CTX = "icnk-2012/camps"
OTHER = "icnk-2012/survivors"


class Pair:
    """The same client steps against the fast app and the Flask-only app."""

    def __init__(self, fast_root, slow_root, monkeypatch, config: dict | None = None):
        cfg = {"SECRET_KEY": "k" * 32, **(config or {})}
        self.fast = create_app(project_dir=fast_root, test_config=cfg)
        self.slow = create_app(project_dir=slow_root, test_config=cfg)
        # SecurityHeaders(FastWrites(Flask.wsgi_app)), inside ProxyFix when TRUSTED_PROXIES
        outer = self.slow.wsgi_app
        if isinstance(outer, ProxyFix):
            outer = outer.app
        layer = outer.wsgi_app
        assert isinstance(layer, FastWrites)
        outer.wsgi_app = layer.wsgi_app  # the Flask path only
        self.answered = 0
        real = FastWrites._answer

        def counted(layer, *args, **kwargs):
            if layer.app is self.fast:
                self.answered += 1
            return real(layer, *args, **kwargs)

        monkeypatch.setattr(FastWrites, "_answer", counted)
        self.clients = {}
        self.base = {}

    def login(self, who: str, name: str, base_url: str = "http://localhost") -> None:
        self.base[who] = base_url
        for kind, app in (("fast", self.fast), ("slow", self.slow)):
            c = app.test_client()
            c.environ_base.update({"HTTP_USER_AGENT": "pair-test"})
            token = c.get("/api/session", base_url=base_url).json["csrf_token"]
            r = c.post("/api/login", json={"name": name, "password": WEB_USERS[name][0]},
                       headers={"X-CSRFToken": token, "Referer": base_url + "/login"},
                       base_url=base_url)
            assert r.status_code == 200, r.data
            self.clients[who, kind] = (c, r.json["csrf_token"])

    def token(self, who: str, kind: str) -> str:
        return self.clients[who, kind][1]

    def both(self, who: str, method: str, url: str, *, body=None, raw=None,
             headers=None, token=True, compare=True, **kw):
        """Send one request to both apps; assert equal answers; return the fast one's."""
        got = []
        for kind in ("fast", "slow"):
            c, csrf = self.clients[who, kind]
            h = dict(headers or {})
            if token is True:
                h["X-CSRFToken"] = csrf
            elif token:
                h["X-CSRFToken"] = token
            if body is not None:
                kw["data"] = json.dumps(body)
                h.setdefault("Content-Type", "application/json")
            elif raw is not None:
                kw["data"] = raw
                h.setdefault("Content-Type", "application/json")
            got.append(c.open(url, method=method, headers=h, base_url=self.base[who], **kw))
        a, b = got
        if not compare:  # (an answer with the history's times in it)
            assert a.status == b.status
            return a
        da, db = a.data, b.data
        if a.headers.get("Content-Encoding") == "gzip":  # bytes 4-7: gzip's time stamp
            da, db = da[:4] + da[8:], db[:4] + db[8:]
        assert (a.status, da) == (b.status, db), (url, body, a.data, b.data)
        assert _headers(a) == _headers(b), url
        return a


def _headers(r) -> list[tuple[str, str]]:
    """The answer's headers; a Set-Cookie's value left out (each app's session holds its
    own login id and token), its name and attributes kept."""
    out = []
    for k, v in r.headers.items():
        if k == "Set-Cookie":
            name, _, rest = v.partition("=")
            v = f"{name}=...;{rest.partition(';')[2]}"
        out.append((k, v))
    return out


@pytest.fixture
def pair(web_project, tmp_path, monkeypatch):
    other = tmp_path / "flask-only"
    shutil.copytree(web_project, other, ignore=shutil.ignore_patterns("*.lock"))
    p = Pair(web_project, other, monkeypatch)
    p.login("fr", "tr_fr")
    p.login("coord", "coord")
    return p


def _rev(pair: Pair, who: str, lang: str, ctx: str) -> str:
    return pair.both(who, "GET", f"/api/l/{lang}/entries/{ctx}", token=False,
                     compare=False).json[
        "entry"]["revision"]


def test_every_kind_of_write_answers_as_flask(pair):
    url = f"/api/l/fr/entries/{CTX}"
    rev = _rev(pair, "fr", "fr", CTX)
    # the first write goes through Flask-WTF's full check (the token is then remembered)
    r = pair.both("fr", "POST", url, body={"action": "save", "strings": ["Un texte"],
                                           "base_revision": rev})
    assert r.status_code == 200
    first = pair.answered
    rev = r.json["revision"]
    steps = [
        ({"action": "approve", "strings": ["Les camps de prisonniers"], "base_revision": rev},
         200),
    ]
    for body, status in steps:
        r = pair.both("fr", "POST", url, body=body)
        assert r.status_code == status
    rev = r.json["revision"]
    assert pair.answered == first + 1  # the plain approve was answered below Flask
    n = pair.answered
    cases = [
        # identical approve: nothing written
        ({"action": "approve", "strings": ["Les camps de prisonniers"],
          "base_revision": rev}, 200, True),
        # a stale revision: 409 with both texts (the loser kept in the audit trail)
        ({"action": "save", "strings": ["Autre"], "base_revision": "0" * 16}, 409, True),
        # QA refusal: an empty approval is refused (422)
        ({"action": "approve", "strings": [""], "base_revision": rev}, 422, True),
        # bad shapes answered by the view's own checks (400)
        ({"action": "save", "base_revision": rev}, 400, True),
        ({"action": "save", "strings": ["x"], "base_revision": rev, "version": "7"}, 400,
         True),
        ({"action": "fly", "strings": ["x"], "base_revision": rev}, 400, True),
        ({"action": "save", "strings": ["x"]}, 400, True),
        ({"action": "save", "strings": [3], "base_revision": rev}, 400, True),
        # not plain: a surrogate escape, deep nesting, an odd number, not an object
        ({"action": "save", "strings": ["\ud800"], "base_revision": rev}, 400, False),
        ({"action": "save", "strings": [[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]],
          "base_revision": rev}, 400, False),
        ({"action": "save", "strings": ["x"], "base_revision": rev, "version": 10**30},
         400, False),
    ]
    for body, status, fast in cases:
        r = pair.both("fr", "POST", url, body=body)
        assert r.status_code == status, (body, r.data)
        if fast:
            n += 1
        assert pair.answered == n, body
    for raw in (b"[1, 2]", b"{bad json", b"\xff\xfe", b'{"action": NaN}', b""):
        assert pair.both("fr", "POST", url, raw=raw).status_code == 400
    assert pair.answered == n
    # a reject, a save and a revert to a history row (version) through the fast layer
    rev = _rev(pair, "fr", "fr", CTX)
    r = pair.both("fr", "POST", url, body={"action": "reject", "base_revision": rev})
    assert r.status_code == 200
    r = pair.both("fr", "POST", url, body={"action": "save", "strings": ["Des camps"],
                                           "base_revision": r.json["revision"],
                                           "which": "after"})
    assert r.status_code == 200 and pair.answered == n + 2


def test_other_language_unknown_entry_and_routing(pair):
    n = pair.answered
    rev = _rev(pair, "coord", "es", CTX)
    # the translator of fr writes es: 403 (and the denial is audited, once)
    r = pair.both("fr", "POST", f"/api/l/es/entries/{CTX}",
                  body={"action": "save", "strings": ["x"], "base_revision": rev})
    assert r.status_code == 403
    r = pair.both("fr", "POST", "/api/l/fr/entries/icnk-2012/no-such-entry",
                  body={"action": "save", "strings": ["x"], "base_revision": rev})
    assert r.status_code == 404
    assert pair.answered >= n + 1
    n = pair.answered
    for url in ("/api/l/xx/entries/" + CTX, "/api/l/fr/entries//" + CTX,
                f"/api/l/fr/entries/{CTX}/", f"/api/l/fr/entries/{CTX}?x=1",
                "/api/l/fr/entries/caf%C3%A9"):
        pair.both("fr", "POST", url, body={"action": "save", "strings": ["x"],
                                           "base_revision": rev})
    assert pair.both("fr", "GET", f"/api/l/fr/entries/{CTX}", compare=False).status_code == 200
    assert pair.both("fr", "PUT", f"/api/l/fr/entries/{CTX}", body={}).status_code == 405
    assert pair.answered == n


def test_csrf_session_and_login_checks_stay(pair):
    url = f"/api/l/fr/entries/{OTHER}"
    rev = _rev(pair, "fr", "fr", OTHER)
    body = {"action": "save", "strings": ["Expéditeur"], "base_revision": rev}
    r = pair.both("fr", "POST", url, body=body)  # (remembers the token)
    assert r.status_code == 200, r.json
    body["base_revision"] = r.json["revision"]
    n = pair.answered
    assert pair.both("fr", "POST", url, body=body, token=False).status_code == 400
    assert pair.both("fr", "POST", url, body=body, token="forged").status_code == 400
    assert pair.both("fr", "POST", url, body=body,
                     token=pair.token("coord", "fast")).status_code == 400
    # another client (User-Agent): Flask-Login's session protection marks the session
    r = pair.both("fr", "POST", url, body=body, headers={"User-Agent": "elsewhere"})
    assert r.status_code == 200 and "Set-Cookie" in r.headers
    assert pair.answered == n
    # a text/plain body is not plain (Flask reads it as JSON all the same)
    body["strings"] = ["Autre"]
    pair.both("fr", "POST", url, raw=json.dumps(body), headers={"Content-Type": "text/plain"})
    assert pair.answered == n


def test_compressed_answers_and_https(pair):
    url = f"/api/l/fr/entries/{CTX}"
    rev = _rev(pair, "fr", "fr", CTX)
    r = pair.both("fr", "POST", url, body={"action": "save", "strings": ["A"],
                                           "base_revision": rev})
    n = pair.answered
    for enc in ("gzip", "br", "gzip;q=0.5, br;q=0.9", "identity", "deflate", "*"):
        r = pair.both("fr", "POST", url, headers={"Accept-Encoding": enc},
                      body={"action": "save", "strings": [f"Texte {enc}"],
                            "base_revision": r.json["revision"] if r.status_code == 200
                            else rev})
        assert r.status_code == 200
        if r.headers.get("Content-Encoding") == "gzip":
            r = json.loads(gzip.decompress(r.data))  # type: ignore[assignment]
            r = type("R", (), {"status_code": 200, "json": r})()  # type: ignore[assignment]
        elif r.headers.get("Content-Encoding"):
            rev = _rev(pair, "fr", "fr", CTX)
            r = type("R", (), {"status_code": 500, "json": {}})()  # type: ignore[assignment]
    assert pair.answered == n + 6
    # over https (a trusted proxy's scheme): the referrer check of the CSRF token holds
    pair.login("sec", "tr_fr", base_url="https://localhost")
    rev = _rev(pair, "sec", "fr", CTX)
    body = {"action": "save", "strings": ["B"], "base_revision": rev}
    assert pair.both("sec", "POST", url, body=body).status_code == 400  # no referrer
    r = pair.both("sec", "POST", url, body=body, headers={"Referer": "https://localhost/l/fr/"})
    assert r.status_code == 200 and "Strict-Transport-Security" in r.headers
    body["base_revision"] = r.json["revision"]
    body["strings"] = ["C"]
    n = pair.answered
    r = pair.both("sec", "POST", url, body=body, headers={"Referer": "https://localhost/x"})
    assert r.status_code == 200 and pair.answered == n + 1
    body["base_revision"] = r.json["revision"]
    assert pair.both("sec", "POST", url, body=body,
                     headers={"Referer": "https://evil.example/x"}).status_code == 400
    assert pair.answered == n + 1


def test_revoked_session_is_refused(pair):
    url = f"/api/l/fr/entries/{CTX}"
    rev = _rev(pair, "fr", "fr", CTX)
    r = pair.both("fr", "POST", url, body={"action": "save", "strings": ["D"],
                                           "base_revision": rev})
    rev = r.json["revision"]
    kept = {kind: pair.clients["fr", kind][0].get_cookie("letterflow_session").value
            for kind in ("fast", "slow")}
    assert pair.both("fr", "POST", "/api/logout", body={}).status_code == 200
    n = pair.answered
    for kind in ("fast", "slow"):  # a copy of the cookie taken before the logout
        pair.clients["fr", kind][0].set_cookie("letterflow_session", kept[kind])
    time.sleep(0.01)
    r = pair.both("fr", "POST", url, body={"action": "save", "strings": ["E"],
                                           "base_revision": rev})
    assert r.status_code == 401 and pair.answered == n


def test_busy_catalogue_and_settings_changed_at_run_time(pair):
    from test_os_errors import hold_lock

    url = f"/api/l/fr/entries/{CTX}"
    rev = _rev(pair, "fr", "fr", CTX)
    r = pair.both("fr", "POST", url, body={"action": "save", "strings": ["F"],
                                           "base_revision": rev})
    rev = r.json["revision"]
    n = pair.answered
    for app in (pair.fast, pair.slow):
        app.config["LOCK_TIMEOUT"] = 0.2
    holders = [hold_lock(app.extensions["letterflow"].config.catalog("fr"))
               for app in (pair.fast, pair.slow)]
    try:  # another process holds the catalogue: 503 + Retry-After, from both paths
        r = pair.both("fr", "POST", url, body={"action": "save", "strings": ["G"],
                                               "base_revision": rev})
        assert r.status_code == 503 and r.headers["Retry-After"]
    finally:
        for h in holders:
            h.kill()
            h.wait()
    assert pair.answered == n + 1
    for app in (pair.fast, pair.slow):  # CSRF switched off: Flask answers everything
        app.config["WTF_CSRF_ENABLED"] = False
    r = pair.both("fr", "POST", url, body={"action": "save", "strings": ["H"],
                                           "base_revision": rev})
    assert r.status_code == 200 and pair.answered == n + 1


_text = st.text(st.characters(exclude_categories=()))  # lone surrogates too
_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**60, 2**60) | st.floats() | _text,
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(_text.map(lambda t: t[:5]),
                                                              kids, max_size=3),
    max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(value=st.dictionaries(_text, _values, max_size=4) | _values, ascii_only=st.booleans())
def test_plain_body_reads_as_the_flask_path_reads_it(value, ascii_only):
    """A body the layer reads itself is one ``web.inputs.json_object`` accepts, giving the
    same object; anything it would refuse or walk, the layer leaves to Flask (None)."""
    from flask import Flask
    from werkzeug.exceptions import HTTPException

    from web.fastwrite import _json_object
    from web.inputs import json_object

    raw = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    mine = _json_object(raw)
    with Flask("bodies").test_request_context("/", method="POST", data=raw,
                                              content_type="application/json"):
        try:
            want = json_object()
        except HTTPException:
            want = None
    if mine is not None:
        assert want is not None and json.dumps(mine) == json.dumps(want)
    if want is None:
        assert mine is None


def test_findings_in_the_interface_language(pair):
    """An answer with findings, in English and in Korean (Accept-Language): the layer's
    answer is Flask's, translated alike."""
    from web import i18n

    i18n._browser_choice.clear()  # a process-wide memo: an earlier test may have matched "ko"
    url = f"/api/l/fr/entries/{CTX}"
    rev = _rev(pair, "fr", "fr", CTX)
    text = "Les  camps camps de prisonniers {x} ((("
    r = pair.both("fr", "POST", url, body={"action": "save", "strings": [text + "!"],
                                           "base_revision": rev})
    n = pair.answered
    r = pair.both("fr", "POST", url, body={"action": "save", "strings": [text],
                                           "base_revision": r.json["revision"]})
    assert r.status_code == 200 and r.json["findings"] and pair.answered == n + 1
    for _ in range(2):  # (the second time, the browser's choice is known)
        r = pair.both("fr", "POST", url, headers={"Accept-Language": "ko"},
                      body={"action": "save", "strings": [text + str(_)],
                            "base_revision": r.json["revision"]})
        assert r.status_code == 200 and r.json["findings"]
    assert pair.answered == n + 2  # (the first time, Flask matched the browser's choice)
    en = [f["severity_text"] for f in r.json["findings"]]
    assert en and all(w not in ("error", "warning") for w in en)  # shown in Korean
    for _ in range(2):  # matched by Flask once, then known
        r = pair.both("fr", "POST", url, headers={"Accept-Language": "en"},
                      body={"action": "save", "strings": [text + "x" + str(_)],
                            "base_revision": r.json["revision"]})
        assert r.status_code == 200
    assert pair.answered == n + 3
    assert {f["severity_text"] for f in r.json["findings"]} <= {"error", "warning"}


def test_an_error_in_the_layer_after_reading_the_body_leaves_the_body_to_flask(pair,
                                                                              monkeypatch):
    """The layer reads the body before it parses it; if anything then fails in the layer,
    Flask still gets the whole body and answers the write as always."""
    import web.fastwrite as fw

    def broken(raw):
        raise RuntimeError("a bug in the layer")

    url = f"/api/l/fr/entries/{CTX}"
    rev = _rev(pair, "fr", "fr", CTX)
    for text in ("Un.", "Deux."):  # Flask meets the session and token, then the layer
        r = pair.both("fr", "POST", url, body={"action": "save", "strings": [text],
                                               "base_revision": rev})
        rev = r.json["revision"]
    n = pair.answered
    assert n >= 1  # the layer answers this client's plain writes
    monkeypatch.setattr(fw, "_json_object", broken)
    r = pair.both("fr", "POST", url, body={"action": "save", "strings": ["Texte sauf."],
                                           "base_revision": rev})
    assert r.status_code == 200, r.json
    assert r.json["entry"]["strings"] == ["Texte sauf."]
    assert pair.answered == n
