"""The review rules: what save, approve, reject and revert may do.

:func:`perform` checks permission, input and QA, writes through the store (in the end
``catalogs.apply_changes``: lock, re-read, apply, validate, temp file, fsync, os.replace)
and appends to the audit trail. It answers an :class:`Outcome`, or raises a
:class:`~workflow.errors.ReviewError`:

- ``Forbidden``: the user does not work on the language (the attempt is audited);
- ``NotFound``: no such catalogue, entry or history version;
- ``InvalidInput``: wrong number of forms, control characters, over the length cap
  (``too_large``), unknown action, a revert to a version of another entry;
- ``Conflict``: the edit was based on an older revision. Nothing is written; the loser's
  text is kept as a ``conflict`` row of the audit trail (restorable with Revert) and
  ``exc.outcome`` carries both texts;
- ``ApprovalRefused``: empty text, an error-severity QA finding, or QA could not run
  (fail closed). A changed text is kept as a draft first (``outcome.saved_draft``);
- ``Busy``: the file system refused the write; nothing was written.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from typing import Any

from .. import audit
from .. import audit_intents as intents
from ..catalogs.model import Message
from ..errors import (
    N_,
    ApprovalRefused,
    Busy,
    CatalogError,
    Conflict,
    Forbidden,
    InvalidInput,
    LockTimeout,
    NotFound,
)
from ..textrules import CONTROL as _CONTROL
from ..textrules import MT_DAMAGED_FLAG as MT_DAMAGED
from .store import CatalogStore

log = logging.getLogger("letterflow.review")

ACTIONS = ("save", "approve", "reject", "revert")
#: Longest translation (per plural form) accepted by default.
MAX_TRANSLATION_LENGTH = 10_000


@dataclass
class Outcome:
    """What a review action did (or, attached to a Conflict/ApprovalRefused, found)."""

    action: str
    language: str
    context: str
    message: Any                     # the entry as it is on disk now
    result: str = "applied"          # "applied", "conflict" or "refused"
    error: str | None = None
    findings: list = field(default_factory=list)
    yours: list[str] | None = None   # on conflict: the losing text
    audit_id: int | None = None
    saved_draft: bool = False        # approve refused but the edit was kept as a draft
    qa_error: str | None = None      # the QA checks could not run on the saved text
    unchanged: bool = False          # the entry already was so: nothing written, no history

    @property
    def ok(self) -> bool:
        return self.result == "applied"

    @property
    def revision(self) -> str:
        return self.message.revision


def clean_strings(raw: Any, nforms: int, max_length: int = MAX_TRANSLATION_LENGTH) -> list[str]:
    """Validate submitted translations: right number of forms, text only, no control
    characters, at most *max_length* characters each. CRLF from browsers becomes LF."""
    if not isinstance(raw, list) or len(raw) != nforms:
        raise InvalidInput(N_("expected %(n)s translation form(s), got %(got)s"), params={
            "n": nforms, "got": len(raw) if isinstance(raw, list) else "none"})
    out: list[str] = []
    for i, s in enumerate(raw):
        if not isinstance(s, str):
            raise InvalidInput(N_("translation form %(i)s must be text"), params={"i": i})
        s = s.replace("\r\n", "\n").replace("\r", "\n")
        if len(s) > max_length:
            raise InvalidInput(
                N_("translation too long: %(n)s characters, the limit is %(limit)s"),
                too_large=True, params={"n": len(s), "limit": max_length})
        bad = _CONTROL.search(s)
        if bad:
            raise InvalidInput(N_("translation contains a control character (%(char)s)"),
                               params={"char": f"U+{ord(bad.group()):04X}"})
        out.append(s)
    return out


def errors_of(findings: list) -> list:
    """The error-severity findings."""
    return [f for f in findings if getattr(f, "severity", "") == "error"]


def find_message(store: CatalogStore, lang: str, context: str, *,
                 fresh: bool = False) -> tuple[Any, Any]:
    """(catalogue, active entry); NotFound if the entry is not in the file."""
    # no need to wait for a write of this catalogue in progress: the write path redoes the
    # base-revision check under the file lock
    cat = store.catalog(lang, fresh=fresh, wait=False)
    msg = cat.get(context)
    if (msg is None or msg.obsolete) and not fresh:
        return find_message(store, lang, context, fresh=True)  # re-read the file
    if msg is None or msg.obsolete:
        raise NotFound(N_("No such entry in this catalogue."))
    return cat, msg


def deny(store: CatalogStore, user: Any, lang: str, context: str,
         attempted: list[str] | None, action: str) -> None:
    """Log and audit a write to a language the user may not edit; raise Forbidden."""
    log.warning("denied: user %r tried to %s %s/%s", user.name, action, lang, context)
    try:
        audit.record(store.conn, user=user.name, language=lang, context=context,
                     action="denied", before=[], after=attempted or [],
                     note=f"{action} refused: no permission for {lang}")
    except Exception:  # never let logging hide the refusal
        log.exception("could not audit a denied write")
    raise Forbidden(N_("You may not edit %(lang)s."), params={"lang": lang})


@dataclass
class _Plan:
    strings: list[str]
    fuzzy: bool
    note: str


def _plan(store: CatalogStore, user: Any, msg: Any, lang: str, context: str, action: str,
          strings: list[Any] | None, version: int | None, which: str,
          max_length: int) -> _Plan:
    """The text, fuzzy flag and audit note one action asks for."""
    nforms = len(msg.strings)
    if action == "revert":
        row = audit.get(store.conn, version) if version is not None else None
        if row is None or row.language != lang or row.context != context:
            raise InvalidInput(N_("no such version in this entry's history"))
        if which not in ("after", "before"):
            raise InvalidInput(N_("a version is the text before or after a change"))
        target = list(row.after if which == "after" else row.before)
        if len(target) != nforms:
            raise InvalidInput(N_("that version has a different number of plural forms"))
        note = f"reverted by {user.name} to version {row.id}" + (
            " (before)" if which == "before" else "")
        return _Plan(target, True, note)
    if action == "reject":
        return _Plan([""] * nforms, False,
                     f"edited by {user.name}: rejected, back to untranslated")
    cleaned = clean_strings(list(strings) if strings is not None else [], nforms, max_length)
    verb = "approved" if action == "approve" else "edited"
    return _Plan(cleaned, action == "save", f"{verb} by {user.name}")


def perform(
    store: CatalogStore,
    user: Any,
    lang: str,
    context: str,
    action: str,
    strings: list[Any] | None,
    base_revision: str | None,
    *,
    version: int | None = None,
    which: str = "after",
    max_length: int = MAX_TRANSLATION_LENGTH,
) -> Outcome:
    """Apply one review action by *user* (anything with ``name`` and ``can_edit(lang)``).
    Returns the applied Outcome or raises a ReviewError (see the module docstring)."""
    if not user.can_edit(lang):
        deny(store, user, lang, context,
             [s for s in strings or [] if isinstance(s, str)][:4], action)
    if action not in ACTIONS:
        raise InvalidInput(N_("unknown action %(action)s (one of %(actions)s)"),
                           params={"action": repr(action), "actions": ", ".join(ACTIONS)})
    if not base_revision or not isinstance(base_revision, str) or len(base_revision) > 64:
        raise InvalidInput(N_("missing the revision the edit is based on (base_revision)"))
    cat, msg = find_message(store, lang, context)
    if msg.revision != base_revision:
        cat, msg = find_message(store, lang, context, fresh=True)  # a cache may be behind
    plan = _plan(store, user, msg, lang, context, action, strings, version, which, max_length)
    if action in ("save", "approve") and _already(msg, plan.strings, action):
        return _unchanged(store, action, lang, context, cat, msg)
    if action == "approve":
        return _approve(store, user, lang, context, cat, msg, plan, base_revision)
    return _write(store, user, lang, context, msg, action, plan, base_revision)


def _already(msg: Any, new_strings: list[str], action: str) -> bool:
    """The entry already holds *new_strings* in the state *action* would leave."""
    if tuple(new_strings) != tuple(msg.strings):
        return False
    filled = any(s.strip() for s in new_strings)
    if action == "save":
        return msg.fuzzy or not filled
    return filled and not msg.fuzzy


def _unchanged(store: CatalogStore, action: str, lang: str, context: str, cat: Any,
               msg: Any) -> Outcome:
    """An identical save: no file write and no history row, only the current findings."""
    try:
        findings, qa_error = store.check(cat, msg), None
    except Exception as exc:  # the answer still says nothing was written
        findings, qa_error = [], f"The QA checks could not run: {exc}"
    return Outcome(action, lang, context, msg, findings=findings, qa_error=qa_error,
                   unchanged=True)


def _replaced(msg: Any, **fields: Any) -> Any:
    """``dataclasses.replace(msg, **fields)``; for a catalogue Message without its
    field-by-field ``__init__`` (its cached revision is not carried over)."""
    if type(msg) is not Message:
        return dataclasses.replace(msg, **fields)
    data = {k: v for k, v in msg.__dict__.items() if k != "_revision"}
    data.update(fields)
    out = object.__new__(Message)
    object.__setattr__(out, "__dict__", data)
    return out


def _approve(store: CatalogStore, user: Any, lang: str, context: str, cat: Any, msg: Any,
             plan: _Plan, base_revision: str) -> Outcome:
    """Approve after QA; refuse on an empty text, QA errors, or QA that cannot run."""
    new = plan.strings
    if not any(s.strip() for s in new):
        empty = N_("An empty translation cannot be approved.")
        raise ApprovalRefused(empty, Outcome("approve", lang, context, msg, result="refused",
                                             error=empty))
    edited = tuple(new) != tuple(msg.strings)
    flags = msg.flags - {MT_DAMAGED} if edited else msg.flags  # a person edited MT output
    candidate = _replaced(msg, strings=tuple(new), fuzzy=False, flags=flags)
    try:
        findings = store.check(cat, candidate)
        reason, params = None, {}
    except Exception as exc:  # QA must run before an approval: fail closed
        log.exception("QA could not run for %s/%s", lang, context)
        findings = []
        reason = N_("Approval refused: the QA checks could not run (%(error)s).")
        params = {"error": f"{type(exc).__name__}: {exc}"}
    errs = errors_of(findings)
    if errs:
        reason = N_("Approval refused: %(findings)s")
        params = {"findings": "; ".join(f"{f.check_id}: {f.message}" for f in errs)}
    if reason is None:
        return _write(store, user, lang, context, msg, "approve", plan, base_revision,
                      findings=findings)
    saved = False
    if edited:  # keep the edit: store it as a draft, then refuse the approval
        kept = _write(store, user, lang, context, msg, "save",
                      _Plan(new, True, f"edited by {user.name}"), base_revision)
        msg, saved = kept.message, True
    raise ApprovalRefused(reason, Outcome("approve", lang, context, msg, result="refused",
                                          error=reason % params, findings=findings,
                                          saved_draft=saved), params=params)


def _submit_audited(store: CatalogStore, user: Any, lang: str, context: str, action: str,
                    msg: Any, plan: _Plan, base_revision: str) -> tuple[str, Any, int | None]:
    """Write one change with its audit intent: intent (durable), file, audit row, through
    the store (which may write it together with other requests' changes: review.batch).
    (outcome, message, audit id); see :mod:`workflow.audit_intents`."""
    from ..catalogs import Change

    edited = tuple(plan.strings) != tuple(msg.strings)
    change = Change(context=context, strings=list(plan.strings), fuzzy=plan.fuzzy,
                    note=plan.note, base_revision=base_revision,
                    remove_flags=frozenset({MT_DAMAGED}) if edited else frozenset())
    intent = intents.Intent(
        user=user.name, language=lang, context=context, action=action,
        before=tuple(msg.strings), after=tuple(plan.strings), before_fuzzy=msg.fuzzy,
        after_fuzzy=plan.fuzzy, base_revision=base_revision, note=plan.note)
    try:
        return store.write_audited(lang, change, intent)
    except LockTimeout as exc:
        log.warning("write of %s/%s gave up: %s", lang, context, exc)
        raise Busy(N_("%(lang)s is being written by another process; try again in a few "
                      "seconds"), retry_after=max(1, round(exc.waited)),
                   params={"lang": lang}) from None
    except CatalogError as exc:
        log.error("write failed for %s/%s: %s", lang, context, exc)
        raise InvalidInput(N_("could not save: %(error)s"), params={"error": str(exc)}) from None
    except OSError as exc:
        log.error("write failed for %s/%s: %s", lang, context, exc)
        raise Busy(N_("could not save now (%(error)s); try again"),
                   params={"error": str(exc.strerror or exc)}) from None


def _write(store: CatalogStore, user: Any, lang: str, context: str, msg: Any, action: str,
           plan: _Plan, base_revision: str, findings: list | None = None) -> Outcome:
    new, fuzzy = plan.strings, plan.fuzzy
    if findings is not None and not fuzzy:
        # The QA findings of the approved text, for the first reader that needs the new
        # version's findings (a progress bar), which may come before this call returns.
        store.remember_findings(lang, _replaced(msg, strings=tuple(new), fuzzy=False),
                                findings)
    kind, written, row = _submit_audited(store, user, lang, context, action, msg, plan,
                                         base_revision)
    if kind == "conflict":
        _conflict(store, user, lang, context, action, new, fuzzy, base_revision, written)
    if kind != "applied" or written is None:
        raise NotFound(N_("No such entry in this catalogue."))
    qa_error = None
    if findings is None or tuple(written.strings) != tuple(new) or written.fuzzy:
        try:  # live QA on save
            findings = store.check(store.catalog(lang, wait=False), written)
        except Exception as exc:  # the text is saved; say that QA did not run
            log.exception("QA could not run for %s/%s", lang, context)
            findings, qa_error = [], f"The QA checks could not run: {exc}"
        if qa_error is None:
            store.remember_findings(lang, written, findings)
    # (else the text written is the approved one, remembered above under the same revision)
    return Outcome(action, lang, context, written, findings=findings, audit_id=row,
                   qa_error=qa_error)


def _conflict(store: CatalogStore, user: Any, lang: str, context: str, action: str,
              new: list[str], fuzzy: bool, base_revision: str, current: Any) -> None:
    """Keep the losing text in the audit trail and raise Conflict with both texts."""
    row = audit.record(
        store.conn, user=user.name, language=lang, context=context, action="conflict",
        before=list(getattr(current, "strings", ())), after=list(new),
        before_fuzzy=bool(getattr(current, "fuzzy", False)), after_fuzzy=fuzzy,
        base_revision=base_revision, revision=None,
        note=f"{action} lost to a newer change; text kept here")
    on_disk = store.catalog(lang).get(context) or current
    error = N_("Someone changed this entry after you opened it. "
               "Both texts are shown; yours is kept in the history.")
    raise Conflict(error, Outcome(action, lang, context, on_disk, result="conflict",
                                  yours=list(new), audit_id=row, error=error))
