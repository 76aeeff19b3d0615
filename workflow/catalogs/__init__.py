"""The only package that reads and writes .po/.pot files.

- :mod:`.model`: Message, Stats, Catalog, the states, provenance prefixes, Plural-Forms;
- :mod:`.reader`: :class:`PoReader`, the fast strict reader, and ``load_catalog``;
- :mod:`.bridge`: the one translate-toolkit (``pypo``) bridge, the writer;
- :mod:`.edit`: :func:`apply_changes` (the review UI, MT drafts); :mod:`.layout`: the
  written file as one chunk per entry, so a write re-serialises and re-reads only the
  entries it changed;
- :mod:`.merge`: :func:`update_catalog` / :func:`merge_catalog` (msgmerge semantics),
  :func:`catalog_in_sync`.

Every write takes a per-file lock, re-reads the file, applies the change, validates the
new bytes by parsing them again, writes a temp file, fsyncs it and ``os.replace``-s it
into place (:mod:`workflow.fileio`). A file that cannot be parsed is never rewritten.

Importing this package does not import translate-toolkit: pypo loads on the first write.
Every name the former ``workflow/catalogs.py`` module offered is importable from here.
"""

from __future__ import annotations

from ..errors import CatalogError, ConflictError
from ..fileio import locked, sweep_temp_files, write_atomic
from ..textrules import plural_function
from .bridge import parse_store, pypo, read_template_store, serialize, to_message
from .edit import ApplyResult, Change, _stores, apply_changes
from .load import catalog_path, load_catalog, load_template, parse_catalog
from .merge import UpdateResult, catalog_in_sync, merge_catalog, update_catalog
from .model import (
    APPROVED,
    DRAFT,
    OBSOLETE,
    PROVENANCE_PREFIXES,
    STATES,
    UNTRANSLATED,
    Catalog,
    Message,
    Stats,
    parse_plural_forms,
    plural_header,
)
from .reader import PoReader, read_messages, validate_syntax

__all__ = [
    "APPROVED",
    "DRAFT",
    "OBSOLETE",
    "PROVENANCE_PREFIXES",
    "STATES",
    "UNTRANSLATED",
    "ApplyResult",
    "Catalog",
    "CatalogError",
    "Change",
    "ConflictError",
    "Message",
    "PoReader",
    "Stats",
    "UpdateResult",
    "_stores",
    "apply_changes",
    "catalog_in_sync",
    "catalog_path",
    "load_catalog",
    "load_template",
    "locked",
    "merge_catalog",
    "parse_catalog",
    "parse_plural_forms",
    "parse_store",
    "plural_function",
    "plural_header",
    "pypo",
    "read_messages",
    "read_template_store",
    "serialize",
    "sweep_temp_files",
    "to_message",
    "update_catalog",
    "validate_syntax",
    "write_atomic",
]
