"""Command-line options declared once, as data, for two readers: click (every command, help,
errors) and :func:`parse_plain`, the tiny parser of the console script's click-free fast
path (``workflow/console.py``). Nothing here imports click at import time."""

from __future__ import annotations

import os


class Opt:
    """One option. *kind*: "text", "int", "choice" (one of *choices*), "flag" (a
    ``--x/--no-x`` pair: *decls* holds ``--x``, *off* holds ``--no-x``) or "path" (click's
    ``Path(file_okay=True, dir_okay=True)``: any string, refused only if it exists and
    cannot be read)."""

    __slots__ = ("decls", "dest", "kind", "default", "help", "choices", "off", "envvar",
                 "show_default")

    def __init__(self, *decls: str, dest: str, kind: str = "text", default=None,
                 help: str | None = None, choices: tuple[str, ...] = (), off: str = "",
                 envvar: str | None = None, show_default: bool = False):
        self.decls, self.dest, self.kind, self.default = decls, dest, kind, default
        self.help, self.choices, self.off, self.envvar = help, choices, off, envvar
        self.show_default = show_default

    def click_decorator(self):
        """This option as a ``@click.option`` decorator."""
        import click

        kw: dict = {"default": self.default, "help": self.help}
        if self.show_default:
            kw["show_default"] = True
        if self.envvar:
            kw["envvar"] = self.envvar
        if self.kind == "flag":
            return click.option(f"{self.decls[0]}/{self.off}", **kw)
        kw["type"] = {"text": None, "int": int, "choice": click.Choice(list(self.choices)),
                      "path": click.Path(file_okay=True, dir_okay=True)}[self.kind]
        if kw["type"] is None:
            del kw["type"]
        return click.option(*self.decls, self.dest, **kw)

    def convert(self, raw: str):
        """*raw* as click would convert it, or :class:`NotPlain` where click would refuse
        it (click then says why)."""
        if self.kind == "int":
            try:
                return int(raw)
            except ValueError:
                raise NotPlain from None
        if self.kind == "choice" and raw not in self.choices:
            raise NotPlain
        if self.kind == "path":
            try:
                os.stat(raw)
            except OSError:
                return raw
            if not os.access(raw, os.R_OK):
                raise NotPlain
        return raw


def click_options(options: tuple[Opt, ...]):
    """Decorate a click command with *options*, in their order (as stacked decorators)."""

    def apply(func):
        for opt in reversed(options):
            func = opt.click_decorator()(func)
        return func

    return apply


class NotPlain(Exception):
    """The command line is not one :func:`parse_plain` decides; click must read it."""


def parse_plain(args: list[str], options: tuple[Opt, ...], stop: str | None = None):
    """(the values given, by dest; the rest of *args*) for the options of one click
    command, or :class:`NotPlain` for anything else (help, an unknown option, a value click
    would refuse, an argument). Parsing ends at the word *stop* (a group's subcommand),
    which is returned first in the rest. Whatever this does not recognise is left to
    click, so that both always agree."""
    by_name: dict[str, tuple[Opt, bool | None]] = {}
    for opt in options:
        for name in opt.decls:
            by_name[name] = (opt, True if opt.off else None)
        if opt.off:
            by_name[opt.off] = (opt, False)
    given: dict = {}
    i = 0
    while i < len(args):
        arg = args[i]
        if stop is not None and arg == stop:
            return given, args[i:]
        if arg.startswith("--"):
            name, eq, inline = arg.partition("=")
        else:  # -jVALUE, as click reads a short option
            name, eq, inline = arg[:2], "", arg[2:]
        if name not in by_name:
            raise NotPlain
        opt, flag = by_name[name]
        if flag is not None:  # --x / --no-x takes no value
            if eq or inline:
                raise NotPlain
            given[opt.dest] = flag
        elif eq or inline:
            given[opt.dest] = opt.convert(inline)
        elif i + 1 < len(args):  # click takes the next word, even one that starts with "-"
            i += 1
            given[opt.dest] = opt.convert(args[i])
        else:
            raise NotPlain
        i += 1
    if stop is not None:
        raise NotPlain  # no subcommand: click prints the usage
    return given, []


def with_defaults(options: tuple[Opt, ...], given: dict) -> dict:
    """Every option's value: given on the command line, else from its non-empty
    environment variable (converted like click does), else its default."""
    values = {}
    for opt in options:
        if opt.dest in given:
            values[opt.dest] = given[opt.dest]
        elif opt.envvar and os.environ.get(opt.envvar):
            values[opt.dest] = opt.convert(os.environ[opt.envvar])
        else:
            values[opt.dest] = opt.default
    return values
