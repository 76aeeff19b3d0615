"""``letterflow countries``: the per-language ``countries`` catalogue (country phrases).

``letterflow countries seed [--lang fr,ru] [--all]`` adds fuzzy drafts for every country and
slot (name / of / to) from iso-codes (pycountry) and CLDR; existing entries are never touched.
``letterflow countries status --lang fr`` counts approved entries.
"""

from __future__ import annotations

import click

from ..cli import get_config


@click.group()
def countries() -> None:
    """Country names in the form each sentence needs (countries.po per language)."""


@countries.command()
@click.option("--lang", "langs", default=None,
              help="Comma-separated languages (default: the source and every configured one).")
@click.option("--country", "codes", default=None,
              help="Comma-separated ISO 3166 codes (default: the UN member states).")
@click.pass_context
def seed(ctx: click.Context, langs: str | None, codes: str | None) -> None:
    """Add fuzzy drafts for missing country phrases (translators approve them)."""
    from ..export.country_catalog import seed_catalog
    from ..export.un_members import UN_MEMBERS

    cfg = get_config(ctx)
    languages = ([cfg.source_language, *cfg.languages] if not langs
                 else [x.strip() for x in langs.split(",") if x.strip()])
    wanted = UN_MEMBERS if not codes else tuple(c.strip().upper() for c in codes.split(","))
    for lang in languages:
        if lang != cfg.source_language:
            cfg.check_language(lang)
        path, added = seed_catalog(cfg, lang, wanted)
        click.echo(f"{lang}: {added} draft(s) added to {path}")


@countries.command()
@click.option("--lang", "langs", default=None, help="Comma-separated languages.")
@click.pass_context
def status(ctx: click.Context, langs: str | None) -> None:
    """Approved / draft counts of each countries catalogue."""
    from ..export.country_catalog import load_country_catalog

    cfg = get_config(ctx)
    languages = ([cfg.source_language, *cfg.languages] if not langs
                 else [x.strip() for x in langs.split(",") if x.strip()])
    for lang in languages:
        catalog = load_country_catalog(cfg, lang)
        if catalog is None:
            click.echo(f"{lang}: no countries catalogue (run `letterflow countries seed`)")
            continue
        counts = catalog.stats.as_dict()
        click.echo(f"{lang}: {counts['approved']} approved, {counts['draft']} draft, "
                   f"{counts['untranslated']} untranslated")
