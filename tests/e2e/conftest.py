"""What the browser tests share: a real waitress server process over a fresh copy of the web
project (``server``: its base URL), Debian's headless Chromium through Playwright
(``browser``), and small page helpers.

Chromium is found with ``tool_support.need`` (at /usr/bin/chromium, never a downloaded
browser): missing, the test is skipped with what to install -- under ``CI=true`` it fails.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import playwright.sync_api as playwright  # a declared test dependency
import pytest
from conftest import WEB_USERS, free_port, wait_for_server
from tool_support import need

#: Chromium's flags (RULES.md): no sandbox in containers, no GPU, nothing fetched or synced
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture
def server(web_project: Path, tmp_path: Path):
    """``letterflow serve`` on a free port; its log goes to a file (a pipe could fill up and
    stall the server) and is shown if it does not start."""
    port = free_port()
    log_path = tmp_path / "server.log"
    log = open(log_path, "wb")  # noqa: SIM115 -- closed after the server stops
    proc = subprocess.Popen(
        [sys.executable, "-m", "workflow.cli", "--project", str(web_project), "serve",
         "--port", str(port)], stdout=subprocess.DEVNULL, stderr=log)
    wait_for_server(proc, port, log_path)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


@pytest.fixture
def browser():
    chromium = need("chromium")  # Debian's /usr/bin/chromium, never a downloaded browser
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=ARGS)
        yield b
        b.close()


def fill_login(page, name: str) -> None:
    """Type *name*'s account and password (tests/conftest.py's WEB_USERS) into the login
    form on *page*."""
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", WEB_USERS[name][0])


def approved(page, lang: str = "fr") -> int:
    """The approved count *lang*'s progress bar shows on *page*."""
    return int(page.get_attribute(f".progress[data-lang={lang}]", "data-approved"))
