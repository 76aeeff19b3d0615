"""Operating-system errors and held locks (issue 10, defect 7): one line and exit 2, never
a traceback (exit 1 means "a check failed" to CI); a lock wait ends with a message. The
real ``letterflow`` process on real paths: a folder that refuses writes (sysfs), a missing
parent, a full device (/dev/full), a lock held by another process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, write_project

EXE = Path(sys.executable).parent / "letterflow"


@pytest.fixture(scope="module")
def proj(tmp_path_factory) -> Path:
    root = write_project(tmp_path_factory.mktemp("oserr") / "proj", languages=("fr", "de"))
    assert _lf(root, "update").returncode == 0
    (root / "r.csv").write_text("country,language,name,fallback\nFR,fr,Jean Dupont,yes\n",
                                encoding="utf-8")
    return root


def _lf(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(EXE), "--project", str(root), *args], capture_output=True,
                          text=True, timeout=120, env={**os.environ, **(env or {})})


def assert_one_line_exit_2(proc: subprocess.CompletedProcess, expected: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, proc.stderr
    assert expected in errors[0], errors[0]


def test_export_to_an_impossible_folder(proj: Path):
    proc = _lf(proj, "export", str(proj / "r.csv"), "--out", "/proc/nope", "--allow-drafts")
    assert_one_line_exit_2(proc, "No such file or directory")


def test_preview_to_a_missing_folder(proj: Path):
    proc = _lf(proj, "preview", "--lang", "fr", "--country", "FR", "--out", "/proc/nope/p.html")
    assert_one_line_exit_2(proc, "/proc/nope/p.html")


def test_preview_to_a_full_disk(proj: Path):
    proc = _lf(proj, "preview", "--lang", "fr", "--country", "FR", "--out", "/dev/full")
    assert_one_line_exit_2(proc, "No space left on device")


def test_a_locales_folder_that_refuses_writes(tmp_path: Path):
    # sysfs refuses new folders to every user, root included (chmod would not stop root)
    root = write_project(tmp_path / "ro", languages=("fr",),
                         extra='locales_dir = "/sys/fs/letterflow-test"\n')
    proc = _lf(root, "update")
    assert_one_line_exit_2(proc, "/sys/fs/letterflow-test")


def test_a_held_lock_ends_the_wait_with_a_message(proj: Path):
    po = proj / "locales" / "fr" / "LC_MESSAGES" / "letter.po"
    holder = hold_lock(po)
    try:
        start = time.monotonic()
        proc = _lf(proj, "update", "--no-extract", env={"LETTERFLOW_LOCK_TIMEOUT": "2"})
        took = time.monotonic() - start
    finally:
        holder.kill()
        holder.wait()
    assert_one_line_exit_2(proc, "locked by another process (waited 2 s)")
    assert took < 30
    assert _lf(proj, "update", "--no-extract").returncode == 0  # free again


def test_the_cli_waits_about_30_seconds_by_default():
    code = ("from workflow.fileio import LOCK_TIMEOUT, lock_timeout, lock_wait\n"
            "assert LOCK_TIMEOUT == 30.0 and lock_timeout() == 30.0\n"
            "with lock_wait(3):\n    assert lock_timeout() == 3\n")
    env = {k: v for k, v in os.environ.items() if k != "LETTERFLOW_LOCK_TIMEOUT"}
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def hold_lock(path: Path) -> subprocess.Popen:
    """Another process holding *path*'s catalogue lock until killed."""
    code = ("import fcntl, os, sys, time\n"
            "fd = os.open(sys.argv[1] + '.lock', os.O_RDWR | os.O_CREAT, 0o644)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\nprint('locked', flush=True)\ntime.sleep(600)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc
