"""Review: the rules of save, approve, reject and revert (:mod:`.rules`), what a reviewer
sees of a catalogue (:mod:`.queue`), and the catalogue access they need (:mod:`.store`).

Front ends (the web UI, a CLI, a script) call :func:`perform` with a
:class:`CatalogStore` and a user, and map the :class:`~workflow.errors.ReviewError`
subclasses it raises to their own answers.
"""

from __future__ import annotations

from .findings import glossary_terms, recheck
from .queue import STATES, neighbours, next_open, provenance, queue, role_of, word_diff
from .rules import (
    ACTIONS,
    MAX_TRANSLATION_LENGTH,
    MT_DAMAGED,
    Outcome,
    clean_strings,
    deny,
    errors_of,
    find_message,
    perform,
)
from .store import CatalogStore, FileStore, catalog_file, catalog_path

__all__ = [
    "ACTIONS", "MAX_TRANSLATION_LENGTH", "MT_DAMAGED", "STATES", "CatalogStore", "FileStore",
    "Outcome", "catalog_file", "catalog_path", "clean_strings", "deny", "errors_of",
    "find_message", "glossary_terms", "neighbours", "next_open", "perform", "provenance",
    "queue", "recheck", "role_of", "word_diff",
]
