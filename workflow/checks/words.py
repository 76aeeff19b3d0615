"""The words of a translation as the word checks read them (``spelling``, ``leftover``).

:func:`exempt_words` works out, once per text, the text with placeholders, markup, URLs,
protected text and glossary terms blanked and its words; :func:`source_words` the words
and names of a message's source, once per source for every language. :func:`words_of` is
``_WORD.findall`` read token by token (``str.split``): a word never spans white space, so
each token's words come from a memo kept for every text and language of the process
(:func:`folded_words` the same, casefolded). :func:`complex_units` and
:func:`plain_exempt` let a whole-catalogue screen know a text's exempt text without
working it out: placeholders blanked, for every text without another special character,
a do-not-translate name or glossary terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import chain

from workflow.checks.base import Unit

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
_SKIP_SPANS = re.compile(r"\{[^{}]*\}|%\(\w+\)[sd]|<[^<>]*>|&\w+;|https?://\S+|\S+@\S+")
#: A text without any of these has no protected span and nothing for _SKIP_SPANS (the
#: characters every pattern of both needs: "<dnt>", UN symbols and URLs "/", e-mail "@",
#: footnotes "[" or a superscript digit, "www.", placeholders "{" or "%(", markup "<",
#: entities "&").
_MAYBE_SPECIAL = re.compile(r"[{<&@/\[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]|www\.|%\(")
_SPECIAL_CHAR = re.compile(r"[{<&@/\[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]")  # its first part
#: The special characters but "{" (placeholders): a text with none of these, "www." and
#: "%(" has no built-in protected span, and of _SKIP_SPANS only _BRACES can match in it.
_OTHER_CHAR = re.compile(r"[<&@/\[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]")
#: The characters _OTHER_CHAR matches (``tests/test_word_scan.py`` checks every code point):
#: ``in`` looks for one character faster than the regex engine's class scan
_OTHER_CHARS = "<&@/[\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079"
_BRACES = re.compile(r"\{[^{}]*\}")
#: _SKIP_SPANS without its e-mail alternative, for texts without "@" (where it cannot
#: match; it costs a scan to the end of every token, at every position of the text)
_SKIP_NO_MAIL = re.compile(_SKIP_SPANS.pattern.rsplit("|", 1)[0])

#: _specials() answers
PLAIN, BRACES, OTHER = 0, 1, 2


def _maybe_special(text: str) -> bool:
    """``_MAYBE_SPECIAL.search(text) is not None``, faster (a one-class pattern is
    searched with sre's character-set scan; the two strings with ``in``)."""
    return _SPECIAL_CHAR.search(text) is not None or "www." in text or "%(" in text


def _specials(text: str) -> int:
    """PLAIN: nothing of _MAYBE_SPECIAL in *text*; BRACES: "{" only; OTHER: the rest."""
    if _OTHER_CHAR.search(text) is not None or "www." in text or "%(" in text:
        return OTHER
    return BRACES if "{" in text else PLAIN


def exempt_text(unit: Unit, text: str) -> str:
    """*text* without placeholders, markup, URLs, protected text and glossary terms."""
    return exempt_words(unit, text)[0]


def per_text(unit: Unit, name: str, text: str, make):
    """``make()`` worked out once per unit and text (kept in ``unit.cache[name]``, keyed on
    the text, the source and the language)."""
    memo = unit.cache.get(name)
    if memo is None:
        memo = unit.cache[name] = {}
    key = (text, unit.source, unit.language)
    found = memo.get(key)
    if found is None:
        found = memo[key] = make()
    return found


def exempt_words(unit: Unit, text: str) -> tuple[str, list[str]]:
    """(:func:`exempt_text`, its words), worked out once per unit and text: the spelling
    and leftover checks share them."""
    def make() -> tuple[str, list[str]]:
        clean = _exempt(unit, text)
        return clean, words_of(clean)
    return per_text(unit, "_exempt", text, make)


#: What can end a word that is all letters ("mot." "mot," "mot»"): none is a letter, a
#: digit or a joiner of _WORD.
_TRAILING = frozenset(".,;:!?)]}\"\u00bb\u201d\u2026")


def words_of(text: str) -> list[str]:
    """``_WORD.findall(text)``, faster: the words of each white-space separated token come
    from a memo kept for every text and language of the process (a word never spans
    white space), so a token seen before costs no Python step."""
    return list(chain.from_iterable(map(_TOKEN_WORDS.__getitem__, text.split())))


def split_words(text: str, findall) -> list[str]:
    """``findall(text)`` for a word pattern whose match never spans white space, faster:
    each white-space separated token is read alone, and a token of letters only (perhaps
    with one closing punctuation mark) is its own one word."""
    toks = text.split()
    if not toks:
        return toks
    last = toks[-1]
    if last[-1] in _TRAILING and last[:-1].isalpha():  # "... a plain sentence."
        toks[-1] = last[:-1]
    if all(map(str.isalpha, toks)):
        return toks
    out: list[str] = []
    append, extend = out.append, out.extend
    for tok in toks:
        if tok.isalpha():
            append(tok)
        elif tok[-1] in _TRAILING and tok[:-1].isalpha():
            append(tok[:-1])
        else:
            extend(findall(tok))
    return out


def _exempt(unit: Unit, text: str) -> str:
    glossary = unit.cache.get("glossary")
    names = glossary.dnt_names() if glossary is not None else ()
    kind = _specials(text)
    # with "{" alone (BRACES) protected_spans finds nothing but names
    if kind == OTHER or (names and any(n in text for n in names)):
        from workflow.mt.protect import protected_spans

        for span in protected_spans(text, names):
            text = text.replace(span.text, " ")
    if glossary is not None:
        for concept in glossary.in_source(unit.source):
            for term in concept.terms.get(unit.language.split("_")[0], ()):
                text = re.sub(re.escape(term.text), " ", text, flags=re.I)
    # blanking spans and terms (with a space) cannot make one of the special characters
    if kind == PLAIN:
        return text  # nothing _SKIP_SPANS could match
    if kind == BRACES:
        return _BRACES.sub(" ", text)  # its only alternative that can match here
    return (_SKIP_SPANS if "@" in text else _SKIP_NO_MAIL).sub(" ", text)


class _TokenWords(dict):
    """A white-space separated token -> ``tuple(_WORD.findall(token))``, kept."""

    def __missing__(self, token: str) -> tuple[str, ...]:
        if len(self) >= _TOKENS_MAX:
            self.clear()
        found = self[token] = tuple(_WORD.findall(token))
        return found


class _FoldedTokenWords(dict):
    """A white-space separated token -> the casefolded words of :func:`words_of` in it (a
    tuple), worked out once per token for every text and language of the process: a
    word never spans white space, so the words of a text are those of its tokens."""

    def __missing__(self, token: str) -> tuple[str, ...]:
        if len(self) >= _TOKENS_MAX:
            self.clear()
        found = self[token] = tuple(w.casefold() for w in _WORD.findall(token))
        return found


_TOKENS_MAX = 200_000
_TOKEN_WORDS = _TokenWords()
_FOLDED_TOKEN_WORDS = _FoldedTokenWords()


def folded_words(text: str) -> Iterator[str]:
    """``map(str.casefold, words_of(text))``, from the token memo (no Python step per
    token once the token has been seen)."""
    return chain.from_iterable(map(_FOLDED_TOKEN_WORDS.__getitem__, text.split()))


def plain_exempt(text: str) -> str:
    """:func:`exempt_text` of *text* for a unit :func:`complex_units` leaves out."""
    return _BRACES.sub(" ", text) if "{" in text else text


def complex_units(batch, tokens: str | None = None) -> set[int]:
    """The units of *batch* (a :class:`workflow.checks.batch.Batch`) whose exempt text may
    differ from :func:`plain_exempt` of their text: more than one string or a plural, a
    special character other than "{" (protected spans, markup, URLs...), a do-not-translate
    name in a translation, or glossary concepts in the source. One pass over every
    translation per pattern, or none where *tokens* (every white-space separated token of
    the translations, separated by white space; by default the joined translations) has
    none of the characters."""
    out = set(batch.multi)
    if tokens is None:  # (the joined translations: Batch.text_hits reads them too)
        tokens = batch.joined("strings") if batch.units else ""
    for pattern in (_OTHER_CHAR, "www.", "%("):
        if (pattern not in tokens if isinstance(pattern, str)
                else not any(map(tokens.__contains__, _OTHER_CHARS))):
            continue
        out |= batch.text_hits(pattern)
    glossary = batch.shared.get("glossary")
    if glossary is not None:
        names = glossary.dnt_names()
        if names and not all(names):
            return set(range(len(batch.units)))
        for name in names:
            out |= batch.text_hits(name)
        in_source = glossary.in_source
        out.update(i for i, u in enumerate(batch.units) if in_source(u.source))
    return out


#: Every word of a source (as _WORD.findall) with the mark that ends a sentence before it
#: (only white space between them), or "" where there is none
_AFTER_STOP = re.compile(r"(?:([.!?:;])\s*)?(" + _WORD.pattern + ")")


@lru_cache(maxsize=65536)
def source_words(sources: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """(the casefolded words of a message's source texts, names: those capitalised inside a
    sentence), worked out once per source for every language. A capitalised word is a
    name unless it is the first word after nothing but white space or follows a sentence
    mark (".!?:;"). A source with no capital letter after the word it begins with (most
    sentences) has no name: its words come from the token memo, with no regex pass."""
    words: set[str] = set()
    names: set[str] = set()
    for s in sources:
        stripped = s.lstrip()
        first = _WORD.match(stripped)  # the first word, where it begins the text
        if first is not None and stripped[first.end():].islower():
            words.update(folded_words(s))  # no capital but perhaps the first word's
            continue
        found = _AFTER_STOP.findall(s)
        if not found:
            continue
        words.update(map(str.casefold, [w for _mark, w in found]))
        starts = stripped.startswith(found[0][1])  # the first word begins the text
        names.update(w.casefold() for n, (mark, w) in enumerate(found)
                     if w[0].isupper() and not mark and not (n == 0 and starts))
    return frozenset(words), frozenset(names)

