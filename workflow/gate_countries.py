"""The CI gate's look at the ``countries`` domain (country phrases, issue 11)."""

from __future__ import annotations

from .errors import CatalogError
from .gate import ERROR, GateFinding, _bare


def check_countries(config, languages: list[str], add, fingerprint: str = "") -> None:
    """3. The ``countries`` domain (country phrases, issue 11): each file must parse and an
    approved phrase must be one a document can hold. It is never required to be complete:
    the export gate asks only for the phrases its recipients use. With a *fingerprint*
    (the gate's cache is on), each file's findings are cached by its content like the
    catalogues' analyses: a warm run parses none of them."""
    from .export.countries import catalog_path
    from .gate_cache import _cache_get, _cache_key, _cache_put

    for lang in dict.fromkeys([config.source_language, *languages]):
        path = catalog_path(config, lang)
        if not path.is_file():
            continue
        key = (_cache_key(fingerprint, path, f"countries\0{lang}", config) if fingerprint
               else None)
        found = _cache_get(config, key, list) if key else None
        if found is None:
            found = _findings(path, lang)
            if key:
                _cache_put(config, key, found)
        for finding in found:
            add(finding)


def _findings(path, lang: str) -> list[GateFinding]:
    from .catalogs import load_catalog
    from .textrules import XML_ILLEGAL

    try:
        catalog = load_catalog(path, lang)
    except CatalogError as exc:
        return [GateFinding(lang, "", "syntax", ERROR, _bare(exc), exc.path or str(path),
                            exc.line or 0)]
    return [GateFinding(lang, m.context, "control-chars", ERROR,
                        "control character in an approved country phrase", str(path), m.line)
            for m in catalog.active()
            if m.state == "approved" and any(XML_ILLEGAL.search(s) for s in m.strings)]
