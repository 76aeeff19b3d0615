"""The console script's click-free path for a plain `letterflow check` (issue 9, warm gate
in <= 100 ms): it answers byte for byte as the click command does, for every option, error
and exit code, and a warm run on this repository imports neither click nor tomllib nor
tempfile, and parses no catalogue."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, write_project

EXE = Path(sys.executable).parent / "letterflow"


@pytest.fixture(scope="module")
def proj(tmp_path_factory) -> Path:
    root = write_project(tmp_path_factory.mktemp("fast") / "p", languages=("fr", "de", "ru"),
                         required=("fr",))
    for cmd in (["extract"], ["update"]):
        res = subprocess.run([str(EXE), *cmd], cwd=root, capture_output=True, text=True,
                             timeout=120)
        assert res.returncode == 0, res.stderr
    return root


#: the click group itself, under the console script's name (click prints it in usage lines)
CLICK = "import sys; sys.argv[0] = 'letterflow'; from workflow.cli import main; main()"


def _both(args: list[str], cwd: Path, env: dict | None = None):
    """(console script, click group) results of the same command line."""
    env = {**os.environ, **(env or {})}
    fast = subprocess.run([str(EXE), *args], cwd=cwd, env=env, capture_output=True,
                          timeout=120)
    slow = subprocess.run([sys.executable, "-c", CLICK, *args], cwd=cwd, env=env,
                          capture_output=True, timeout=120)
    return fast, slow


CASES = [
    ["check"],
    ["check", "--format", "json"],
    ["check", "--format=junit", "--no-warnings"],
    ["check", "--format", "github", "--warnings", "--no-warnings", "--warnings"],
    ["check", "--require", "", "--lang", "de"],
    ["check", "--require=fr,de", "-j1"],
    ["check", "--require", "none", "--jobs", "1", "--no-cache"],
    ["check", "-j", "1", "--cache", "--skip", "placeholders, spelling"],
    ["check", "--format", "json", "--format", "text"],
    ["check", "--skip", "no-such-check"],
    ["check", "--format", "yaml"],
    ["check", "--jobs", "two"],
    ["check", "-jx"],
    ["check", "--require"],
    ["check", "--require", "xx"],
    ["check", "--lang", "../x"],
    ["check", "--no-cache=1"],
    ["check", "--formats", "json"],
    ["check", "extra"],
    ["check", "--"],
    ["check", "-j", "-1", "--lang", "fr"],
    ["check", "--require", "--lang"],
    ["check", "--warnings=yes"],
    ["-p"],
    ["check", "--help"],
    ["check", "-h"],
    ["--help"],
    ["--version"],
    ["status"],
    [],
]


@pytest.mark.parametrize("args", CASES, ids=[" ".join(a) or "(none)" for a in CASES])
def test_console_script_answers_as_the_click_command(proj, args, tmp_path):
    cache = {"LETTERFLOW_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):  # cold, then warm
        fast, slow = _both(args, proj, cache)
        assert (fast.returncode, fast.stdout, fast.stderr) == (
            slow.returncode, slow.stdout, slow.stderr)
    assert b"Traceback" not in fast.stderr


@pytest.mark.parametrize("where", ["-p", "--project", "--project=", "-p=", "env"])
def test_project_option_and_variable(proj, where, tmp_path):
    cache = {"LETTERFLOW_CACHE_DIR": str(tmp_path / "cache")}
    if where == "env":
        args, env = ["check", "--format", "json"], {**cache, "LETTERFLOW_PROJECT": str(proj)}
    elif where.endswith("="):
        args, env = [f"{where}{proj}", "check"], cache
    else:
        args, env = [where, str(proj), "check"], cache
    fast, slow = _both(args, proj.parent, env)
    assert (fast.returncode, fast.stdout, fast.stderr) == (
        slow.returncode, slow.stdout, slow.stderr)
    assert (fast.returncode == 2) == (where == "-p=")  # "-p=DIR" names the folder "=DIR"
    if where != "-p=":
        assert b"check" in fast.stdout and fast.returncode == 1  # fr is required, not done


def test_errors_without_a_project(tmp_path):
    for args in (["check"], ["--project", str(tmp_path / "nowhere"), "check", "--no-cache"]):
        fast, slow = _both(args, tmp_path)
        assert fast.returncode == slow.returncode == 2
        assert fast.stderr == slow.stderr and fast.stderr.startswith(b"Error: no letterflow")


def test_warm_check_on_this_repository_loads_only_the_gate(tmp_path):
    """The warm path: no click, no TOML parser, no hashing, no temp files, no catalogue
    parsing (the stat memo knows the unchanged files)."""
    code = (
        "import sys\n"
        "sys.argv = ['letterflow', 'check']\n"
        "from workflow.console import main\n"
        "code = main()\n"
        "print('MODULES', sorted(sys.modules), file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "LETTERFLOW_CACHE_DIR": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env,
                           capture_output=True, text=True, timeout=300) for _ in range(2)]
    cold, warm = runs
    assert cold.returncode == warm.returncode == 0, cold.stderr + warm.stderr
    assert cold.stdout == warm.stdout and "catalogue(s) checked" in warm.stdout
    modules = set(ast.literal_eval(next(
        line for line in warm.stderr.splitlines() if line.startswith("MODULES "))[8:]))
    assert "workflow.catalogs" in set(ast.literal_eval(next(
        line for line in cold.stderr.splitlines() if line.startswith("MODULES "))[8:]))
    # each of these cost the warm gate milliseconds (click ~15, tomllib ~8, dataclasses with
    # inspect ~6, tempfile ~5, hashlib ~3): the warm path does without them
    loaded = sorted(m for m in modules if m.split(".")[0] in (
        "click", "tomllib", "tempfile", "hashlib", "dataclasses", "inspect", "typing",
        "flask", "docx", "babel", "lingua"))
    assert loaded == []
    assert not any(m.startswith(("workflow.catalogs", "workflow.checks")) for m in modules)
