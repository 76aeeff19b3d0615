"""How ``letterflow check`` prints a :class:`~workflow.gate.GateReport`: text, json,
junit or GitHub annotations. Imported only once the gate has run."""

from __future__ import annotations

import os
from functools import lru_cache
from operator import attrgetter
from pathlib import Path

from .gate import ERROR, GateFinding, GateReport


def _rel(path: str, root: Path) -> str:
    if not path:
        return ""
    return _relpath(path, str(root))


@lru_cache(maxsize=4096)
def _relpath(path: str, root: str) -> str:
    """os.path.relpath once per path (a report names the same few files many times)."""
    try:
        return os.path.relpath(path, root)
    except ValueError:
        return path


def render(report: GateReport, fmt: str, root: Path, show_warnings: bool = True) -> str:
    # each path made relative once (a report names the same few files 100,000 times)
    rel = {path: _rel(path, root) for path in {f.path for f in report.findings}}
    findings = _ordered(report.findings, rel)
    if fmt == "json":
        return _json(report, findings, root)
    if fmt == "github":
        return _github(report, findings, root, show_warnings)
    if fmt == "junit":
        return _junit(report, findings, root)
    lines = [
        f"{rel[f.path]}{f':{f.line}' if f.line else ''}: {f.severity}: [{f.check_id}] "
        f"{f.language or '-'}{f' {f.context}' if f.context else ''}: {f.message}"
        for f in findings if show_warnings or f.severity == ERROR
    ]
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def _ordered(findings: list, rel: dict[str, str]) -> list:
    """*findings* sorted by (not an error, language, relative path, line), stably."""
    paths = sorted(rel)
    if len(set(rel.values())) == len(paths) and paths == sorted(paths, key=rel.__getitem__):
        # the relative paths sort as the paths do: a key made in C, then the errors first
        # (a stable partition is a stable sort on "not an error")
        ordered = sorted(findings, key=attrgetter("language", "path", "line"))
        return ([f for f in ordered if f.severity == ERROR]
                + [f for f in ordered if f.severity != ERROR])
    return sorted(findings, key=lambda f: (f.severity != ERROR, f.language, rel[f.path], f.line))


def _json(report: GateReport, findings: list, root: Path) -> str:
    data = {
        "ok": report.ok,
        "required": report.required,
        "languages": report.stats,
        "errors": len(report.errors),
        "warnings": len(report.findings) - len(report.errors),
    }
    if findings and all(f.__class__ is GateFinding for f in findings):
        # (what the general path below writes, a column at a time: see dumps_findings)
        columns = [list(map(attrgetter(k), findings)) for k in _FIELDS]
        rel = {path: _rel(path, root) for path in set(columns[5])}
        columns[5] = list(map(rel.__getitem__, columns[5]))
        text = dumps_findings(data, _FIELDS, columns)
        if text is not None:
            return text + "\n"
    data["findings"] = [{**asdict_any(f), "path": _rel(f.path, root)} for f in findings]
    import json

    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def dumps_findings(data: dict, keys: tuple[str, ...], columns: list[list]) -> str | None:
    """``json.dumps({**data, "findings": rows}, indent=2, ensure_ascii=False)`` where
    ``rows`` are dicts of *keys* with the values in *columns* (one list per key), if every
    column holds only str or only int values (else None): written a column at a time with
    the C string encoder and one %-template per row (json writes indented output in Python,
    value by value: ~2 s for 100,000 findings)."""
    import json
    from json.encoder import encode_basestring as enc

    encoders = []
    for column in columns:
        kinds = set(map(type, column))
        if kinds != {str} and kinds != {int}:
            return None
        encoders.append(enc if kinds == {str} else repr)
    head = json.dumps(data, indent=2, ensure_ascii=False)
    template = "    {\n" + ",\n".join(
        f"      {enc(k).replace('%', '%%')}: %s" for k in keys) + "\n    }"
    encoded = [map(e, column) for e, column in zip(encoders, columns, strict=True)]
    items = ",\n".join(map(template.__mod__, zip(*encoded, strict=True)))
    opening = head[:-2] + ",\n" if len(head) > 2 else "{\n"
    return f'{opening}  "findings": [\n{items}\n  ]\n}}'


def _github(report: GateReport, findings: list, root: Path, show_warnings: bool) -> str:
    out = []
    for f in findings:
        if f.severity != ERROR and not show_warnings:
            continue
        kind = "error" if f.severity == ERROR else "warning"
        loc = f"file={_rel(f.path, root)}" + (f",line={f.line}" if f.line else "")
        msg = _gh_escape(
            f"[{f.language or '-'}] {f.context + ': ' if f.context else ''}{f.message}"
        )
        out.append(f"::{kind} {loc},title={_gh_prop(f.check_id)}::{msg}")
    out.append(_summary(report))
    return "\n".join(out) + "\n"


_FIELDS = ("language", "context", "check_id", "severity", "message", "path", "line")


def asdict_any(f) -> dict:
    """A finding's fields as a dict: a gate record's (no ``dataclasses.asdict`` raising
    TypeError for each of them), else a dataclass's, else its seven fields'."""
    if f.__class__ is GateFinding:
        return {k: f.__dict__[k] for k in _FIELDS}
    from dataclasses import asdict

    try:
        return asdict(f)
    except TypeError:
        return {k: getattr(f, k) for k in _FIELDS}


def _summary(report: GateReport) -> str:
    req = ", ".join(report.required) if report.required else "none"
    n_err = len(report.errors)
    n_warn = len(report.findings) - n_err
    verdict = "OK" if report.ok else "FAILED"
    return (
        f"letterflow check: {verdict}: {n_err} error(s), {n_warn} warning(s); "
        f"{len(report.stats)} catalogue(s) checked; required complete: {req}"
    )


def _gh_escape(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(s: str) -> str:
    return _gh_escape(s).replace(":", "%3A").replace(",", "%2C")


# xml.sax.saxutils would do, but it imports urllib.request (~40 ms of the gate's start-up).
def escape(data: str) -> str:
    """``xml.sax.saxutils.escape``: &, < and >."""
    return data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(data: str) -> str:
    """``xml.sax.saxutils.quoteattr``: an attribute value with its quotes."""
    data = escape(data).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' in data:
        if "'" in data:
            data = '"{}"'.format(data.replace('"', "&quot;"))
        else:
            data = f"'{data}'"
    else:
        data = f'"{data}"'
    return data


def _junit_case(lang: str, f, root: Path) -> str:
    where = _rel(f.path, root) + (f":{f.line}" if f.line else "")
    name = f"{f.check_id} {f.context}".strip()
    return (
        f'    <testcase classname="letterflow.{escape(lang)}" name={quoteattr(name)} '
        f'file={quoteattr(_rel(f.path, root))} line="{f.line}">\n'
        f"      <failure message={quoteattr(f.message)} type={quoteattr(f.check_id)}>"
        f"{escape(where)}: {escape(f.message)}</failure>\n    </testcase>"
    )


def _junit_suite(lang: str, items: list, root: Path) -> tuple[str, int, int]:
    errors = [f for f in items if f.severity == ERROR]
    warns = [f for f in items if f.severity != ERROR]
    cases = []
    if not errors:
        cases.append(
            f'    <testcase classname="letterflow.{escape(lang)}" name="{escape(lang)} gate"/>'
        )
    cases += [_junit_case(lang, f, root) for f in errors]
    out = ""
    if warns:
        text = "\n".join(
            f"{_rel(f.path, root)}:{f.line}: warning: [{f.check_id}] {f.context}: {f.message}"
            for f in warns
        )
        out = "\n    <system-out>" + escape(text) + "</system-out>"
    suite = (
        f'  <testsuite name="letterflow check {escape(lang)}" tests="{len(cases)}" '
        f'failures="{len(errors)}" '
        f'errors="0" skipped="0">\n' + "\n".join(cases) + out + "\n  </testsuite>"
    )
    return suite, len(cases), len(errors)


def _junit(report: GateReport, findings: list, root: Path) -> str:
    by_lang: dict[str, list] = {}
    for f in findings:
        by_lang.setdefault(f.language or "template", []).append(f)
    suites = []
    total_tests = total_fail = 0
    for lang in ["template", *report.languages]:
        suite, tests, fails = _junit_suite(lang, by_lang.get(lang, []), root)
        suites.append(suite)
        total_tests += tests
        total_fail += fails
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites name="letterflow check" tests="{total_tests}" failures="{total_fail}">\n'
        + "\n".join(suites)
        + "\n</testsuites>\n"
    )
