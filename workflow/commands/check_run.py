"""``letterflow check``: its options (declared once, as data) and its body, without click.

The click command (``commands/catalog.py``) and the console script's fast path
(``workflow/console.py``) are both built from :data:`OPTIONS` and both run :func:`run`,
so they cannot drift apart."""

from __future__ import annotations

import sys

from .options import Opt

#: The group's own option, shared the same way (``workflow/cli.py``).
PROJECT = Opt(
    "--project",
    "-p",
    dest="project",
    kind="path",
    envvar="LETTERFLOW_PROJECT",
    help="Project folder (default: the nearest folder with [tool.letterflow]).",
)

OPTIONS: tuple[Opt, ...] = (
    Opt(
        "--require",
        dest="require",
        help='Languages that must be 100%% approved, e.g. "fr,de" (default: [tool.letterflow] '
        'required; "" for none).',
    ),
    Opt("--lang", dest="langs", help="Only check these languages (default: all configured)."),
    Opt(
        "--format",
        dest="fmt",
        kind="choice",
        choices=("text", "json", "junit", "github"),
        default="text",
        show_default=True,
    ),
    Opt(
        "--warnings",
        off="--no-warnings",
        dest="warnings",
        kind="flag",
        default=True,
        help="Show warning findings (text/github).",
    ),
    Opt(
        "--cache",
        off="--no-cache",
        dest="cache",
        kind="flag",
        default=True,
        help="Reuse results for catalogues whose bytes (and the template, letters, glossary, "
        "config and letterflow itself) are unchanged. Stored in .letterflow-cache/.",
    ),
    Opt(
        "--jobs",
        "-j",
        dest="jobs",
        kind="int",
        default=0,
        help="Worker processes (default: one per CPU for big projects, else 1).",
    ),
    Opt(
        "--skip",
        dest="skip",
        default="",
        help="Comma-separated QA check ids to leave out of this run, e.g. wrong-language "
        "(see `letterflow checks`).",
    ),
)

DOC = """The CI gate. Exit 1 if a required catalogue is incomplete, any catalogue is stale,
    malformed or has an error-severity QA finding on an approved message; 0 if all is well."""


class UnknownSkip(ValueError):
    """``--skip`` names a check that does not exist (click reports it as a usage error)."""


def run(project: str | None, require: str | None, langs: str | None, fmt: str, warnings: bool,
        cache: bool, jobs: int, skip: str) -> tuple[str, int]:
    """The gate as the command runs it on the project at *project* (None: from the current
    folder up): (the report in *fmt*, the exit code)."""
    from ..config import load_config
    from ..gate import render, run_gate

    cfg = load_config(project, memo=cache)

    skipped = frozenset(s.strip() for s in skip.split(",") if s.strip())
    if skipped:  # the check registry loads only when a run needs it
        from ..checks import registry

        unknown = sorted(skipped - set(registry))
        if unknown:
            raise UnknownSkip(f"unknown check id(s) for --skip: {', '.join(unknown)}")
    if require is not None:
        required = [] if require.strip() in ("", "none") else cfg.parse_languages(require)
    else:
        required = list(cfg.required)
    languages = cfg.parse_languages(langs)
    for lang in required:
        if lang not in languages:
            languages.append(lang)
    if sys.stderr.isatty() and len(languages) > 3:
        import click  # the progress bar, for people at a terminal

        with click.progressbar(
            length=len(languages), label="Checking catalogues", file=sys.stderr
        ) as pbar:
            report = run_gate(
                cfg,
                languages,
                required,
                use_cache=cache,
                jobs=jobs,
                progress=lambda _lang: pbar.update(1),
                skip=skipped,
            )
    else:
        report = run_gate(cfg, languages, required, use_cache=cache, jobs=jobs, skip=skipped)
    return render(report, fmt, cfg.root, show_warnings=warnings), 0 if report.ok else 1
