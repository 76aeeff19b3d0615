"""Creating and updating catalogues from the template, with ``msgmerge --previous``
semantics (and without Babel's quadratic fuzzy matching); :func:`catalog_in_sync`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import CatalogError
from ..fileio import locked, sweep_temp_files, write_atomic
from .bridge import (
    now_header,
    parse_store,
    pypo,
    serialize,
    set_header_field,
    store_headers,
    unit_flag_list,
    unit_flags,
    unit_strings,
)
from .load import decode
from .model import Catalog, parse_plural_forms, plural_header
from .reader import validate_syntax


@dataclass
class UpdateResult:
    language: str
    path: Path
    created: bool = False
    written: bool = False
    new: int = 0
    fuzzy: int = 0
    obsolete: int = 0


# ---------------------------------------------------------------------------
# Units of the new catalogue


def _new_header(language: str, template: pypo.pofile, domain: str) -> str:
    theaders = store_headers(template)
    from babel import Locale

    try:
        name = Locale.parse(language).english_name
    except Exception:
        name = language
    return (
        f"Project-Id-Version: {theaders.get('Project-Id-Version', domain)}\n"
        f"Report-Msgid-Bugs-To: {theaders.get('Report-Msgid-Bugs-To', '')}\n"
        f"POT-Creation-Date: {theaders.get('POT-Creation-Date', '')}\n"
        f"PO-Revision-Date: {now_header()}\n"
        "Last-Translator: \n"
        f"Language-Team: {name}\n"
        f"Language: {language}\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=UTF-8\n"
        "Content-Transfer-Encoding: 8bit\n"
        f"Plural-Forms: {plural_header(language)}\n"
    )


def _fresh_unit(tunit: pypo.pounit, nplurals: int) -> pypo.pounit:
    """A catalogue unit for template unit *tunit*, untranslated."""
    unit = pypo.pounit(wrapper=tunit.wrapper)
    unit.automaticcomments = list(tunit.automaticcomments)
    unit.sourcecomments = list(tunit.sourcecomments)
    unit.msgctxt = list(tunit.msgctxt)
    # re-quote (not copy) so that lines are wrapped as msgmerge wraps them
    unit.source = tunit.source
    if tunit.hasplural():
        unit.msgstr = {i: ['""'] for i in range(nplurals)}
    else:
        unit.msgstr = ['""']
    flags = [f for f in unit_flags(tunit) if f != "fuzzy"]
    unit.typecomments = [f"#, {', '.join(sorted(flags))}\n"] if flags else []
    unit._typecomments_cache = None
    return unit


def _copy_previous(unit: pypo.pounit, old: pypo.pounit, *, from_previous: bool) -> None:
    """Give *unit* the ``#|`` fields: *old*'s own previous ones, or *old*'s current ones."""
    if from_previous:
        unit.prev_msgctxt = list(old.prev_msgctxt)
        unit.prev_msgid = list(old.prev_msgid)
        unit.prev_msgid_plural = list(old.prev_msgid_plural)
    else:
        unit.prev_msgctxt = list(old.msgctxt)
        unit.prev_msgid = list(old.msgid)
        unit.prev_msgid_plural = list(old.msgid_plural)


def _merge_from(unit: pypo.pounit, old: pypo.pounit, fuzzy: bool, nplurals: int) -> None:
    """Carry the translation and translator comments of *old* into *unit*."""
    unit.othercomments = list(old.othercomments)
    old_strings = unit_strings(old)
    if unit.hasplural():
        forms = list(old_strings) + [""] * nplurals
        if not old.hasplural():
            forms = [old_strings[0]] * nplurals
        unit.msgstr = {i: unit.quote(forms[i]) for i in range(nplurals)}
        unit._invalidate_target_cache()
    else:
        unit.target = old_strings[0]
    flags = unit_flag_list(unit)  # file order: stable across runs
    has_text = any(old_strings)
    if has_text and (fuzzy or old.isfuzzy()):
        flags = ["fuzzy", *[f for f in sorted(flags) if f != "fuzzy"]]
    unit.typecomments = [f"#, {', '.join(flags)}\n"] if flags else []
    unit._typecomments_cache = None
    if fuzzy and has_text:
        # already stale: keep the source the translation was made for
        _copy_previous(unit, old, from_previous=bool(old.prev_msgid))
    elif old.isfuzzy() and old.prev_msgid and has_text:
        _copy_previous(unit, old, from_previous=True)


def _obsolete(store: pypo.pofile, old: pypo.pounit) -> None:
    """Add *old* to *store* as an obsolete (#~) entry, wrapped as msgmerge wraps it."""
    old.sourcecomments = []
    old.automaticcomments = []
    was_active = not old.isobsolete()
    if was_active:
        old.makeobsolete()
    store.addunit(old)
    if was_active:  # GNU wraps "#~ " lines 3 columns narrower
        wide = old.wrapper
        old.wrapper = pypo.PoWrapper(width=wide.width - 3)
        old.source = old.source
        old.target = old.target
        old.wrapper = wide


# ---------------------------------------------------------------------------
# Fuzzy matching


def _similar(a: str, b: str) -> float:
    import difflib  # here, not at the top: `letterflow check` imports this package

    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if sm.real_quick_ratio() < 0.6 or sm.quick_ratio() < 0.6:
        return 0.0
    return sm.ratio()


_WORD = re.compile(r"\w{3,}")


class _FuzzyIndex:
    """Candidate finder for fuzzy matching: an inverted index of words, so each new
    message is compared (with difflib) only to the few old ones sharing most words,
    not to every old message (Babel's quadratic behaviour)."""

    def __init__(self, units: list[pypo.pounit]):
        self.units = units
        self.index: dict[str, list[int]] = {}
        self.used: set[int] = set()
        for i, u in enumerate(units):
            for w in set(_WORD.findall(str(u.source).lower())):
                self.index.setdefault(w, []).append(i)

    def best(self, source: str, limit: int = 8) -> pypo.pounit | None:
        counts: dict[int, int] = {}
        words = set(_WORD.findall(source.lower()))
        for w in words:
            postings = self.index.get(w)
            if postings and len(postings) < 2000:
                for i in postings:
                    counts[i] = counts.get(i, 0) + 1
        best, best_score = None, 0.6
        for i, _ in sorted(counts.items(), key=lambda kv: -kv[1])[:limit]:
            if i in self.used:
                continue
            score = _similar(source, str(self.units[i].source))
            if score >= best_score:
                best, best_score = i, score
        if best is None:
            return None
        self.used.add(best)
        return self.units[best]


# ---------------------------------------------------------------------------
# merge_catalog


def _start_store(
    template: pypo.pofile, old: pypo.pofile | None, language: str, domain: str
) -> tuple[pypo.pofile, int]:
    """A store holding only the new catalogue's header, and its number of plural forms."""
    nplurals, _ = parse_plural_forms(plural_header(language))
    store = pypo.pofile()
    store.units = []  # pypo starts with a default header; ours comes from old or template
    if old is not None and old.header() is not None:
        store.addunit(old.header())
        theaders = store_headers(template)
        if "POT-Creation-Date" in theaders:
            set_header_field(store, "POT-Creation-Date", theaders["POT-Creation-Date"])
        hdrs = store_headers(old)
        if "Plural-Forms" in hdrs:
            try:
                nplurals, _ = parse_plural_forms(hdrs["Plural-Forms"])
            except ValueError:
                pass
        else:
            set_header_field(store, "Plural-Forms", plural_header(language))
        return store, nplurals
    head = pypo.pounit(wrapper=store.wrapper)
    head.msgid = ['""']
    head.target = _new_header(language, template, domain)
    if template.header() is not None:
        head.othercomments = ["# " + f"{domain} translations for {language}.\n"]
        head.typecomments = []
    store.addunit(head)
    return store, nplurals


class _Merge:
    """One merge of a template into an old catalogue: the old units by key, and which of
    them have been used for a new unit."""

    def __init__(self, old: pypo.pofile | None, nplurals: int, result: UpdateResult) -> None:
        self.nplurals = nplurals
        self.result = result
        self.active: dict[tuple[str, str], pypo.pounit] = {}
        self.by_ctx: dict[str, pypo.pounit] = {}
        self.obsolete: list[pypo.pounit] = []
        self.used: set[int] = set()
        for u in old.units if old is not None else ():
            if u.isheader():
                continue
            if u.isobsolete():
                self.obsolete.append(u)
                continue
            self.active[(u.getcontext() or "", u.getid())] = u
            self.by_ctx.setdefault(u.getcontext() or "", u)
        self.exact_obsolete = {(u.getcontext() or "", u.getid()): u for u in self.obsolete}

    def old_units(self) -> list[pypo.pounit]:
        return [*self.active.values(), *self.obsolete]

    def take(self, unit: pypo.pounit, old: pypo.pounit, fuzzy: bool) -> None:
        self.used.add(id(old))
        _merge_from(unit, old, fuzzy=fuzzy, nplurals=self.nplurals)

    def exact(self, tunit: pypo.pounit, unit: pypo.pounit) -> bool:
        """Merge the old unit of the same (msgctxt, msgid), or failing that the first old
        unit of the same msgctxt (as a fuzzy match). False if there is neither."""
        key = (tunit.getcontext() or "", tunit.getid())
        old_unit = self.active.get(key)
        if old_unit is None and key in self.exact_obsolete:
            old_unit = self.exact_obsolete[key]
            old_unit.resurrect()
        if old_unit is not None:
            self.take(unit, old_unit, fuzzy=False)
            return True
        same_ctx = self.by_ctx.get(key[0])
        if same_ctx is None or id(same_ctx) in self.used or not key[0]:
            return False
        self.take(unit, same_ctx, fuzzy=True)
        translated = any(unit_strings(same_ctx))
        self.result.fuzzy += 1 if translated else 0
        self.result.new += 0 if translated else 1
        return True

    def fuzzy(self, pending: list[tuple[pypo.pounit, pypo.pounit]]) -> None:
        """Fuzzy-match the template units no key matched against the unused old ones."""
        leftovers = [
            u for u in self.old_units() if id(u) not in self.used and any(unit_strings(u))
        ]
        index = _FuzzyIndex(leftovers)
        for tunit, unit in pending:
            match = index.best(str(tunit.source)) if leftovers else None
            if match is not None:
                self.take(unit, match, fuzzy=True)
                self.result.fuzzy += 1
            else:
                self.result.new += 1


def merge_catalog(
    template: pypo.pofile,
    old: pypo.pofile | None,
    language: str,
    domain: str,
    path: Path,
) -> tuple[pypo.pofile, UpdateResult]:
    """msgmerge --previous semantics, without Babel's quadratic fuzzy matching."""
    result = UpdateResult(language=language, path=path, created=old is None)
    store, nplurals = _start_store(template, old, language, domain)
    merge = _Merge(old, nplurals, result)
    pending: list[tuple[pypo.pounit, pypo.pounit]] = []
    for tunit in template.units:
        if tunit.isheader() or tunit.isobsolete():
            continue
        unit = _fresh_unit(tunit, nplurals)
        if not merge.exact(tunit, unit):
            pending.append((tunit, unit))
        store.addunit(unit)
    if pending and old is not None:
        merge.fuzzy(pending)
    else:
        result.new += len(pending)
    for u in merge.old_units():
        if id(u) in merge.used or not any(unit_strings(u)):
            continue  # msgmerge drops untranslated entries instead of obsoleting them
        _obsolete(store, u)
        result.obsolete += 1
    return store, result


def update_catalog(
    template_store: pypo.pofile, path: Path, language: str, domain: str
) -> UpdateResult:
    """Create or update the catalogue at *path* from the parsed template."""
    with locked(path):
        old = None
        before = None
        if path.exists():
            before = path.read_bytes()
            old, _ = parse_store(before, str(path))
            if old.header() is None:
                raise CatalogError(
                    "cannot read this catalogue (empty or truncated: no header entry); "
                    "refusing to overwrite it: restore it from version control, or delete "
                    "it to start again", str(path))
        store, result = merge_catalog(template_store, old, language, domain, path)
        out = serialize(store)
        validate_syntax(decode(out, str(path)), str(path))
        if out != before:
            sweep_temp_files(path)
            write_atomic(path, out)
            result.written = True
    return result


# ---------------------------------------------------------------------------
# Sync check (read side: no pypo)


def catalog_in_sync(template: Catalog, catalog: Catalog) -> list[str]:
    """Return human-readable reasons why *catalog* is out of sync with *template* (empty if ok)."""
    problems = []
    want = {(m.context, m.source, m.source_plural) for m in template.active()}
    have = {(m.context, m.source, m.source_plural) for m in catalog.active()}
    missing = want - have
    extra = have - want
    if missing:
        ctxs = sorted(c for c, _, _ in missing)
        problems.append(
            f"{len(missing)} template message(s) missing or with an old source text "
            f"({', '.join(ctxs[:3])}{'…' if len(ctxs) > 3 else ''}); run `letterflow update`"
        )
    if extra:
        ctxs = sorted(c for c, _, _ in extra)
        problems.append(
            f"{len(extra)} message(s) no longer in the template "
            f"({', '.join(ctxs[:3])}{'…' if len(ctxs) > 3 else ''}); run `letterflow update`"
        )
    return problems
