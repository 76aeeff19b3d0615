"""Accounts for the review UI: names, roles, per-language permissions, scrypt hashes.

One table, ``users``, in the project's SQLite file (see :mod:`workflow.db`).
Passwords are hashed with werkzeug's scrypt; the clear text is never stored.
Language codes are validated by the caller (``Config.check_language``) before they
get here; this module only checks their shape.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from workflow.db import ensure_columns, ensure_schema
from workflow.errors import LetterflowError

ROLES = ("translator", "coordinator", "admin")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
LANG_RE = re.compile(r"^[a-z]{2,3}(?:_[A-Za-z0-9]{2,8})*$")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024

DDL = """
CREATE TABLE IF NOT EXISTS users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('translator', 'coordinator', 'admin')),
    languages     TEXT NOT NULL DEFAULT '',
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    email         TEXT NOT NULL DEFAULT ''
);
"""
#: A plain address for git's author line (no spaces, angle brackets or newlines).
EMAIL_RE = re.compile(r"^[^\s<>@,;]+@[^\s<>@,;]+$")


class UserError(LetterflowError):
    """An account could not be created, found or changed (bad name, role, password...)."""


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    languages: tuple[str, ...]
    active: bool
    password_hash: str
    email: str = ""  # the author e-mail of this user's git commits (workflow.vcs)

    @property
    def sees_all_languages(self) -> bool:
        """Coordinators and admins see and edit every configured language."""
        return self.role in ("coordinator", "admin")

    @property
    def is_coordinator(self) -> bool:
        return self.role in ("coordinator", "admin")

    def can_edit(self, language: str) -> bool:
        return self.active and (self.sees_all_languages or language in self.languages)

    def visible_languages(self, configured: list[str]) -> list[str]:
        if self.sees_all_languages:
            return list(configured)
        return [lang for lang in configured if lang in self.languages]

    @property
    def session_id(self) -> str:
        """Flask-Login id: changes when the password changes, ending old sessions."""
        return f"{self.id}:{self.password_hash[-12:]}"


def _schema(conn: sqlite3.Connection) -> None:
    ensure_schema(conn, "users", DDL, migrate=_migrate)


def _migrate(conn: sqlite3.Connection) -> None:
    ensure_columns(conn, "users", {"email": "TEXT NOT NULL DEFAULT ''"})


def _row(row: sqlite3.Row | None) -> User | None:
    if row is None:
        return None
    langs = tuple(x for x in row["languages"].split(",") if x)
    return User(row["id"], row["name"], row["role"], langs, bool(row["active"]),
                row["password_hash"], row["email"] or "")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"password too short: use at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise UserError(f"password too long: at most {MAX_PASSWORD} characters")


def hash_password(password: str) -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash(password, method="scrypt")


def parse_languages(value: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """``"fr, es"`` or ``["fr", "es"]`` -> ``("fr", "es")``; shape-checked, order kept."""
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        code = item.strip()
        if not code:
            continue
        if not LANG_RE.match(code):
            raise UserError(f"not a language code: {code!r}")
        if code not in out:
            out.append(code)
    return tuple(out)


def add_user(
    conn: sqlite3.Connection,
    name: str,
    password: str,
    role: str = "translator",
    languages: str | list[str] | tuple[str, ...] | None = None,
    email: str = "",
) -> User:
    """Create an account. Translators need at least one language."""
    _schema(conn)
    if not NAME_RE.match(name or ""):
        raise UserError(
            f"invalid user name {name!r}: use 1-64 letters, digits, '.', '_', '@' or '-'"
        )
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
    langs = parse_languages(languages)
    if role == "translator" and not langs:
        raise UserError("a translator needs at least one language (--lang fr,es)")
    _check_password(password)
    email = check_email(email)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        cur = conn.execute(
            "INSERT INTO users (name, password_hash, role, languages, created_at, email)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (name, hash_password(password), role, ",".join(langs), now, email),
        )
    except sqlite3.IntegrityError:
        raise UserError(f"user {name!r} already exists") from None
    user = get_user(conn, int(cur.lastrowid))
    assert user is not None
    return user


def get_user(conn: sqlite3.Connection, user_id: int) -> User | None:
    _schema(conn)
    return _row(conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone())


def find_user(conn: sqlite3.Connection, name: str) -> User | None:
    _schema(conn)
    return _row(conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone())


def load_session_user(conn: sqlite3.Connection, session_id: str) -> User | None:
    """The user behind a Flask-Login id (``"<id>:<hash tail>"``), or None if stale."""
    head, _, tail = session_id.partition(":")
    if not head.isdigit():
        return None
    user = get_user(conn, int(head))
    if user is None or not user.active or user.session_id != session_id:
        return None
    return user


def authenticate(conn: sqlite3.Connection, name: str, password: str) -> User | None:
    """The active user if *password* is right, else None (same work either way)."""
    from werkzeug.security import check_password_hash

    user = find_user(conn, name) if name and len(name) <= 64 else None
    if user is None or len(password) > MAX_PASSWORD:
        # Spend the same time as a real check so names cannot be probed by timing.
        check_password_hash(_DUMMY_HASH(), password[:MAX_PASSWORD])
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    return user if user.active else None


_dummy: list[str] = []


def _DUMMY_HASH() -> str:  # noqa: N802 - a lazily computed constant
    if not _dummy:
        _dummy.append(hash_password("letterflow-dummy-password"))
    return _dummy[0]


def list_users(conn: sqlite3.Connection) -> list[User]:
    _schema(conn)
    return [u for r in conn.execute("SELECT * FROM users ORDER BY name") if (u := _row(r))]


def count_users(conn: sqlite3.Connection) -> int:
    _schema(conn)
    return int(conn.execute("SELECT COUNT(*) FROM users WHERE active = 1").fetchone()[0])


def set_password(conn: sqlite3.Connection, name: str, password: str) -> None:
    _check_password(password)
    user = find_user(conn, name)
    if user is None:
        raise UserError(f"no such user: {name!r}")
    conn.execute("UPDATE users SET password_hash = ? WHERE id = ?",
                 (hash_password(password), user.id))


def set_active(conn: sqlite3.Connection, name: str, active: bool) -> None:
    user = find_user(conn, name)
    if user is None:
        raise UserError(f"no such user: {name!r}")
    conn.execute("UPDATE users SET active = ? WHERE id = ?", (int(active), user.id))


def check_email(email: str | None) -> str:
    """An e-mail address fit for a git author line, or "" (none); UserError if malformed."""
    email = (email or "").strip()
    if email and (len(email) > 254 or not EMAIL_RE.match(email)):
        raise UserError(f"not an e-mail address: {email!r}")
    return email


def set_email(conn: sqlite3.Connection, name: str, email: str) -> None:
    email = check_email(email)
    user = find_user(conn, name)
    if user is None:
        raise UserError(f"no such user: {name!r}")
    conn.execute("UPDATE users SET email = ? WHERE id = ?", (email, user.id))


def find_by_email(conn: sqlite3.Connection, email: str) -> User | None:
    """The account with this e-mail (case-insensitive), if exactly one has it."""
    _schema(conn)
    rows = conn.execute("SELECT * FROM users WHERE email != '' AND lower(email) = lower(?)",
                        (email.strip(),)).fetchall()
    return _row(rows[0]) if len(rows) == 1 else None
