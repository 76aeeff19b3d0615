"""The web's use of the review rules (``workflow.review``): the one write path of the
HTML forms and the JSON API, the progress numbers of a language, and the JSON shape of
an outcome. The rules raise ``workflow.errors.ReviewError``s; ``web.errors`` maps them
to HTTP statuses. Concurrent saves to one catalogue share one write (``web.writes``)."""

from __future__ import annotations

import logging
from typing import Any

from workflow import review
from workflow.errors import NotFound
from workflow.review import Outcome

from .core import services

log = logging.getLogger("letterflow.web")


def perform(user: Any, lang: str, context: str, action: str, strings: list[Any] | None,
            base_revision: str | None, *, version: int | None = None,
            which: str = "after", svc: Any = None) -> Outcome:
    """``workflow.review.perform`` on this app's catalogues and length limit (*svc*: the
    app's Services, when called outside a request context: ``web.fastwrite``)."""
    user = getattr(user, "_get_current_object", lambda: user)()  # (not the proxy each time)
    if svc is None:
        svc = services()
    return review.perform(svc, user, lang, context, action, strings, base_revision,
                          version=version, which=which,
                          max_length=svc.app.config["MAX_TRANSLATION_LENGTH"])


def language_summary(lang: str, *, wait: bool = True, written: bool = False,
                     svc: Any = None) -> dict[str, Any]:
    """Progress numbers of one language for the dashboard and the progress bars
    (``workflow.status.assess`` once per version of the catalogue file). ``wait=False``:
    right after a write, the version it wrote will do if another write is in progress.
    ``written``: right after this process wrote the file, whose writer cached the version
    it wrote (or a later one) before answering: that entry, without a look at the file."""
    from workflow.status import assess

    if svc is None:
        svc = services()
    entry = svc.cached_now(lang) if written else None
    if entry is None:
        try:  # (one stat of the file: `cached` finds a missing one as has_catalog does)
            entry = svc.cached(lang, wait=wait)
        except NotFound:
            return {"language": lang, "available": False}
    if entry.summary is None:
        try:
            findings = svc.entry_findings(entry)
        except Exception as exc:  # counts without QA; nothing cached, approvals refused
            log.exception("QA could not run for %s", lang)
            c = entry.catalog.stats.as_dict()
            return {"language": lang, "available": True, "approved": c["approved"],
                    "draft": c["draft"], "untranslated": c["untranslated"],
                    "total": c["total"], "percent": c["percent"], "qa_errors": None,
                    "qa_error": f"The QA checks could not run: {exc}"}
        status = assess(entry.catalog, findings)
        c = status.counts
        entry.summary = {
            "language": lang, "available": True, "approved": c["approved"],
            "draft": c["draft"], "untranslated": c["untranslated"], "total": c["total"],
            "percent": c["percent"], "qa_errors": len(status.flagged),
        }
    return dict(entry.summary)


def outcome_json(o: Outcome, svc: Any = None) -> dict[str, Any]:
    """The JSON of an outcome (*svc*: as for :func:`perform`)."""
    from .views import finding_dict, message_dict

    data: dict[str, Any] = {
        "ok": o.ok, "action": o.action, "language": o.language,
        "context": o.context, "revision": o.revision, "entry": message_dict(o.message),
        "findings": [finding_dict(f) for f in o.findings],
        "progress": language_summary(o.language, wait=False,
                                     written=o.ok and o.audit_id is not None, svc=svc),
    }
    if o.error:
        data["error"] = o.error
    if o.qa_error:
        data["qa_error"] = o.qa_error
    if o.yours is not None:
        from .views import winner

        data["conflict"] = {"yours": o.yours, "theirs": list(o.message.strings),
                            "theirs_fuzzy": o.message.fuzzy, "kept_as": o.audit_id,
                            **winner(o.language, o.context)}
    if o.saved_draft:
        data["saved_draft"] = True
    if getattr(o, "unchanged", False):
        data["unchanged"] = True
    if o.audit_id is not None:
        data["audit_id"] = o.audit_id
    return data
