"""Spelling of the translation with Hunspell dictionaries (through pyenchant).

Dictionaries are Debian's hunspell-* packages (scripts/system-deps.sh). Opening one costs
0.4-2.7 s, so every word's verdict is kept in the user's cache,
``$XDG_CACHE_HOME/letterflow/spelling/<dict>.json`` (``~/.cache`` by default;
``LETTERFLOW_CACHE_DIR`` moves it, with the gate's cache), keyed by the dictionary file's
size and date: a run whose words were all seen before opens no dictionary at all. The
verdicts depend on the dictionary only, so every project shares them.
enchant itself loads only when a new word needs a verdict.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import threading
from functools import lru_cache
from pathlib import Path

from workflow.checks.base import WARNING, Check, Unit

#: letterflow language -> enchant dictionary tags to try, in order.
DICTIONARIES = {
    "fr": ("fr_FR", "fr"), "es": ("es_ES", "es"), "de": ("de_DE",), "it": ("it_IT",),
    "pt": ("pt_PT", "pt_BR"), "pt_BR": ("pt_BR",), "ca": ("ca", "ca_ES"), "gl": ("gl_ES", "gl"),
    "nl": ("nl_NL", "nl"), "pl": ("pl_PL",), "ru": ("ru_RU",), "ar": ("ar",), "ko": ("ko_KR", "ko"),
}
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
_SKIP_SPANS = re.compile(r"\{[^{}]*\}|<[^<>]*>|&\w+;|https?://\S+|\S+@\S+")
_CACHE_MAX = 200_000


HUNSPELL_DIRS = ("/usr/share/hunspell", "/usr/share/myspell/dicts")


def _find_tag(language: str) -> tuple[str, str] | None:
    """(enchant tag, identity of its files) of the first installed dictionary."""
    base = language.split("_")[0]
    for tag in DICTIONARIES.get(language, ()) + DICTIONARIES.get(base, ()) + (language,):
        for folder in HUNSPELL_DIRS:
            dic = Path(folder) / f"{tag}.dic"
            if dic.is_file():
                st = dic.stat()
                return tag, f"{dic}:{st.st_size}:{int(st.st_mtime)}"
    return None


class _Dictionary:
    """Verdicts of one Hunspell dictionary, remembered across runs."""

    def __init__(self, tag: str, identity: str, cache_dir: Path | None):
        self.tag = tag
        self.identity = identity
        self.dict = None  # enchant.Dict, opened on the first unknown word
        self.known: dict[str, bool] = {}
        self.path = cache_dir / "spelling" / f"{tag}.json" if cache_dir else None
        self.dirty = 0
        self.lock = threading.Lock()
        if self.path is not None:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("dictionary") == identity:
                    self.known = {w: bool(v) for w, v in data.get("words", {}).items()}
            except (OSError, ValueError, AttributeError):
                pass
            _OPEN.append(self)

    def check(self, word: str) -> bool:
        ok = self.known.get(word)
        if ok is None:
            with self.lock:
                if self.dict is None:
                    import enchant

                    self.dict = enchant.Dict(self.tag)
                ok = self.dict.check(word) or (
                    "\u2019" in word and self.dict.check(word.replace("\u2019", "'")))
            if len(self.known) < _CACHE_MAX:
                self.known[word] = ok
                self.dirty += 1
        return ok

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"dictionary": self.identity, "words": self.known},
                                      ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.path)
            self.dirty = 0
        except OSError:  # a cache that cannot be written is only slower next time
            pass


_OPEN: list[_Dictionary] = []


@atexit.register
def _save_all() -> None:
    for d in _OPEN:
        d.save()


def cache_dir_for(config: object = None) -> Path | None:
    """Where word verdicts are kept (never inside the project: they are not its data)."""
    env = os.environ.get("LETTERFLOW_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    return Path(base) / "letterflow"


@lru_cache(maxsize=64)
def _dictionary(language: str, cache_dir: Path | None) -> _Dictionary | None:
    found = _find_tag(language)
    if found is None:
        return None
    return _Dictionary(found[0], found[1], cache_dir)


def dictionary_for(language: str, config: object = None) -> _Dictionary | None:
    """The Hunspell dictionary of *language*, or None if none is installed."""
    return _dictionary(language, cache_dir_for(config))


def exempt_text(unit: Unit, text: str) -> str:
    """*text* without placeholders, markup, URLs, protected text and glossary terms."""
    from workflow.mt.protect import protected_spans

    glossary = unit.cache.get("glossary")
    names = glossary.dnt_names() if glossary is not None else ()
    for span in protected_spans(text, names):
        text = text.replace(span.text, " ")
    if glossary is not None:
        for concept in glossary.in_source(unit.source):
            for term in concept.terms.get(unit.language.split("_")[0], ()):
                text = re.sub(re.escape(term.text), " ", text, flags=re.I)
    return _SKIP_SPANS.sub(" ", text)


def suspicious_words(unit: Unit, text: str, dictionary: _Dictionary) -> list[str]:
    """Words of *text* the dictionary does not know, names and source words aside."""
    source_words = {w.casefold() for s in unit.sources() for w in _WORD.findall(s)}
    out: list[str] = []
    clean = exempt_text(unit, text)
    for m in _WORD.finditer(clean):
        word = m.group(0)
        if len(word) < 3 or word.isupper() or word.casefold() in source_words:
            continue
        if word[0].isupper() and not _sentence_start(clean, m.start()):
            continue  # a name
        if not dictionary.check(word) and word not in out:
            out.append(word)
    return out


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return not before or before[-1] in ".!?:;\"\u201c\u00ab(["


class SpellingCheck(Check):
    """Spelling (Hunspell)

    Words the language's Hunspell dictionary does not know: Spanish words left in a
    French draft ("auspicios"), words run together ("queestálargo"). Placeholders,
    markup, protected text, glossary terms, names (capitalised inside a sentence) and
    words copied from the source (the source leftover check's business) are exempt.
    Languages without an installed dictionary are not checked.
    """

    id = "spelling"
    severity = WARNING

    def check(self, unit: Unit) -> list[str]:
        dictionary = dictionary_for(unit.language, unit.config)
        if dictionary is None:
            return []
        out: list[str] = []
        total = len(unit.strings)
        for i, _source, text in unit.forms():
            words = suspicious_words(unit, text, dictionary)
            if words:
                shown = ", ".join(repr(w) for w in words[:8])
                more = f" and {len(words) - 8} more" if len(words) > 8 else ""
                out.append(f"{unit.where(i, total)}not in the {dictionary.tag} dictionary: "
                           f"{shown}{more}")
        if dictionary.dirty >= 500:
            dictionary.save()
        return out
