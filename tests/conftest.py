"""Shared fixtures: a temporary letterflow project made from the repo's real letter."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def write_project(
    root: Path, languages=("fr", "es", "ru", "ar", "ja"), required=(), letters=None, extra: str = ""
) -> Path:
    """Create a project folder with a letterflow.toml and the seed letter."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "letters").mkdir(exist_ok=True)
    if letters is None:
        shutil.copy(REPO / "letters" / "icnk-2012.txt", root / "letters" / "icnk-2012.txt")
        letters = ["letters/icnk-2012.txt"]
    langs = ", ".join(f'"{lang}"' for lang in languages)
    req = ", ".join(f'"{lang}"' for lang in required)
    lets = ", ".join(f'"{p}"' for p in letters)
    (root / "letterflow.toml").write_text(
        f"languages = [{langs}]\nrequired = [{req}]\nletters = [{lets}]\n"
        f'database = "var/letterflow.sqlite3"\n{extra}',
        encoding="utf-8",
    )
    return root


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    """A fresh project with the seed letter, extracted and with created catalogues."""
    from workflow.catalogs import read_template_store, update_catalog
    from workflow.config import load_config
    from workflow.extract import extract_template

    root = write_project(tmp_path / "proj")
    cfg = load_config(root)
    extract_template(cfg)
    template = read_template_store(cfg.template)
    for lang in cfg.languages:
        update_catalog(template, cfg.catalog(lang), lang, cfg.domain)
    return root


@pytest.fixture
def config(project_dir: Path):
    from workflow.config import load_config

    return load_config(project_dir)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_server(proc: subprocess.Popen, port: int, log_path: Path | None = None,
                    timeout: float = 30) -> None:
    """Wait until *proc* accepts connections on *port*; fail with its log (*log_path*) or its
    exit code if it exits first."""
    import socket
    import time

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if proc.poll() is not None:
                log = Path(log_path).read_text(errors="replace") if log_path else ""
                raise AssertionError(log or f"the server exited with {proc.returncode}") from None
            time.sleep(0.1)
    raise AssertionError(f"server on port {port} did not start within {timeout:.0f} s")


def run_cli(*args: str, cwd: Path | None = None, input: str | None = None, env=None):
    """Run the real `letterflow` console entry point in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "workflow.cli", *args],
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


# ---------------------------------------------------------------------------------------
# Web fixtures (web/): a drafted project with accounts, built once and copied per test.

WEB_LANGUAGES = ("fr", "es", "ar", "de")
#: name -> (password, role, languages)
WEB_USERS = {
    "tr_fr": ("pw-tr-fr-1234", "translator", ["fr"]),
    "tr_es": ("pw-tr-es-1234", "translator", ["es", "ar"]),
    "coord": ("pw-coord-1234", "coordinator", []),
}


@pytest.fixture(scope="session")
def web_template(tmp_path_factory) -> Path:
    """A project (fr, es, ar, de) with pseudo-MT drafts for every entry and three accounts."""
    from click.testing import CliRunner

    from workflow import db, users
    from workflow.cli import main

    root = write_project(
        tmp_path_factory.mktemp("web") / "proj",
        languages=WEB_LANGUAGES,
        extra='\n[mt]\nprovider = "pseudo"\n',
    )
    runner = CliRunner()
    for args in (["update"], ["draft", "--provider", "pseudo"]):
        res = runner.invoke(main, ["--project", str(root), *args], catch_exceptions=False)
        assert res.exit_code == 0, res.output
    conn = db.connect(root / "var" / "letterflow.sqlite3")
    for name, (pw, role, langs) in WEB_USERS.items():
        users.add_user(conn, name, pw, role, langs)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    from export_support import approve_countries  # the cc line's {country_of}, reviewed

    from workflow.config import load_config

    approve_countries(load_config(root), "fr", {"FR": {"of": "de la France"},
                                                 "BE": {"of": "de la Belgique"}})
    return root


@pytest.fixture
def web_project(web_template: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "webproj"
    shutil.copytree(web_template, dest, ignore=shutil.ignore_patterns("*.lock"))
    return dest


@pytest.fixture
def app(web_project: Path):
    """The review app over a fresh copy of the project, CSRF off (see csrf_app)."""
    from web import create_app

    return create_app(
        project_dir=web_project,
        test_config={"TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "test-secret"},
    )


@pytest.fixture
def csrf_app(web_project: Path):
    """The review app with CSRF protection on, exactly as in production."""
    from web import create_app

    return create_app(project_dir=web_project, test_config={"SECRET_KEY": "test-secret"})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def web_login(client, name: str, password: str | None = None):
    """Log *client* in through the real login form; returns the response."""
    pw = password if password is not None else WEB_USERS[name][0]
    return client.post("/login", data={"name": name, "password": pw})
