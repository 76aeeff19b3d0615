"""Export commands: ``export`` (one .docx per recipient) and ``preview`` (the model as HTML)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..cli import get_config
from ..textrules import UNREVIEWED_MARK, UNTRANSLATED_MARK


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
@click.option("--allow-unattributed", is_flag=True,
              help="Export approved messages nobody's approval is recorded for (no audit row, "
                   "no Last-Translator); the manifest lists them.")
@click.option("--skip-blocked", is_flag=True,
              help="Write the letters that are ready and list the recipients that are blocked "
                   "(default: all or nothing).")
@click.option("--dry-run", is_flag=True,
              help="List every recipient -> file, language, state and approvers; write nothing.")
@click.option("--pdf", is_flag=True,
              help="Also write a PDF of each letter (LibreOffice headless, fonts embedded).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for machines.")
@click.pass_context
def export(ctx: click.Context, recipients: Path, out: Path | None, allow_drafts: bool,
           template: Path | None, appendix: Path | None, letter: Path | None,
           allow_unattributed: bool, skip_blocked: bool, dry_run: bool, pdf: bool,
           fmt: str) -> None:
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
    if dry_run:
        _dry_run(ctx, cfg, recipients, fmt, letter=letter, allow_drafts=allow_drafts,
                 allow_unattributed=allow_unattributed, skip_blocked=skip_blocked,
                 template=template, appendix=appendix)
        return
    try:
        plan = plan_export(cfg, recipients, letter=letter, allow_drafts=allow_drafts,
                           template=template, appendix=appendix,
                           allow_unattributed=allow_unattributed,
                           skip_blocked=skip_blocked, pdf=pdf)
    except GateClosed as exc:
        _report_blocked(exc, fmt)
        ctx.exit(1)
        return

    if fmt == "text":
        click.echo(f"Read {plan.rows_read} recipient row(s) from {recipients}; "
                   f"{len(plan.recipients)} letter(s) to write")
    with click.progressbar(length=len(plan.recipients), label="Exporting letters",
                           file=sys.stderr, item_show_func=lambda r: r or "") as bar:
        def progress(done: int, total: int, recipient) -> None:
            bar.update(1, f"{recipient.country} {recipient.language}")

        result = run_export(cfg, None, out, plan=plan, progress=progress)
    _report(result, plan, fmt)


def _report_blocked(exc, fmt: str) -> None:
    """What blocks the run: languages, messages and recipients."""
    if fmt == "json":
        click.echo(json.dumps({"ok": False, "blocked": {
            s.language: {"summary": s.summary, "blocking": s.blocking} for s in exc.blocked
        }, "blocked_recipients": [s.as_dict() for s in exc.recipients]},
            indent=2, ensure_ascii=False))
        return
    click.echo("Export blocked: these languages are not ready:", err=True)
    for line in exc.details():
        click.echo(line, err=True)
    click.echo("Approve them in review, or use --allow-drafts for marked drafts.", err=True)


def _report(result, plan, fmt: str) -> None:
    """The summary of a run: letters per language, drafts, fallbacks, paragraph counts per
    letter, skipped recipients."""
    from ..export.dryrun import count_text
    from ..export.manifest import PARAGRAPH_STATES

    by_lang: dict[str, int] = {}
    for f in result.files:
        by_lang[f.language] = by_lang.get(f.language, 0) + 1
    if fmt == "json":
        click.echo(json.dumps({
            "ok": True, "out": str(result.out), "letters": len(result.files),
            "drafts": result.drafts, "languages": by_lang, "manifest": str(result.manifest),
            "zip": str(result.zip), "seconds": round(result.seconds, 3),
            "rows_read": plan.rows_read, "skipped": [s.as_dict() for s in plan.skipped],
            "pdfs": [f.pdf for f in result.files if f.pdf],
            "unreviewed_salutations": [f.filename for f in result.files if f.free_salutation],
            "files": {f.filename: {state: f.count(state) for state in PARAGRAPH_STATES}
                      for f in result.files},
        }, indent=2, ensure_ascii=False))
        return
    langs = ", ".join(f"{lang} {n}" for lang, n in sorted(by_lang.items()))
    click.echo(f"Exported {len(result.files)} letter(s) to {result.out} ({langs}) "
               f"in {result.seconds:.1f} s")
    if result.drafts:
        click.echo(f"  {result.drafts} marked DRAFT (not reviewed)")
    for reason in ("no catalogue", "nothing translated"):
        fallbacks = sum(1 for f in result.files if f.recipient.source_fallback
                        and f.recipient.fallback_reason == reason)
        if fallbacks:
            click.echo(f"  {fallbacks} in the source language (fallback: {reason})")
    for f in result.files:
        counts = count_text({state: f.count(state) for state in PARAGRAPH_STATES})
        extra = " (source-language letter: fallback)" if f.recipient.source_fallback else ""
        click.echo(f"  {f.filename}: {counts}{extra}")
    if plan.skipped:
        click.echo(f"  skipped {len(plan.skipped)} blocked recipient(s):")
        for skipped in plan.skipped:
            click.echo(f"    {skipped.line()}")
    _unreviewed(result)
    click.echo(f"  manifest: {result.manifest}\n  zip: {result.zip}")


def _unreviewed(result) -> None:
    """What nobody reviewed (free-text salutations, country phrases from the recipients
    file), and the PDFs."""
    free = [f for f in result.files if f.free_salutation]
    if free:
        click.echo(f"  {len(free)} with a free-text salutation from the recipients file "
                   f"(NOT reviewed): {', '.join(f.filename for f in free[:5])}")
    overridden = [f for f in result.files if f.country_overrides]
    if overridden:
        click.echo(f"  {len(overridden)} with a country phrase from the recipients file")
    pdfs = sum(1 for f in result.files if f.pdf)
    if pdfs:
        click.echo(f"  {pdfs} PDF(s) written next to the .docx files")


def _dry_run(ctx: click.Context, cfg, recipients: Path, fmt: str, **options) -> None:
    """Print what the run would write (:func:`~workflow.export.dryrun.dry_run_report`, the
    same document the web export page renders); exit 1 if it would be blocked (no
    --skip-blocked)."""
    from ..export.dryrun import dry_run_report, text_lines

    report = dry_run_report(cfg, recipients, **options)
    if fmt == "json":
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(f"Dry run: read {report['rows_read']} recipient row(s) from {recipients}; "
                   f"{report['letters']} letter(s) would be written, {report['blocked']} "
                   "blocked; nothing written")
        for line in text_lines(report["recipients"]):
            click.echo(f"  {line}")
    if report["would_block"]:
        ctx.exit(1)


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

        lines = [("" if p.approved else (UNTRANSLATED_MARK if p.language else UNREVIEWED_MARK)
                  + " ") + (strip_tags(p.text) if p.tags else p.text)
                 for p in model.paragraphs]
        text = "\n\n".join(lines) + "\n"
    if out:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text, nl=False)
