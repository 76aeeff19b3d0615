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


@dataclass
class CatalogAnalysis:
    """Everything the gate needs from one catalogue; cached by content hash."""

    language: str
    path: str
    stats: dict | None = None
    not_approved: list[tuple[str, str, int]] = field(default_factory=list)  # context, state, line
    findings: list = field(default_factory=list)  # gate + QA findings, before the required rule
    approved_contexts: set[str] = field(default_factory=set)


def analyse_catalog(
    config, lang: str, template, skip: frozenset[str] = frozenset()
) -> CatalogAnalysis:
    """Parse, sync-check and QA-check one catalogue (no knowledge of the required set)."""
    from .catalogs import load_catalog
    from .status import assess

    path = config.catalog(lang)
    out = CatalogAnalysis(language=lang, path=str(path))
    try:
        catalog = load_catalog(path, lang)
    except CatalogError as exc:
        out.findings.append(
            GateFinding(lang, "", "syntax", ERROR, _bare(exc), str(path), exc.line or 0)
        )
        return out
    status = assess(catalog, config=config, skip=skip, template=template)
    out.stats = status.counts
    out.not_approved = status.not_approved
    out.approved_contexts = status.approved_contexts
    for problem in status.out_of_sync:
        out.findings.append(
            GateFinding(
                lang,
                "",
                "sync",
                ERROR,
                f"catalogue out of sync with the template: {problem}",
                str(path),
                1,
            )
        )
    for f in status.findings:
        out.findings.append(
            GateFinding(f.language, f.context, f.check_id, f.severity, f.message, f.path, f.line)
        )
    return out


# --- the cache: a catalogue's analysis is reused while its bytes, the template, the
# letters, the glossary, the configuration and letterflow's own code are unchanged.


def _fingerprint(config) -> str:
    import hashlib

    from . import __version__

    h = hashlib.sha256(__version__.encode())
    code = Path(__file__).resolve().parent
    for p in sorted([*code.glob("*.py"), *code.glob("checks/*.py")]):
        st = p.stat()
        h.update(f"{p.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    for p in [config.template, config.glossary, config.source_file, *config.letters]:
        if p and Path(p).exists():
            h.update(Path(p).read_bytes())
    return h.hexdigest()


def _cache_dir(config) -> Path:
    return (
        Path(os.environ.get("LETTERFLOW_CACHE_DIR") or Path(config.root) / ".letterflow-cache")
        / "check"
    )


def _cache_key(fingerprint: str, path: Path, lang: str) -> str | None:
    import hashlib

    try:
        data = path.read_bytes()
    except OSError:
        return None
    return hashlib.sha256(fingerprint.encode() + lang.encode() + b"\0" + data).hexdigest()


def _cache_get(config, key: str) -> CatalogAnalysis | None:
    import pickle

    try:
        with open(_cache_dir(config) / f"{key}.pickle", "rb") as fh:
            value = pickle.load(fh)
        return value if isinstance(value, CatalogAnalysis) else None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None


def _cache_put(config, key: str, value: CatalogAnalysis) -> None:
    import pickle

    from .catalogs import write_atomic

    try:
        write_atomic(_cache_dir(config) / f"{key}.pickle", pickle.dumps(value))
    except OSError:
        pass  # a read-only checkout simply runs without the cache


_worker_state: dict = {}


def _worker_init(project: str, skip: frozenset[str]) -> None:
    from .catalogs import load_template
    from .config import load_config

    cfg = load_config(project)
    _worker_state["config"] = cfg
    _worker_state["skip"] = skip
    try:
        _worker_state["template"] = load_template(cfg.template) if cfg.template.exists() else None
    except CatalogError:
        _worker_state["template"] = None


def _worker_analyse(lang: str) -> CatalogAnalysis:
    return analyse_catalog(
        _worker_state["config"], lang, _worker_state["template"], _worker_state["skip"]
    )


def run_gate(
    config,
    languages: list[str],
    required: list[str],
    *,
    use_cache: bool = True,
    jobs: int = 0,
    progress=None,
    skip: frozenset[str] = frozenset(),
) -> GateReport:
    from .catalogs import load_template
    from .extract import template_problems
    from .status import is_draft_finding

    report = GateReport(required=required, languages=languages)
    add = report.findings.append
    tpath = Path(config.template)

    # 1. The template against the letter(s): a stale extract fails the build.
    template = None
    try:
        if not tpath.exists():
            add(GateFinding("", "", "template", ERROR, "template missing: run `letterflow extract`",
                            str(tpath)))
        else:
            template = load_template(tpath)
            from_letters = getattr(config, "extracted_by", "letterflow") == "letterflow"
            for problem in template_problems(config, template) if from_letters else []:
                add(GateFinding("", "", "template", ERROR,
                                f"template is out of sync with the letter ({problem}): run "
                                "`letterflow extract` then `letterflow update`", str(tpath), 1))
    except CatalogError as exc:
        add(GateFinding("", "", "syntax", ERROR, _bare(exc), exc.path or str(tpath), exc.line or 0))
    except LetterflowError as exc:
        add(
            GateFinding(
                "",
                "",
                "letter",
                ERROR,
                str(exc),
                getattr(exc, "path", "") or "",
                getattr(exc, "line", 0) or 0,
            )
        )

    # 2. Each catalogue: parse, sync, QA (cached by content), then completeness.
    fingerprint = _fingerprint(config) + ",".join(sorted(skip)) if use_cache else ""
    analyses: dict[str, CatalogAnalysis] = {}
    todo: list[str] = []
    keys: dict[str, str | None] = {}
    for lang in languages:
        path = config.catalog(lang)
        if not path.exists():
            continue
        keys[lang] = _cache_key(fingerprint, path, lang) if use_cache else None
        cached = _cache_get(config, keys[lang]) if keys[lang] else None
        if cached is not None:
            analyses[lang] = cached
            if progress:
                progress(lang)
        else:
            todo.append(lang)
    if todo:
        size = sum(config.catalog(lang).stat().st_size for lang in todo)
        if jobs <= 0:
            jobs = min(os.cpu_count() or 1, len(todo)) if size > 4_000_000 else 1
        if jobs > 1:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(
                jobs,
                initializer=_worker_init,
                initargs=(str(config.source_file or config.root), frozenset(skip)),
            ) as pool:
                for lang, result in zip(todo, pool.map(_worker_analyse, todo), strict=True):
                    analyses[lang] = result
                    if progress:
                        progress(lang)
        else:
            for lang in todo:
                analyses[lang] = analyse_catalog(config, lang, template, frozenset(skip))
                if progress:
                    progress(lang)
        if use_cache:
            for lang in todo:
                if keys.get(lang):
                    _cache_put(config, keys[lang], analyses[lang])

    for lang in languages:
        path = config.catalog(lang)
        is_required = lang in required
        a = analyses.get(lang)
        if a is None:
            if is_required:
                add(
                    GateFinding(
                        lang,
                        "",
                        "missing",
                        ERROR,
                        "required catalogue does not exist: run `letterflow update`",
                        str(path),
                    )
                )
            continue
        if a.stats is not None:
            report.stats[lang] = a.stats
        if is_required and a.stats is not None and a.not_approved:
            st = a.stats
            add(
                GateFinding(
                    lang,
                    "",
                    "incomplete",
                    ERROR,
                    f"required language is {st['percent']:.1f}% approved: {st['draft']} draft, "
                    f"{st['untranslated']} untranslated",
                    str(path),
                    a.not_approved[0][2],
                )
            )
            for ctx, state, line in a.not_approved[:50]:
                add(
                    GateFinding(
                        lang, ctx, "incomplete", ERROR, f"not approved ({state})", str(path), line
                    )
                )
        for f in a.findings:
            # Drafts may be broken while they wait for review (msgfmt skips fuzzy entries too);
            # an error on an approved message fails the build.
            if is_draft_finding(f, a.approved_contexts):
                f = GateFinding(
                    f.language,
                    f.context,
                    f.check_id,
                    WARNING,
                    f"(draft) {f.message}",
                    f.path,
                    f.line,
                )
            add(f)
    return report


def _bare(exc: CatalogError) -> str:
    text = str(exc)
    prefix = (
        f"{exc.path}:{exc.line}: "
        if exc.path and exc.line
        else (f"{exc.path}: " if exc.path else "")
    )
    return text[len(prefix) :] if prefix and text.startswith(prefix) else text


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
        return (
            json.dumps(
                {
                    "ok": report.ok,
                    "required": report.required,
                    "languages": report.stats,
                    "errors": len(report.errors),
                    "warnings": len(report.findings) - len(report.errors),
                    "findings": [{**asdict_any(f), "path": _rel(f.path, root)} for f in findings],
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    if fmt == "github":
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
        return {
            k: getattr(f, k)
            for k in ("language", "context", "check_id", "severity", "message", "path", "line")
        }


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
            cases.append(
                f'    <testcase classname="letterflow.{escape(lang)}" name="{escape(lang)} gate"/>'
            )
        for f in errors:
            where = _rel(f.path, root) + (f":{f.line}" if f.line else "")
            name = f"{f.check_id} {f.context}".strip()
            cases.append(
                f'    <testcase classname="letterflow.{escape(lang)}" name={quoteattr(name)} '
                f'file={quoteattr(_rel(f.path, root))} line="{f.line}">\n'
                f"      <failure message={quoteattr(f.message)} type={quoteattr(f.check_id)}>"
                f"{escape(where)}: {escape(f.message)}</failure>\n    </testcase>"
            )
        out = ""
        if warns:
            out = (
                "\n    <system-out>"
                + escape(
                    "\n".join(
                        f"{_rel(f.path, root)}:{f.line}: warning: [{f.check_id}] "
                        f"{f.context}: {f.message}"
                        for f in warns
                    )
                )
                + "</system-out>"
            )
        tests = len(cases)
        total_tests += tests
        total_fail += len(errors)
        suites.append(
            f'  <testsuite name="letterflow check {escape(lang)}" tests="{tests}" '
            f'failures="{len(errors)}" '
            f'errors="0" skipped="0">\n' + "\n".join(cases) + out + "\n  </testsuite>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites name="letterflow check" tests="{total_tests}" failures="{total_fail}">\n'
        + "\n".join(suites)
        + "\n</testsuites>\n"
    )
