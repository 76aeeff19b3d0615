"""The CI gate's look at the ``countries`` domain (country phrases, issue 11)."""

from __future__ import annotations

from .catalogs import CatalogError
from .gate import ERROR, GateFinding, _bare


def check_countries(config, languages: list[str], add) -> None:
    """3. The ``countries`` domain (country phrases, issue 11): each file must parse and an
    approved phrase must be one a document can hold. It is never required to be complete:
    the export gate asks only for the phrases its recipients use."""
    from .catalogs import load_catalog
    from .export.countries import catalog_path
    from .textrules import XML_ILLEGAL

    for lang in dict.fromkeys([config.source_language, *languages]):
        path = catalog_path(config, lang)
        if not path.is_file():
            continue
        try:
            catalog = load_catalog(path, lang)
        except CatalogError as exc:
            add(GateFinding(lang, "", "syntax", ERROR, _bare(exc), exc.path or str(path),
                            exc.line or 0))
            continue
        for m in catalog.active():
            if m.state == "approved" and any(XML_ILLEGAL.search(s) for s in m.strings):
                add(GateFinding(lang, m.context, "control-chars", ERROR,
                                "control character in an approved country phrase", str(path),
                                m.line))
