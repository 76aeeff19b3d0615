"""Git commands: ``letterflow sync`` (commit pending, pull + rebase, push) and
``letterflow merge-po`` (git's merge driver for catalogues)."""

from __future__ import annotations

import sys

import click

from ..cli import get_config


@click.command()
@click.option("--no-pull", is_flag=True, help="Only commit and push.")
@click.option("--no-push", is_flag=True, help="Only commit and pull.")
@click.pass_context
def sync(ctx: click.Context, no_pull: bool, no_push: bool) -> None:
    """Commit pending review changes, pull and rebase the configured branch, push.

    One line per step; exit 1 if a pull or push failed (commits stay local, nothing is
    lost; the next sync tries again). Credentials come from git's own configuration.
    """
    from .. import db
    from ..errors import ConfigError
    from ..vcs.repo import Repo
    from ..vcs.settings import git_settings
    from ..vcs.sync import sync as run_sync

    cfg = get_config(ctx)
    settings = git_settings(cfg)
    if not settings.enabled:
        raise ConfigError("git is not enabled: set [tool.letterflow.git] enabled = true")
    conn = db.connect(cfg.database)
    try:
        report = run_sync(cfg, conn, Repo(cfg.root, settings), pull=not no_pull,
                          push=not no_push)
    finally:
        conn.close()
    for line in report.lines:
        click.echo(line)
    if not report.ok:
        ctx.exit(1)


@click.command("merge-po")
@click.argument("base", type=click.Path(dir_okay=False))
@click.argument("ours", type=click.Path(dir_okay=False))
@click.argument("theirs", type=click.Path(dir_okay=False))
@click.argument("path", required=False)
def merge_po(base: str, ours: str, theirs: str, path: str | None) -> None:
    """Git merge driver: merge catalogues entry by entry (%O %A %B [%P]).

    Register it with `git config merge.letterflow.driver "letterflow merge-po %O %A %B %P"`
    and `*.po merge=letterflow` in .gitattributes. Always exits 0.
    """
    from ..vcs.merge_po import run

    sys.exit(run(base, ours, theirs, path))
