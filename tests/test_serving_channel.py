"""web/serving.py's waitress connections: not offered for writing while a task sends its own
answer (the main loop span round ~10 times per approval), and every answer still arrives
whole: small ones on many connections at once, and one larger than waitress's output
high-water mark (where the task waits for the main loop to send), read slowly."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from waitress.adjustments import Adjustments


class _Server:
    """What a connection asks of its server here."""

    def __init__(self):
        self.active_channels = {}

    def pull_trigger(self):
        pass


def _channel():
    from web.serving import _channel_class

    a, b = socket.socketpair()
    ch = _channel_class()(_Server(), a, ("127.0.0.1", 1), Adjustments(), map={})
    return ch, a, b


def test_a_connection_is_not_writable_while_its_task_holds_the_output_lock():
    ch, a, b = _channel()
    try:
        assert not ch.writable()  # nothing to send
        ch.total_outbufs_len = 10
        assert ch.writable()  # bytes left and no task: the main loop sends them
        ch.requests = [object()]  # a task runs and is not sending: the loop may send
        assert ch.writable()
        held, release = threading.Event(), threading.Event()

        def task_sending():
            with ch.outbuf_lock:
                held.set()
                release.wait(10)

        t = threading.Thread(target=task_sending)
        t.start()
        held.wait(10)
        assert not ch.writable()  # the task sends them itself
        ch.will_close = True
        assert ch.writable()  # closing is never held back
        ch.will_close = False
        release.set()
        t.join(10)
        assert ch.writable()  # lock free again
        ch.requests = []
        with ch.outbuf_lock:  # no task: the lock says nothing
            assert ch.writable()
    finally:
        ch.close()
        b.close()


def test_the_stock_connection_was_writable_then():
    """What the class above changes (so that its test can fail)."""
    from waitress.channel import HTTPChannel

    a, b = socket.socketpair()
    ch = HTTPChannel(_Server(), a, ("127.0.0.1", 1), Adjustments(), map={})
    try:
        ch.total_outbufs_len, ch.requests = 10, [object()]
        with ch.outbuf_lock:
            assert ch.writable()
    finally:
        ch.close()
        b.close()


_SERVER = """
import sys
from web.serving import serve

BIG = bytes(range(256)) * (20 * 1024 * 1024 // 256)  # 20 MB: over the 16 MB high-water mark

def app(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/big":
        start_response("200 OK", [("Content-Length", str(len(BIG)))])
        return (BIG[i:i + 1 << 20] for i in range(0, len(BIG), 1 << 20))
    body = (path * 50).encode()
    start_response("200 OK", [("Content-Length", str(len(body)))])
    return [body]

serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=4)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_answers_arrive_whole_small_and_concurrent_and_big_and_slowly_read(tmp_path):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-c", _SERVER, str(port)],
                            stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)

        def client(n: int) -> list[bool]:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            ok = []
            for k in range(25):  # keep-alive, like wrk
                path = f"/c{n}-{k}"
                conn.request("GET", path)
                ok.append(conn.getresponse().read() == (path * 50).encode())
            conn.close()
            return ok

        with ThreadPoolExecutor(20) as pool:
            results = [x for part in pool.map(client, range(20)) for x in part]
        assert len(results) == 500 and all(results)

        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", "/big")
        resp = conn.getresponse()
        got = bytearray()
        while chunk := resp.read(256 * 1024):
            got += chunk
            if len(got) < 4 * 1024 * 1024:
                time.sleep(0.01)  # a slow reader at first: the task waits for the loop
        want = bytes(range(256)) * (20 * 1024 * 1024 // 256)
        assert len(got) == len(want) and bytes(got) == want
        conn.close()
    finally:
        proc.kill()
        proc.wait(10)


def test_serve_gives_its_listeners_the_connection_class(monkeypatch):
    from waitress.server import BaseWSGIServer

    from web.serving import serve

    seen = []

    def run(self):
        seen.append(self.channel_class.__name__)
        self.close()

    monkeypatch.setattr(BaseWSGIServer, "run", run)
    serve(lambda env, start: [], host="127.0.0.1", port=0, _quiet=True)
    assert seen == ["Channel"]


_APP = """
def app(environ, start_response):
    path = environ["PATH_INFO"]
    body = (path * 40).encode()
    if path == "/length":
        start_response("200 OK", [("Content-Length", str(len(body)))])
        return [body]
    if path == "/no-length":
        start_response("200 OK", [])
        return [body]
    if path == "/chunks":
        start_response("200 OK", [])
        return [body[:10], b"", body[10:50], body[50:]]
    if path == "/excess":
        start_response("200 OK", [("Content-Length", "7")])
        return [body]
    if path == "/short":
        start_response("200 OK", [("Content-Length", str(len(body) + 5))])
        return [body]
    if path == "/204":
        start_response("204 No Content", [])
        return [b""]
    if path == "/304":
        start_response("304 Not Modified", [])
        return [body]
    start_response("200 OK", [("Content-Length", str(len(body)))])
    return [body]
"""

_STOCK = """
import sys
from waitress import serve
exec(sys.argv[2])
serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=2, _quiet=True)
"""

_OURS = """
import sys
from web.serving import serve
exec(sys.argv[2])
serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=2)
"""


def _raw_answers(code: str, requests: list[bytes]) -> list[bytes]:
    """What a server running *code* sends back for each raw request (its own connection,
    read until the server closes it), the Date header's value blanked."""
    import re

    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-c", code, str(port), _APP],
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
        out = []
        for raw in requests:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                s.sendall(raw)
                data = b""
                while chunk := s.recv(65536):
                    data += chunk
            out.append(re.sub(rb"\r\nDate: [^\r]*", b"\r\nDate: -", data))
        return out
    finally:
        proc.terminate()
        proc.wait(10)


def test_an_answer_is_the_same_bytes_as_stock_waitress_sends():
    """Head and body handed over together (one send) change nothing on the wire: every
    kind of answer, byte for byte (HTTP/1.0 and 1.1, HEAD, chunked, no body, a body longer
    or shorter than its Content-Length)."""
    requests = []
    for path in ("/length", "/no-length", "/chunks", "/excess", "/short", "/204", "/304"):
        for method in ("GET", "HEAD"):
            requests.append(f"{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                            .encode())
        requests.append(f"GET {path} HTTP/1.0\r\n\r\n".encode())
    stock, ours = _raw_answers(_STOCK, requests), _raw_answers(_OURS, requests)
    assert all(stock) and len(stock) == len(ours) == 21
    for raw, a, b in zip(requests, stock, ours, strict=True):
        assert a == b, raw


def test_a_plain_answer_is_handed_over_in_one_piece():
    """The head and a body that fits its Content-Length: one ``write_soon`` (one send)."""
    from types import SimpleNamespace

    ch, a, b = _channel()
    try:
        ch.server.adj = Adjustments()
        calls = []
        real = ch.write_soon
        ch.write_soon = lambda data: calls.append(bytes(data)) or real(data)
        task = ch.task_class(ch, SimpleNamespace(version="1.1", headers={}, command="GET"))
        task.complete, task.status = True, "200 OK"
        task.response_headers = [("Content-Length", "5")]
        task.content_length = 5
        task.write(b"hello")
        assert len(calls) == 1 and calls[0].startswith(b"HTTP/1.1 200 OK\r\n")
        assert calls[0].endswith(b"\r\n\r\nhello") and task.content_bytes_written == 5
    finally:
        ch.close()
        b.close()
