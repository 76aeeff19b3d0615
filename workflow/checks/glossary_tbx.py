"""The glossary model (Term, Concept, Glossary) and its TBX reader.

**File format.** TBX (ISO 30042) in the TBX-Basic ``martif`` dialect that Weblate,
Pontoon, OmegaT and translate-toolkit read: one ``termEntry`` per concept, one
``langSet`` per language, one ``tig`` per term. letterflow reads two extras:

- ``<descrip type="requirement">mandatory|advised</descrip>`` on the ``termEntry``:
  a missing mandatory term is an error, a missing advised term a warning;
- ``<termNote type="administrativeStatus">``: ``preferredTerm-admn-sts`` is the term
  to use (shown in messages), ``admittedTerm-admn-sts`` marks accepted variants
  (other spelling, short form, irregular inflection) that also satisfy the check;
- do not translate (organisation names): ``<descrip type="Translation needed">no</descrip>``
  on the ``termEntry``, or ``<termNote type="translationNote">no</termNote>`` on the source
  term (as Weblate reads and writes TBX). Such an entry needs no ``langSet`` but the source
  one: every language uses the source term unchanged, and drafting protects it;
- ``<termNote type="grammaticalNumber">singular|plural</termNote>`` on a variant: drafting
  uses it where the source has the term in that number.

Import these names from :mod:`workflow.checks.glossary`, which re-exports them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from workflow.checks.base import ERROR, WARNING
from workflow.checks.glossary_match import TermPattern, TextIndex, base_language
from workflow.errors import QAError

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MANDATORY = "mandatory"
ADVISED = "advised"
REQUIREMENTS = (MANDATORY, ADVISED)
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"


@dataclass(frozen=True)
class Term:
    text: str
    status: str = PREFERRED  # or ADMITTED
    number: str = ""  # <termNote type="grammaticalNumber">: "singular", "plural" or ""


@dataclass
class Concept:
    """One glossary entry: the English term and its official translations."""

    id: str
    requirement: str
    terms: dict[str, tuple[Term, ...]]
    note: str = ""
    line: int | None = None
    dnt: bool = False  # do not translate: every language uses the source term
    _patterns: dict[str, tuple[TermPattern, ...]] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return self.preferred("en")

    @property
    def severity(self) -> str:
        return ERROR if self.requirement == MANDATORY else WARNING

    def preferred(self, language: str) -> str:
        terms = self.terms.get(base_language(language)) or self.terms.get(language) or ()
        if self.dnt and not terms:
            terms = next(iter(self.terms.values()), ())
        for t in terms:
            if t.status == PREFERRED:
                return t.text
        return terms[0].text if terms else ""

    def patterns(self, language: str) -> tuple[TermPattern, ...]:
        lang = base_language(language)
        if lang not in self._patterns:
            terms = self.terms.get(lang, ())
            if self.dnt and not terms:
                terms = next(iter(self.terms.values()), ())
            self._patterns[lang] = tuple(TermPattern.compile(t.text, lang) for t in terms)
        return self._patterns[lang]

    def found_in(self, index: TextIndex) -> bool:
        return any(index.contains(p) for p in self.patterns(index.language))


@dataclass
class Glossary:
    path: Path
    source_language: str
    concepts: list[Concept]
    _hits: dict[str, list[Concept]] = field(default_factory=dict, repr=False)

    @property
    def languages(self) -> set[str]:
        return {lang for c in self.concepts for lang in c.terms}

    def require(self, languages: Iterable[str]) -> None:
        """QAError naming the first term that has no translation for a language."""
        for lang in languages:
            base = base_language(lang)
            for c in self.concepts:
                if not c.terms.get(base) and not c.dnt:
                    where = f"{self.path}:{c.line}" if c.line else str(self.path)
                    raise QAError(
                        f"{where}: glossary term {c.name!r} has no translation for language "
                        f"{lang!r}"
                    )

    def dnt_names(self) -> tuple[str, ...]:
        """The source terms of do-not-translate entries (organisation names)."""
        names = self.__dict__.get("_dnt_names")
        if names is None:
            names = tuple(t.text for c in self.concepts if c.dnt
                          for t in c.terms.get(self.source_language, ()))
            self.__dict__["_dnt_names"] = names
        return names

    def in_source(self, text: str) -> list[Concept]:
        """Concepts whose source-language term occurs in *text*."""
        if not text:
            return []
        hits = self._hits.get(text)
        if hits is None:
            index = TextIndex(text, self.source_language)
            hits = [c for c in self.concepts if c.found_in(index)]
            if len(self._hits) < 100_000:
                self._hits[text] = hits
        return hits


def _fail(path: Path, message: str, line: int | None = None) -> QAError:
    where = f"{path}:{line}" if line else str(path)
    return QAError(f"{where}: malformed glossary: {message}")


def _lines_of(path: Path, raw: bytes) -> dict[str, int]:
    """termEntry id -> line number (ElementTree keeps no line numbers)."""
    lines: dict[str, int] = {}
    text = raw.decode("utf-8", errors="replace")
    for m in re.finditer(r"<termEntry\b[^>]*\bid=\"([^\"]+)\"", text):
        lines[m.group(1)] = text.count("\n", 0, m.start()) + 1
    return lines


def _local(tag: str) -> str:
    """An element's tag without its namespace."""
    return tag.split("}")[-1]


def parse_glossary(path: Path, raw: bytes, source_language: str = "en") -> Glossary:
    root = _parse_root(path, raw)
    lines = _lines_of(path, raw)
    concepts: list[Concept] = []
    seen: set[str] = set()
    for n, entry in enumerate(root.iter(), start=1):
        if _local(entry.tag) not in ("termEntry", "conceptEntry"):
            continue
        cid = entry.get("id") or f"entry-{n}"
        line = lines.get(cid)
        if cid in seen:
            raise _fail(path, f"duplicate termEntry id {cid!r}", line)
        seen.add(cid)
        concepts.append(_parse_entry(path, entry, cid, line, source_language))
    if not concepts:
        raise _fail(path, "no termEntry found")
    return Glossary(path, source_language, concepts)


def _parse_root(path: Path, raw: bytes) -> ET.Element:
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise _fail(
            path, f"not well-formed XML ({exc.msg if hasattr(exc, 'msg') else exc})", line
        ) from None
    tag = _local(root.tag)
    if tag not in ("martif", "tbx"):
        raise _fail(path, f"root element is <{tag}>, expected <martif> (TBX)")
    return root


def _parse_entry(
    path: Path, entry: ET.Element, cid: str, line: int | None, source_language: str
) -> Concept:
    """One termEntry -> Concept (QAError naming the entry if it is malformed)."""
    requirement, note, dnt = _entry_descrips(entry)
    if requirement not in REQUIREMENTS:
        raise _fail(
            path,
            f"termEntry {cid!r}: requirement {requirement!r} is not 'mandatory' or 'advised'",
            line,
        )
    terms: dict[str, list[Term]] = {}
    for lang_set in entry:
        if _local(lang_set.tag) not in ("langSet", "langSec"):
            continue
        lang = lang_set.get(XML_LANG) or lang_set.get("lang")
        if not lang:
            raise _fail(path, f"termEntry {cid!r}: langSet without xml:lang", line)
        for term_el in lang_set.iter():
            if _local(term_el.tag) != "term":
                continue
            text = " ".join((term_el.text or "").split())
            if not text:
                raise _fail(path, f"termEntry {cid!r}: empty term for {lang!r}", line)
            term, term_dnt = _read_term(lang_set, term_el, text)
            dnt = dnt or term_dnt
            terms.setdefault(base_language(lang), []).append(term)
    if not terms.get(source_language):
        raise _fail(path, f"termEntry {cid!r} has no {source_language!r} term", line)
    return Concept(cid, requirement, {k: tuple(v) for k, v in terms.items()}, note, line, dnt)


def _entry_descrips(entry: ET.Element) -> tuple[str, str, bool]:
    """(requirement, note, do-not-translate) from a termEntry's own children."""
    requirement = ADVISED
    note = ""
    dnt = False
    for child in entry:
        ctag = _local(child.tag)
        if ctag == "descrip" and child.get("type") == "requirement":
            requirement = (child.text or "").strip().lower()
        elif ctag == "descrip" and (child.get("type") or "").lower() == "translation needed":
            dnt = dnt or (child.text or "").strip().lower() == "no"
        elif ctag == "note" or (ctag == "descrip" and child.get("type") == "definition"):
            note = (child.text or "").strip()
    return requirement, note, dnt


def _read_term(lang_set: ET.Element, term_el: ET.Element, text: str) -> tuple[Term, bool]:
    """The Term for *term_el* and whether its termNotes say do-not-translate."""
    status, number, dnt = PREFERRED, "", False
    parent = _parent_of(lang_set, term_el)
    for note_el in parent if parent is not None else ():
        if _local(note_el.tag) != "termNote":
            continue
        if note_el.get("type") == "administrativeStatus":
            status = (note_el.text or PREFERRED).strip()
        elif note_el.get("type") == "translationNote":
            dnt = dnt or (note_el.text or "").strip().lower() == "no"
        elif note_el.get("type") == "grammaticalNumber":
            number = (note_el.text or "").strip().lower()
    return Term(text, status, number), dnt


def _parent_of(scope: ET.Element, target: ET.Element) -> ET.Element | None:
    for el in scope.iter():
        if target in list(el):
            return el
    return None
