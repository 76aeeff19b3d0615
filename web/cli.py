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
              help="Worker threads of each waitress server process.")
@click.option("--processes", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes sharing the port (prefork; one process is bound by "
                   "Python's GIL to one core). 1: no fork. A git-enabled project runs 1.")
@click.option("--demo", is_flag=True,
              help="First run: create the catalogues and machine drafts if there are none "
                   "yet, and a demo translator account for every language (password printed).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, threads: int, processes: int,
          demo: bool) -> None:
    """Run the review web UI with the waitress production server."""
    from workflow.vcs.settings import git_settings

    config = get_config(ctx)
    loopback = is_loopback(host)
    git = git_settings(config)
    if processes > 1 and not _prefork_supported():
        from workflow.errors import LetterflowError

        raise LetterflowError("--processes needs fork and sigtimedwait (Linux); "
                              "use --processes 1 here")
    elif processes > 1 and git.enabled:
        click.echo(f"Serving with 1 process, not {processes}: exactly one process may run "
                   "the git sync of a git-enabled project.")
        processes = 1
    if demo:
        _prepare_demo(ctx, config)
    test_config = {"SESSION_COOKIE_SECURE": not loopback}
    if processes == 1:  # everything in this process, as before --processes existed
        from web import create_app

        app = create_app(config, test_config=test_config)
        _first_run_notes(config, demo)
        _announce(git, host, port, loopback, 1)
        _serve_here(app, host, port, threads)
    else:
        _serve_forked(config, test_config, host, port, threads, processes, demo, git)


def _prefork_supported() -> bool:
    from .prefork import supported

    return supported()


def _serve_here(app: Any, host: str, port: int, threads: int) -> None:
    from .serving import serve, tune_for_serving

    tune_for_serving(app)
    serve(app, host=host, port=port, threads=threads, ident="letterflow",
          clear_untrusted_proxy_headers=True)


def _serve_forked(config: Any, test_config: dict[str, Any], host: str, port: int,
                  threads: int, processes: int, demo: bool, git: Any) -> None:
    """Validate, bind once, print, then fork *processes* children (web/prefork.py); each
    builds its own app after the fork."""
    from workflow.errors import LetterflowError

    from . import check_config
    from .prefork import StartupFailed, Supervisor, bind

    check_config(config)
    sock = bind(host, port)  # an address in use: one Error line (workflow.cli), no fork
    try:
        _first_run_notes(config, demo)
        _announce(git, host, port, is_loopback(host), processes)

        def make_app() -> Any:
            from web import create_app
            from workflow.crashpoint import crash_point

            from .serving import tune_for_serving

            crash_point("serve.start")  # the tests' child that dies at start-up
            app = create_app(config, test_config=test_config)
            tune_for_serving(app)
            return app

        supervisor = Supervisor(sock, make_app, processes, dict(
            threads=threads, ident="letterflow", clear_untrusted_proxy_headers=True,
            _quiet=True))
        try:
            code = supervisor.run()
        except StartupFailed as exc:
            raise LetterflowError(str(exc)) from None
    finally:
        sock.close()
    sys.exit(code)


def _announce(git: Any, host: str, port: int, loopback: bool,
              processes: int) -> None:
    if git.enabled:  # [tool.letterflow.git] enabled
        push = f"after {git.push_delay:g} s" if git.push else "off"
        pull = f"every {git.pull_interval:g} s" if git.pull_interval else "on demand"
        click.echo(f"Git: committing review changes; {git.remote}/{git.branch}, "
                   f"push {push}, pull {pull}.")
    if not loopback:
        click.echo("Warning: listening beyond loopback; session cookies are Secure, so put "
                   "an HTTPS proxy in front.", err=True)
    shown = f"[{host}]" if ":" in host else host
    procs = "1 process" if processes == 1 else f"{processes} processes"
    click.echo(f"Serving letterflow review on http://{shown}:{port}/  ({procs}; "
               "Ctrl+C to stop)")
    sys.stdout.flush()


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
