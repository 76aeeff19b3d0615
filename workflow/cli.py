"""The ``letterflow`` command. Commands are imported lazily from their own modules, so
``letterflow check`` pays for neither Flask nor python-docx nor the MT clients. The console
script (``workflow/console.py``) runs a plain ``check`` command line without click, from the
same option declarations (``commands/check_run.py``), and hands everything else to
:data:`main`."""

from __future__ import annotations

import importlib
import sys

import click

from .commands.check_run import PROJECT
from .errors import LetterflowError, os_error_line

#: command name -> "module:attribute" inside workflow/.
COMMANDS: dict[str, str] = {
    "extract": "workflow.commands.catalog:extract",
    "update": "workflow.commands.catalog:update",
    "status": "workflow.commands.catalog:status",
    "check": "workflow.commands.catalog:check",
    "draft": "workflow.commands.mt:draft",
    "providers": "workflow.commands.mt:providers",
    "tm": "workflow.commands.tm:tm",
    "checks": "workflow.commands.qa:checks",
    "glossary": "workflow.commands.qa:glossary",
    "export": "workflow.commands.export:export",
    "preview": "workflow.commands.export:preview",
    "user": "workflow.commands.users:user",
    "countries": "workflow.commands.countries:countries",
    "sync": "workflow.commands.git:sync",
    "merge-po": "workflow.commands.git:merge_po",
}

#: Commands that need a package workflow/ must not import (only ``serve``: it needs Flask)
#: are registered through this entry-point group (pyproject.toml), by the web package.
ENTRY_POINT_GROUP = "letterflow.commands"


def _plugin_commands() -> dict[str, str]:
    from importlib.metadata import entry_points

    return {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *_plugin_commands()})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name) or _plugin_commands().get(name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        try:
            return getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError) as exc:
            raise click.ClickException(f"command {name!r} is not available: {exc}") from None

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except LetterflowError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except OSError as exc:  # permissions, a bad output path, a full disk: not a bug
            click.echo(f"Error: {os_error_line(exc)}", err=True)
            ctx.exit(2)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@PROJECT.click_decorator()
@click.version_option(package_name="letterflow")
@click.pass_context
def main(ctx: click.Context, project: str | None) -> None:
    """letterflow: advocacy letters -> gettext catalogues -> MT drafts -> review -> .docx."""
    from .fileio import announce_lock_waits

    announce_lock_waits()  # a wait for a catalogue's lock says so after a second
    ctx.ensure_object(dict)
    ctx.obj["project"] = project


def get_config(ctx: click.Context):
    """The project configuration, loaded once per invocation."""
    from .config import load_config

    root = ctx.find_root()
    root.ensure_object(dict)
    if "config" not in root.obj:
        root.obj["config"] = load_config(root.obj.get("project"))
    return root.obj["config"]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
