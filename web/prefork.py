"""Several waitress server processes on one listening socket (prefork), as production
Python servers do: one process is bound by the GIL, so N processes use N cores.

The parent binds the socket once (an address in use is one error before any fork), then
forks the children. Each child builds its app only after the fork (no SQLite connection,
lock or thread crosses a fork), says "ready" on a pipe and runs waitress on the shared
socket; the kernel hands each new connection to one of the children that wait in
``accept``. The parent only supervises: SIGTERM / SIGINT are passed on to the children and
it returns 0 once they are gone; a child that dies unexpectedly is replaced (one line on
stderr); a child that dies before it is ready, ``STARTUP_FAILURES`` times in a row, stops
everything with :class:`StartupFailed`. Children die with the parent (``PR_SET_PDEATHSIG``).
Nothing here knows letterflow: ``make_app`` is any WSGI app factory (the benchmark's
minimal Flask app uses the same code).
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: Children in a row that die before they are ready: the parent gives up.
STARTUP_FAILURES = 3
#: Seconds the children get to exit after SIGTERM before SIGKILL.
STOP_TIMEOUT = 10.0
#: A child that lived less than this is replaced only after this long (no busy loop).
RESTART_PAUSE = 1.0
_SIGNALS = {signal.SIGCHLD, signal.SIGTERM, signal.SIGINT}
_PR_SET_PDEATHSIG = 1


class StartupFailed(Exception):
    """Server processes keep dying before they are ready (the message says why)."""


def supported() -> bool:
    """fork and sigtimedwait (Linux and most Unixes; not macOS or Windows)."""
    return hasattr(os, "fork") and hasattr(signal, "sigtimedwait")


def bind(host: str, port: int) -> socket.socket:
    """A TCP socket bound to (*host*, *port*), not yet listening: the first child's
    waitress listens, so nothing accepts connections before an app is ready."""
    family, socktype, proto, _, addr = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, socktype, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(addr)
    except OSError:
        sock.close()
        raise
    return sock


@dataclass
class _Child:
    slot: int
    started: float
    pipe: int  # read end (non-blocking): "ready" or "error <message>"
    said: bytes = b""


@dataclass
class Supervisor:
    """Forks and watches *processes* children running ``waitress.serve(make_app(), ...)``."""

    sock: socket.socket
    make_app: Callable[[], Any]
    processes: int
    serve_kw: dict[str, Any]
    children: dict[int, _Child] = field(default_factory=dict)
    failures: int = 0
    last_error: str = ""

    def run(self) -> int:
        """Serve until SIGTERM / SIGINT (then 0); raises StartupFailed."""
        old = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
        try:
            for slot in range(self.processes):
                self._spawn(slot, old)
            while True:
                info = signal.sigtimedwait(_SIGNALS, 1.0)
                if info is not None and info.si_signo != signal.SIGCHLD:
                    self.stop()
                    return 0
                self._reap(old)
                self._note_ready()
        except BaseException:
            self.stop()
            raise
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)

    def pids(self) -> list[int]:
        return sorted(self.children)

    def _spawn(self, slot: int, mask: Any) -> None:
        read, write = os.pipe()
        parent = os.getpid()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read)
            for sibling in self.children.values():
                os.close(sibling.pipe)
            _child_main(self.sock, self.make_app, self.serve_kw, write, parent, mask)
        os.close(write)
        os.set_blocking(read, False)
        self.children[pid] = _Child(slot, time.monotonic(), read)

    def _note_ready(self) -> None:
        """A child that says "ready" ends a run of start-up failures."""
        for child in self.children.values():
            if not child.said.startswith(b"ready"):
                try:
                    child.said += os.read(child.pipe, 4096)
                except BlockingIOError:
                    continue
                if child.said.startswith(b"ready"):
                    self.failures = 0

    def _reap(self, mask: Any) -> None:
        while self.children:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                return
            child = self.children.pop(pid, None)
            if child is None:
                continue
            said = child.said + _read_all(child.pipe)
            reason = _exit_reason(status)
            if not said.startswith(b"ready"):
                self.failures += 1
                why = said.decode("utf-8", "replace").removeprefix("error ").strip()
                self.last_error = why or reason
                if self.failures >= STARTUP_FAILURES:
                    raise StartupFailed(
                        f"server processes ended at start-up {self.failures} times in a "
                        f"row (last: {self.last_error})")
            else:  # a start-up failure is said once, if it keeps failing
                self.failures = 0
                print(f"letterflow: server process {pid} ended ({reason}); starting another",
                      file=sys.stderr, flush=True)
            if time.monotonic() - child.started < RESTART_PAUSE:
                time.sleep(RESTART_PAUSE)
            self._spawn(child.slot, mask)

    def stop(self) -> None:
        """SIGTERM every child, wait for them (SIGKILL after ``STOP_TIMEOUT``)."""
        for pid in self.children:
            _signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        while self.children:
            pid, _ = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                if time.monotonic() > deadline:
                    for other in self.children:
                        _signal(other, signal.SIGKILL)
                    deadline = float("inf")
                time.sleep(0.02)
                continue
            child = self.children.pop(pid, None)
            if child is not None:
                os.close(child.pipe)


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _read_all(fd: int) -> bytes:
    out = b""
    try:
        while chunk := os.read(fd, 4096):
            out += chunk
    except BlockingIOError:  # a grandchild still holds the write end: what is there
        pass
    finally:
        os.close(fd)
    return out


def _exit_reason(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"


def _die_with_parent(parent: int) -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the parent's stop() still ends us
        pass
    if os.getppid() != parent:  # the parent died before prctl
        os._exit(1)


def _child_main(sock: socket.socket, make_app: Callable[[], Any], serve_kw: dict[str, Any],
                pipe: int, parent: int, mask: Any) -> None:
    """Build the app, say "ready", serve; always ends with ``os._exit``."""
    code = 0
    ready = False
    try:
        _die_with_parent(parent)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C: the parent stops us
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        from .serving import serve

        app = make_app()
        os.write(pipe, b"ready\n")
        os.close(pipe)
        ready = True
        serve(app, sockets=[sock], **serve_kw)
    except BaseException as exc:  # noqa: BLE001 - one line, then the parent decides
        code = 1
        line = " ".join(str(exc).split()) or type(exc).__name__
        if not ready:
            os.write(pipe, f"error {line}\n".encode("utf-8", "replace"))
        print(f"letterflow: server process {os.getpid()}: {line}", file=sys.stderr)
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)
