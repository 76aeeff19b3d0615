"""MT commands: ``letterflow draft`` and ``letterflow providers``."""

from __future__ import annotations

import json
import sys

import click

from ..cli import get_config
from ..mt.registry import DEFAULT, OFFLINE, ONLINE


@click.command()
@click.option("--lang", "langs", help="Comma-separated languages (default: all configured "
              "languages). Languages no engine offers are listed with the reason.")
@click.option("--provider", help=f"Send every language to this engine: {', '.join(OFFLINE)} "
              f"(offline), {', '.join(ONLINE)} (online). Default: the routes of "
              f"[tool.letterflow.mt], else its provider, else {DEFAULT}.")
@click.option("--no-memory", is_flag=True, help="Do not fill exact translation-memory "
              "matches first.")
@click.option("--batch-size", type=click.IntRange(1), default=None,
              help="Messages per atomic catalogue write (default: engine's own).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for machines.")
@click.pass_context
def draft(ctx: click.Context, langs: str | None, provider: str | None, batch_size: int | None,
          fmt: str, no_memory: bool) -> None:
    """Fill untranslated messages with fuzzy drafts: translation memory, then MT.

    Exact matches from the translation memory come first; then each language goes to the
    engine [tool.letterflow.mt] routes it to, with mandatory glossary terms and protected
    text enforced. Approved and edited entries are never touched. Results are cached, so
    a re-run costs no engine calls for unchanged text. Exit 1 if some messages failed.
    """
    from ..mt.routing import draft_routed

    cfg = get_config(ctx)
    languages = cfg.parse_languages(langs) if langs else None
    bar_state: dict = {}

    def progress(done: int, total: int, lang: str) -> None:
        if "bar" not in bar_state:
            bar = click.progressbar(length=max(total, 1), label="Drafting", file=sys.stderr,
                                    item_show_func=lambda x: x or "")
            bar_state["bar"] = bar.__enter__()
            bar_state["done"] = 0
            if total == 0:
                return
        bar = bar_state["bar"]
        bar.length = max(total, bar.length or 1)
        bar.current_item = lang
        bar.update(done - bar_state["done"])
        bar_state["done"] = done

    try:
        report = draft_routed(cfg, languages, provider, progress, batch_size=batch_size,
                              memory=not no_memory)
    finally:
        if "bar" in bar_state:
            bar_state["bar"].__exit__(None, None, None)
    data = report.as_dict()
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(f"provider {report.provider}: {data['drafted']} drafted, {data['cached']} "
                   f"reused from cache, {data['failed']} failed, {data['skipped']} skipped "
                   f"(already reviewed or drafted); {report.engine_calls} engine calls, "
                   f"{report.seconds:.1f} s")
        multi = len(set(report.routes.values())) > 1
        for lang, rep in report.languages.items():
            extra = f", {rep.damaged} flagged damaged" if rep.damaged else ""
            extra += f", {rep.tm} from translation memory" if rep.tm else ""
            via = f" ({report.routes[lang]})" if multi and lang in report.routes else ""
            click.echo(f"  {lang:8} drafted {rep.drafted}, cached {rep.cached}, failed "
                       f"{rep.failed}, skipped {rep.skipped}{extra}{via}")
            for err in rep.errors[:5]:
                click.echo(f"           ! {err}")
            if len(rep.errors) > 5:
                click.echo(f"           ! ... and {len(rep.errors) - 5} more")
        if report.unsupported:
            click.echo(f"  not offered by {report.provider}: {', '.join(report.unsupported)}")
            for lang in report.unsupported:
                click.echo(f"  {lang:8} no draft: {report.reasons.get(lang, '')}")
    if report.failed:
        ctx.exit(1)


def provider_rows(cfg) -> list[dict]:
    """What ``letterflow providers`` shows: each registered engine, whether it is usable
    here, and its pairs (offline engines first)."""
    from ..mt.registry import PROVIDERS

    entries = sorted(PROVIDERS.values(), key=lambda p: p.network)
    return [_online_row(cfg, p) if p.network else _offline_row(cfg, p) for p in entries]


def _offline_row(cfg, spec) -> dict:
    from ..mt import get_translator

    row: dict = {"name": spec.name, "kind": spec.kind, "network": False}
    try:
        t = get_translator(spec.name, cfg)
        direct = t.direct_pairs()
        row.update(usable=True, status=spec.status)
        row["pairs"] = [
            {"source": s, "target": tg, "via": None if (s, tg) in direct else t.route(s, tg)[1]}
            for s, tg in sorted(t.supported_pairs())
        ]
    except Exception as exc:  # not installed etc.: shown, not raised
        row.update(usable=False, status=str(exc), pairs=[])
    return row


def _online_row(cfg, spec) -> dict:
    from ..mt.online import engine_code, missing_keys, provider_codes

    service, source = spec.service, cfg.source_language
    missing = missing_keys(service)
    codes = provider_codes(service)
    langs = [lg for lg in [source, *cfg.languages] if engine_code(lg, codes)]
    row = {
        "name": spec.name, "kind": spec.kind, "network": True, "usable": not missing,
        "status": ("needs network; key present" if service.keys else "needs network; no key")
        if not missing else "no key: set " + " and ".join(missing),
        "keys": list(service.keys),
        "pairs": [{"source": source, "target": lg, "via": None} for lg in langs if lg != source],
    }
    if codes is None:
        row["pairs_note"] = "languages are listed by the service at run time"
    return row


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.pass_context
def providers(ctx: click.Context, fmt: str) -> None:
    """List MT engines, whether each is usable here, and the language pairs each offers."""
    cfg = get_config(ctx)
    rows = provider_rows(cfg)
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    default = (cfg.mt or {}).get("provider", "apertium")
    for row in rows:
        mark = "yes" if row["usable"] else "no "
        star = " (default)" if row["name"] == default else ""
        click.echo(f"{row['name']:10} {row['kind']:8} usable: {mark}  {row['status']}{star}")
        if row["usable"]:
            pairs = [f"{p['source']}->{p['target']}" + (f" via {p['via']}" if p["via"] else "")
                     for p in row["pairs"] if p["source"] == cfg.source_language]
            if pairs:
                click.echo("           " + ", ".join(pairs))
