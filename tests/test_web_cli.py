"""`letterflow user ...` and `letterflow serve` (through the real letterflow CLI group)."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
import requests
from click.testing import CliRunner
from conftest import free_port, wait_for_server

from web.cli import is_loopback
from workflow import db, users
from workflow.cli import main


def _run(project, *args, input=None):
    return CliRunner().invoke(main, ["--project", str(project), *args], input=input)


def test_user_add_with_stdin_password_and_list(web_project):
    r = _run(web_project, "user", "add", "nina", "--role", "translator", "--lang", "fr,de",
             "--password-stdin", input="a-long-password\n")
    assert r.exit_code == 0, r.output
    conn = db.connect(web_project / "var" / "letterflow.sqlite3")
    u = users.authenticate(conn, "nina", "a-long-password")
    assert u and u.role == "translator" and u.languages == ("fr", "de")
    assert u.password_hash.startswith("scrypt:")
    r = _run(web_project, "user", "list", "--format", "json")
    assert '"nina"' in r.output


def test_user_add_prompts_for_password(web_project):
    r = _run(web_project, "user", "add", "boss", "--role", "coordinator",
             input="another-password\nanother-password\n")
    assert r.exit_code == 0, r.output
    conn = db.connect(web_project / "var" / "letterflow.sqlite3")
    assert users.authenticate(conn, "boss", "another-password").role == "coordinator"


@pytest.mark.parametrize("args,stdin,msg", [
    (["--role", "translator"], "password123\n", "at least one language"),
    (["--role", "translator", "--lang", "xx"], "password123\n", "not configured"),
    (["--role", "translator", "--lang", "../fr"], "password123\n", "not a language"),
    (["--role", "coordinator"], "short\n", "too short"),
])
def test_user_add_errors_are_one_line_exit_2(web_project, args, stdin, msg):
    r = _run(web_project, "user", "add", "zed", *args, "--password-stdin", input=stdin)
    assert r.exit_code == 2 and msg in r.output and "Traceback" not in r.output
    r = _run(web_project, "user", "add", "tr_fr", "--role", "coordinator", "--password-stdin",
             input="password123\n")
    assert r.exit_code == 2 and "already exists" in r.output


def test_passwd_ends_sessions_and_disable(web_project):
    from web import create_app

    app = create_app(project_dir=web_project, test_config={"WTF_CSRF_ENABLED": False})
    c = app.test_client()
    c.post("/login", data={"name": "tr_fr", "password": "pw-tr-fr-1234"})
    assert c.get("/").status_code == 200
    r = _run(web_project, "user", "passwd", "tr_fr", "--password-stdin", input="new-password-1\n")
    assert r.exit_code == 0
    time.sleep(1.1)  # web.auth.USER_CACHE_SECONDS
    assert c.get("/").status_code == 302  # the old session is gone
    r = _run(web_project, "user", "disable", "tr_fr")
    assert r.exit_code == 0
    assert c.post("/login", data={"name": "tr_fr", "password": "new-password-1"}).status_code == 401


def test_loopback_detection():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")


def test_serve_first_run_message_and_waitress(tmp_path):
    from conftest import write_project

    root = write_project(tmp_path / "fresh", languages=("fr",))
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "workflow.cli", "--project", str(root), "serve", "--port",
         str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        deadline = time.time() + 30
        while time.time() < deadline:
            line = proc.stdout.readline()
            lines.append(line)
            if "Serving letterflow" in line:
                break
        out = "".join(lines)
        assert "No accounts yet" in out and "letterflow user add" in out
        assert f"http://127.0.0.1:{port}/" in out
        wait_for_server(proc, port, timeout=20)
        r = requests.get(f"http://127.0.0.1:{port}/login", timeout=10)
        assert r.status_code == 200 and "No accounts exist yet" in r.text
        assert r.headers["Server"] == "letterflow"  # waitress ident, not the dev server
        assert "Secure" not in r.headers.get("Set-Cookie", "")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_demo_prints_account(tmp_path):
    from conftest import write_project

    root = write_project(tmp_path / "demo", languages=("fr", "es"),
                         extra='[mt]\nprovider = "pseudo"\n')
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "workflow.cli", "--project", str(root), "serve", "--demo",
         "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        out = ""
        deadline = time.time() + 30
        while time.time() < deadline and "Serving" not in out:
            out += proc.stdout.readline()
        assert "Demo translator account: user 'demo', password '" in out
        password = out.split("password '")[1].split("'")[0]
        wait_for_server(proc, port, timeout=20)
        s = requests.Session()
        token = s.get(f"http://127.0.0.1:{port}/api/session", timeout=10).json()["csrf_token"]
        r = s.post(f"http://127.0.0.1:{port}/api/login", json={"name": "demo",
                   "password": password}, headers={"X-CSRFToken": token}, timeout=10)
        assert r.status_code == 200 and r.json()["user"]["languages"] == ["fr", "es"]
        # the first run created the catalogues and the machine drafts wait for review
        langs = s.get(f"http://127.0.0.1:{port}/api/languages", timeout=10).json()["languages"]
        assert [x["draft"] for x in langs] == [x["total"] for x in langs]
        assert all(x["total"] > 10 for x in langs)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_commands_have_one_home_and_only_serve_needs_flask(web_project):
    """Every command lives in workflow/commands/; web/cli.py holds only `serve`, the one
    command registered through the entry-point group; `user` runs without Flask."""
    from importlib.metadata import entry_points

    import click

    import web.cli
    from workflow.cli import COMMANDS, ENTRY_POINT_GROUP

    assert all(target.startswith("workflow.commands.") for target in COMMANDS.values())
    assert "user" in COMMANDS and "serve" not in COMMANDS
    plugins = {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}
    assert plugins == {"serve": "web.cli:serve"}
    assert [n for n, v in vars(web.cli).items() if isinstance(v, click.Command)] == ["serve"]
    code = ("import sys\nfrom workflow.cli import main\n"
            "try:\n    main(['--project', sys.argv[1], 'user', 'list'])\n"
            "except SystemExit as e:\n    assert not e.code, e.code\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'web')))\n")
    res = subprocess.run([sys.executable, "-c", code, str(web_project)], capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "tr_fr" in res.stdout and res.stdout.strip().endswith("[]")
