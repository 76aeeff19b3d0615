"""The official-terminology glossary (``locales/glossary.tbx``) and its check.

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

**Matching copes with inflection.** Texts and terms are NFKC-normalised, case-folded and
cut into words; a term matches when its words appear in a row:

- languages with a Snowball stemmer (ar, ca, de, en, es, fr, it, nl, pl, pt, ru and
  others; snowballstemmer, which runs PyStemmer's C code when that is installed) compare
  stems, so "crímenes de lesa humanidad" matches inside a sentence and
  Russian case endings ("преступлениями против человечности") still match. Two stems
  also match when one extends the other by at most two letters and both have at least
  four ("crimen"/"crim": Spanish singular vs plural stem);
- languages with words but no stemmer (gl) use the fallback of dropping up to two final
  letters (Galician -s, -es, -a, -o) with the same prefix tolerance;
- ja, zh and ko: no word boundaries to rely on (particles attach to Korean nouns), so
  the term, with spaces removed, must occur as a substring of the text with spaces
  removed. Variant spellings (安理会 for 安全理事会) are listed as admitted terms.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from workflow.checks.base import ERROR, WARNING, Check, Problem, Unit
from workflow.errors import QAError

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MANDATORY = "mandatory"
ADVISED = "advised"
REQUIREMENTS = (MANDATORY, ADVISED)
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"

#: letterflow language -> Snowball algorithm.
SNOWBALL = {
    "ar": "arabic",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fa": "persian",
    "fi": "finnish",
    "fr": "french",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "nl": "dutch",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "et": "estonian",
    "ga": "irish",
    "ne": "nepali",
    "yi": "yiddish",
    "eo": "esperanto",
}
#: Written without spaces between words (or with particles glued to nouns).
SUBSTRING_LANGUAGES = frozenset({"zh", "ja", "ko", "th"})

_WORD_RE = re.compile(r"\w+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'"})


def base_language(code: str) -> str:
    return code.replace("-", "_").split("_")[0].lower()


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()


@lru_cache(maxsize=64)
def _stemmer(language: str) -> Any:
    algo = SNOWBALL.get(language)
    if algo is None:
        return None
    import snowballstemmer

    return snowballstemmer.stemmer(algo)


_STEM_CACHE: dict[str, dict[str, str]] = {}


def word_keys(text: str, language: str) -> tuple[str, ...]:
    """The comparison keys (stems) of the words of *text* in *language*."""
    lang = base_language(language)
    words = _WORD_RE.findall(_normalise(text))
    cache = _STEM_CACHE.setdefault(lang, {})
    stemmer = _stemmer(lang)
    keys = []
    for w in words:
        key = cache.get(w)
        if key is None:
            if stemmer is not None:
                key = stemmer.stemWord(w)
            else:  # documented fallback: drop up to two final letters of longer words
                key = w[: max(4, len(w) - 2)] if len(w) > 4 else w
            if len(cache) < 200_000:
                cache[w] = key
        keys.append(key)
    return tuple(keys)


def _same(term_key: str, text_key: str) -> bool:
    if term_key == text_key:
        return True
    if len(term_key) <= len(text_key):
        short, long_ = term_key, text_key
    else:
        short, long_ = text_key, term_key
    return len(short) >= 4 and len(long_) - len(short) <= 2 and long_.startswith(short)


def _root(key: str) -> str:
    """Keys that can match (see _same) share their first four letters (or are equal)."""
    return key[:4]


@dataclass(frozen=True)
class TermPattern:
    """A compiled term: a word-key sequence, or a space-less string for CJK."""

    text: str
    language: str
    keys: tuple[str, ...] = ()
    squashed: str = ""

    @classmethod
    def compile(cls, text: str, language: str) -> TermPattern:
        lang = base_language(language)
        if lang in SUBSTRING_LANGUAGES:
            return cls(text, lang, squashed="".join(_normalise(text).split()))
        return cls(text, lang, keys=word_keys(text, lang))


class TextIndex:
    """One text prepared for term lookups (keys computed once)."""

    def __init__(self, text: str, language: str):
        self.language = base_language(language)
        self.text = text
        self._keys: tuple[str, ...] | None = None
        self._squashed: str | None = None
        self._roots: dict[str, list[int]] | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        if self._keys is None:
            self._keys = word_keys(self.text, self.language)
        return self._keys

    @property
    def squashed(self) -> str:
        if self._squashed is None:
            self._squashed = "".join(_normalise(self.text).split())
        return self._squashed

    @property
    def roots(self) -> dict[str, list[int]]:
        """First-four-letter root -> positions of the words with that root."""
        if self._roots is None:
            roots: dict[str, list[int]] = {}
            for i, key in enumerate(self.keys):
                roots.setdefault(_root(key), []).append(i)
            self._roots = roots
        return self._roots

    def contains(self, pattern: TermPattern) -> bool:
        if pattern.squashed:
            return pattern.squashed in self.squashed
        pkeys = pattern.keys
        n = len(pkeys)
        if not n:
            return False
        roots = self.roots
        for key in pkeys:  # quick reject: every word of the term needs a candidate
            if _root(key) not in roots:
                return False
        keys = self.keys
        last = len(keys) - n
        for start in roots[_root(pkeys[0])]:
            if start > last or not _same(pkeys[0], keys[start]):
                continue
            if all(_same(pkeys[j], keys[start + j]) for j in range(1, n)):
                return True
        return False


def term_in(term: str, text: str, language: str) -> bool:
    """True if *term* (in *language*) occurs in *text*, inflection allowed."""
    return TextIndex(text, language).contains(TermPattern.compile(term, language))


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


def parse_glossary(path: Path, raw: bytes, source_language: str = "en") -> Glossary:
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise _fail(
            path, f"not well-formed XML ({exc.msg if hasattr(exc, 'msg') else exc})", line
        ) from None
    tag = root.tag.split("}")[-1]
    if tag not in ("martif", "tbx"):
        raise _fail(path, f"root element is <{tag}>, expected <martif> (TBX)")
    lines = _lines_of(path, raw)
    concepts: list[Concept] = []
    seen: set[str] = set()
    for n, entry in enumerate(root.iter(), start=1):
        if entry.tag.split("}")[-1] not in ("termEntry", "conceptEntry"):
            continue
        cid = entry.get("id") or f"entry-{n}"
        line = lines.get(cid)
        if cid in seen:
            raise _fail(path, f"duplicate termEntry id {cid!r}", line)
        seen.add(cid)
        requirement = ADVISED
        note = ""
        dnt = False
        for child in entry:
            ctag = child.tag.split("}")[-1]
            if ctag == "descrip" and child.get("type") == "requirement":
                requirement = (child.text or "").strip().lower()
            elif ctag == "descrip" and (child.get("type") or "").lower() == "translation needed":
                dnt = dnt or (child.text or "").strip().lower() == "no"
            elif ctag == "note" or (ctag == "descrip" and child.get("type") == "definition"):
                note = (child.text or "").strip()
        if requirement not in REQUIREMENTS:
            raise _fail(
                path,
                f"termEntry {cid!r}: requirement {requirement!r} is not 'mandatory' or 'advised'",
                line,
            )
        terms: dict[str, list[Term]] = {}
        for lang_set in entry:
            if lang_set.tag.split("}")[-1] not in ("langSet", "langSec"):
                continue
            lang = lang_set.get(XML_LANG) or lang_set.get("lang")
            if not lang:
                raise _fail(path, f"termEntry {cid!r}: langSet without xml:lang", line)
            for term_el in lang_set.iter():
                if term_el.tag.split("}")[-1] != "term":
                    continue
                text = " ".join((term_el.text or "").split())
                if not text:
                    raise _fail(path, f"termEntry {cid!r}: empty term for {lang!r}", line)
                status, number = PREFERRED, ""
                parent = _parent_of(lang_set, term_el)
                for note_el in parent if parent is not None else ():
                    if note_el.tag.split("}")[-1] != "termNote":
                        continue
                    if note_el.get("type") == "administrativeStatus":
                        status = (note_el.text or PREFERRED).strip()
                    elif note_el.get("type") == "translationNote":
                        dnt = dnt or (note_el.text or "").strip().lower() == "no"
                    elif note_el.get("type") == "grammaticalNumber":
                        number = (note_el.text or "").strip().lower()
                terms.setdefault(base_language(lang), []).append(Term(text, status, number))
        if not terms.get(source_language):
            raise _fail(path, f"termEntry {cid!r} has no {source_language!r} term", line)
        concepts.append(
            Concept(cid, requirement, {k: tuple(v) for k, v in terms.items()}, note, line, dnt)
        )
    if not concepts:
        raise _fail(path, "no termEntry found")
    return Glossary(path, source_language, concepts)


def _parent_of(scope: ET.Element, target: ET.Element) -> ET.Element | None:
    for el in scope.iter():
        if target in list(el):
            return el
    return None


_cache: dict[tuple[str, float, int, str], Glossary] = {}


def load_glossary(
    path: str | Path, languages: Iterable[str] = (), *, source_language: str = "en"
) -> Glossary:
    """Read (and cache, by mtime) a TBX glossary; check it covers *languages*.

    Raises QAError with the file, line, term and language for a malformed file or a
    term with no translation for one of *languages*.
    """
    path = Path(path)
    try:
        st = path.stat()
        key = (str(path.resolve()), st.st_mtime, st.st_size, source_language)
        glossary = _cache.get(key)
        if glossary is None:
            glossary = parse_glossary(path, path.read_bytes(), source_language)
            _cache.clear()
            _cache[key] = glossary
    except OSError as exc:
        raise QAError(f"{path}: cannot read glossary ({exc.strerror or exc})") from None
    glossary.require(languages)
    return glossary


def glossary_for(catalog: Any, config: Any) -> Glossary | None:
    """The project's glossary for a check run, or None if the project has none."""
    path = getattr(config, "glossary", None) if config is not None else None
    languages: list[str] = list(getattr(config, "languages", None) or [])
    source = getattr(config, "source_language", None) or "en"
    if path is None:
        cat_path = getattr(catalog, "path", None)
        if cat_path is None:
            return None
        # locales/<lang>/LC_MESSAGES/<domain>.po -> locales/glossary.tbx
        candidate = Path(cat_path).parent.parent.parent / "glossary.tbx"
        if not candidate.is_file():
            return None
        path = candidate
    elif not Path(path).is_file():
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

    def check(self, unit: Unit) -> list[Problem]:
        out: list[Problem] = []
        glossary = unit.cache.get("glossary")
        if glossary is None:
            return out
        total = len(unit.strings)
        for i, source, text in unit.forms():
            for concept in missing_terms(glossary, source, text, unit.language):
                want = concept.preferred(unit.language)
                out.append(
                    Problem(
                        f"{unit.where(i, total)}{concept.requirement} term {concept.name!r} "
                        f"should be translated as {want!r}",
                        concept.severity,
                    )
                )
        return out
