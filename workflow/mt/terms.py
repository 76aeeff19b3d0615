"""Glossary-enforced drafting: terms and protected text are masked through MT.

Before a source text goes to any engine, :meth:`TermShield.prepare` replaces

* every occurrence of an enforced glossary term (``[tool.letterflow.mt] enforce``:
  ``"mandatory"`` by default, ``"all"`` for advised terms too, ``"none"``), found with the
  same stemming the glossary check uses (:func:`workflow.checks.glossary.word_keys`), and
* every protected span (:mod:`workflow.mt.protect`: UN symbols, URLs, e-mails, footnote
  marks, ``<dnt>`` marks, do-not-translate glossary names)

by a placeholder token ``{lf-N}``, which the engine layer masks like any placeholder. The
token does not depend on the target language, so the cache and the pivot legs are shared.
:meth:`TermShield.restore` puts back, per language, the glossary's target term (an admitted
variant when the source occurrence is inflected differently from the glossary's source term
and the target lists a variant of the same stems, e.g. a singular; capitalised at the start
of a sentence) or the protected text verbatim, and names the enforced terms for the
provenance comment.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..checks.glossary import (
    _WORD_RE,
    MANDATORY,
    Concept,
    Glossary,
    TermPattern,
    _same,
    base_language,
    word_keys,
)
from .base import Outcome, Translator
from .protect import protected_spans

TOKEN = re.compile(r"\{lf-(\d+)\}")
ENFORCE = {"mandatory": (MANDATORY,), "all": (MANDATORY, "advised"), "none": ()}


@dataclass(frozen=True)
class Slot:
    token: str
    source_text: str  # the exact source span
    concept: Concept | None = None  # None: protected text, restored verbatim
    inflected: bool = False  # the source form differs from the glossary's source term
    number: str = ""  # "singular"/"plural" when the source form's number could be told
    sentence_start: bool = False


@dataclass(frozen=True)
class Prepared:
    text: str  # the source with {lf-N} tokens
    slots: tuple[Slot, ...] = ()


@dataclass(frozen=True)
class Restored:
    text: str
    enforced: tuple[str, ...]  # names (source terms) of the glossary terms put in
    lost: tuple[str, ...]  # terms/protected text whose token the engine lost


def _words(text: str, language: str) -> list[tuple[int, int, str]]:
    """(start, end, key) of each word of *text*, with the glossary's stemming."""
    out: list[tuple[int, int, str]] = []
    for m in _WORD_RE.finditer(text):
        for key in word_keys(m.group(0), language):
            out.append((m.start(), m.end(), key))
    return out


def _number(term: str, surface: str) -> str:
    """The grammatical number of *surface* when it differs from *term* by a plural -s
    (English-like sources): "singular", "plural", or "" when it cannot be told."""
    for a, b in zip(term.casefold().split(), surface.casefold().split(), strict=False):
        if a == b:
            continue
        if a == b + "s" or a == b + "es":
            return "singular"
        if b == a + "s" or b == a + "es":
            return "plural"
        return ""
    return ""


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return not before or before[-1] in ".!?:;\n\u201c\"(["


class TermShield:
    """Prepare source texts for MT and restore terms in each target language."""

    def __init__(self, glossary: Glossary | None, source_language: str,
                 enforce: str = "mandatory"):
        if enforce not in ENFORCE:
            from ..errors import MTError

            raise MTError(f"[tool.letterflow.mt] enforce must be one of {', '.join(ENFORCE)}, "
                          f"not {enforce!r}")
        self.glossary = glossary
        self.source = base_language(source_language)
        self.requirements = ENFORCE[enforce]
        self.names = glossary.dnt_names() if glossary is not None else ()

    def _term_spans(self, text: str) -> list[tuple[int, int, Concept, bool]]:
        if self.glossary is None or not self.requirements:
            return []
        concepts = [c for c in self.glossary.in_source(text)
                    if c.requirement in self.requirements and not c.dnt]
        if not concepts:
            return []
        words = _words(text, self.source)
        found: list[tuple[int, int, Concept, bool]] = []
        for concept in concepts:
            for term in concept.terms.get(self.source, ()):
                keys = TermPattern.compile(term.text, self.source).keys
                n = len(keys)
                for i in range(len(words) - n + 1):
                    if all(_same(keys[j], words[i + j][2]) for j in range(n)):
                        start, end = words[i][0], words[i + n - 1][1]
                        surface = text[start:end]
                        exact = any(surface.casefold() == t.text.casefold()
                                    for t in concept.terms.get(self.source, ()))
                        number = "" if exact else _number(term.text, surface)
                        found.append((start, end, concept, number or not exact))
        found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
        out: list[tuple[int, int, Concept, bool]] = []
        for f in found:
            if not out or f[0] >= out[-1][1]:
                out.append(f)
        return out

    def prepare(self, text: str) -> Prepared:
        spans: list[tuple[int, int, Concept | None, bool]] = [
            (s.start, s.end, None, False) for s in protected_spans(text, self.names)
        ]
        taken = [(s, e) for s, e, _, _ in spans]
        for start, end, concept, inflected in self._term_spans(text):
            if not any(start < e and s < end for s, e in taken):
                spans.append((start, end, concept, inflected))
        if not spans:
            return Prepared(text)
        spans.sort(key=lambda s: s[0])
        parts: list[str] = []
        slots: list[Slot] = []
        pos = 0
        for n, (start, end, concept, inflected) in enumerate(spans, start=1):
            token = f"{{lf-{n}}}"
            parts.append(text[pos:start] + token)
            number = inflected if isinstance(inflected, str) else ""
            slots.append(Slot(token, text[start:end], concept, inflected=bool(inflected),
                              number=number, sentence_start=_sentence_start(text, start)))
            pos = end
        parts.append(text[pos:])
        return Prepared("".join(parts), tuple(slots))

    def target_term(self, slot: Slot, language: str) -> str:
        if slot.concept is None:
            return slot.source_text
        concept = slot.concept
        lang = base_language(language)
        terms = concept.terms.get(lang) or ()
        text = concept.preferred(lang) or slot.source_text
        by_number = [t for t in terms if slot.number and t.number == slot.number]
        if by_number:
            text = by_number[0].text
        elif slot.inflected and len(terms) > 1:
            preferred = TermPattern.compile(text, lang).keys
            for t in terms:
                keys = TermPattern.compile(t.text, lang).keys
                if (t.text != text and len(keys) == len(preferred)
                        and all(_same(a, b) for a, b in zip(keys, preferred, strict=True))):
                    text = t.text
                    break
        if slot.sentence_start and text[:1].islower():
            text = text[:1].upper() + text[1:]
        return text

    def restore(self, prepared: Prepared, translated: str, language: str) -> Restored:
        if not prepared.slots:
            return Restored(translated, (), ())
        by_token = {s.token: s for s in prepared.slots}
        used: list[Slot] = []

        def repl(m: re.Match[str]) -> str:
            slot = by_token.get(m.group(0))
            if slot is None:
                return m.group(0)
            used.append(slot)
            return self.target_term(slot, language)

        text = TOKEN.sub(repl, translated)
        enforced = tuple(dict.fromkeys(s.concept.name for s in used if s.concept is not None))
        lost = tuple(s.source_text for s in prepared.slots if s not in used)
        return Restored(text, enforced, lost)

    def describe(self, token: str, prepared: Prepared) -> str:
        """What a lost token stood for (for the damaged note)."""
        for s in prepared.slots:
            if s.token == token:
                return s.source_text
        return token


def shield_for(config: object) -> TermShield:
    """The project's shield: its glossary (if any) and ``[tool.letterflow.mt] enforce``."""
    from pathlib import Path

    from ..checks.glossary import load_glossary

    mt = getattr(config, "mt", {}) or {}
    path = getattr(config, "glossary", None)
    source = getattr(config, "source_language", "en")
    glossary = None
    if path is not None and Path(path).is_file():
        # load_glossary's own cache: a new object when the file's identity, time or size
        # changed (and the languages are checked on every call)
        glossary = load_glossary(path, getattr(config, "languages", ()), source_language=source)
    enforce = str(mt.get("enforce", "mandatory"))
    key = (id(glossary), source, enforce)
    kept = _shields.get(key)
    if kept is not None and kept.glossary is glossary:
        return kept
    shield = TermShield(glossary, source, enforce)
    if len(_shields) >= 16:
        _shields.clear()
    _shields[key] = shield  # holds the glossary: its id is not reused while kept
    return shield


#: (id(glossary), source language, enforce) -> its shield (a TermShield never changes)
_shields: dict[tuple, TermShield] = {}


@dataclass
class Drafted(Outcome):
    """An engine outcome with the glossary terms and protected text put back."""

    enforced: tuple[str, ...] = ()


def shielded(translator: Translator, shield: TermShield, texts: Sequence[str], source: str,
             target: str, *, prepared: Sequence[Prepared] | None = None) -> list[Drafted]:
    """translate_each with glossary terms and protected text masked (see mt/terms.py).
    *prepared*: ``[shield.prepare(t) for t in texts]`` when the caller has it already."""
    if prepared is None:
        prepared = [shield.prepare(t) for t in texts]
    outcomes = translator.translate_each([p.text for p in prepared], source, target)
    return [_restore(shield, p, o, target) for p, o in zip(prepared, outcomes, strict=True)]


def _restore(shield: TermShield, prepared: Prepared, o: Outcome, target: str) -> Drafted:
    if o.text is None or not prepared.slots:
        return Drafted(o.text, o.error, o.cached, o.damaged, o.route)
    r = shield.restore(prepared, o.text, target)
    damaged = tuple(shield.describe(d, prepared) for d in o.damaged)
    damaged = tuple(dict.fromkeys(damaged + r.lost))
    return Drafted(r.text, o.error, o.cached, damaged, o.route, r.enforced)
