"""The informal second person in a letter that declares itself formal."""

from __future__ import annotations

import re
from functools import lru_cache

from workflow.checks.base import ERROR, WARNING, Check, Problem, Unit
from workflow.checks.messages import N_

#: Informal second-person words (pronouns and possessives), per language.
INFORMAL = {
    "fr": ("tu", "toi", "te", "t'", "t\u2019", "ton", "tes"),
    "es": ("tú", "te", "ti", "contigo", "tus", "vosotros", "vosotras", "os", "vuestro",
           "vuestra", "vuestros", "vuestras"),
    "de": ("du", "dich", "dir", "dein", "deine", "deinen", "deinem", "deiner", "deines",
           "euch", "euer", "eure"),
    "it": ("tu", "ti", "te", "tuo", "tuoi", "voi"),
    "pt": ("tu", "te", "ti", "contigo", "teu", "teus", "vós", "vosso", "vossa"),
    "ru": ("ты", "тебя", "тебе", "тобой", "твой", "твоя", "твоё", "твои", "твоего"),
    "pl": ("ty", "ciebie", "cię", "tobie", "tobą", "twój", "twoja", "twoje", "twojego"),
    "ca": ("tu", "et", "teu", "teva", "vosaltres"),
    "gl": ("ti", "te", "teu", "túa", "vós"),
}


@lru_cache(maxsize=32)
def _pattern(language: str) -> re.Pattern[str] | None:
    words = INFORMAL.get(language.split("_")[0])
    if not words:
        return None
    alts = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w'\u2019-])(?:{alts})(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=32)
def _screen(language: str) -> re.Pattern[str] | None:
    """What :func:`_pattern` finds, found faster in a long text: the words' first letters
    as a case-sensitive class (every character that matches one with IGNORECASE: a plain
    bitmap scan in the regex engine), the look-behind and the rest of each word after it
    (the words as a trie, no alternative tried twice). None for a language without
    informal words."""
    words = INFORMAL.get(language.split("_")[0])
    if not words:
        return None
    tree = _trie(words)
    firsts = set().union(*map(_case_mates().__getitem__, tree))
    rest = "|".join(f"(?<={re.escape(f)}){_alternatives(sub)}" for f, sub in sorted(tree.items()))
    chars = re.escape("".join(sorted(firsts)))
    return re.compile(rf"(?-i:[{chars}])(?<![\w'\u2019-].)(?:{rest})(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=1)
def _case_mates() -> dict[str, frozenset[str]]:
    """First letter of an informal word -> every character that matches it with
    IGNORECASE, as ``re`` itself decides (lower/upper pairs and the extra ones such as
    т/ᲄ): one pass over the Basic Multilingual Plane, where every character that shares
    a case with one of these letters is (~4 ms, once per process)."""
    from array import array

    bmp = array("I", range(0x10000)).tobytes().decode("utf-32-le", "surrogatepass")
    letters = sorted({w[0] for words in INFORMAL.values() for w in words})
    found = set(re.findall(f"(?i:[{re.escape(''.join(letters))}])", bmp))
    return {f: frozenset(c for c in found if re.fullmatch(f"(?i:{re.escape(f)})", c))
            for f in letters}


def _trie(words: tuple[str, ...]) -> dict:
    tree: dict = {}
    for word in words:
        node = tree
        for c in word:
            node = node.setdefault(c, {})
        node[""] = {}  # (a word ends here)
    return tree


def _alternatives(node: dict) -> str:
    """The regex of a trie node's words (what follows it), each prefix written once."""
    items = [re.escape(c) + _alternatives(sub) for c, sub in sorted(node.items()) if c]
    if not items:
        return ""
    body = items[0] if len(items) == 1 else "(?:" + "|".join(items) + ")"
    return f"(?:{body})?" if "" in node else body


def letter_register(config: object, context: str) -> str:
    """The register the letter of *context* ("<letter id>/<block>") declares, or "" (the
    letters' facts are kept per version of each file: ``letter_facts``)."""
    from workflow.checks.letter_facts import letter_facts

    letter_id, found = context.split("/", 1)[0], ""
    for path in getattr(config, "letters", None) or ():
        try:
            facts = letter_facts(path)
        except Exception:  # noqa: BLE001 -- a broken letter is extraction's error to report
            continue
        if facts.id == letter_id:
            found = facts.register  # (the last letter of an id, as before)
    return found


INFORMAL_FORMAL = N_("informal address %(words)s (the letter is formal: use the polite form)")
INFORMAL_MINISTER = N_("informal address %(words)s (a letter to a minister: use the polite "
                       "form)")


class RegisterCheck(Check):
    """Formal address

    The informal second person (fr tu/toi/te, es tú/vosotros/vuestro, de du/dich, it
    tu/ti, pt tu, ru ты, pl ty) in a letter to a minister. An error when the letter
    declares ``register = "formal"`` in its front matter (the seed letter does), a
    warning when it declares nothing, never for ``register = "informal"``.
    """

    id = "register"
    severity = ERROR
    messages = (INFORMAL_FORMAL, INFORMAL_MINISTER)

    def applies(self, language: str, config: object = None) -> bool:
        return _pattern(language) is not None

    def candidates(self, batch) -> set[int] | None:
        # only a translation with an informal word can be reported: one pass finds them
        pattern = _screen(batch.language) or _pattern(batch.language)
        return None if pattern is None else batch.text_hits(pattern)

    def check(self, unit: Unit) -> list[Problem]:
        pattern = _pattern(unit.language)
        if pattern is None:
            return []
        run = unit.cache.get("run")
        letter_id = unit.message.context.split("/", 1)[0]
        register = run.get(("register", letter_id)) if run is not None else None
        if register is None:  # once per letter in a whole-catalogue run
            register = letter_register(unit.config, unit.message.context)
            if run is not None:
                run[("register", letter_id)] = register
        if register == "informal":
            return []
        severity = ERROR if register == "formal" else WARNING
        out: list[Problem] = []
        total = len(unit.strings)
        for i, source, text in unit.forms():
            found = [m.group(0) for m in pattern.finditer(text)
                     if not re.search(rf"(?<!\w){re.escape(m.group(0))}(?!\w)", source)]
            if found:
                words = ", ".join(repr(w) for w in dict.fromkeys(found))
                template = INFORMAL_FORMAL if register else INFORMAL_MINISTER
                out.append(Problem(unit.where(i, total) + template % {"words": words},
                                   severity))
        return out
