"""``letterflow serve``: the one command that needs Flask, so it lives in ``web/`` and is
registered through the ``letterflow.commands`` entry-point group (``workflow`` never
imports ``web``). Every other command, ``user`` included, is in ``workflow/commands/``.
Configuration and errors go through the ``letterflow`` group (``workflow.cli``): a
LetterflowError becomes one ``Error: ...`` line and its exit code.
"""

from __future__ import annotations

import ipaddress
import secrets
import sys
from typing import Any

import click

from workflow.cli import get_config

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


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
    from waitress import serve as waitress_serve

    from web import create_app

    config = get_config(ctx)
    loopback = is_loopback(host)
    if demo:
        _prepare_demo(ctx, config)
    app = create_app(config, test_config={"SESSION_COOKIE_SECURE": not loopback})
    _first_run_notes(config, demo)
    git = app.extensions.get("letterflow_git")
    if git is not None:  # [tool.letterflow.git] enabled
        s = git.settings
        push = f"after {s.push_delay:g} s" if s.push else "off"
        pull = f"every {s.pull_interval:g} s" if s.pull_interval else "on demand"
        click.echo(f"Git: committing review changes; {s.remote}/{s.branch}, "
                   f"push {push}, pull {pull}.")
    if not loopback:
        click.echo("Warning: listening beyond loopback; session cookies are Secure, so put "
                   "an HTTPS proxy in front.", err=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Serving letterflow review on http://{shown}:{port}/  (Ctrl+C to stop)")
    sys.stdout.flush()
    waitress_serve(app, host=host, port=port, threads=threads, ident="letterflow",
                   clear_untrusted_proxy_headers=True, _quiet=True)


def _first_run_notes(config: Any, demo: bool) -> None:
    """Create the demo account (``--demo``); say what is missing before anyone can review."""
    from workflow import db, users

    conn = db.connect(config.database)
    try:
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
    finally:
        conn.close()
    missing = [lang for lang in config.languages if not config.catalog(lang).is_file()]
    if missing:
        click.echo(f"No catalogue yet for: {', '.join(missing)} "
                   "(run `letterflow update` and `letterflow draft`).")


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
