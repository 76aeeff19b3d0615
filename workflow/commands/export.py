"""Export commands: ``export`` (one .docx per recipient) and ``preview`` (the model as HTML)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..cli import get_config
from ..textrules import UNREVIEWED_MARK


@click.command()
@click.argument("recipients", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: [tool.letterflow.export] out, or dist).")
@click.option("--allow-drafts", is_flag=True,
              help="Export languages that are not fully approved: a 'DRAFT — not reviewed' "
                   "header on every page and each unapproved paragraph marked.")
@click.option("--template", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Letterhead .docx: supplies styles, header and footer.")
@click.option("--appendix", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help=".docx appended unchanged to every letter (e.g. the signature pages).")
@click.option("--letter", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Letter source (default: the first configured letter).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for machines.")
@click.pass_context
def export(ctx: click.Context, recipients: Path, out: Path | None, allow_drafts: bool,
           template: Path | None, appendix: Path | None, letter: Path | None, fmt: str) -> None:
    """Write one .docx per recipient of RECIPIENTS (a CSV file), manifest.json and letters.zip.

    Only languages whose catalogue is fully approved and free of QA errors are exported;
    otherwise the blocking languages and messages are listed and the exit code is 1.
    Columns of RECIPIENTS: country (required, ISO 3166 code), language, name, title,
    salutation, address (or address1, address2...), email, fallback (yes = the source
    language when there is no catalogue). See workflow/export/recipients.py.
    """
    from ..export.run import GateClosed, plan_export, run_export

    cfg = get_config(ctx)
    if out is None:
        out = cfg.root / cfg.export.get("out", "dist")
    try:
        plan = plan_export(cfg, recipients, letter=letter, allow_drafts=allow_drafts,
                           template=template, appendix=appendix)
    except GateClosed as exc:
        if fmt == "json":
            click.echo(json.dumps({"ok": False, "blocked": {
                s.language: {"summary": s.summary, "blocking": s.blocking} for s in exc.blocked
            }}, indent=2, ensure_ascii=False))
        else:
            click.echo("Export blocked: these languages are not ready:", err=True)
            for line in exc.details():
                click.echo(line, err=True)
            click.echo("Approve them in review, or use --allow-drafts for marked drafts.", err=True)
        ctx.exit(1)
        return

    with click.progressbar(length=len(plan.recipients), label="Exporting letters",
                           file=sys.stderr, item_show_func=lambda r: r or "") as bar:
        def progress(done: int, total: int, recipient) -> None:
            bar.update(1, f"{recipient.country} {recipient.language}")

        result = run_export(cfg, None, out, plan=plan, progress=progress)

    by_lang: dict[str, int] = {}
    for f in result.files:
        by_lang[f.language] = by_lang.get(f.language, 0) + 1
    if fmt == "json":
        click.echo(json.dumps({
            "ok": True, "out": str(result.out), "letters": len(result.files),
            "drafts": result.drafts, "languages": by_lang, "manifest": str(result.manifest),
            "zip": str(result.zip), "seconds": round(result.seconds, 3),
        }, indent=2, ensure_ascii=False))
        return
    langs = ", ".join(f"{lang} {n}" for lang, n in sorted(by_lang.items()))
    click.echo(f"Exported {len(result.files)} letter(s) to {result.out} ({langs}) "
               f"in {result.seconds:.1f} s")
    if result.drafts:
        click.echo(f"  {result.drafts} marked DRAFT (not reviewed)")
    fallbacks = sum(1 for f in result.files if f.recipient.source_fallback)
    if fallbacks:
        click.echo(f"  {fallbacks} in the source language (fallback: no catalogue)")
    click.echo(f"  manifest: {result.manifest}\n  zip: {result.zip}")


@click.command()
@click.option("--lang", "language", required=True, help="Language (a configured locale id).")
@click.option("--country", required=True, help="Recipient country (ISO 3166 code, e.g. FR).")
@click.option("--name", default="", help="Recipient name.")
@click.option("--title", default="", help="Recipient title.")
@click.option("--letter", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Letter source (default: the first configured letter).")
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the HTML page here instead of standard output.")
@click.option("--format", "fmt", type=click.Choice(["html", "text", "json"]), default="html",
              show_default=True)
@click.pass_context
def preview(ctx: click.Context, language: str, country: str, name: str, title: str,
            letter: Path | None, out: Path | None, fmt: str) -> None:
    """Render the localised letter for one language and country, as the .docx would have it."""
    from ..export.html import render_html
    from ..export.run import preview_model

    cfg = get_config(ctx)
    model = preview_model(cfg, language, country, letter=letter, name=name, title=title)
    if fmt == "html":
        text = render_html(model, standalone=True)
    elif fmt == "json":
        text = json.dumps({
            "language": model.language, "lang_tag": model.lang_tag, "direction": model.direction,
            "country": model.country, "country_name": model.country_name,
            "paper": model.paper, "date": model.date_text, "draft": model.draft,
            "paragraphs": [{"role": p.role, "text": p.text, "approved": p.approved,
                            "state": p.state, "context": p.context} for p in model.paragraphs],
        }, indent=2, ensure_ascii=False) + "\n"
    else:
        from ..source.markup import strip_tags

        lines = [("" if p.approved else UNREVIEWED_MARK + " ")
                 + (strip_tags(p.text) if p.tags else p.text) for p in model.paragraphs]
        text = "\n\n".join(lines) + "\n"
    if out:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text, nl=False)
