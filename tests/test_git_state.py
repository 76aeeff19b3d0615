"""The small parts of issue 15: config, the users' e-mail, the audit commit column and
its migration, and `letterflow sync` refusing to run without git configured."""

from __future__ import annotations

import json
import sqlite3

import pytest
from conftest import run_cli

from workflow import audit, db, users
from workflow.errors import ConfigError
from workflow.vcs.settings import git_settings


class _Cfg:
    def __init__(self, git):
        self.git = git


def test_settings_defaults_and_checks():
    s = git_settings(_Cfg({}))
    assert not s.enabled and s.remote == "origin" and s.branch == "translations"
    s = git_settings(_Cfg({"enabled": True, "push_delay": 2, "squash_window": 600}))
    assert s.enabled and s.push_delay == 2.0 and s.squash_window == 600.0
    for bad in ({"enabled": "yes"}, {"push_delay": -1}, {"branch": "a..b"},
                {"remote": ""}, {"password": "x"}, {"committer_name": "a\nb"}):
        with pytest.raises(ConfigError):
            git_settings(_Cfg(bad))


def test_user_email(tmp_path):
    conn = db.connect(tmp_path / "x.sqlite3")
    u = users.add_user(conn, "ana", "password-123", "translator", ["fr"], email="ana@ex.org")
    assert u.email == "ana@ex.org"
    assert users.find_by_email(conn, "ANA@ex.org").name == "ana"
    with pytest.raises(users.UserError):
        users.set_email(conn, "ana", "not an address")
    users.set_email(conn, "ana", "")
    assert users.find_user(conn, "ana").email == ""


def test_old_database_gains_the_columns_and_stays_append_only(tmp_path):
    path = tmp_path / "old.sqlite3"
    raw = sqlite3.connect(path)
    raw.executescript(audit.DDL.split("DROP TRIGGER")[0].replace(",\n    git_commit      TEXT",
                                                                  "")
                      + "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN "
                        "SELECT RAISE(ABORT, 'the audit trail is append-only'); END;")
    raw.execute("INSERT INTO audit (at, user, language, context, action, before, after)"
                " VALUES ('2026-01-01', 'old', 'fr', 'c', 'save', '[]', '[\"x\"]')")
    raw.execute("CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL"
                " UNIQUE, password_hash TEXT NOT NULL, role TEXT NOT NULL, languages TEXT NOT"
                " NULL DEFAULT '', active INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL)")
    raw.commit()
    raw.close()
    db._created.clear()
    conn = db.connect(path)
    row = audit.get(conn, 1)
    assert row.user == "old" and row.git_commit is None
    assert [r.id for r in audit.uncommitted(conn, "fr")] == [1]
    audit.set_commit(conn, [1], "a" * 40)
    assert audit.get(conn, 1).git_commit == "a" * 40 and audit.uncommitted(conn, "fr") == []
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit SET after='[]' WHERE id=1")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit WHERE id=1")
    assert users.add_user(conn, "bo", "password-123", "admin", email="bo@ex.org").email


def test_sync_without_git_is_a_one_line_error(project_dir):
    res = run_cli("--project", str(project_dir), "sync")
    assert res.returncode == 2
    assert "git is not enabled" in res.stderr and "Traceback" not in res.stderr
    with open(project_dir / "letterflow.toml", "a") as fh:
        fh.write("\n[git]\nenabled = true\n")
    res = run_cli("--project", str(project_dir), "sync")
    assert res.returncode == 2 and "not in a git working copy" in res.stderr, res.stderr


def test_user_cli_email(project_dir):
    res = run_cli("--project", str(project_dir), "user", "add", "ana", "--lang", "fr",
                  "--email", "ana@ex.org", "--password-stdin", input="password-123\n")
    assert res.returncode == 0, res.stderr
    res = run_cli("--project", str(project_dir), "user", "email", "ana", "a@b")
    assert res.returncode == 0, res.stderr
    out = json.loads(run_cli("--project", str(project_dir), "user", "list", "--format",
                             "json").stdout)
    assert out[0]["email"] == "a@b"
    res = run_cli("--project", str(project_dir), "user", "email", "ana", "bad address")
    assert res.returncode == 2 and "not an e-mail" in res.stderr
