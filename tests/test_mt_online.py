"""The real deep-translator LibreTranslator client against a local LibreTranslate-speaking
HTTP server on 127.0.0.1 with scripted faults: 429 + Retry-After, 500s, a hang past the
timeout, malformed JSON, one bad item, a mangled mask, no key, no network, a refused key,
over-long texts, bounded concurrency, and a SIGKILL mid-run followed by a resume.

No mock of the client: deep_translator.LibreTranslator sends real HTTP requests."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.conftest import REPO, write_project

KEY = "test-key-123"


# --------------------------------------------------------------------------- the server


class FakeLibre:
    """A LibreTranslate ``POST /translate`` endpoint whose faults are scripted by words in
    the text: RATE (429 + Retry-After: 1, once), FLAKY (500 twice), BOOM (always 500),
    SLOW (first answer after the client's timeout), HANG (never in time), GARBLE
    (malformed JSON), BAD (400), MANGLE (drops the [[n]] tokens). "Translation" is
    ``<target>: TEXT IN CAPITALS`` (tokens untouched)."""

    def __init__(self, delay: float = 0.0):
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        self.seen: dict[str, int] = {}
        self.in_flight = 0
        self.max_in_flight = 0
        self.delay = delay
        self.hold_after: int | None = None  # block requests after this many answered
        self.release = threading.Event()
        self.answered = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):  # noqa: N802
                outer.handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def texts(self) -> list[str]:
        return [r["q"] for r in self.requests]

    def count(self, word: str) -> int:
        return sum(1 for r in self.requests if word in r["q"])

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length).decode() if length else ""
        params = {k: v[0] for k, v in parse_qs(urlparse(h.path).query).items()}
        params.update({k: v[0] for k, v in parse_qs(body).items()})
        q = params.get("q", "")
        with self.lock:
            n = self.seen.get(q, 0)
            self.seen[q] = n + 1
            self.requests.append({**params, "t": time.monotonic(), "n": n})
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            hold = self.hold_after is not None and self.answered >= self.hold_after
        try:
            if hold:
                self.release.wait(60)
            if self.delay:
                time.sleep(self.delay)
            self._answer(h, q, params, n)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with self.lock:
                self.in_flight -= 1

    def _send(self, h, status: int, body: str, headers: dict | None = None) -> None:
        data = body.encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)

    def _answer(self, h, q: str, params: dict, n: int) -> None:
        if params.get("api_key") != KEY:
            return self._send(h, 403, json.dumps({"error": "Invalid API key"}))
        if "WAIT" in q:
            return self._send(h, 429, "{}", {"Retry-After": "3600"})
        if "RATE" in q and n == 0:
            return self._send(h, 429, json.dumps({"error": "slow down"}), {"Retry-After": "1"})
        if "FLAKY" in q and n < 2:
            return self._send(h, 500, json.dumps({"error": "oops"}))
        if "BOOM" in q:
            return self._send(h, 500, json.dumps({"error": "oops"}))
        if ("SLOW" in q and n == 0) or "HANG" in q:
            time.sleep(1.5)
        if "GARBLE" in q:
            return self._send(h, 200, '{"translatedText": "half')
        if "BAD" in q:
            return self._send(h, 400, json.dumps({"error": "cannot translate this"}))
        out = f"{params.get('target')}: {q.upper()}"
        if "MANGLE" in q:
            out = out.replace("[[1]]", "").replace("[[2]]", "[[7]]")
        with self.lock:
            self.answered += 1
        return self._send(h, 200, json.dumps({"translatedText": out}))


@pytest.fixture
def server():
    srv = FakeLibre()
    yield srv
    srv.close()


# --------------------------------------------------------------------------- the project

HEADER = """\
msgid ""
msgstr ""
"Project-Id-Version: test\\n"
"PO-Revision-Date: 2026-01-01 00:00+0000\\n"
"Language: {lang}\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"""


def entry(ctx: str, msgid: str, msgstr: str = "", flags: str = "", comment: str = "") -> str:
    out = "\n"
    if comment:
        out += f"# {comment}\n"
    if flags:
        out += f"#, {flags}\n"
    return out + f'msgctxt "{ctx}"\nmsgid "{msgid}"\nmsgstr "{msgstr}"\n'


MESSAGES = [
    ("t/plain", "Dear {country} minister,"),
    ("t/rate", "RATE limited hello."),
    ("t/flaky", "FLAKY server, %(name)s."),
    ("t/boom", "BOOM always fails."),
    ("t/slow", "SLOW first answer <b>bold</b>."),
    ("t/hang", "HANG forever."),
    ("t/garble", "GARBLE the JSON."),
    ("t/bad", "BAD item in the batch."),
    ("t/mangle", "MANGLE {country} and {count}."),
]
APPROVED = entry("t/approved", "Approved text.", "Texte approuvé.", comment="approved by ana")
EDITED = entry("t/edited", "Edited text {country}.", "Texte {country}.", flags="fuzzy",
               comment="edited by ana")


def make_project(tmp_path: Path, url: str, *, mt: dict | None = None, messages=MESSAGES) -> Path:
    settings = {"provider": "libre", "timeout": 0.5, "retries": 2, "backoff": 0.05,
                "max_backoff": 0.2, "concurrency": 2, "libre_url": url, **(mt or {})}
    mt_table = "\n[mt]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in settings.items())
    root = write_project(tmp_path / "proj", languages=("es",), extra=mt_table)
    po = root / "locales" / "es" / "LC_MESSAGES" / "letter.po"
    po.parent.mkdir(parents=True)
    body = "".join(entry(c, s) for c, s in messages) + APPROVED + EDITED
    po.write_text(HEADER.format(lang="es") + body, encoding="utf-8")
    return root


def po_path(root: Path) -> Path:
    return root / "locales" / "es" / "LC_MESSAGES" / "letter.po"


def cache_rows(root: Path) -> list[tuple]:
    db = root / "var" / "letterflow.sqlite3"
    if not db.exists():
        return []
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT engine, source_lang, target_lang, source_text, target_text FROM mt_cache "
            "ORDER BY source_text"
        ).fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        conn.close()


def cli(root: Path, *args: str, env_extra: dict | None = None, key: str | None = KEY):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LETTERFLOW_")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["NO_PROXY"] = "127.0.0.1"
    if key:
        env["LETTERFLOW_LIBRE_KEY"] = key
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "workflow.cli", "--project", str(root), *args],
        capture_output=True, text=True, env=env, timeout=120,
    )


def drafted_file(root: Path) -> str:
    """The catalogue with its PO-Revision-Date normalised."""
    import re

    text = po_path(root).read_text(encoding="utf-8")
    return re.sub(r'"PO-Revision-Date: [^"]*\\n"', '"PO-Revision-Date: X\\\\n"', text)


# --------------------------------------------------------------------------- the tests


def test_scripted_faults_exact_file_and_cache(tmp_path, server):
    root = make_project(tmp_path, server.url)
    r = cli(root, "draft", "--format", "json")
    assert r.returncode == 1, r.stderr  # some items failed -> exit 1, the rest is written
    summary = json.loads(r.stdout)
    assert summary["provider"] == "libre"
    assert summary["drafted"] == 5  # plain, rate, flaky, slow, mangle
    assert summary["failed"] == 4  # boom, hang, garble, bad
    assert summary["skipped"] == 2  # approved + human-edited draft
    assert summary["damaged"] == 1
    assert summary["cached"] == 0
    errors = "\n".join(summary["languages"]["es"]["errors"])
    assert "t/boom: libre en->es: gave up after 3 attempts: server error (HTTP 500)" in errors
    assert "t/hang: libre en->es: gave up after 3 attempts: no answer within 0.5 s" in errors
    assert "t/garble: libre en->es: malformed response from the service" in errors
    assert "t/bad: libre en->es: request refused (HTTP 400)" in errors

    note = "# machine translation: libre en-es\n"
    expected = HEADER.format(lang="es").replace("2026-01-01 00:00+0000", "X") + "".join([
        "\n" + note + '#, fuzzy\nmsgctxt "t/plain"\nmsgid "Dear {country} minister,"\n'
        'msgstr "es: DEAR {country} MINISTER,"\n',
        "\n" + note + '#, fuzzy\nmsgctxt "t/rate"\nmsgid "RATE limited hello."\n'
        'msgstr "es: RATE LIMITED HELLO."\n',
        "\n" + note + '#, fuzzy\nmsgctxt "t/flaky"\nmsgid "FLAKY server, %(name)s."\n'
        'msgstr "es: FLAKY SERVER, %(name)s."\n',
        entry("t/boom", "BOOM always fails."),
        "\n" + note + '#, fuzzy\nmsgctxt "t/slow"\nmsgid "SLOW first answer <b>bold</b>."\n'
        'msgstr "es: SLOW FIRST ANSWER <b>BOLD</b>."\n',
        entry("t/hang", "HANG forever."),
        entry("t/garble", "GARBLE the JSON."),
        entry("t/bad", "BAD item in the batch."),
        "\n# machine translation: libre en-es (damaged by the engine, check: {country}, "
        "{count}, [[7]])\n#, fuzzy, letterflow-mt-damaged\nmsgctxt \"t/mangle\"\n"
        'msgid "MANGLE {country} and {count}."\nmsgstr "es: MANGLE  AND [[7]]."\n',
        APPROVED, EDITED,
    ])
    assert drafted_file(root) == expected

    # exactly the successful items are cached (masked source -> masked engine output)
    assert cache_rows(root) == [
        ("libre", "en", "es", "Dear [[1]] minister,", "es: DEAR [[1]] MINISTER,"),
        ("libre", "en", "es", "FLAKY server, [[1]].", "es: FLAKY SERVER, [[1]]."),
        ("libre", "en", "es", "MANGLE [[1]] and [[2]].", "es: MANGLE  AND [[7]]."),
        ("libre", "en", "es", "RATE limited hello.", "es: RATE LIMITED HELLO."),
        ("libre", "en", "es", "SLOW first answer [[1]]bold[[2]].",
         "es: SLOW FIRST ANSWER [[1]]BOLD[[2]]."),
    ]
    # the request log: retries where due, none where not
    assert server.count("RATE") == 2
    rate = [r for r in server.requests if "RATE" in r["q"]]
    assert rate[1]["t"] - rate[0]["t"] >= 0.95  # Retry-After: 1 honoured
    assert server.count("FLAKY") == 3
    assert server.count("BOOM") == 3  # 1 + 2 retries
    assert server.count("HANG") == 3
    assert server.count("SLOW") == 2
    assert server.count("GARBLE") == 1
    assert server.count("BAD") == 1
    assert server.count("Approved") == 0 and server.count("Edited") == 0
    assert all("{" not in q and "%(" not in q and "<b>" not in q for q in server.texts())
    assert summary["engine_calls"] == len(server.requests)


def test_rerun_costs_zero_calls_for_cached_text_and_retries_failures(tmp_path, server):
    root = make_project(tmp_path, server.url, messages=MESSAGES[:3])
    r = cli(root, "draft", "--format", "json")
    assert r.returncode == 0, r.stderr
    first = len(server.requests)
    # a fresh catalogue (e.g. a new language file or a reset) re-drafts from the cache
    po = po_path(root)
    po.write_text(HEADER.format(lang="es") + "".join(entry(c, s) for c, s in MESSAGES[:3]),
                  encoding="utf-8")
    r = cli(root, "draft", "--format", "json")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["engine_calls"] == 0
    assert summary["cached"] == 3 and summary["drafted"] == 0
    assert len(server.requests) == first
    # and a third run has nothing left to do
    r = cli(root, "draft", "--format", "json")
    assert json.loads(r.stdout)["skipped"] == 3
    assert len(server.requests) == first


def test_approved_and_edited_entries_are_byte_identical(tmp_path, server):
    root = make_project(tmp_path, server.url, messages=MESSAGES[:1])
    before = po_path(root).read_text(encoding="utf-8")
    r = cli(root, "draft")
    assert r.returncode == 0, r.stderr
    after = po_path(root).read_text(encoding="utf-8")
    assert APPROVED in before and APPROVED in after
    assert EDITED in before and EDITED in after
    assert after.endswith(APPROVED + EDITED)


def test_no_key_is_a_one_line_error(tmp_path, server):
    root = make_project(tmp_path, server.url)
    before = po_path(root).read_bytes()
    r = cli(root, "draft", key=None)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines()[-1] == (
        "Error: libre: no API key: set the environment variable LETTERFLOW_LIBRE_KEY"
    )
    assert "Traceback" not in r.stderr
    assert po_path(root).read_bytes() == before
    assert server.requests == []


def test_refused_key_is_a_one_line_error(tmp_path, server):
    root = make_project(tmp_path, server.url)
    before = po_path(root).read_bytes()
    r = cli(root, "draft", key="wrong")
    assert r.returncode == 2
    last = r.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: libre en->es: the API key was refused (HTTP 403)")
    assert "Traceback" not in r.stderr
    assert po_path(root).read_bytes() == before


def test_no_network_is_a_one_line_error(tmp_path):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    root = make_project(tmp_path, f"http://127.0.0.1:{port}/")
    before = po_path(root).read_bytes()
    r = cli(root, "draft")
    assert r.returncode == 2
    assert r.stderr.strip().splitlines()[-1] == (
        f"Error: libre en->es: cannot reach 127.0.0.1:{port}: no network connection or the "
        "service is down"
    )
    assert po_path(root).read_bytes() == before


def test_long_text_split_at_sentences_and_joined(tmp_path, server, monkeypatch):
    sentences = [f"Sentence number {i} is here." for i in range(1, 9)]
    long = " ".join(sentences)
    root = make_project(tmp_path, server.url, mt={"char_limit": 70},
                        messages=[("t/long", long)])
    r = cli(root, "draft", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert all(len(q) <= 70 for q in server.texts())
    assert len(server.requests) == 4  # two sentences (55 chars) per request
    for q in server.texts():
        assert q.endswith(".") and q.startswith("Sentence")
    from workflow.catalogs import load_catalog

    msg = load_catalog(po_path(root)).get("t/long")
    assert msg.strings == (" ".join("es: " + " ".join(s.upper() for s in sentences[i:i + 2])
                                    for i in range(0, 8, 2)),)


def test_concurrency_is_bounded(tmp_path):
    srv = FakeLibre(delay=0.3)
    try:
        msgs = [(f"t/m{i}", f"Message number {i}.") for i in range(8)]
        root = make_project(tmp_path, srv.url, messages=msgs)  # concurrency = 2
        r = cli(root, "draft", "--format", "json")
        assert r.returncode == 0, r.stderr
        assert len(srv.requests) == 8
        assert srv.max_in_flight == 2
    finally:
        srv.close()


def test_sigkill_mid_run_then_resume(tmp_path, server):
    msgs = [(f"t/m{i}", f"Message number {i}.") for i in range(1, 10)]
    root = make_project(tmp_path, server.url,
                        mt={"timeout": 60, "concurrency": 1, "batch_size": 2}, messages=msgs)
    server.hold_after = 5  # answer 5 requests, then block the 6th until released
    env = {k: v for k, v in os.environ.items() if not k.startswith("LETTERFLOW_")}
    env.update(PYTHONPATH=str(REPO), NO_PROXY="127.0.0.1", LETTERFLOW_LIBRE_KEY=KEY)
    proc = subprocess.Popen(
        [sys.executable, "-m", "workflow.cli", "--project", str(root), "draft", "--format",
         "json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with server.lock:
                if len(server.requests) >= 6:
                    break
            time.sleep(0.05)
        assert len(server.requests) == 6, "the run never reached the held request"
        time.sleep(0.3)  # let the writer finish what it may (nothing: batch 3 is waiting)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    from workflow.catalogs import load_catalog

    # batches 1 and 2 (m1-m4) were written; m5 was translated but its batch not finished
    cat = load_catalog(po_path(root))
    done = {m.context: m.strings[0] for m in cat.active()
            if m.state == "draft" and m.context.startswith("t/m")}
    assert done == {f"t/m{i}": f"es: MESSAGE NUMBER {i}." for i in range(1, 5)}
    assert {m.context for m in cat.active() if m.state == "untranslated"} == {
        f"t/m{i}" for i in range(5, 10)
    }
    assert [row[3] for row in cache_rows(root)] == [f"Message number {i}." for i in range(1, 5)]
    assert not list(po_path(root).parent.glob(".letter.po.*.tmp"))

    server.release.set()
    server.hold_after = None
    before = len(server.requests)
    r = cli(root, "draft", "--format", "json")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["drafted"] == 5 and summary["failed"] == 0
    assert summary["skipped"] == 4 + 2  # m1-m4 already drafted, + approved and edited
    assert summary["engine_calls"] == 5
    resumed = [q["q"] for q in server.requests[before:]]
    assert sorted(resumed) == [f"Message number {i}." for i in range(5, 10)]
    cat = load_catalog(po_path(root))
    assert {m.context: m.strings[0] for m in cat.active() if m.context.startswith("t/m")} == {
        f"t/m{i}": f"es: MESSAGE NUMBER {i}." for i in range(1, 10)
    }
    text = po_path(root).read_text(encoding="utf-8")
    for i in range(1, 10):
        assert text.count(f'msgctxt "t/m{i}"') == 1
        assert text.count(f"es: MESSAGE NUMBER {i}.") == 1
    assert text.count("# machine translation: libre en-es") == 9
    assert len(cache_rows(root)) == 9


def test_retry_after_longer_than_allowed_fails_the_item_at_once(tmp_path, server):
    root = make_project(tmp_path, server.url, mt={"max_retry_after": 5},
                        messages=[("t/wait", "WAIT an hour."), ("t/ok", "Fine.")])
    r = cli(root, "draft", "--format", "json")
    assert r.returncode == 1
    summary = json.loads(r.stdout)
    assert summary["drafted"] == 1 and summary["failed"] == 1
    assert summary["languages"]["es"]["errors"] == [
        "t/wait: libre en->es: rate limited (HTTP 429); the service asks to wait 3600 s "
        "(item: 'WAIT an hour.')"
    ]
    assert server.count("WAIT") == 1


@pytest.mark.parametrize(
    ("header", "expected"),
    [("7", 7.0), ("0", 0.0), (None, None), ("soon", None),
     ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)],  # a date in the past: no wait
)
def test_retry_after_header_forms(header, expected):
    from types import SimpleNamespace

    from workflow.mt.online import _retry_after

    resp = SimpleNamespace(headers={"Retry-After": header} if header else {})
    assert _retry_after(resp) == expected


def test_retry_after_http_date_in_the_future():
    import email.utils
    from types import SimpleNamespace

    from workflow.mt.online import _retry_after

    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 28 <= _retry_after(SimpleNamespace(headers={"Retry-After": when})) <= 30


@pytest.mark.parametrize(("key", "value"), [("concurrency", 0), ("timeout", "fast"),
                                            ("retries", -1), ("char_limit", True)])
def test_bad_mt_settings_are_clear_errors(tmp_path, server, key, value):
    root = make_project(tmp_path, server.url, mt={key: value})
    r = cli(root, "draft")
    assert r.returncode == 2
    last = r.stderr.strip().splitlines()[-1]
    assert last.startswith(f"Error: libre: [tool.letterflow.mt] {key} must be a number")
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize(
    ("provider", "lang", "code"),
    [("google", "zh", "zh-CN"), ("google", "zh_Hant", "zh-TW"), ("google", "he", "iw"),
     ("google", "pt_BR", "pt"), ("mymemory", "en", "en-GB"), ("mymemory", "fr", "fr-FR"),
     ("mymemory", "ko", "ko-KR"), ("deepl", "ko", None), ("libre", "ca", None),
     ("microsoft", "zh", "zh-hans"), ("papago", "ko", "ko"), ("papago", "zh", "zh-CN")],
)
def test_language_codes_per_provider(provider, lang, code):
    from workflow.mt.online import PROVIDERS, engine_code, provider_codes

    spec = PROVIDERS[provider]
    assert engine_code(lang, provider_codes(spec), spec.extra) == code
