"""Catalogue commands: extract, update, status, and the CI gate ``check``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..cli import get_config
from ..errors import LetterflowError
from . import check_run
from .options import click_options

if TYPE_CHECKING:
    from ..catalogs.merge import UpdateResult


def _fmt_option():
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="text for people, json for machines.",
    )


@click.command()
@click.pass_context
def extract(ctx: click.Context) -> None:
    """Extract the letter(s) into the template (locales/<domain>.pot).

    Same result as `pybabel extract -F babel.cfg -o locales/letter.pot .`, but an
    unchanged letter leaves the template byte-identical (no POT-Creation-Date churn).
    """
    from ..extract import extract_template

    cfg = get_config(ctx)
    path, written = extract_template(cfg)
    rel = path.relative_to(cfg.root) if path.is_relative_to(cfg.root) else path
    click.echo(f"{'wrote' if written else 'unchanged:'} {rel}")


_worker_template = None


def _worker_init(template_path: str) -> None:
    global _worker_template
    from ..catalogs import read_template_store

    _worker_template = read_template_store(template_path)


def _worker_update(args: tuple[str, str, str]):
    from ..catalogs import update_catalog

    path, lang, domain = args
    return update_catalog(_worker_template, Path(path), lang, domain)


@click.command()
@click.option("--lang", "langs", help="Comma-separated languages (default: all configured).")
@click.option("--no-extract", is_flag=True, help="Do not re-extract the template first.")
@click.option(
    "--jobs",
    "-j",
    type=int,
    default=0,
    help="Worker processes (default: one per CPU for big templates, else 1).",
)
@_fmt_option()
@click.pass_context
def update(ctx: click.Context, langs: str | None, no_extract: bool, jobs: int, fmt: str) -> None:
    """Create missing catalogues and update existing ones from the template.

    msgmerge semantics: a message whose source changed becomes fuzzy, keeps its old
    translation and records the previous source (#|); removed messages become
    obsolete (#~), never deleted. A template made by pybabel (``extracted_by =
    "pybabel"``, the review UI's domain) is not re-extracted from letters here.
    """
    from ..extract import extract_template

    cfg = get_config(ctx)
    languages = cfg.parse_languages(langs)
    if not no_extract and cfg.extracted_by == "letterflow":
        extract_template(cfg)
    if jobs <= 0:
        big = cfg.template.exists() and cfg.template.stat().st_size > 1_000_000
        jobs = min(os.cpu_count() or 1, len(languages)) if big else 1
    tasks = [(str(cfg.catalog(lang)), lang, cfg.domain) for lang in languages]
    results = _update_all(cfg.template, tasks, jobs)
    if fmt == "json":
        import json

        click.echo(json.dumps([_update_row(r) for r in results], indent=2))
        return
    for r in results:
        what = "created" if r.created else ("updated" if r.written else "unchanged")
        detail = (
            f" (new {r.new}, now fuzzy {r.fuzzy}, obsoleted {r.obsolete})"
            if r.written and not r.created
            else ""
        )
        click.echo(f"{r.language:8} {what}{detail}")


def _update_all(
    template_path: Path, tasks: list[tuple[str, str, str]], jobs: int
) -> list[UpdateResult]:
    """Update every (path, language, domain) task, in *jobs* processes, with a progress bar."""
    from ..catalogs import read_template_store, update_catalog

    results: list[UpdateResult] = []
    label = "Updating catalogues"
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(
            jobs, initializer=_worker_init, initargs=(str(template_path),)
        ) as pool:
            with click.progressbar(length=len(tasks), label=label, file=sys.stderr) as bar:
                for res in pool.map(_worker_update, tasks):
                    results.append(res)
                    bar.update(1)
    else:
        template = read_template_store(template_path)
        with click.progressbar(
            tasks, label=label, file=sys.stderr, item_show_func=lambda t: t[1] if t else ""
        ) as bar:
            for path, lang, domain in bar:
                results.append(update_catalog(template, Path(path), lang, domain))
    return results


def _update_row(r: UpdateResult) -> dict:
    """One update result as the JSON object `letterflow update --format json` prints."""
    return {
        "language": r.language,
        "path": str(r.path),
        "created": r.created,
        "written": r.written,
        "new": r.new,
        "fuzzy": r.fuzzy,
        "obsolete": r.obsolete,
    }


def bar(percent: float, width: int = 20) -> str:
    filled = int(round(percent / 100 * width))
    return "█" * filled + "░" * (width - filled)


@click.command()
@click.option("--lang", "langs", help="Comma-separated languages (default: all configured).")
@_fmt_option()
@click.pass_context
def status(ctx: click.Context, langs: str | None, fmt: str) -> None:
    """Per-language progress: approved, draft (fuzzy), untranslated, obsolete."""
    from ..catalogs import load_catalog

    cfg = get_config(ctx)
    rows = []
    for lang in cfg.parse_languages(langs):
        path = cfg.catalog(lang)
        if not path.exists():
            rows.append({"language": lang, "missing": True})
            continue
        stats = load_catalog(path, lang).stats
        rows.append({"language": lang, "missing": False, **stats.as_dict()})
    if fmt == "json":
        import json

        click.echo(json.dumps(rows, indent=2))
        return
    click.echo(
        f"{'lang':8} {'progress':28} {'approved':>8} {'draft':>6} {'untransl':>8} {'obsolete':>8}"
    )
    for r in rows:
        if r["missing"]:
            click.echo(f"{r['language']:8} (no catalogue: run `letterflow update`)")
            continue
        click.echo(
            f"{r['language']:8} {bar(r['percent'])} {r['percent']:5.1f}% "
            f"{r['approved']:>8} {r['draft']:>6} {r['untranslated']:>8} {r['obsolete']:>8}"
        )


@click.command(help=check_run.DOC)
@click_options(check_run.OPTIONS)
@click.pass_context
def check(ctx: click.Context, **options) -> None:
    root = ctx.find_root()
    root.ensure_object(dict)
    try:
        text, code = check_run.run(root.obj.get("project"), **options)
    except check_run.UnknownSkip as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(text, nl=False)
    ctx.exit(code)


__all__ = ["extract", "update", "status", "check", "LetterflowError"]
