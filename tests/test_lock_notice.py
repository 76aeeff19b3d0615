"""The CLI says why it waits (issue 10, defect 7): a `.po` lock held by another process makes
`letterflow update` print one line to stderr once the wait passes about a second, naming
the file, the holder's pid and the longest wait. A real lock held by a real process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_os_errors import EXE, hold_lock

from tests.conftest import write_project
from workflow import fileio
from workflow.errors import LockTimeout


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    root = write_project(tmp_path / "proj", languages=("fr",))
    assert subprocess.run([str(EXE), "--project", str(root), "update"],
                          capture_output=True, timeout=120).returncode == 0
    return root


def _update(root: Path, timeout: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(EXE), "--project", str(root), "update", "--no-extract"], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env={**os.environ, "LETTERFLOW_LOCK_TIMEOUT": timeout})


def test_a_wait_over_a_second_is_announced_then_the_command_goes_on(proj: Path):
    po = proj / "locales" / "fr" / "LC_MESSAGES" / "letter.po"
    holder = hold_lock(po)  # returns once the lock is held
    try:
        start = time.monotonic()
        proc = _update(proj, "20")
        line = proc.stderr.readline()  # blocks until the notice (or the end)
        while line and not line.startswith("waiting for"):  # progress lines come first
            line = proc.stderr.readline()
        seen = time.monotonic() - start
        assert proc.poll() is None, "the notice comes while the command still waits"
    finally:
        holder.kill()
        holder.wait()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert line.rstrip("\n") == (
        f"waiting for {po}, locked by another process (pid {holder.pid})… up to 20 s")
    assert 0.9 <= seen < 10
    assert "waiting for" not in err  # said once


def test_a_short_wait_says_nothing(proj: Path):
    po = proj / "locales" / "fr" / "LC_MESSAGES" / "letter.po"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, os, sys, time\n"
         "fd = os.open(sys.argv[1] + '.lock', os.O_RDWR | os.O_CREAT, 0o644)\n"
         "fcntl.flock(fd, fcntl.LOCK_EX)\nprint('locked', flush=True)\ntime.sleep(0.3)\n",
         str(po)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    proc = _update(proj, "20")
    out, err = proc.communicate(timeout=60)
    holder.wait()
    assert proc.returncode == 0, err
    assert "waiting for" not in err


def test_bounded_waits_of_the_web_ui_are_not_announced(tmp_path: Path, capfd):
    po = tmp_path / "x.po"
    po.write_text("", encoding="utf-8")
    holder = hold_lock(po)
    try:
        fileio.announce_lock_waits(True)
        try:
            with fileio.lock_wait(1.3), pytest.raises(LockTimeout), fileio.locked(po):
                pass
            assert "waiting for" not in capfd.readouterr().err
            with pytest.raises(LockTimeout), fileio.locked(po, timeout=1.3):  # CLI default
                pass
            err = capfd.readouterr().err
            assert err.count("waiting for") == 1 and f"(pid {holder.pid})" in err
        finally:
            fileio.announce_lock_waits(False)
    finally:
        holder.kill()
        holder.wait()

