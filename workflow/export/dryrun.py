"""``letterflow export --dry-run``: what a run would write, and write nothing.

For every recipient: the file, the language, the state of the letter (approved, draft,
with untranslated paragraphs, a source-language fallback, or blocked and why), the count
of paragraphs per state and who approved its messages. The letters are localised (the
same model the .docx is made from) but not rendered, and no file or folder is created.

:func:`dry_run_report` is the one dry run: ``letterflow export --dry-run`` prints it (text or
JSON) and the web export page renders it, so the two cannot disagree.
"""

from __future__ import annotations

from typing import Any

from .manifest import PARAGRAPH_STATES


def letter_state(counts: dict[str, int], fallback: bool) -> str:
    """One word for a letter: fallback, untranslated, draft or approved."""
    if fallback:
        return "fallback"
    if counts.get("untranslated"):
        return "untranslated paragraphs"
    if counts.get("draft") or counts.get("flagged"):
        return "draft"
    return "approved"


def dry_run(plan: Any) -> list[dict[str, Any]]:
    """One entry per recipient of the recipients file that a run would write or skip."""
    rows: list[dict[str, Any]] = []
    for recipient, name in zip(plan.recipients, plan.filenames(), strict=True):
        model = plan.model(recipient)
        counts = {state: model.paragraphs_in(state) for state in PARAGRAPH_STATES}
        status = plan.statuses[model.language]
        contexts = {p.context for p in model.paragraphs if p.context}
        approvers = sorted({a.by for c, a in status.attribution.items()
                            if c in contexts and a.by})
        rows.append({
            "row": recipient.row, "country": recipient.country, "name": recipient.name,
            "file": name, "language": model.language,
            "wanted_language": recipient.wanted_language or model.language,
            "state": letter_state(counts, recipient.source_fallback),
            "fallback_reason": recipient.fallback_reason or None,
            "paragraphs": counts, "approved_by": approvers,
            "unattributed": sorted(c for c in status.unattributed if c in contexts),
        })
    for skipped in plan.skipped:
        r = skipped.recipient
        rows.append({"row": r.row, "country": r.country, "name": r.name, "file": None,
                     "language": r.language, "wanted_language": r.wanted_language or r.language,
                     "state": "blocked", "reason": skipped.reason})
    rows.sort(key=lambda item: item["row"])
    return rows


def dry_run_report(config: Any, recipients: Any, *, letter: Any = None,
                   allow_drafts: bool = False, allow_unattributed: bool = False,
                   skip_blocked: bool = False, template: Any = None,
                   appendix: Any = None) -> dict[str, Any]:
    """What an export of *recipients* (a path, or parsed :class:`~.recipients.Recipient`
    rows) with these options would write: ``--dry-run --format json``'s document.

    Every recipient is listed, the blocked ones too (with their reason); ``would_block``
    says that a real run without *skip_blocked* would write nothing. Raises what
    :func:`~.run.plan_export` raises for bad input (unreadable file, no recipients, every
    recipient blocked)."""
    from .run import plan_export

    plan = plan_export(config, recipients, letter=letter, allow_drafts=allow_drafts,
                       template=template, appendix=appendix,
                       allow_unattributed=allow_unattributed, skip_blocked=True, pdf=False)
    rows = dry_run(plan)
    letters = sum(1 for r in rows if r["file"])
    blocked = len(rows) - letters
    return {"dry_run": True, "rows_read": plan.rows_read, "letters": letters,
            "blocked": blocked, "would_block": bool(blocked) and not skip_blocked,
            "options": {"allow_drafts": allow_drafts, "allow_unattributed": allow_unattributed,
                        "skip_blocked": skip_blocked},
            "recipients": rows}


def count_text(counts: dict[str, int]) -> str:
    """"12 approved, 0 draft, 0 untranslated" (+ flagged or source paragraphs if any)."""
    shown = [s for s in PARAGRAPH_STATES if s in PARAGRAPH_STATES[:3] or counts.get(s)]
    return ", ".join(f"{counts.get(s, 0)} {s}" for s in shown)


def text_lines(rows: list[dict[str, Any]]) -> list[str]:
    """The dry run for people: one line per recipient."""
    out = []
    for item in rows:
        who = " ".join(x for x in (item["country"], item["name"]) if x)
        if item["state"] == "blocked":
            out.append(f"row {item['row']} {who} -> no letter ({item['language']}): blocked: "
                       f"{item['reason']}")
            continue
        counts = count_text(item["paragraphs"])
        by = ", ".join(item["approved_by"]) or (
            "nobody (the source text)" if item["state"] == "fallback" else "nobody recorded")
        lang = item["language"]
        if item["state"] == "fallback":
            lang += f" (fallback for {item['wanted_language']}: {item['fallback_reason']})"
        out.append(f"row {item['row']} {who} -> {item['file']}: {lang}, {item['state']} "
                   f"({counts}); approved by {by}")
    return out
