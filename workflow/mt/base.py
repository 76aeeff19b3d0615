"""The one machine-translation backend interface, placeholder masking and pivot routing.

Every engine (Apertium, the deep-translator clients, the deterministic ``pseudo`` engine)
subclasses :class:`Translator` and implements one backend method, :meth:`Translator._translate`:
translate already-masked, stripped texts for one *direct* language pair and return, per
text, the translation or an :class:`MTError` for that item.  Everything else is shared:

* placeholders (``{name}``, ``%(name)s``, ``%s``), inline markup (``<b>``, ``&amp;``) and
  URLs are replaced by ``[[n]]`` tokens before MT and put back afterwards; a token the
  engine lost or duplicated marks the result *damaged* (the draft is still written, but
  flagged);
* routing through a pivot language (``cfg.mt["pivot"]``, target -> pivot) where the engine
  has no direct pair;
* the SQLite cache / translation memory, consulted per leg, so a re-run costs no engine
  calls;
* the count of engine calls (``calls``) that ``letterflow draft --format json`` reports.
"""

from __future__ import annotations

import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import MTError

if TYPE_CHECKING:  # type names only: cache.py imports nothing from here
    from .cache import MTCache
    from .registry import ProviderSpec


class MTUnavailable(MTError):
    """The engine cannot be used at all here: not installed, no key, no network, key refused.

    Unlike an item failure, this stops the run (with a one-line message)."""


# --------------------------------------------------------------------------- masking

#: What must reach the target byte-exact. Order matters: the first alternative wins.
_PROTECTED = re.compile(
    r"""
      \[\[\d+\]\]                                   # a literal token-lookalike in the source
    | %\([^)\s]{1,64}\)[-\#0+]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]   # %(name)s
    | %[-\#0+]*\d*(?:\.\d+)?[diouxXeEfFgGcrs%]      # %s %d %5.2f %%
    | \{\{ | \}\}                                   # escaped braces
    | \{[^{}\n]{0,64}\}                             # {name} {0} {} {name!r:>10}
    | </?[A-Za-z][\w:.-]*(?:\s[^<>]{0,200})?/?>     # inline markup <b> </b> <br/>
    | &(?:[A-Za-z]{2,10}|\#\d{1,6}|\#x[0-9A-Fa-f]{1,6});   # entities
    | (?:https?|mailto):[^\s<>"]+[^\s<>".,;:!?)\]]  # URLs
    """,
    re.VERBOSE,
)
#: A token as an engine may hand it back (Apertium sometimes adds spaces inside).
_TOKEN_BACK = re.compile(r"\[\s?\[\s?(\d{1,4})\s?\]\s?\]")


@dataclass(frozen=True)
class Masked:
    """A text with its protected spans replaced by ``[[1]]``, ``[[2]]``..."""

    lead: str  # leading whitespace of the original
    core: str  # the masked, stripped text sent to the engine
    trail: str  # trailing whitespace of the original
    originals: tuple[str, ...]  # originals[i] replaced token [[i+1]]


def mask(text: str) -> Masked:
    """Mask placeholders/markup in *text* and split off its outer whitespace."""
    originals: list[str] = []

    def repl(m: re.Match[str]) -> str:
        originals.append(m.group(0))
        return f"[[{len(originals)}]]"

    core = _PROTECTED.sub(repl, text)
    stripped = core.strip()
    if not stripped:
        return Masked(lead=core, core="", trail="", originals=tuple(originals))
    start = core.index(stripped)
    return Masked(
        lead=core[:start],
        core=stripped,
        trail=core[start + len(stripped) :],
        originals=tuple(originals),
    )


def unmask(masked: Masked, translated: str) -> tuple[str, tuple[str, ...]]:
    """Put the originals back into *translated*.

    Returns ``(text, damaged)`` where *damaged* lists the protected spans the engine lost,
    duplicated or invented (empty if every token came back exactly once).
    """
    n = len(masked.originals)
    seen: dict[int, int] = {}
    for m in _TOKEN_BACK.finditer(translated):
        idx = int(m.group(1))
        seen[idx] = seen.get(idx, 0) + 1
    damaged: list[str] = []
    for i, original in enumerate(masked.originals, start=1):
        if seen.get(i, 0) != 1:
            damaged.append(original)
    for idx in sorted(seen):
        if not 1 <= idx <= n:
            damaged.append(f"[[{idx}]]")

    def repl(m: re.Match[str]) -> str:
        idx = int(m.group(1))
        return masked.originals[idx - 1] if 1 <= idx <= n else m.group(0)

    body = _TOKEN_BACK.sub(repl, translated.strip())
    return masked.lead + body + masked.trail, tuple(damaged)


# --------------------------------------------------------------------------- results


@dataclass
class Outcome:
    """What happened to one text of a batch."""

    text: str | None  # the restored translation, or None if the item failed
    error: MTError | None = None
    cached: bool = False  # every leg came from the cache (no engine call)
    damaged: tuple[str, ...] = ()  # protected spans the engine mangled
    route: str = ""  # provenance, e.g. "eng-spa" or "eng-spa + es-fr via spa"


# --------------------------------------------------------------------------- the base

#: Used when the config has no ``[tool.letterflow.mt] pivot`` table (an empty table there
#: switches pivoting off): target -> pivot language.
DEFAULT_PIVOTS = {"fr": "es", "pt": "es", "it": "es"}


class Translator(ABC):
    """Base of every MT engine. Subclasses implement :meth:`_translate` (and name the
    direct pairs they offer); masking, pivoting, caching and call counting live here."""

    #: Engine id as used on the command line and in the cache ("apertium", "libre"...).
    name: str = "base"
    #: How many messages drafting writes per atomic catalogue batch (None: all at once).
    batch_size: int | None = None

    @classmethod
    def create(cls, spec: ProviderSpec, config: object | None = None, *, cache=None, **kwargs):
        """Build the engine for registry entry *spec* (see :mod:`workflow.mt.registry`)."""
        return cls(config, cache=cache, **kwargs)

    @classmethod
    def memo_inputs(cls, spec: ProviderSpec, config: object | None = None) -> tuple | None:
        """What :meth:`create` reads besides the config's ``source_language``,
        ``languages`` and ``mt`` (environment, files), for :mod:`workflow.mt.memo`; None
        (the default): an engine of this class is never kept between calls."""
        return None

    def memo_valid(self) -> bool:
        """Whether a kept engine still stands for what :meth:`create` would build now."""
        return True

    def bind(self, cache: MTCache | None) -> Translator:
        """A copy of this engine on *cache*, counting its own calls; the settings and the
        memoised language pairs are shared with this one."""
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone.cache = cache
        clone.calls = 0
        clone._calls_lock = threading.Lock()
        return clone

    def __init__(self, config: object | None = None, *, cache: MTCache | None = None):
        mt = dict(getattr(config, "mt", {}) or {})
        pivots = mt.get("pivot", DEFAULT_PIVOTS)
        pivots = pivots or {}
        if not isinstance(pivots, dict):
            raise MTError("[tool.letterflow.mt] pivot must be a table target -> pivot", self.name)
        self.pivots: dict[str, str] = {str(k): str(v) for k, v in pivots.items()}
        self.settings = mt
        self.cache = cache
        self.calls = 0
        self._calls_lock = threading.Lock()
        #: pure results (language pairs, codes), shared with the copies :meth:`bind` makes
        self._memo: dict = {}

    # -- what subclasses provide -------------------------------------------------------

    @abstractmethod
    def direct_pairs(self) -> set[tuple[str, str]]:
        """Language pairs (locale ids) the engine translates without a pivot."""

    @abstractmethod
    def _translate(self, texts: Sequence[str], source: str, target: str) -> list[str | MTError]:
        """Translate masked, stripped, non-empty *texts* for a direct pair.

        Return one entry per text: the translation, or an MTError for that item. Raise
        :class:`MTUnavailable` (or MTError) only when the whole batch cannot be done."""

    def pair_label(self, source: str, target: str) -> str:
        """How provenance notes name a direct pair (Apertium: its mode, e.g. "eng-spa")."""
        return f"{source}-{target}"

    def code_label(self, lang: str) -> str:
        """How provenance notes name a pivot language (Apertium: "spa")."""
        return lang

    # -- shared machinery ----------------------------------------------------------------

    def count_call(self, n: int = 1) -> None:
        with self._calls_lock:
            self.calls += n

    def supported_pairs(self) -> set[tuple[str, str]]:
        """Direct pairs plus the pairs reachable through the configured pivot table."""
        direct = self.direct_pairs()
        pivots = tuple(self.pivots.items())
        memo = self.__dict__.setdefault("_memo", {}).get("supported")
        if memo is not None and memo[0] is direct and memo[1] == pivots:
            return memo[2]
        pairs = set(direct)
        langs = {lang for pair in direct for lang in pair}
        for s in langs:
            for t in langs:
                if s != t and (s, t) not in pairs and self._pivot_for(s, t, direct):
                    pairs.add((s, t))
        if isinstance(direct, frozenset):  # a memoised (immutable) result: keep this one
            self._memo["supported"] = (direct, pivots, frozenset(pairs))
            return self._memo["supported"][2]
        return pairs

    def _pivot_for(self, source: str, target: str, direct: set[tuple[str, str]]) -> str | None:
        for p in (self.pivots.get(target), self.pivots.get(source)):
            if p and p not in (source, target) and (source, p) in direct and (p, target) in direct:
                return p
        return None

    def route(self, source: str, target: str) -> list[str]:
        """The languages a text passes through: [source, target] or [source, pivot, target]."""
        direct = self.direct_pairs()
        if (source, target) in direct:
            return [source, target]
        pivot = self._pivot_for(source, target, direct)
        if pivot:
            return [source, pivot, target]
        hint = ""
        pivot = self.pivots.get(target) or self.pivots.get(source)
        if pivot:
            hint = f" (not even through the pivot {pivot})"
        raise MTError(f"no language pair {source}->{target}{hint}", self.name, source, target)

    def describe_route(self, path: list[str]) -> str:
        legs = [self.pair_label(a, b) for a, b in zip(path, path[1:], strict=False)]
        text = " + ".join(legs)
        if len(path) > 2:
            text += " via " + ", ".join(self.code_label(p) for p in path[1:-1])
        return text

    def translate_each(self, texts: Sequence[str], source: str, target: str) -> list[Outcome]:
        """Translate *texts*; one :class:`Outcome` per text, failures included.

        Raises MTError only if the pair is unsupported or the engine is unusable."""
        path = self.route(source, target)
        route = self.describe_route(path)
        masked = [mask(t) for t in texts]
        current: list[str | MTError] = [m.core for m in masked]
        from_engine = [False] * len(texts)
        for a, b in zip(path, path[1:], strict=False):
            todo = list(dict.fromkeys(v for v in current if isinstance(v, str) and v))
            results, missing_set = self._leg(todo, a, b)
            new: list[str | MTError] = []
            for i, value in enumerate(current):
                if isinstance(value, MTError) or not value:
                    new.append(value)
                    continue
                if value in missing_set:
                    from_engine[i] = True
                new.append(results[value])
            current = new
        outcomes: list[Outcome] = []
        for m, value, engine_used in zip(masked, current, from_engine, strict=True):
            if isinstance(value, MTError):
                outcomes.append(Outcome(None, error=value, route=route))
                continue
            text, damaged = unmask(m, value)
            outcomes.append(
                Outcome(text, cached=not engine_used, damaged=damaged, route=route)
            )
        return outcomes

    def _leg(self, todo: list[str], a: str, b: str) -> tuple[dict[str, str | MTError], set[str]]:
        """Translate the distinct texts *todo* over one direct pair, cache first.

        Returns ``(results, sent)``: a result per text and the texts the engine was asked."""
        found: dict[str, str] = {}
        if self.cache is not None and todo:
            found = self.cache.lookup_many(self.name, a, b, todo)
        missing = [t for t in todo if t not in found]
        results: dict[str, str | MTError] = dict(found)
        if not missing:
            return results, set()
        got = self._translate(missing, a, b)
        if len(got) != len(missing):
            raise MTError(
                f"engine returned {len(got)} results for {len(missing)} texts", self.name, a, b
            )
        fresh = {}
        for src, out in zip(missing, got, strict=True):
            if isinstance(out, MTError):
                results[src] = out
            elif not out.strip():  # never cache an empty answer
                results[src] = MTError("empty translation", self.name, a, b, src)
            else:
                results[src] = fresh[src] = out.strip()
        if self.cache is not None and fresh:
            self.cache.store_many(self.name, a, b, fresh)
        return results, set(missing)

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """Translate *texts*; raise the first item's MTError if any item failed."""
        outcomes = self.translate_each(texts, source, target)
        for o in outcomes:
            if o.error is not None:
                raise o.error
        return [o.text or "" for o in outcomes]

    def translate(self, text: str, source: str, target: str) -> str:
        return self.translate_batch([text], source, target)[0]


# --------------------------------------------------------------------------- sentences

_SENTENCE_END = re.compile(
    r"(?<=[.!?;:\u3002\uff01\uff1f\u061f\u0964])(\s+)|(?<=[\u3002\uff01\uff1f])"
)


def split_text(text: str, limit: int) -> list[tuple[str, str]]:
    """Split *text* into ``(chunk, separator)`` pieces no longer than *limit* characters.

    Cuts at sentence boundaries where possible, then at spaces, then anywhere.
    ``"".join(c + s for c, s in pieces) == text``. Tokens ``[[n]]`` are never cut."""
    if limit < 8:
        raise ValueError("limit too small")
    if len(text) <= limit:
        return [(text, "")]
    # 1. sentences with the whitespace that follows them
    sentences: list[tuple[str, str]] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.start()
        if end <= pos:
            continue
        sentences.append((text[pos:end], m.group(1) or ""))
        pos = m.end()
    if pos < len(text):
        sentences.append((text[pos:], ""))
    # 2. sentences still too long: cut at spaces, then hard
    pieces: list[tuple[str, str]] = []
    for sent, sep in sentences:
        while len(sent) > limit:
            cut = sent.rfind(" ", 0, limit)
            if cut <= 0:
                cut = limit
                # never cut inside a [[n]] token
                opening = sent.rfind("[[", 0, cut)
                if opening > 0 and sent.find("]]", opening) >= cut - 1:
                    cut = opening
                pieces.append((sent[:cut], ""))
                sent = sent[cut:]
            else:
                pieces.append((sent[:cut], " "))
                sent = sent[cut + 1 :]
        pieces.append((sent, sep))
    # 3. pack consecutive pieces back together up to the limit
    packed: list[tuple[str, str]] = []
    buf, buf_sep = "", ""
    for chunk, sep in pieces:
        if buf and len(buf) + len(buf_sep) + len(chunk) <= limit:
            buf = buf + buf_sep + chunk
            buf_sep = sep
        else:
            if buf:
                packed.append((buf, buf_sep))
            buf, buf_sep = chunk, sep
    if buf or not packed:
        packed.append((buf, buf_sep))
    return packed
