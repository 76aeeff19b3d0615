"""workflow/users.py: accounts, scrypt hashes, per-language permissions."""

from __future__ import annotations

import sqlite3

import pytest

from workflow import db, users


@pytest.fixture
def conn(tmp_path):
    return db.connect(tmp_path / "u.sqlite3")


def test_add_and_authenticate(conn):
    u = users.add_user(conn, "ana", "correct horse", "translator", "fr, es")
    assert u.languages == ("fr", "es") and u.role == "translator"
    row = conn.execute("SELECT password_hash FROM users WHERE name='ana'").fetchone()[0]
    assert row.startswith("scrypt:") and "correct horse" not in row
    assert users.authenticate(conn, "ana", "correct horse").id == u.id
    assert users.authenticate(conn, "ANA", "correct horse").id == u.id  # names ignore case
    assert users.authenticate(conn, "ana", "wrong horse") is None
    assert users.authenticate(conn, "nobody", "correct horse") is None


def test_permissions(conn):
    t = users.add_user(conn, "t", "password1", "translator", ["fr"])
    c = users.add_user(conn, "c", "password1", "coordinator")
    assert t.can_edit("fr") and not t.can_edit("es")
    assert c.can_edit("es") and c.visible_languages(["fr", "es"]) == ["fr", "es"]
    assert t.visible_languages(["es", "fr"]) == ["fr"]


@pytest.mark.parametrize("name,pw,role,langs,msg", [
    ("bad name", "password1", "translator", "fr", "invalid user name"),
    ("", "password1", "translator", "fr", "invalid user name"),
    ("x", "password1", "root", "fr", "unknown role"),
    ("x", "short", "translator", "fr", "too short"),
    ("x", "password1", "translator", "", "at least one language"),
    ("x", "password1", "translator", "fr,../etc", "not a language code"),
])
def test_bad_accounts(conn, name, pw, role, langs, msg):
    with pytest.raises(users.UserError, match=msg):
        users.add_user(conn, name, pw, role, langs)


def test_duplicate_and_session_ids(conn):
    u = users.add_user(conn, "ana", "password1", "admin")
    with pytest.raises(users.UserError, match="already exists"):
        users.add_user(conn, "Ana", "password2", "admin")
    sid = u.session_id
    assert users.load_session_user(conn, sid).id == u.id
    users.set_password(conn, "ana", "password3")
    assert users.load_session_user(conn, sid) is None  # old sessions end
    fresh = users.find_user(conn, "ana")
    users.set_active(conn, "ana", False)
    assert users.load_session_user(conn, fresh.session_id) is None
    assert users.authenticate(conn, "ana", "password3") is None
    assert users.load_session_user(conn, "garbage") is None
    assert users.count_users(conn) == 0


def test_role_is_checked_by_sqlite_too(conn):
    users.add_user(conn, "ana", "password1", "admin")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE users SET role='god' WHERE name='ana'")
