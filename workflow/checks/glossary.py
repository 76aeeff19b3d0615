"""The official-terminology glossary (``locales/glossary.tbx``) and its check.

This module is the glossary's public face: the loader (:func:`load_glossary`,
:func:`glossary_for`), :func:`missing_terms` and the ``glossary`` QA check. The rest lives in
two modules whose names it re-exports, so ``from workflow.checks.glossary import ...`` keeps
working for every name:

- :mod:`workflow.checks.glossary_tbx`: the model (Term, Concept, Glossary), the TBX file
  format letterflow reads and :func:`parse_glossary`;
- :mod:`workflow.checks.glossary_match`: normalisation, stemming and inflection-tolerant term
  matching (TermPattern, TextIndex, :func:`term_in`, :func:`word_keys`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from workflow.checks.base import ERROR, Check, Problem, Unit

# _WORD_RE and _same are private; re-exported (hence the noqa) for workflow/mt/terms.py.
from workflow.checks.glossary_match import (  # noqa: F401
    _WORD_RE,
    SNOWBALL,
    SUBSTRING_LANGUAGES,
    TermPattern,
    TextIndex,
    _same,
    base_language,
    term_in,
    word_keys,
)
from workflow.checks.glossary_tbx import (
    ADMITTED,
    ADVISED,
    MANDATORY,
    PREFERRED,
    REQUIREMENTS,
    XML_LANG,
    Concept,
    Glossary,
    Term,
    parse_glossary,
)
from workflow.checks.messages import N_
from workflow.errors import QAError
from workflow.statmemo import FileMemo

__all__ = [
    "ADMITTED",
    "ADVISED",
    "MANDATORY",
    "PREFERRED",
    "REQUIREMENTS",
    "SNOWBALL",
    "SUBSTRING_LANGUAGES",
    "XML_LANG",
    "Concept",
    "Glossary",
    "GlossaryCheck",
    "Term",
    "TermPattern",
    "TextIndex",
    "base_language",
    "glossary_for",
    "load_glossary",
    "missing_terms",
    "parse_glossary",
    "term_in",
    "word_keys",
]

#: (path, source language) -> the parsed glossary of one version of the file
_cache = FileMemo(size=4)


def load_glossary(
    path: str | Path, languages: Iterable[str] = (), *, source_language: str = "en"
) -> Glossary:
    """Read (and cache while the file is the same version: ``statmemo.FileMemo``) a TBX
    glossary; check it covers *languages* (once per language and version of the file).

    Raises QAError with the file, line, term and language for a malformed file or a
    term with no translation for one of *languages*.
    """
    try:
        glossary = _cache.get(path, lambda data: parse_glossary(Path(path), data,
                                                                source_language),
                              source_language)
    except OSError as exc:
        raise QAError(f"{path}: cannot read glossary ({exc.strerror or exc})") from None
    # the review UI asks once per approval: a language found covered stays covered for
    # this version of the file (a missing term raises every time)
    covered = glossary.__dict__.setdefault("_covered", set())
    todo = [lang for lang in languages if lang not in covered]
    if todo:
        glossary.require(todo)
        covered.update(todo)
    return glossary


@lru_cache(maxsize=256)
def _beside_locales(catalog_path: str) -> str:
    """locales/<lang>/LC_MESSAGES/<domain>.po -> locales/glossary.tbx"""
    return os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(catalog_path))),
                        "glossary.tbx")


def glossary_for(catalog: Any, config: Any) -> Glossary | None:
    """The project's glossary for a check run, or None if the project has none."""
    path = getattr(config, "glossary", None) if config is not None else None
    languages: list[str] = list(getattr(config, "languages", None) or [])
    source = getattr(config, "source_language", None) or "en"
    if path is None:
        cat_path = getattr(catalog, "path", None)
        if cat_path is None:
            return None
        candidate = _beside_locales(os.fspath(cat_path))
        if not os.path.isfile(candidate):
            return None
        path = candidate
    elif not os.path.isfile(path):
        return None
    lang = getattr(catalog, "language", None)
    if lang and lang not in languages:
        languages.append(lang)
    return load_glossary(path, languages, source_language=source)


def missing_terms(
    glossary: Glossary, source: str, translation: str, language: str
) -> list[Concept]:
    """Concepts whose source term is in *source* but whose translation is not."""
    concepts = glossary.in_source(source)
    if not concepts:
        return []
    index = TextIndex(translation, language)
    return [c for c in concepts if not c.found_in(index)]


#: (a concept's requirement: glossary_tbx.MANDATORY, ADVISED)
MISSING_TERM = {
    "mandatory": N_("mandatory term %(term)s should be translated as %(want)s"),
    "advised": N_("advised term %(term)s should be translated as %(want)s"),
}


class GlossaryCheck(Check):
    """Official terminology used.

    When the source uses a glossary term (locales/glossary.tbx: crimes against humanity,
    Human Rights Council, Rome Statute...), the translation must use the official UN
    term for its language. A missing mandatory term is an error, a missing advised term
    a warning. Inflected forms count (Snowball stems; suffix fallback for Galician;
    substring match for Chinese, Japanese and Korean).
    """

    id = "glossary"
    severity = ERROR
    messages = tuple(MISSING_TERM.values())

    def candidates(self, batch: Any) -> set[int]:
        """The messages whose source (or plural source) holds a glossary term: none
        without a glossary (:meth:`Glossary.in_source` keeps its answer per source text,
        for every language)."""
        glossary = batch.shared.get("glossary")
        if glossary is None:
            return set()
        in_source = glossary.in_source
        return {i for i, u in enumerate(batch.units)
                if in_source(u.source) or (u.source_plural and in_source(u.source_plural))}

    def check(self, unit: Unit) -> list[Problem]:
        out: list[Problem] = []
        glossary = unit.cache.get("glossary")
        if glossary is None:
            return out
        total = len(unit.strings)
        for i, source, text in unit.forms():
            for concept in missing_terms(glossary, source, text, unit.language):
                want = concept.preferred(unit.language)
                params = {"term": repr(concept.name), "want": repr(want)}
                out.append(Problem(
                    unit.where(i, total) + MISSING_TERM[concept.requirement] % params,
                    concept.severity))
        return out
