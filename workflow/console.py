"""The ``letterflow`` console script. A plain ``letterflow [-p DIR] check [options]`` (the CI
gate, run on every push and often by hand) starts without click: its options are read by
``commands.options.parse_plain`` from the same declarations the click command is built from,
and it runs the same body (``commands.check_run.run``). Everything else (other commands,
``--help``, ``--version``, any option or value the plain parser does not accept, usage
errors) goes to the click group in ``workflow/cli.py``, which then answers exactly as it
always does."""

from __future__ import annotations

import os
import sys


def main() -> int | None:
    """The console script's entry point."""
    prepared = _plain_check(sys.argv[1:])
    if prepared is None:
        from .cli import main as click_main

        return click_main()
    return _run_check(*prepared)


def _plain_check(args: list[str]) -> tuple[str | None, dict] | None:
    """(project, check's option values) for a plain ``check`` command line, else None."""
    if not args or os.environ.get(_completion_variable()):
        return None
    from .commands.check_run import OPTIONS, PROJECT
    from .commands.options import NotPlain, parse_plain, with_defaults

    try:
        given, rest = parse_plain(args, (PROJECT,), stop="check")
        project = with_defaults((PROJECT,), given)["project"]
        check_given, _ = parse_plain(rest[1:], OPTIONS)
    except NotPlain:
        return None
    return project, with_defaults(OPTIONS, check_given)


def _completion_variable() -> str:
    """click's shell-completion variable for this program name."""
    name = os.path.basename(sys.argv[0]).replace("-", "_").replace(".", "_")
    return f"_{name}_COMPLETE".upper()


def _run_check(project: str | None, options: dict) -> int:
    """``check`` as the click group runs it: the lock-wait notice on, the configuration,
    the body; errors as ``LazyGroup.invoke`` prints them; a usage error goes to click."""
    from .commands.check_run import UnknownSkip, run
    from .errors import LetterflowError, os_error_line
    from .fileio import announce_lock_waits

    announce_lock_waits()
    try:
        try:
            text, code = run(project, **options)
            _echo(text, sys.stdout)
            __import__("gc").disable()  # the process ends now: no final collection of its heap
            return code
        except UnknownSkip:  # click words and prints the usage error
            from .cli import main as click_main

            return click_main()
        except LetterflowError as exc:
            _echo(f"Error: {exc}\n", sys.stderr)
            return exc.exit_code
        except OSError as exc:
            _echo(f"Error: {os_error_line(exc)}\n", sys.stderr)
            return 2
    except (EOFError, KeyboardInterrupt):
        _echo("\nAborted!\n", sys.stderr)
        return 1


def _echo(text: str, stream) -> None:
    """``click.echo(text, nl=False)``: click writes a str as it is unless it must strip
    ANSI codes (not a terminal) or re-encode (an ASCII stream); those cases go to click."""
    if "\x1b" in text or _ascii(getattr(stream, "encoding", None)):
        import click

        click.echo(text, nl=False, err=stream is sys.stderr)
        return
    stream.write(text)
    stream.flush()


def _ascii(encoding: str | None) -> bool:
    import codecs

    try:
        return codecs.lookup(encoding or "ascii").name == "ascii"
    except LookupError:
        return False
