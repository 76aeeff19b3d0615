"""``letterflow tm``: the translation memory (import/export TMX 1.4, sync, status)."""

from __future__ import annotations

import json

import click

from ..cli import get_config


@click.group()
def tm() -> None:
    """Translation memory: every approved entry of every letter, reused by the next one."""


def _memory(cfg):
    from ..tm.store import Memory

    return Memory(cfg.database)


@tm.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_context
def import_(ctx: click.Context, file: str) -> None:
    """Add the units of a TMX file (from OmegaT, Trados...) to the memory."""
    from ..tm.tmx import import_tmx

    cfg = get_config(ctx)
    memory = _memory(cfg)
    try:
        counts = import_tmx(cfg, memory, file)
    finally:
        memory.close()
    if not counts:
        click.echo(f"{file}: no unit with {cfg.source_language} and a configured language")
        return
    click.echo(f"{file}: " + ", ".join(f"{lang} {n}" for lang, n in sorted(counts.items()))
               + " unit(s) added")


@tm.command("export")
@click.option("--lang", "lang", required=True, help="The target language to export.")
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_context
def export(ctx: click.Context, lang: str, file: str) -> None:
    """Write the memory of one language as a TMX 1.4 file."""
    from ..tm.sync import sync_catalogs
    from ..tm.tmx import export_tmx

    cfg = get_config(ctx)
    lang = cfg.check_language(lang)
    memory = _memory(cfg)
    try:
        sync_catalogs(cfg, memory, [lang])
        n = export_tmx(cfg, memory, lang, file)
    finally:
        memory.close()
    click.echo(f"{file}: {n} {lang} unit(s)")


@tm.command("sync")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
def sync(ctx: click.Context, fmt: str) -> None:
    """Put every approved entry of every catalogue into the memory now."""
    from ..tm.sync import sync_catalogs

    cfg = get_config(ctx)
    memory = _memory(cfg)
    try:
        changed = sync_catalogs(cfg, memory, force=True)
        counts = {lang: memory.count(lang) for lang in cfg.languages}
    finally:
        memory.close()
    if fmt == "json":
        click.echo(json.dumps({"changed": changed, "units": counts}, indent=2))
        return
    for lang in cfg.languages:
        c = counts[lang]
        click.echo(f"{lang:8} {c.get('message', 0)} message(s), {c.get('segment', 0)} "
                   f"sentence(s); {changed.get(lang, 0)} added or changed now")
