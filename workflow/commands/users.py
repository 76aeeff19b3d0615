"""Account commands: ``letterflow user add|list|passwd|email|disable``
(accounts: workflow/users.py).

Errors are :class:`~workflow.errors.LetterflowError`s; the ``letterflow`` group turns them
into one ``Error: ...`` line and exit 2.
"""

from __future__ import annotations

import json
import sys

import click

from ..cli import get_config


@click.group()
def user() -> None:
    """Manage review accounts (translator, coordinator, admin)."""


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["translator", "coordinator", "admin"]),
              default="translator", show_default=True)
@click.option("--lang", "langs", default="",
              help="Comma-separated languages a translator works on, e.g. fr,es.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--email", default="", help="E-mail for the author line of this user's git commits.")
@click.pass_context
def user_add(ctx: click.Context, name: str, role: str, langs: str,
             password_stdin: bool, email: str) -> None:
    """Create an account; prompts for the password."""
    from .. import db, users

    config = get_config(ctx)
    languages = [config.check_language(x.strip()) for x in langs.split(",") if x.strip()]
    if role == "translator" and not languages:
        raise users.UserError("a translator needs at least one language (--lang fr,es)")
    conn = db.connect(config.database)
    if users.find_user(conn, name) is not None:
        raise users.UserError(f"user {name!r} already exists")
    users.check_email(email)
    password = _read_password(password_stdin)
    created = users.add_user(conn, name, password, role, languages, email=email)
    scope = ", ".join(created.languages) if created.languages else "all languages"
    click.echo(f"Created {created.role} {created.name!r} ({scope}).")


@user.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
def user_list(ctx: click.Context, fmt: str) -> None:
    """List accounts."""
    from .. import db, users

    rows = users.list_users(db.connect(get_config(ctx).database))
    if fmt == "json":
        click.echo(json.dumps([{"name": u.name, "role": u.role, "languages": list(u.languages),
                                "active": u.active, "email": u.email} for u in rows], indent=2))
        return
    if not rows:
        click.echo("No accounts. Create one with: letterflow user add NAME --role coordinator")
    for u in rows:
        langs = ",".join(u.languages) or "all"
        click.echo(f"{u.name}\t{u.role}\t{langs}\t{'active' if u.active else 'disabled'}")


@user.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_context
def user_passwd(ctx: click.Context, name: str, password_stdin: bool) -> None:
    """Set a new password (ends the user's open sessions)."""
    from .. import db, users

    conn = db.connect(get_config(ctx).database)
    if users.find_user(conn, name) is None:
        raise users.UserError(f"no such user: {name!r}")
    users.set_password(conn, name, _read_password(password_stdin))
    click.echo(f"Password of {name!r} changed.")


@user.command("email")
@click.argument("name")
@click.argument("email")
@click.pass_context
def user_email(ctx: click.Context, name: str, email: str) -> None:
    """Set the e-mail of a user's git commits ("" to clear it)."""
    from .. import db, users

    users.set_email(db.connect(get_config(ctx).database), name, email)
    click.echo(f"E-mail of {name!r} set.")


@user.command("disable")
@click.argument("name")
@click.pass_context
def user_disable(ctx: click.Context, name: str) -> None:
    """Disable an account (its sessions end; the audit trail keeps its name)."""
    from .. import db, users

    users.set_active(db.connect(get_config(ctx).database), name, False)
    click.echo(f"Disabled {name!r}.")
