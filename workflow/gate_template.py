"""The gate's template step: the template against the letter(s) (a stale extract fails
the build), run in the parent while the workers check the catalogues."""

from __future__ import annotations

from pathlib import Path

from .errors import CatalogError, LetterflowError
from .gate import ERROR, GateFinding, _bare
from .gate_cache import _cache_get, _cache_put, _template_key


def _template_findings(config, tpath: Path, template=None) -> tuple[object, list[GateFinding]]:
    """(the template or None, findings): the template against the letter(s). *template*:
    the template already parsed, if it is."""
    from .catalogs import load_template
    from .extract import template_problems

    found: list[GateFinding] = []
    try:
        if template is None and not tpath.exists():
            found.append(_template_error("template missing: run `letterflow extract`", tpath))
        else:
            template = template if template is not None else load_template(tpath)
            from_letters = getattr(config, "extracted_by", "letterflow") == "letterflow"
            for problem in template_problems(config, template) if from_letters else []:
                found.append(_template_error(
                    f"template is out of sync with the letter ({problem}): run "
                    "`letterflow extract` then `letterflow update`", tpath, 1))
    except CatalogError as exc:
        found.append(
            GateFinding("", "", "syntax", ERROR, _bare(exc), exc.path or str(tpath), exc.line or 0)
        )
    except LetterflowError as exc:
        found.append(
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
    return template, found


def _template_error(message: str, tpath: Path, line: int = 0) -> GateFinding:
    """A template finding (an error of the check id "template") on *tpath*."""
    return GateFinding("", "", "template", ERROR, message, str(tpath), line)


def template_step(config, tpath: Path, fingerprint: str | None, template=None):
    """The template step as a call that returns its findings (run here, or in a forked
    child while this process checks a catalogue). *fingerprint*: the run's, if it uses the
    cache (None if not); the cache key is worked out now, in this process, whose key memo
    is saved when it ends (a forked child ends without saving it)."""
    if fingerprint is None:
        return lambda: _template_findings(config, tpath, template)[1]
    key = _template_cache_key(config, tpath, fingerprint)
    return lambda: _template_findings_by_key(config, key, tpath, template)


def _template_cache_key(config, tpath: Path, fingerprint: str) -> str:
    """The cache key of the template findings: the fingerprint (which covers the template,
    the letters, the configuration and letterflow's code) and where they are."""
    where = "\0".join([str(config.root), str(tpath), *map(str, config.letters)])
    return _template_key(config, f"template\0{fingerprint}\0{where}")


def _template_findings_by_key(config, key: str, tpath: Path, template=None) -> list:
    """The template findings cached under *key*, else worked out (and cached)."""
    found = _cache_get(config, key, list)
    if found is None:
        _, found = _template_findings(config, tpath, template)
        _cache_put(config, key, found)
    return found
