"""Hunspell dictionaries (through pyenchant) and their remembered verdicts.

Dictionaries are Debian's hunspell-* packages (scripts/system-deps.sh). Opening one costs
0.05-0.6 s, so every word's verdict is kept in the user's cache,
``$XDG_CACHE_HOME/letterflow/spelling/<dict>.json`` (``~/.cache`` by default;
``LETTERFLOW_CACHE_DIR`` moves it, with the gate's cache), keyed by the dictionary file's
stat (``statmemo.stat_key``; not saved while it is racy): a run whose words were all seen
before opens no dictionary at all. The verdicts depend on the dictionary only, so every
project shares them. enchant itself loads only when a new word needs a verdict. A gate
worker saves its new verdicts after every catalogue (:func:`save_verdicts`): forked
workers never run ``atexit``.

The dictionary keeps its bad words sorted by what spelling reports (3 letters or more,
not all capitals; casefolded or not), so a text's suspects and the source-word exemption
are a few C-level set operations.

Threads: the review server checks approvals in several threads at once. libenchant (its
one broker per process, which opens every dictionary) is not thread-safe: a dictionary
opened while another thread checked a word crashed the server process (SIGSEGV, "double
free or corruption"). So every call into enchant holds :data:`ENCHANT_LOCK`, and there is
exactly one :class:`_Dictionary` per language and cache folder (the first ones were made
twice when two requests asked at once).
"""

from __future__ import annotations

import atexit
import json
import os
import threading
from functools import lru_cache
from pathlib import Path

from workflow.checks.base import Unit
from workflow.statmemo import is_racy, stat_key

#: letterflow language -> enchant dictionary tags to try, in order.
DICTIONARIES = {
    "fr": ("fr_FR", "fr"), "es": ("es_ES", "es"), "de": ("de_DE",), "it": ("it_IT",),
    "pt": ("pt_PT", "pt_BR"), "pt_BR": ("pt_BR",), "ca": ("ca", "ca_ES"), "gl": ("gl_ES", "gl"),
    "nl": ("nl_NL", "nl"), "pl": ("pl_PL",), "ru": ("ru_RU",), "ar": ("ar",), "ko": ("ko_KR", "ko"),
}
_CACHE_MAX = 200_000
#: held by every call into enchant (opening a dictionary, checking a word): see above
ENCHANT_LOCK = threading.Lock()

HUNSPELL_DIRS = ("/usr/share/hunspell", "/usr/share/myspell/dicts")


def _find_tag(language: str) -> tuple[str, str] | None:
    """(enchant tag, identity of its files) of the first installed dictionary; the identity
    is "" (verdicts kept in this process only) while its stat cannot vouch for its
    content (``statmemo.is_racy``)."""
    base = language.split("_")[0]
    for tag in DICTIONARIES.get(language, ()) + DICTIONARIES.get(base, ()) + (language,):
        for folder in HUNSPELL_DIRS:
            dic = Path(folder) / f"{tag}.dic"
            if dic.is_file():
                st = dic.stat()  # (a dictionary changed in the last seconds: not saved)
                return tag, "" if is_racy(st) else f"{dic}:{':'.join(map(str, stat_key(st)))}"
    return None


class _Dictionary:
    """Verdicts of one Hunspell dictionary, remembered across runs."""

    def __init__(self, tag: str, identity: str, cache_dir: Path | None):
        self.tag = tag
        self.identity = identity
        self.dict = None  # enchant.Dict, opened on the first unknown word
        self.known: dict[str, bool] = {}
        self.good: set[str] = set()  # the words of self.known that are spelt right
        self.bad: set[str] = set()  # and those that are not
        #: the bad words spelling reports (3 letters or more, not all capitals), split by
        #: whether casefolding changes them (those map to their casefolded form)
        self.suspect_folded: set[str] = set()
        self.suspect_cased: dict[str, str] = {}
        self.suspect_cased_keys: set[str] = set()
        #: the bad words spelling reports that begin with a capital (names, perhaps)
        self.suspect_capital: set[str] = set()
        self.path = cache_dir / "spelling" / f"{tag}.json" if cache_dir and identity else None
        self.dirty = 0
        if self.path is not None:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("dictionary") == identity:
                    self.known = {w: bool(v) for w, v in data.get("words", {}).items()}
                    self.good = {w for w, v in self.known.items() if v}
                    self.bad = {w for w, v in self.known.items() if not v}
                    for w in self.bad:
                        self._suspect(w)
            except (OSError, ValueError, AttributeError):
                pass
            _OPEN.append(self)

    def check(self, word: str) -> bool:
        ok = self.known.get(word)
        if ok is None:
            with ENCHANT_LOCK:
                if self.dict is None:
                    import enchant

                    self.dict = enchant.Dict(self.tag)
                ok = self.dict.check(word) or (
                    "\u2019" in word and self.dict.check(word.replace("\u2019", "'")))
            if len(self.known) < _CACHE_MAX:
                self.known[word] = ok
                self.dirty += 1
        # every verdict given is in good or bad (one merged from another process's save
        # by _merge_saved is not yet)
        if ok:
            self.good.add(word)
        elif word not in self.bad:
            self.bad.add(word)
            self._suspect(word)
        return ok

    def _suspect(self, word: str) -> None:
        if len(word) >= 3 and not word.isupper():
            if word[0].isupper():
                self.suspect_capital.add(word)
            folded = word.casefold()
            if folded == word:
                self.suspect_folded.add(word)
            else:
                self.suspect_cased[word] = folded
                self.suspect_cased_keys.add(word)

    def suspects(self, words: list[str], from_source: frozenset[str],
                 rest: set[str] | None = None) -> set[str]:
        """The words of *words* spelling reports: unknown to the dictionary, 3 letters or
        more, not all capitals, not a (casefolded) word of the source (*from_source*).
        Set operations in C; a Python step only for unknown words that casefolding
        changes (capitalised ones, mostly) and whose casefolded form is a source word.
        *rest*: :meth:`unknown` of *words*, if known."""
        if rest is None:
            rest = self.unknown(words)
        if not rest:
            return set()
        out = rest & self.suspect_folded
        out -= from_source
        cased = rest & self.suspect_cased_keys
        if cased:
            folds = self.suspect_cased
            if from_source.isdisjoint(map(folds.__getitem__, cased)):
                out |= cased
            else:
                out.update(w for w in cased if folds[w] not in from_source)
        return out

    def any_suspect_in(self, rest: set[str], keys: frozenset[str]) -> bool:
        """Whether a word of *rest* (what :meth:`unknown` returned) that spelling would
        report (3 letters or more, not all capitals) casefolds to one of *keys*."""
        if not rest:
            return False
        if not keys.isdisjoint(rest & self.suspect_folded):
            return True
        cased = rest & self.suspect_cased_keys
        return bool(cased) and not keys.isdisjoint(map(self.suspect_cased.__getitem__, cased))

    def unknown(self, words: list[str]) -> set[str]:
        """The words of *words* not known to be right (each checked once: those left are
        wrong, unless the verdict could not be kept)."""
        rest = set(words)
        rest -= self.good
        if rest and not self.bad.issuperset(rest):
            check = self.check
            for w in rest - self.bad:  # words without a verdict yet
                check(w)
        return rest

    def _merge_saved(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if not isinstance(data, dict) or data.get("dictionary") != self.identity:
            return
        words = data.get("words")
        for w, v in (words.items() if isinstance(words, dict) else ()):
            if len(self.known) >= _CACHE_MAX:
                break
            self.known.setdefault(w, bool(v))

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        try:
            self._merge_saved()  # another process (a gate worker) may have saved meanwhile
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
    environ = os.environ
    return _cache_dir(environ.get("LETTERFLOW_CACHE_DIR"), environ.get("XDG_CACHE_HOME"),
                      environ.get("HOME"))


@lru_cache(maxsize=8)
def _cache_dir(env: str | None, xdg: str | None, home: str | None) -> Path:
    if env:
        return Path(env)
    base = xdg or (Path.home() / ".cache")
    return Path(base) / "letterflow"


def save_verdicts() -> None:
    """Write the new verdicts of every dictionary opened here (gate workers call it after
    each catalogue: a forked worker ends without running atexit)."""
    _save_all()


_DICTIONARIES: dict[tuple[str, Path | None], _Dictionary | None] = {}
_MADE = threading.Lock()


def _dictionary(language: str, cache_dir: Path | None) -> _Dictionary | None:
    """The one :class:`_Dictionary` of *language* kept in *cache_dir* (made under a lock:
    two threads asking at once get the same one)."""
    key = (language, cache_dir)
    try:
        return _DICTIONARIES[key]
    except KeyError:
        pass
    with _MADE:
        if key not in _DICTIONARIES:
            found = _find_tag(language)
            _DICTIONARIES[key] = None if found is None else _Dictionary(*found, cache_dir)
        return _DICTIONARIES[key]


def dictionary_for(language: str, config: object = None) -> _Dictionary | None:
    """The Hunspell dictionary of *language*, or None if none is installed."""
    environ = os.environ
    return _dictionary_at(language, environ.get("LETTERFLOW_CACHE_DIR"),
                          environ.get("XDG_CACHE_HOME"), environ.get("HOME"))


@lru_cache(maxsize=64)
def _dictionary_at(language: str, env: str | None, xdg: str | None,
                   home: str | None) -> _Dictionary | None:
    return _dictionary(language, _cache_dir(env, xdg, home))


def unit_dictionary(unit: Unit) -> _Dictionary | None:
    """dictionary_for the unit's language, looked up once per whole-catalogue run."""
    run = unit.cache.get("run")
    if run is None:
        return dictionary_for(unit.language, unit.config)
    key = ("dictionary", unit.language)
    if key not in run:
        run[key] = dictionary_for(unit.language, unit.config)
    return run[key]
