"""``letterflow checks`` (the QA check list) and ``letterflow glossary`` (terms, misses)."""

from __future__ import annotations

import json

import click

from workflow.cli import get_config
from workflow.errors import ConfigError

FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)


@click.command()
@FORMAT
def checks(fmt: str) -> None:
    """List every QA check with its id, severity and description."""
    from workflow.checks import registry

    rows = [
        {"id": c.id, "severity": c.severity, "title": c.title(), "description": c.description()}
        for c in registry.values()
    ]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    import textwrap

    width = max(len(r["id"]) for r in rows)
    indent = " " * (width + 11)
    for r in rows:
        click.echo(f"{r['id']:<{width}}  {r['severity']:<7}  {r['title']}")
        click.echo(
            textwrap.fill(r["description"], 100, initial_indent=indent, subsequent_indent=indent)
        )
    click.echo(
        "\nSilence a check for one entry with '#, letterflow-ignore: <id>', "
        "for a catalogue with the header 'X-Letterflow-Ignore: <id>'."
    )


def _languages(cfg, specs: tuple[str, ...]) -> list[str]:
    wanted: list[str] = []
    for spec in specs:
        for code in (c.strip() for c in spec.split(",")):
            if not code:
                continue
            if code == "all":
                wanted.extend(cfg.languages)
            else:
                wanted.append(cfg.check_language(code))
    return list(dict.fromkeys(wanted))


@click.command()
@click.option(
    "--lang",
    "langs",
    multiple=True,
    metavar="CODE",
    help="Show the glossary terms this catalogue misses (repeatable, comma list, or 'all').",
)
@FORMAT
@click.pass_context
def glossary(ctx: click.Context, langs: tuple[str, ...], fmt: str) -> None:
    """List the glossary terms, or (--lang) the terms a catalogue misses.

    With --lang the exit code is 1 if a mandatory term is missing from a translated entry.
    """
    from workflow.checks.glossary import load_glossary

    cfg = get_config(ctx)
    gloss = load_glossary(cfg.glossary, cfg.languages, source_language=cfg.source_language)
    languages = _languages(cfg, langs)
    if not languages:
        _list_terms(gloss, cfg, fmt)
        return
    report = {lang: _misses(gloss, cfg, lang) for lang in languages}
    if fmt == "json":
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for lang, misses in report.items():
            head = f"{lang}: {len(misses)} missing glossary term(s)"
            click.echo(head if misses else f"{lang}: every glossary term used")
            for m in misses:
                click.echo(
                    f"  {m['path']}:{m['line']}: {m['requirement']}: {m['context']}: "
                    f"{m['term']!r} -> {m['expected']!r}"
                )
    if any(m["requirement"] == "mandatory" for misses in report.values() for m in misses):
        ctx.exit(1)


def _list_terms(gloss, cfg, fmt: str) -> None:
    languages = [cfg.source_language, *cfg.languages]
    rows = [
        {
            "id": c.id,
            "requirement": c.requirement,
            "terms": {lang: c.preferred(lang) for lang in languages},
            "variants": {
                lang: [t.text for t in c.terms.get(lang, ())][1:]
                for lang in languages
                if len(c.terms.get(lang, ())) > 1
            },
        }
        for c in gloss.concepts
    ]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    click.echo(f"{gloss.path}: {len(rows)} term(s)")
    for r in rows:
        click.echo(f"\n{r['terms'][cfg.source_language]}  [{r['requirement']}]")
        for lang in cfg.languages:
            extra = r["variants"].get(lang)
            also = f"  (also: {', '.join(extra)})" if extra else ""
            click.echo(f"  {lang:<6} {r['terms'][lang]}{also}")


def _misses(gloss, cfg, lang: str) -> list[dict]:
    from workflow.catalogs import load_catalog
    from workflow.checks.base import Unit, entry_ignores
    from workflow.checks.glossary import missing_terms
    from workflow.checks.runner import catalog_ignores

    path = cfg.catalog(lang)
    if not path.exists():
        raise ConfigError(f"{path}: no catalogue for {lang!r}: run `letterflow update`")
    catalog = load_catalog(path, lang)
    out: list[dict] = []
    if "glossary" in catalog_ignores(catalog):
        return out
    for msg in catalog.active():
        if not any(msg.strings) or "glossary" in entry_ignores(msg.flags):
            continue
        unit = Unit(msg, catalog, lang, cfg)
        seen: set[str] = set()
        for _i, source, text in unit.forms():
            for concept in missing_terms(gloss, source, text, lang):
                if concept.id in seen:
                    continue
                seen.add(concept.id)
                out.append(
                    {
                        "context": msg.context,
                        "path": str(path),
                        "line": msg.line,
                        "state": msg.state,
                        "requirement": concept.requirement,
                        "term": concept.name,
                        "expected": concept.preferred(lang),
                    }
                )
    return out
