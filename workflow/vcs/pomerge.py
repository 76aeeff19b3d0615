"""Three-way merge of gettext catalogues entry by entry (header, entries, obsolete
entries), never line by line, and the entry splice used to split a commit by author.

Rules (``ours`` is git's %A, ``theirs`` %B, ``base`` %O):

* an entry changed on one side only takes that side;
* an entry changed on both sides keeps ours; if both changed the *text* (msgstr or the
  fuzzy mark) differently, theirs is returned as a :class:`Conflict`, so the caller keeps
  it in the audit history: nothing is lost;
* a side that only re-wrapped lines changes nothing (entries compare by content);
* an entry deleted on one side is deleted, unless the other side changed its text;
* header fields merge the same way, field by field.

The result is written as ``letterflow update`` (msgmerge) writes it, so a later update
against the same template changes nothing.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from workflow.catalogs import merge_catalog, parse_store, serialize, to_message


@dataclass(frozen=True)
class Conflict:
    context: str
    source: str
    kept: tuple[str, ...]
    kept_fuzzy: bool
    other: tuple[str, ...]
    other_fuzzy: bool

    def as_dict(self) -> dict[str, Any]:
        return {"context": self.context, "source": self.source, "kept": list(self.kept),
                "kept_fuzzy": self.kept_fuzzy, "other": list(self.other),
                "other_fuzzy": self.other_fuzzy}


def _key(unit) -> tuple[str, str, str]:
    ctx = unit.getcontext() or ""
    return ("obsolete" if unit.isobsolete() else "active", ctx,
            unit.getid() if (unit.isobsolete() or not ctx) else "")


def _entries(store) -> dict[tuple[str, str, str], Any]:
    return {_key(u): u for u in store.units if not u.isheader()}


def _content(unit):
    """What an entry says, whatever the line wrapping."""
    return dataclasses.replace(to_message(unit), line=0) if unit is not None else None


def _text(unit) -> tuple[tuple[str, ...], bool] | None:
    m = _content(unit)
    return (m.strings, m.fuzzy) if m is not None else None


def _pick(key, o, a, b, conflicts: list[Conflict]):
    """The unit to keep for one key (None: deleted)."""
    co, ca, cb = _content(o), _content(a), _content(b)
    if ca == cb:
        return a if a is not None else b
    if ca == co:
        return b
    if cb == co:
        return a
    if a is None or b is None:  # deleted on one side, changed on the other
        kept = a if a is not None else b
        changed_text = _text(kept) != _text(o)
        return kept if changed_text else None
    ta, tb, to = _text(a), _text(b), _text(o)
    if tb != to and ta == to:
        return b  # theirs changed the text, ours only comments or source: keep the text
    if ta != to and tb != to and ta[0] != tb[0] and any(tb[0]):
        conflicts.append(Conflict(key[1], cb.source, ca.strings, ca.fuzzy, cb.strings,
                                  cb.fuzzy))
    return a


def _header_fields(unit) -> list[tuple[str, str]]:
    if unit is None:
        return []
    out = []
    for line in str(unit.target).split("\n"):
        name, sep, value = line.partition(":")
        if sep:
            out.append((name, value.strip()))
    return out


def _merge_header(o, a, b) -> None:
    """Fields changed only by theirs go into ours' header unit (in place)."""
    fo, fa, fb = dict(_header_fields(o)), dict(_header_fields(a)), dict(_header_fields(b))
    lines = [(n, v) for n, v in _header_fields(a)]
    for name, value in _header_fields(b):
        if fb.get(name) != fo.get(name) and fa.get(name) == fo.get(name):
            if name in fa:
                lines = [(n, value if n == name else v) for n, v in lines]
            else:
                lines.append((name, value))
    if a is not None:
        a.target = "".join(f"{n}: {v}\n" for n, v in lines)


def _order(a_keys: list, b_keys: list, keep: set) -> list:
    """Ours' order; entries only theirs has go right after the entry before them in theirs."""
    out = [k for k in a_keys if k in keep]
    placed = set(out)
    for i, k in enumerate(b_keys):
        if k in keep and k not in placed:
            j = next((out.index(p) + 1 for p in reversed(b_keys[:i]) if p in placed), 0)
            out.insert(j, k)
            placed.add(k)
    return out


def _parse(data: bytes | None, path: str):
    if data is None:
        return None
    store, _ = parse_store(data, path)
    return store


def merge3(base: bytes | None, ours: bytes, theirs: bytes, path: str,
           language: str = "", domain: str = "letter") -> tuple[bytes, list[Conflict]]:
    """Merge *theirs* into *ours* (both changed from *base*, None if unknown).
    Raises CatalogError if ours or theirs cannot be parsed."""
    so, sa, sb = _parse(base, path), _parse(ours, path), _parse(theirs, path)
    eo = _entries(so) if so is not None else {}
    ea, eb = _entries(sa), _entries(sb)
    conflicts: list[Conflict] = []
    chosen: dict = {}
    for key in {*ea, *eb, *eo}:
        unit = _pick(key, eo.get(key), ea.get(key), eb.get(key), conflicts)
        if unit is not None:
            chosen[key] = unit
    _merge_header(so.header() if so is not None else None, sa.header(), sb.header())
    order = _order(list(ea), list(eb), set(chosen))
    header = sa.header()
    sa.units = ([header] if header is not None else []) + [chosen[k] for k in order]
    lang = language or _language(sa)
    return normalise(serialize(sa), path, lang, domain), conflicts


def _language(store) -> str:
    return dict(_header_fields(store.header())).get("Language", "")


def normalise(data: bytes, path: str, language: str, domain: str = "letter") -> bytes:
    """Rewrite *data* as ``letterflow update`` writes it (msgmerge layout and order),
    using the catalogue's own entries as the template: no entry changes meaning."""
    template, old = _parse(data, path), _parse(data, path)
    store, _ = merge_catalog(template, old, language or _language(old), domain, path)
    return serialize(store)


def splice(head: bytes, work: bytes, contexts: set[str], path: str) -> bytes:
    """*head* with the active entries of *contexts* as *work* has them (the content of a
    commit holding only those entries' changes)."""
    sh, sw = _parse(head, path), _parse(work, path)
    ew = {u.getcontext() or "": u for u in sw.units
          if not u.isheader() and not u.isobsolete()}
    units = []
    for u in sh.units:
        ctx = u.getcontext() or ""
        if not u.isheader() and not u.isobsolete() and ctx in contexts and ctx in ew:
            units.append(ew[ctx])
        else:
            units.append(u)
    sh.units = units
    return serialize(sh)
