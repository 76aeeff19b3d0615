"""QA findings in the interface language: check titles, severity words, messages.

A finding's ``message`` is English (the gate, the CLI and the JSON reports show it as it
is). The core declares every message template once (``workflow.checks.messages``) and
gives a message's parts back (``explain``: template and slot values); this module fills
the template translated in the ``ui`` domain with those values, the slot words the check
declares ("no mark", "round") and language names translated too (each value isolated,
FSI ... PDI, in a right-to-left interface). A message no template explains in exactly one
way, or a translation whose placeholders are not the template's, is shown in English.
Nothing here runs unless a page or an answer shows a finding.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from flask import has_request_context
from flask_babel import gettext


def _ui() -> str:
    from .i18n import SOURCE, get_locale_name

    return get_locale_name() if has_request_context() else SOURCE


@functools.lru_cache(maxsize=256)
def _language_codes() -> dict[str, str]:
    """English language name -> code (CLDR's names, as the checks write them)."""
    from babel import Locale

    return {name.casefold(): code for code, name in Locale("en").languages.items()}


@functools.lru_cache(maxsize=1024)
def _language(name: str, ui: str) -> str:
    code = _language_codes().get(name.casefold())
    if code is None:
        return name
    from babel import Locale

    try:
        return Locale.parse(code).get_display_name(ui) or name
    except (ValueError, LookupError):
        return name


def _slot(name: str, value: str, words: frozenset[str], ui: str) -> str:
    if value in words:
        return gettext(value)
    if name == "language":
        return _language(value, ui)
    if ", " in value:  # a list of slot words ("round, square")
        items = value.split(", ")
        if all(i in words for i in items):
            return ", ".join(gettext(i) for i in items)
    return value


def finding_text(finding: Any) -> str:
    """*finding*'s message in the interface language (English outside a request, or
    when no declared template makes the message)."""
    message = getattr(finding, "message", None)
    check_id = getattr(finding, "check_id", "")
    if message is None:
        return str(finding)
    ui = _ui()
    if ui == "en":
        return message

    from workflow.checks.messages import explain, slots, templates

    from .text import direction

    parts = explain(check_id, message)
    if parts is None:
        return message
    words = templates(check_id)[1]
    # in right-to-left text each value is isolated (FSI ... PDI): its brackets and quotes
    # stay with it instead of joining the surrounding run
    isolate = "\u2068%s\u2069" if direction(ui) == "rtl" else "%s"
    out = []
    for template, params in parts:
        shown = {k: isolate % _slot(k, v, words, ui) for k, v in params.items()}
        try:
            translated = gettext(template)
            if set(slots(translated)) != set(params):  # a slot lost or renamed
                return message
            out.append(translated % shown if shown else translated)
        except (KeyError, ValueError, TypeError):  # a translation with a broken placeholder
            return message
    return "".join(out)


#: (check id or severity, interface language) -> what is shown: a JSON answer or a queue
#: names the same few checks for every finding
_SHOWN: dict[tuple[str, str], str] = {}


def check_title(check_id: str) -> str:
    """The check's title (its docstring's first line, ``Check.title``) in the interface
    language, without a final full stop; the id for a finding no check makes."""
    key = (check_id, _ui() if has_request_context() else "")
    shown = _SHOWN.get(key)
    if shown is None:
        from workflow.checks.registry import registry

        check = registry.get(check_id)
        title = check.title() if check is not None else ""
        if not title:
            return check_id
        shown = (gettext(title) if key[1] else title).rstrip(".")
        if len(_SHOWN) < 4096:
            _SHOWN[key] = shown
    return shown


def severity_word(severity: str) -> str:
    """"error" / "warning" in the interface language."""
    if severity not in ("error", "warning") or not has_request_context():
        return severity
    key = (f" {severity}", _ui())
    shown = _SHOWN.get(key)
    if shown is None:
        shown = _SHOWN[key] = gettext(severity)
    return shown


#: A QA finding in the export gate's blocking list: "context: [check id] message"
#: (``workflow.export.statuses.language_status``).
_BLOCKING = re.compile(r"(?P<context>.*?): \[(?P<check>[a-z][\w-]*)\] (?P<message>.*)", re.S)


def blocking_line(line: str) -> str:
    """An export blocking line; a QA finding's check title and message in the interface
    language ("context: [title] message"), any other line as it is."""
    m = _BLOCKING.fullmatch(line)
    if m is None or _ui() == "en":
        return line
    from types import SimpleNamespace

    finding = SimpleNamespace(check_id=m["check"], message=m["message"])
    return f"{m['context']}: [{check_title(m['check'])}] {finding_text(finding)}"


def refusal_findings(findings: list) -> str:
    """The ``%(findings)s`` of "Approval refused: %(findings)s" (``workflow.review``'s
    "check id: message; ...") with each title and message in the interface language."""
    return "; ".join(f"{check_title(f.check_id)}: {finding_text(f)}" for f in findings)
