"""The CI completeness gate: what ``letterflow check`` decides, and its output formats."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from .errors import CatalogError, LetterflowError

ERROR, WARNING = "error", "warning"


@dataclass
class GateFinding:
    """A finding of the gate itself (same fields as checks.Finding)."""

    language: str
    context: str
    check_id: str
    severity: str
    message: str
    path: str
    line: int = 0


@dataclass
class GateReport:
    required: list[str]
    languages: list[str]
    findings: list = field(default_factory=list)
    stats: dict[str, dict] = field(default_factory=dict)

    @property
    def errors(self) -> list:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors


def _qa_findings(catalog, config) -> list:
    from .checks import run_checks

    return list(run_checks(catalog, config=config))


def run_gate(config, languages: list[str], required: list[str]) -> GateReport:
    from .catalogs import catalog_in_sync, load_catalog, load_template
    from .extract import template_problems

    report = GateReport(required=required, languages=languages)
    add = report.findings.append
    tpath = Path(config.template)

    # 1. The template against the letter(s): a stale extract fails the build.
    template = None
    try:
        if not tpath.exists():
            add(GateFinding("", "", "template", ERROR, "template missing: run `letterflow extract`", str(tpath)))
        else:
            template = load_template(tpath)
            for problem in template_problems(config, template):
                add(GateFinding("", "", "template", ERROR,
                                f"template is out of sync with the letter ({problem}): run "
                                "`letterflow extract` then `letterflow update`", str(tpath), 1))
    except CatalogError as exc:
        add(GateFinding("", "", "syntax", ERROR, _bare(exc), exc.path or str(tpath), exc.line or 0))
    except LetterflowError as exc:
        add(GateFinding("", "", "letter", ERROR, str(exc), getattr(exc, "path", "") or "",
                        getattr(exc, "line", 0) or 0))

    # 2. Each catalogue: parse, sync, completeness, QA.
    for lang in languages:
        path = config.catalog(lang)
        is_required = lang in required
        if not path.exists():
            if is_required:
                add(GateFinding(lang, "", "missing", ERROR,
                                "required catalogue does not exist: run `letterflow update`", str(path)))
            continue
        try:
            catalog = load_catalog(path, lang)
        except CatalogError as exc:
            add(GateFinding(lang, "", "syntax", ERROR, _bare(exc), str(path), exc.line or 0))
            continue
        stats = catalog.stats
        report.stats[lang] = stats.as_dict()
        if template is not None:
            for problem in catalog_in_sync(template, catalog):
                add(GateFinding(lang, "", "sync", ERROR, f"catalogue out of sync with the template: {problem}", str(path), 1))
        if is_required and stats.approved < stats.total:
            todo = [m for m in catalog.active() if m.state != "approved"]
            add(GateFinding(
                lang, "", "incomplete", ERROR,
                f"required language is {stats.percent:.1f}% approved: {stats.draft} draft, "
                f"{stats.untranslated} untranslated",
                str(path), todo[0].line if todo else 0,
            ))
            for m in todo[:50]:
                add(GateFinding(lang, m.context, "incomplete", ERROR, f"not approved ({m.state})", str(path), m.line))
        for f in _qa_findings(catalog, config):
            # Drafts may be broken while they wait for review (msgfmt skips fuzzy entries too);
            # an error on an approved message fails the build.
            msg = catalog.get(f.context)
            if f.severity == ERROR and msg is not None and msg.state != "approved":
                f = GateFinding(f.language, f.context, f.check_id, WARNING,
                                f"(draft) {f.message}", f.path, f.line)
            add(f)
    return report


def _bare(exc: CatalogError) -> str:
    text = str(exc)
    prefix = f"{exc.path}:{exc.line}: " if exc.path and exc.line else (f"{exc.path}: " if exc.path else "")
    return text[len(prefix):] if prefix and text.startswith(prefix) else text


def _rel(path: str, root: Path) -> str:
    if not path:
        return ""
    try:
        return os.path.relpath(path, root)
    except ValueError:
        return path


def render(report: GateReport, fmt: str, root: Path, show_warnings: bool = True) -> str:
    findings = sorted(
        report.findings,
        key=lambda f: (f.severity != ERROR, f.language, _rel(f.path, root), f.line),
    )
    if fmt == "json":
        return json.dumps({
            "ok": report.ok,
            "required": report.required,
            "languages": report.stats,
            "errors": len(report.errors),
            "warnings": len(report.findings) - len(report.errors),
            "findings": [{**asdict_any(f), "path": _rel(f.path, root)} for f in findings],
        }, indent=2, ensure_ascii=False) + "\n"
    if fmt == "github":
        out = []
        for f in findings:
            if f.severity != ERROR and not show_warnings:
                continue
            kind = "error" if f.severity == ERROR else "warning"
            loc = f"file={_rel(f.path, root)}" + (f",line={f.line}" if f.line else "")
            msg = _gh_escape(f"[{f.language or '-'}] {f.context + ': ' if f.context else ''}{f.message}")
            out.append(f"::{kind} {loc},title={_gh_prop(f.check_id)}::{msg}")
        out.append(_summary(report))
        return "\n".join(out) + "\n"
    if fmt == "junit":
        return _junit(report, findings, root)
    lines = []
    for f in findings:
        if f.severity != ERROR and not show_warnings:
            continue
        where = _rel(f.path, root) + (f":{f.line}" if f.line else "")
        ctx = f" {f.context}" if f.context else ""
        lines.append(f"{where}: {f.severity}: [{f.check_id}] {f.language or '-'}{ctx}: {f.message}")
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def asdict_any(f) -> dict:
    try:
        return asdict(f)
    except TypeError:
        return {k: getattr(f, k) for k in ("language", "context", "check_id", "severity", "message", "path", "line")}


def _summary(report: GateReport) -> str:
    req = ", ".join(report.required) if report.required else "none"
    n_err = len(report.errors)
    n_warn = len(report.findings) - n_err
    verdict = "OK" if report.ok else "FAILED"
    return (f"letterflow check: {verdict}: {n_err} error(s), {n_warn} warning(s); "
            f"{len(report.stats)} catalogue(s) checked; required complete: {req}")


def _gh_escape(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(s: str) -> str:
    return _gh_escape(s).replace(":", "%3A").replace(",", "%2C")


def _junit(report: GateReport, findings: list, root: Path) -> str:
    by_lang: dict[str, list] = {}
    for f in findings:
        by_lang.setdefault(f.language or "template", []).append(f)
    langs = ["template", *report.languages]
    suites = []
    total_tests = total_fail = 0
    for lang in langs:
        items = by_lang.get(lang, [])
        errors = [f for f in items if f.severity == ERROR]
        warns = [f for f in items if f.severity != ERROR]
        cases = []
        if not errors:
            cases.append(f'    <testcase classname="letterflow.{escape(lang)}" name="{escape(lang)} gate"/>')
        for f in errors:
            where = _rel(f.path, root) + (f":{f.line}" if f.line else "")
            name = f"{f.check_id} {f.context}".strip()
            cases.append(
                f'    <testcase classname="letterflow.{escape(lang)}" name={quoteattr(name)} '
                f'file={quoteattr(_rel(f.path, root))} line="{f.line}">\n'
                f'      <failure message={quoteattr(f.message)} type={quoteattr(f.check_id)}>'
                f"{escape(where)}: {escape(f.message)}</failure>\n    </testcase>"
            )
        out = ""
        if warns:
            out = "\n    <system-out>" + escape("\n".join(
                f"{_rel(f.path, root)}:{f.line}: warning: [{f.check_id}] {f.context}: {f.message}" for f in warns
            )) + "</system-out>"
        tests = len(cases)
        total_tests += tests
        total_fail += len(errors)
        suites.append(
            f'  <testsuite name="letterflow check {escape(lang)}" tests="{tests}" failures="{len(errors)}" '
            f'errors="0" skipped="0">\n' + "\n".join(cases) + out + "\n  </testsuite>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites name="letterflow check" tests="{total_tests}" failures="{total_fail}">\n'
        + "\n".join(suites) + "\n</testsuites>\n"
    )
