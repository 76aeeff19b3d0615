"""Applying changes to a catalogue (the review UI, MT drafts, tests): :func:`apply_changes`.

Every write takes the file's lock, re-reads the file, applies the change, validates the
new bytes by parsing them again, and writes them atomically (:mod:`workflow.fileio`). A
file that cannot be parsed is never rewritten. The parsed file is kept in memory
(:data:`_stores`) for the next write while its bytes are unchanged, with its bytes per
entry (:class:`.layout.Layout`): a write of a few entries then serialises and validates
only those entries and the header, not the whole file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from ..errors import CatalogError, ConflictError
from ..fileio import as_path, locked, read_file, sweep_temp_files, write_atomic
from ..statmemo import FileVersion, stat_key
from ..textrules import MT_DAMAGED_FLAG
from .bridge import now_header, parse_store, pypo, serialize, set_header_field, to_message
from .layout import Layout, unit_chunks
from .load import parse_catalog
from .model import PROVENANCE_PREFIXES, Catalog, Message


@dataclass
class Change:
    context: str
    strings: list[str]
    fuzzy: bool
    note: str | None = None
    add_flags: frozenset[str] = frozenset()
    base_revision: str | None = None
    only_states: frozenset[str] | None = None
    remove_flags: frozenset[str] = frozenset()


@dataclass
class ApplyResult:
    applied: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    conflicts: list[tuple[Change, Message]] = field(default_factory=list)
    revisions: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    #: One (outcome, message) per change, in the order given: outcome is "applied",
    #: "skipped", "conflict" or "missing"; message is the entry right after this change
    #: ("applied") or as this change found it (else; None if "missing"). Unlike
    #: ``revisions`` it tells apart two changes of one entry in one call.
    outcomes: list[tuple[str, Message | None]] = field(default_factory=list)
    #: The catalogue as written (parsed from the validated bytes), and the written file's
    #: (st_ino, st_mtime_ns, st_size) taken under the lock; None if nothing was written.
    catalog: Catalog | None = None
    file_key: tuple[int, int, int] | None = None
    #: The written file's version for an in-process cache (``statmemo.FileVersion``: its
    #: stat, and the bytes written while that stat is too fresh to vouch for them).
    file_version: FileVersion | None = None


# ---------------------------------------------------------------------------
# One change to one pypo unit


def _set_flags(unit: pypo.pounit, add: Iterable[str], remove: Iterable[str]) -> None:
    current = [
        f.strip() for raw in unit.typecomments for f in raw.strip()[2:].split(",") if f.strip()
    ]
    for f in remove:
        if f in current:
            current.remove(f)
    for f in add:
        if f not in current:
            current.append(f)
    if "fuzzy" in current:  # gettext writes fuzzy first
        current.remove("fuzzy")
        current.insert(0, "fuzzy")
    unit.typecomments = [f"#, {', '.join(current)}\n"] if current else []
    unit._typecomments_cache = None


def _set_note(unit: pypo.pounit, note: str) -> None:
    kept = []
    for raw in unit.othercomments:
        body = raw.rstrip("\n")[1:]
        body = body[1:] if body.startswith(" ") else body
        if not body.startswith(PROVENANCE_PREFIXES):
            kept.append(raw)
    for line in note.splitlines() or [""]:
        kept.append(f"# {line}\n" if line else "#\n")
    unit.othercomments = kept


def _apply_one(unit: pypo.pounit, change: Change, nplurals: int) -> None:
    strings = list(change.strings)
    if unit.hasplural():
        if len(strings) == 1 and nplurals > 1:
            strings = strings * nplurals
        unit.target = pypo.multistring(strings) if len(strings) > 1 else strings[0]
        if len(strings) == 1:
            # keep msgstr[0] form for a one-form language
            unit.msgstr = {0: unit.quote(strings[0])}
            unit._invalidate_target_cache()
    else:
        if len(strings) != 1:
            raise CatalogError(f"{change.context}: a singular message takes exactly one string")
        unit.target = strings[0]
    remove = set(change.remove_flags)
    add = set(change.add_flags)
    if change.fuzzy:
        add.add("fuzzy")
    else:
        remove.add("fuzzy")
        # approved text is no longer a damaged MT draft
        remove.add(MT_DAMAGED_FLAG)
    if not change.fuzzy or not any(strings):
        unit.prev_msgctxt, unit.prev_msgid, unit.prev_msgid_plural = [], [], []
    if not any(strings):
        remove.add("fuzzy")
    _set_flags(unit, add - remove, remove)
    if change.note is not None:
        _set_note(unit, change.note)


# ---------------------------------------------------------------------------
# The store cache

#: path -> (bytes, pypo store, Catalog, active units by context, Layout or None) of the
#: last version this process read or wrote under the file's lock, so that the next write
#: to an unchanged file (same bytes) skips both parses. An entry is taken out while a
#: writer uses it and only put back once the file on disk holds exactly its bytes; any
#: failure just drops it.
_stores: dict[str, tuple[bytes, pypo.pofile, Catalog, dict[str, pypo.pounit],
                         Layout | None]] = {}
_STORES_MAX = 64


def _open_store(
    path: Path, data: bytes
) -> tuple[pypo.pofile, Catalog, dict[str, pypo.pounit], Layout | None]:
    """The store, catalogue, active units by context and layout (None: not known yet) of
    *data* (the file's bytes)."""
    hit = _stores.pop(str(path), None)
    if hit is not None and hit[0] == data:
        return hit[1], hit[2], hit[3], hit[4]
    store, catalog = parse_store(data, str(path))
    units = {
        (u.getcontext() or ""): u
        for u in store.units
        if not u.isheader() and not u.isobsolete()
    }
    return store, catalog, units, None


def _keep_store(path: Path, data: bytes, store: pypo.pofile, catalog: Catalog,
                units: dict[str, pypo.pounit], layout: Layout | None = None) -> None:
    if len(_stores) >= _STORES_MAX:
        _stores.clear()
    _stores[str(path)] = (data, store, catalog, units, layout)


def _new_bytes(store: pypo.pofile, changed: list[pypo.pounit], layout: Layout | None,
               path: Path) -> tuple[bytes, Catalog, Layout | None]:
    """The bytes of *store* after *changed* units changed, validated by the strict reader,
    their Catalog and layout. With the layout of the version before, only the changed
    units are serialised and read (see :mod:`.layout`); else the whole file."""
    if layout is not None and len(changed) * 2 <= len(store.units):
        done = layout.write(store, changed, path)
        if done is not None:
            return done
    chunks = unit_chunks(store)
    out = b"\n".join(chunks) if chunks is not None else serialize(store)
    # validate what we are about to write (the strict reader, as for every read)
    written = parse_catalog(out, path)
    return out, written, Layout.of(store, out, written, chunks)


#: The store attribute holding the ``PO-Revision-Date`` this module last set in that store.
_DATE_SET = "_letterflow_revision_date"


def _date_already_set(store: pypo.pofile, value: str) -> bool:
    """Whether this module set *value* as the ``PO-Revision-Date`` of *store* before (and
    the store is kept only while the file holds exactly its bytes)."""
    return getattr(store, _DATE_SET, None) == value


def _touch_revision_date(store: pypo.pofile) -> pypo.pounit | None:
    """``set_header_field(store, "PO-Revision-Date", now_header())``: the header unit if it
    was set, None if the store has no header or if this store's header already holds that
    value, set by an earlier write in the same minute. Setting it again would give the same
    header text, hence the same bytes and fields: the unit is left alone, and the write
    neither serialises nor re-reads the header."""
    value = now_header()
    if _date_already_set(store, value):
        return None
    header = set_header_field(store, "PO-Revision-Date", value)
    if header is not None:
        setattr(store, _DATE_SET, value)
    return header


# ---------------------------------------------------------------------------
# apply_changes


def _apply_all(
    changes: list[Change], catalog: Catalog, units: dict[str, pypo.pounit],
    result: ApplyResult, raise_on_conflict: bool,
) -> list[pypo.pounit]:
    """Apply *changes* in order to the store's *units*, recording each outcome in *result*.
    Returns the units changed (none: the store is still what the file holds)."""
    now: dict[str, Message] = {}  # entries changed by this call, as they are now
    changed: list[pypo.pounit] = []
    for change in changes:
        unit = units.get(change.context)
        if unit is None:
            result.missing.append(change.context)
            result.outcomes.append(("missing", None))
            continue
        current = now.get(change.context) or catalog.get(change.context) or to_message(unit)
        if change.base_revision is not None and change.base_revision != current.revision:
            if raise_on_conflict:
                raise ConflictError(change.context, change.base_revision, current)
            result.conflicts.append((change, current))
            result.outcomes.append(("conflict", current))
            continue
        if change.only_states is not None and current.state not in change.only_states:
            result.skipped.append(change.context)
            result.outcomes.append(("skipped", current))
            continue
        changed.append(unit)  # from here on the store differs from the file
        _apply_one(unit, change, catalog.nplurals)
        new = to_message(unit)
        now[change.context] = new
        result.applied.append(change.context)
        result.revisions[change.context] = new.revision
        result.outcomes.append(("applied", new))
    return changed


def apply_changes(
    path: str | Path,
    changes: Iterable[Change],
    *,
    raise_on_conflict: bool = False,
    touch_revision_date: bool = True,
    under_lock: Callable[[ApplyResult], None] | None = None,
) -> ApplyResult:
    """Apply *changes* to the catalogue at *path* atomically under its lock.

    *under_lock*, if given, is called with the result (its outcomes known) before the lock
    is released, whether the file was replaced or not: the audit rows of a review write are
    recorded there, so that the rows of one catalogue follow the order of its writes
    across threads and processes.

    Entries that are not changed keep their exact bytes. A change whose
    ``base_revision`` is stale is a conflict: it is reported (or raised) and the
    message on disk is left as it is. Changes are applied in order, each seeing the
    entry as the changes before it left it, exactly as if applied one call at a time
    (a second change based on the revision the first one replaced is a conflict).
    """
    path = as_path(path)
    changes = list(changes)
    result = ApplyResult()
    with locked(path):
        try:
            data, mode = read_file(path)
        except FileNotFoundError:
            raise CatalogError("catalogue not found (run `letterflow update`)", str(path)) from None
        store, catalog, units, layout = _open_store(path, data)
        changed = _apply_all(changes, catalog, units, result, raise_on_conflict)
        if not changed:
            _keep_store(path, data, store, catalog, units, layout)
            if under_lock is not None:
                under_lock(result)
            return result
        if touch_revision_date:
            header = _touch_revision_date(store)
            if header is not None:
                changed.append(header)
        out, written, layout = _new_bytes(store, changed, layout, path)
        sweep_temp_files(path)
        write_atomic(path, out, mode)
        result.file_key, result.file_version = _written_version(path)
        _keep_store(path, out, store, written, units, layout)
        if under_lock is not None:
            under_lock(result)
    result.catalog = written
    # the messages of this call, with their line numbers in the file as written
    for i, (kind, msg) in enumerate(result.outcomes):
        final = written.get(msg.context) if msg is not None else None
        if final is not None and same_but_line(final, msg):
            carry_revision(msg, final)
            result.outcomes[i] = (kind, final)
    return result


_FIELDS = tuple(f.name for f in fields(Message) if f.name != "line")


def _written_version(path: Path) -> tuple[tuple[int, int, int] | None, FileVersion | None]:
    """(st_ino, st_mtime_ns, st_size) and the in-process cache's version of the file a
    locked atomic write just put in place; (None, None) if it cannot be stat'ed.

    Unlike a version read from the file (``load_catalog_version``), this stat vouches for
    the bytes without the racy-clean comparison: the file is a new inode, and every later
    letterflow write replaces it by another new inode (made while this one is still linked),
    so no later write through the lock can leave this stat. What is left, a writer outside
    the lock rewriting the file in place to the same size within one timestamp tick, can
    only make the cache show the older text until the next change; every write re-reads the
    bytes under the lock (``_open_store``). Comparing the bytes on every request after a
    write cost 15-17% of an approval's CPU at 20 connections."""
    try:
        st = os.stat(path)
    except OSError:
        return None, None
    return (st.st_ino, st.st_mtime_ns, st.st_size), FileVersion(stat_key(st), None)


def same_but_line(a: Message, b: Message) -> bool:
    """``replace(a, line=b.line) == b`` for two Messages, without making the copy."""
    if a is b:
        return True
    if a.__class__ is not Message or b.__class__ is not Message:
        return replace(a, line=b.line) == b
    da, db = a.__dict__, b.__dict__
    return all(da[f] == db[f] for f in _FIELDS)


def carry_revision(old: Message, new: Message) -> None:
    """*new* (the same strings and fuzzy mark as *old*) keeps *old*'s revision, if known,
    instead of hashing its strings again."""
    rev = old.__dict__.get("_revision")
    if rev is not None and "_revision" not in new.__dict__:
        object.__setattr__(new, "_revision", rev)
