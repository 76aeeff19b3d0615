"""A deterministic engine for tests (``--provider pseudo``): no network, no Apertium.

It "translates" by pseudo-localising: vowels get accents and the text is wrapped in
``⟦`` ``⟧``, so a draft is visibly machine-made, keeps its length class and keeps every
``[[n]]`` token. One call per batch, like Apertium. Any pair between the source language
and the configured languages is offered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..errors import MTError
from .base import Translator

_ACCENTS = str.maketrans("aeiouAEIOUcnyCNY", "áéíóúÁÉÍÓÚçñýÇÑÝ")
_TOKEN = re.compile(r"(\[\[\d+\]\])")
_UNDO = str.maketrans("áéíóúÁÉÍÓÚçñýÇÑÝ", "aeiouAEIOUcnyCNY")


def pseudo_translate(text: str, target: str) -> str:
    parts = _TOKEN.split(text)
    body = "".join(p if _TOKEN.fullmatch(p) else p.translate(_ACCENTS) for p in parts)
    return f"⟦{body}⟧"


class PseudoTranslator(Translator):
    name = "pseudo"
    batch_size = None

    def __init__(self, config: object | None = None, *, cache=None):
        super().__init__(config, cache=cache)
        source = getattr(config, "source_language", "en") or "en"
        langs = list(getattr(config, "languages", []) or [])
        self._langs = [source, *[lang for lang in langs if lang != source]]

    @classmethod
    def memo_inputs(cls, spec, config=None) -> tuple:
        return ()  # the config's languages only

    def direct_pairs(self) -> frozenset[tuple[str, str]]:
        langs = tuple(self._langs)
        memo = self._memo.get("direct")
        if memo is None or memo[0] != langs:
            pairs = frozenset((a, b) for a in langs for b in langs if a != b)
            memo = self._memo["direct"] = (langs, pairs)
        return memo[1]

    def _translate(self, texts: Sequence[str], source: str, target: str) -> list[str | MTError]:
        self.count_call()
        if target == self._langs[0]:
            # back-translation: undo the pseudo-localisation
            return [t.strip("⟦⟧").translate(_UNDO) for t in texts]
        return [pseudo_translate(t, target) for t in texts]
