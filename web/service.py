"""The one write path of the review UI, shared by the HTML forms and the JSON API.

``perform()`` checks permission, input and QA, writes through
``catalogs.apply_changes`` (lock, re-read, apply, validate, temp file, fsync,
os.replace; see ``web.writes`` for how concurrent saves to one catalogue share one
write) and appends to the audit trail. A stale save loses: nothing is written, the
loser's text is kept as a ``conflict`` row of the audit trail (shown in the entry's
history, restorable with Revert), and the caller answers 409 with both texts.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from flask import abort, current_app

from workflow import audit
from workflow.errors import CatalogError

from .core import services

log = logging.getLogger("letterflow.web")

ACTIONS = ("save", "approve", "reject", "revert")
MT_DAMAGED = "letterflow-mt-damaged"
#: Unicode category Cc (U+0000-001F, U+007F-009F) except tab and newline.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class InputError(Exception):
    """A request the user must fix (answered 400 or 413 with this message)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class Outcome:
    status: int                      # 200 ok, 409 conflict, 422 approval refused
    action: str
    language: str
    context: str
    message: Any                     # the entry as it is on disk now
    error: str | None = None
    findings: list = field(default_factory=list)
    yours: list[str] | None = None   # on conflict: the losing text
    audit_id: int | None = None
    saved_draft: bool = False        # approve refused but the edit was kept as a draft
    unchanged: bool = False          # the text and state were already so: nothing written

    @property
    def revision(self) -> str:
        return self.message.revision


def clean_strings(raw: list[Any], nforms: int) -> list[str]:
    """Validate submitted translations: right number of forms, text only, no control
    characters, within the length cap. CRLF from browsers becomes LF."""
    if not isinstance(raw, list) or len(raw) != nforms:
        raise InputError(f"expected {nforms} translation form(s), got "
                         f"{len(raw) if isinstance(raw, list) else 'none'}")
    cap = current_app.config["MAX_TRANSLATION_LENGTH"]
    out: list[str] = []
    for i, s in enumerate(raw):
        if not isinstance(s, str):
            raise InputError(f"translation form {i} must be text")
        s = s.replace("\r\n", "\n").replace("\r", "\n")
        if len(s) > cap:
            raise InputError(
                f"translation too long: {len(s)} characters, the limit is {cap}", 413)
        bad = _CONTROL.search(s)
        if bad:
            raise InputError(
                f"translation contains a control character (U+{ord(bad.group()):04X})")
        out.append(s)
    return out


def errors_of(findings: list) -> list:
    return [f for f in findings if getattr(f, "severity", "") == "error"]


def _message(lang: str, context: str, *, fresh: bool = False) -> tuple[Any, Any]:
    # no need to wait for a write of this catalogue in progress: the write path redoes the
    # base-revision check under the file lock
    cat = services().catalog(lang, fresh=fresh, wait=False)
    msg = cat.get(context)
    if (msg is None or msg.obsolete) and not fresh:
        return _message(lang, context, fresh=True)  # not in the version we had: re-read
    if msg is None or msg.obsolete:
        abort(404, description="No such entry in this catalogue.")
    return cat, msg


def deny(user: Any, lang: str, context: str, attempted: list[str] | None, action: str) -> None:
    """Log and audit a write to a language the user may not edit, then answer 403."""
    log.warning("denied: user %r tried to %s %s/%s", user.name, action, lang, context)
    try:
        audit.record(services().conn, user=user.name, language=lang, context=context,
                     action="denied", before=[], after=attempted or [],
                     note=f"{action} refused: no permission for {lang}")
    except Exception:  # never let logging hide the 403
        log.exception("could not audit a denied write")
    abort(403, description=f"You may not edit {lang}.")


def perform(
    user: Any,
    lang: str,
    context: str,
    action: str,
    strings: list[Any] | None,
    base_revision: str | None,
    *,
    version: int | None = None,
    which: str = "after",
) -> Outcome:
    """Apply one review action. Raises InputError (400/413) or aborts 403/404."""
    if not user.can_edit(lang):
        deny(user, lang, context, [s for s in strings or [] if isinstance(s, str)][:4], action)
    if action not in ACTIONS:
        raise InputError(f"unknown action {action!r} (one of {', '.join(ACTIONS)})")
    if not base_revision or not isinstance(base_revision, str) or len(base_revision) > 64:
        raise InputError("missing the revision the edit is based on (base_revision)")
    cat, msg = _message(lang, context)
    if msg.revision != base_revision:
        cat, msg = _message(lang, context, fresh=True)  # our cache may be behind the file
    nforms = len(msg.strings)
    conn = services().conn

    if action == "revert":
        row = audit.get(conn, version) if version is not None else None
        if row is None or row.language != lang or row.context != context:
            raise InputError("no such version in this entry's history")
        if which not in ("after", "before"):
            raise InputError("a version is the text before or after a change")
        target = list(row.after if which == "after" else row.before)
        if len(target) != nforms:
            raise InputError("that version has a different number of plural forms")
        new_strings, fuzzy = target, True
        note = f"reverted by {user.name} to version {row.id}" + (
            " (before)" if which == "before" else "")
    elif action == "reject":
        new_strings, fuzzy = [""] * nforms, False
        note = f"edited by {user.name}: rejected, back to untranslated"
    else:
        new_strings = clean_strings(list(strings) if strings is not None else [], nforms)
        fuzzy = action == "save"
        note = f"{'approved' if action == 'approve' else 'edited'} by {user.name}"

    if action in ("save", "approve") and _already(msg, new_strings, action):
        # an identical save writes nothing: no file write, no history row
        return Outcome(200, action, lang, context, msg, findings=services().check(cat, msg),
                       unchanged=True)
    if action == "approve":
        if not any(s.strip() for s in new_strings):
            return Outcome(422, action, lang, context, msg,
                           error="An empty translation cannot be approved.")
        flags = msg.flags
        if tuple(new_strings) != tuple(msg.strings):
            flags = flags - {MT_DAMAGED}  # a person edited the machine output
        candidate = dataclasses.replace(msg, strings=tuple(new_strings), fuzzy=False,
                                        flags=flags)
        findings = services().check(cat, candidate)
        errs = errors_of(findings)
        if errs:
            reason = "Approval refused: " + "; ".join(
                f"{f.check_id}: {f.message}" for f in errs)
            saved = False
            if tuple(new_strings) != tuple(msg.strings):
                # Keep the edit: store it as a draft, then refuse the approval.
                kept = _write(user, lang, context, msg, "save", new_strings, True,
                              f"edited by {user.name}", base_revision)
                if kept.status != 200:
                    return kept
                msg, saved = kept.message, True
            return Outcome(422, action, lang, context, msg, error=reason, findings=findings,
                           saved_draft=saved)
        return _write(user, lang, context, msg, action, new_strings, fuzzy, note, base_revision,
                      findings=findings)
    return _write(user, lang, context, msg, action, new_strings, fuzzy, note, base_revision)


def _already(msg: Any, new_strings: list[str], action: str) -> bool:
    """The entry already holds *new_strings* in the state *action* would leave."""
    if tuple(new_strings) != tuple(msg.strings):
        return False
    filled = any(s.strip() for s in new_strings)
    if action == "save":
        return msg.fuzzy or not filled
    return filled and not msg.fuzzy


def _write(user: Any, lang: str, context: str, msg: Any, action: str, new_strings: list[str],
           fuzzy: bool, note: str, base_revision: str, findings: list | None = None) -> Outcome:
    from workflow.catalogs import Change

    svc = services()
    path = svc.catalog_path(lang)
    if path is None:
        abort(404)
    edited = tuple(new_strings) != tuple(msg.strings)
    change = Change(context=context, strings=list(new_strings), fuzzy=fuzzy, note=note,
                    base_revision=base_revision,
                    remove_flags=frozenset({MT_DAMAGED}) if edited else frozenset())
    if findings is not None and not fuzzy:
        # The QA findings of the approved text, for the first request that needs the new
        # version's findings (the progress bar), which may come before ours returns.
        svc.remember_findings(lang, dataclasses.replace(
            msg, strings=tuple(new_strings), fuzzy=False), findings)
    try:
        kind, written = svc.writer(lang).submit(svc, lang, path, change)
    except CatalogError as exc:
        log.error("write failed for %s/%s: %s", lang, context, exc)
        raise InputError(f"could not save: {exc}") from None
    if kind == "conflict":
        current = written
        row = audit.record(
            svc.conn, user=user.name, language=lang, context=context, action="conflict",
            before=list(getattr(current, "strings", ())), after=list(new_strings),
            before_fuzzy=bool(getattr(current, "fuzzy", False)), after_fuzzy=fuzzy,
            base_revision=base_revision, revision=None,
            note=f"{action} lost to a newer change; text kept here")
        cat_now = svc.catalog(lang)
        on_disk = cat_now.get(context) or current
        return Outcome(409, action, lang, context, on_disk, yours=list(new_strings),
                       audit_id=row,
                       error="Someone changed this entry after you opened it. "
                             "Both texts are shown; yours is kept in the history.")
    if kind != "applied" or written is None:
        abort(404, description="No such entry in this catalogue.")
    now_msg = written  # the entry as this change left it (later changes may follow)
    row = audit.record(
        svc.conn, user=user.name, language=lang, context=context, action=action,
        before=list(msg.strings), after=list(new_strings), before_fuzzy=msg.fuzzy,
        after_fuzzy=fuzzy, base_revision=base_revision, revision=now_msg.revision,
        note=note)
    if findings is None or tuple(now_msg.strings) != tuple(new_strings) or now_msg.fuzzy:
        findings = svc.check(svc.catalog(lang, wait=False), now_msg)  # live QA on save
    svc.remember_findings(lang, now_msg, findings)
    return Outcome(200, action, lang, context, now_msg, findings=findings, audit_id=row)


def language_summary(lang: str, *, wait: bool = True) -> dict[str, Any]:
    """Progress numbers of one language for the dashboard and the progress bars
    (computed once per version of the catalogue file). ``wait=False``: right after a
    write, the version it wrote will do if another write is in progress."""
    svc = services()
    if not svc.has_catalog(lang):
        return {"language": lang, "available": False}
    entry = svc.cached(lang, wait=wait)
    if entry.summary is None:
        stats = entry.catalog.stats
        errors = {f.context for f in errors_of(svc.entry_findings(entry))}
        entry.summary = {
            "language": lang, "available": True, "approved": stats.approved,
            "draft": stats.draft, "untranslated": stats.untranslated, "total": stats.total,
            "percent": round(stats.percent, 1), "qa_errors": len(errors),
        }
    return dict(entry.summary)


def outcome_json(o: Outcome) -> dict[str, Any]:
    from .views import finding_dict, message_dict

    data: dict[str, Any] = {
        "ok": o.status == 200, "action": o.action, "language": o.language,
        "context": o.context, "revision": o.revision, "entry": message_dict(o.message),
        "findings": [finding_dict(f) for f in o.findings],
        "progress": language_summary(o.language, wait=False),
    }
    if o.error:
        data["error"] = o.error
    if o.yours is not None:
        from .views import winner

        data["conflict"] = {"yours": o.yours, "theirs": list(o.message.strings),
                            "theirs_fuzzy": o.message.fuzzy, "kept_as": o.audit_id,
                            **winner(o.language, o.context)}
    if o.saved_draft:
        data["saved_draft"] = True
    if o.unchanged:
        data["unchanged"] = True
    if o.audit_id is not None:
        data["audit_id"] = o.audit_id
    return data
