"""``letterflow serve`` and ``letterflow user ...``: registered through the
``letterflow.commands`` entry-point group, so ``workflow`` never imports ``web``.

Also runnable on its own: ``python -m web.cli --project DIR serve``.
"""

from __future__ import annotations

import ipaddress
import secrets
import sys
from typing import Any

import click

from workflow.errors import LetterflowError

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _config(ctx: click.Context) -> Any:
    root = ctx.find_root()
    if isinstance(root.obj, dict):
        try:
            from workflow.cli import get_config
        except ImportError:
            get_config = None
        if get_config is not None:
            return get_config(ctx)
    from workflow.config import load_config

    project = root.obj.get("project") if isinstance(root.obj, dict) else None
    return load_config(project)


def _fail(ctx: click.Context, exc: LetterflowError) -> None:
    click.echo(f"Error: {exc}", err=True)
    ctx.exit(getattr(exc, "exit_code", 2))


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback needs HTTPS in front.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64),
              help="Worker threads of the waitress server.")
@click.option("--demo", is_flag=True,
              help="First run: create the catalogues and machine drafts if there are none "
                   "yet, and a demo translator account for every language (password printed).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, threads: int, demo: bool) -> None:
    """Run the review web UI with the waitress production server."""
    try:
        config = _config(ctx)
        from waitress import serve as waitress_serve

        from web import create_app
        from workflow import db, users

        loopback = is_loopback(host)
        if demo:
            _prepare_demo(ctx, config)
        app = create_app(config, test_config={"SESSION_COOKIE_SECURE": not loopback})
        git = app.extensions.get("letterflow_git")
        if git is not None:
            s = git.settings
            push = f"after {s.push_delay:g} s" if s.push else "off"
            pull = f"every {s.pull_interval:g} s" if s.pull_interval else "on demand"
            click.echo(f"Git: committing review changes; {s.remote}/{s.branch}, "
                       f"push {push}, pull {pull}.")
        conn = db.connect(config.database)
        if demo and users.find_user(conn, "demo") is None:
            password = secrets.token_urlsafe(12)
            users.add_user(conn, "demo", password, "translator", config.languages)
            click.echo(f"Demo translator account: user 'demo', password '{password}' "
                       f"(languages: {', '.join(config.languages)})")
        if users.count_users(conn) == 0:
            click.echo("No accounts yet. Create the first one in another terminal:\n"
                       "  letterflow user add NAME --role coordinator\n"
                       "  letterflow user add NAME --role translator --lang fr,es\n"
                       "(or restart with `letterflow serve --demo` for a demo translator).")
        missing = [lang for lang in config.languages if not config.catalog(lang).is_file()]
        if missing:
            click.echo(f"No catalogue yet for: {', '.join(missing)} "
                       "(run `letterflow update` and `letterflow draft`).")
        conn.close()
    except LetterflowError as exc:
        _fail(ctx, exc)
        return
    if not loopback:
        click.echo("Warning: listening beyond loopback; session cookies are Secure, so put "
                   "an HTTPS proxy in front.", err=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Serving letterflow review on http://{shown}:{port}/  (Ctrl+C to stop)")
    sys.stdout.flush()
    waitress_serve(app, host=host, port=port, threads=threads, ident="letterflow",
                   clear_untrusted_proxy_headers=True, _quiet=True)


def _prepare_demo(ctx: click.Context, config: Any) -> None:
    """Run `letterflow update` if a catalogue is missing and `letterflow draft` if an
    entry is still untranslated (drafting never touches drafts or approved text), through
    the real commands."""
    from workflow.catalogs import load_catalog

    root = ctx.find_root()
    group = root.command
    if not isinstance(group, click.Group):
        return
    if any(not config.catalog(lang).is_file() for lang in config.languages):
        cmd = group.get_command(root, "update")
        if cmd is not None:
            click.echo("Creating the catalogues (letterflow update)...")
            ctx.invoke(cmd)
    stats = [load_catalog(config.catalog(lang), language=lang).stats
             for lang in config.languages if config.catalog(lang).is_file()]
    if any(st.untranslated for st in stats):
        cmd = group.get_command(root, "draft")
        if cmd is not None:
            click.echo("Drafting machine translations (letterflow draft)...")
            ctx.invoke(cmd)


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
    from workflow import db, users

    try:
        config = _config(ctx)
        languages = [config.check_language(x.strip()) for x in langs.split(",") if x.strip()]
        if role == "translator" and not languages:
            raise users.UserError("a translator needs at least one language (--lang fr,es)")
        conn = db.connect(config.database)
        if users.find_user(conn, name) is not None:
            raise users.UserError(f"user {name!r} already exists")
        users.check_email(email)
        password = _read_password(password_stdin)
        created = users.add_user(conn, name, password, role, languages, email=email)
    except LetterflowError as exc:
        _fail(ctx, exc)
        return
    scope = ", ".join(created.languages) if created.languages else "all languages"
    click.echo(f"Created {created.role} {created.name!r} ({scope}).")


@user.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
def user_list(ctx: click.Context, fmt: str) -> None:
    """List accounts."""
    import json

    from workflow import db, users

    try:
        config = _config(ctx)
        rows = users.list_users(db.connect(config.database))
    except LetterflowError as exc:
        _fail(ctx, exc)
        return
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
    from workflow import db, users

    try:
        conn = db.connect(_config(ctx).database)
        if users.find_user(conn, name) is None:
            raise users.UserError(f"no such user: {name!r}")
        users.set_password(conn, name, _read_password(password_stdin))
    except LetterflowError as exc:
        _fail(ctx, exc)
        return
    click.echo(f"Password of {name!r} changed.")


@user.command("email")
@click.argument("name")
@click.argument("email")
@click.pass_context
def user_email(ctx: click.Context, name: str, email: str) -> None:
    """Set the e-mail of a user's git commits ("" to clear it)."""
    from workflow import db, users

    try:
        users.set_email(db.connect(_config(ctx).database), name, email)
    except LetterflowError as exc:
        _fail(ctx, exc)
        return
    click.echo(f"E-mail of {name!r} set.")


@user.command("disable")
@click.argument("name")
@click.pass_context
def user_disable(ctx: click.Context, name: str) -> None:
    """Disable an account (its sessions end; the audit trail keeps its name)."""
    from workflow import db, users

    try:
        users.set_active(db.connect(_config(ctx).database), name, False)
    except LetterflowError as exc:
        _fail(ctx, exc)
        return
    click.echo(f"Disabled {name!r}.")


@click.group()
@click.option("--project", "-p", type=click.Path(), envvar="LETTERFLOW_PROJECT",
              help="Project folder (default: the nearest folder with [tool.letterflow]).")
@click.pass_context
def cli(ctx: click.Context, project: str | None) -> None:
    """Stand-alone entry (python -m web.cli) with the same commands."""
    ctx.ensure_object(dict)
    ctx.obj["project"] = project


cli.add_command(serve)
cli.add_command(user)

if __name__ == "__main__":  # pragma: no cover
    cli()
