"""The words of a translation as the word checks read them (``spelling``, ``leftover``).

:func:`exempt_words` works out, once per text, the text with placeholders, markup, URLs,
protected text and glossary terms blanked and its words; :func:`source_words` the words
and names of a message's source, once per source for every language. :func:`words_of` is
``_WORD.findall`` read token by token (``str.split``): a token of letters only is its own
word, so most texts need no regular expression at all.
"""

from __future__ import annotations

import re
from functools import lru_cache

from workflow.checks.base import Unit

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
_SKIP_SPANS = re.compile(r"\{[^{}]*\}|%\(\w+\)[sd]|<[^<>]*>|&\w+;|https?://\S+|\S+@\S+")
#: A text without any of these has no protected span and nothing for _SKIP_SPANS (the
#: characters every pattern of both needs: "<dnt>", UN symbols and URLs "/", e-mail "@",
#: footnotes "[" or a superscript digit, "www.", placeholders "{" or "%(", markup "<",
#: entities "&").
_MAYBE_SPECIAL = re.compile(r"[{<&@/\[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]|www\.|%\(")
_SPECIAL_CHAR = re.compile(r"[{<&@/\[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]")  # its first part


def _maybe_special(text: str) -> bool:
    """``_MAYBE_SPECIAL.search(text) is not None``, faster (a one-class pattern is
    searched with sre's character-set scan; the two strings with ``in``)."""
    return _SPECIAL_CHAR.search(text) is not None or "www." in text or "%(" in text


def exempt_text(unit: Unit, text: str) -> str:
    """*text* without placeholders, markup, URLs, protected text and glossary terms."""
    return exempt_words(unit, text)[0]


def exempt_words(unit: Unit, text: str) -> tuple[str, list[str]]:
    """(:func:`exempt_text`, its words), worked out once per unit and text: the spelling
    and leftover checks share them."""
    memo = unit.cache.get("_exempt")
    if memo is None:
        memo = unit.cache["_exempt"] = {}
    key = (text, unit.source, unit.language)
    found = memo.get(key)
    if found is None:
        clean = _exempt(unit, text)
        found = memo[key] = (clean, words_of(clean))
    return found


#: What can end a word that is all letters ("mot." "mot," "mot»"): none is a letter, a
#: digit or a joiner of _WORD.
_TRAILING = frozenset(".,;:!?)]}\"\u00bb\u201d\u2026")


def words_of(text: str) -> list[str]:
    """``_WORD.findall(text)``, faster (see :func:`split_words`)."""
    return split_words(text, _WORD.findall)


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
    special = _maybe_special(text)
    if special or (names and any(n in text for n in names)):
        from workflow.mt.protect import protected_spans

        for span in protected_spans(text, names):
            text = text.replace(span.text, " ")
    if glossary is not None:
        for concept in glossary.in_source(unit.source):
            for term in concept.terms.get(unit.language.split("_")[0], ()):
                text = re.sub(re.escape(term.text), " ", text, flags=re.I)
    if not special:  # blanking terms (with a space) cannot make one of these characters
        return text  # nothing _SKIP_SPANS could match
    return _SKIP_SPANS.sub(" ", text)


@lru_cache(maxsize=65536)
def source_words(sources: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """(the casefolded words of a message's source texts, names: those capitalised inside a
    sentence), worked out once per source for every language."""
    words: set[str] = set()
    names: set[str] = set()
    for s in sources:
        for m in _WORD.finditer(s):
            w = m.group(0)
            key = w.casefold()
            words.add(key)
            if w[0].isupper():
                i = m.start() - 1
                while i >= 0 and s[i].isspace():
                    i -= 1
                if i >= 0 and s[i] not in ".!?:;":
                    names.add(key)
    return frozenset(words), frozenset(names)
