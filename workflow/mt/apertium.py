"""Offline MT through Apertium (Debian packages apertium + apertium-eng-spa, -eng-cat, -en-gl,
-fr-es, -es-pt, -spa-ita...). No network at all.

A whole batch goes through **one** ``apertium -u <mode>`` process per language pair: the
texts are written as paragraphs separated by blank lines and read back the same way.
``-u`` keeps the unknown-word marks (``*``, and ``#``/``@`` from generation) out of drafts.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from collections.abc import Sequence

from ..errors import MTError
from .base import MTUnavailable, Translator

#: Apertium language codes -> gettext locale ids.
APERTIUM_CODES: dict[str, str] = {
    "eng": "en", "spa": "es", "cat": "ca", "glg": "gl", "por": "pt", "ita": "it",
    "fra": "fr", "epo": "eo", "oci": "oc", "arg": "an", "ast": "ast", "eus": "eu",
    "ron": "ro", "nld": "nl", "deu": "de", "swe": "sv", "dan": "da", "nob": "nb",
    "nno": "nn", "isl": "is", "afr": "af", "mlt": "mt", "ara": "ar", "rus": "ru",
    "ukr": "uk", "bel": "be", "pol": "pl", "ces": "cs", "slk": "sk", "slv": "sl",
    "bul": "bg", "mkd": "mk", "hin": "hi", "urd": "ur", "kaz": "kk", "tat": "tt",
    "hbs": "sh", "hbs_HR": "hr", "hbs_SR": "sr", "hbs_BS": "bs", "eng_US": "en_US",
    "por_BR": "pt_BR", "pt_BR": "pt_BR", "cat_valencia": "ca_ES_VALENCIA",
}
_PLAIN = re.compile(r"^[a-z]{2,3}(?:_[A-Z]{2})?$")
#: The unknown-word / generation / transfer marks Apertium may emit.
_MARK = re.compile(r"(?<![\w\]])[*#@](?=\w)")
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
INSTALL_HINT = (
    "on Debian/Ubuntu run: apt-get install apertium apertium-eng-spa apertium-eng-cat "
    "apertium-en-gl apertium-fr-es apertium-es-pt apertium-spa-ita"
)


def _locale(code: str) -> str | None:
    if code in APERTIUM_CODES:
        return APERTIUM_CODES[code]
    if _PLAIN.match(code):
        return code
    return None


@functools.lru_cache(maxsize=4)
def list_modes(executable: str) -> dict[tuple[str, str], str]:
    """{(source locale, target locale): mode} for the installed Apertium pairs."""
    try:
        out = subprocess.run(
            [executable, "-l"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise MTUnavailable(f"cannot run {executable}: {exc}", "apertium") from None
    modes: dict[tuple[str, str], str] = {}
    for line in out.splitlines():
        mode = line.strip()
        parts = mode.split("-")
        if len(parts) != 2:
            continue  # e.g. en-eo-bytecode, Cyrl-Latn handled below
        src, tgt = (_locale(p) for p in parts)
        if not src or not tgt:
            continue
        # keep the first (plain) mode for a pair: eng-cat, not eng-cat_iec2017
        modes.setdefault((src, tgt), mode)
    return modes


class ApertiumTranslator(Translator):
    """Apertium, one process per language pair per batch."""

    name = "apertium"
    batch_size = None  # a whole language in one batch (one process per pair)

    def __init__(self, config: object | None = None, *, cache=None, executable: str | None = None):
        super().__init__(config, cache=cache)
        exe = executable or self.settings.get("apertium") or "apertium"
        self.executable = shutil.which(exe)  # None if not installed
        timeout = self.settings.get("apertium_timeout", 600)
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
            raise MTError(f"[tool.letterflow.mt] apertium_timeout must be a number of seconds, "
                          f"not {timeout!r}", self.name)
        self.timeout = float(timeout)
        self._exe_stat = _identity(self.executable)

    @classmethod
    def memo_inputs(cls, spec, config=None) -> tuple:
        """Where ``shutil.which`` looks: the PATH and the modification times of its folders
        (a folder's time changes when a program is installed into it or removed)."""
        mt = getattr(config, "mt", {}) or {}
        exe = str(mt.get("apertium") or "apertium")
        if os.path.dirname(exe):
            return (exe, _identity(exe))
        path = os.environ.get("PATH", os.defpath)
        return (exe, path, tuple(_identity(d) for d in dict.fromkeys(path.split(os.pathsep))))

    def memo_valid(self) -> bool:
        """The program found is still the same file (not replaced, removed, made
        non-executable)."""
        return self.executable is None or _identity(self.executable) == self._exe_stat

    def available(self) -> tuple[bool, str]:
        if not self.executable:
            return False, f"apertium is not installed ({INSTALL_HINT})"
        if not self.modes():
            return False, "apertium has no language pairs installed"
        return True, "installed"

    def modes(self) -> dict[tuple[str, str], str]:
        if not self.executable:
            raise MTUnavailable(f"apertium is not installed; {INSTALL_HINT}", self.name)
        return list_modes(self.executable)

    def direct_pairs(self) -> frozenset[tuple[str, str]]:
        modes = self.modes()  # the discovery's own cache: a new dict when it looks again
        memo = self._memo.get("direct")
        if memo is None or memo[0] is not modes:
            memo = self._memo["direct"] = (modes, frozenset(modes))
        return memo[1]

    def pair_label(self, source: str, target: str) -> str:
        return self.modes().get((source, target), f"{source}-{target}")

    def code_label(self, lang: str) -> str:
        for code, loc in APERTIUM_CODES.items():
            if loc == lang and "_" not in code:
                return code
        return lang

    def _translate(self, texts: Sequence[str], source: str, target: str) -> list[str | MTError]:
        mode = self.modes().get((source, target))
        if mode is None:
            raise MTError("no such Apertium pair", self.name, source, target)
        # Each text may itself hold blank lines: send its paragraphs separately and keep the
        # separators to glue them back.
        paragraphs: list[str] = []
        shapes: list[list[str]] = []  # per text: the separators between its paragraphs
        for text in texts:
            parts = _BLANK_LINE.split(text)
            seps = _BLANK_LINE.findall(text)
            paragraphs.extend(p.strip() for p in parts)
            shapes.append(seps)
        payload = "\n\n".join(paragraphs)
        self.count_call()
        try:
            proc = subprocess.run(
                [self.executable, "-u", mode],
                input=payload + "\n",
                capture_output=True,
                text=True,
                encoding="utf-8",
                timeout=self.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise MTError(f"apertium {mode} took longer than {self.timeout:g} s", self.name,
                          source, target) from None
        except OSError as exc:
            raise MTUnavailable(f"cannot run apertium: {exc}", self.name, source, target) from None
        if proc.returncode != 0:
            err = (proc.stderr or "").strip().splitlines()
            raise MTError(
                f"apertium {mode} failed (exit {proc.returncode}): {err[-1] if err else ''}",
                self.name, source, target,
            )
        out = proc.stdout.strip("\n")
        got = _BLANK_LINE.split(out) if out.strip() else []
        if len(got) != len(paragraphs):
            # Paragraph boundaries lost: never guess which text is which. Halve the batch
            # (a few more processes, only on this rare path) until the culprit is alone.
            if len(texts) == 1:
                return [MTError(f"apertium {mode} returned {len(got)} paragraphs for "
                                f"{len(paragraphs)}", self.name, source, target, texts[0])]
            half = len(texts) // 2
            return (self._translate(texts[:half], source, target)
                    + self._translate(texts[half:], source, target))
        results: list[str | MTError] = []
        pos = 0
        for seps in shapes:
            n = len(seps) + 1
            pairs = zip(paragraphs[pos : pos + n], got[pos : pos + n], strict=True)
            pieces = [_clean(src, tr) for src, tr in pairs]
            pos += n
            joined = pieces[0]
            for sep, piece in zip(seps, pieces[1:], strict=True):
                joined += sep + piece
            results.append(joined)
        return results


def _identity(path: str | None) -> tuple | None:
    """(inode, mode, mtime, size) of *path*, None if there is no such file or folder."""
    if not path:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_mode, st.st_mtime_ns, st.st_size)


def _clean(source: str, translated: str) -> str:
    """Tidy one output paragraph: strip marks that are not in the source, stray spaces."""
    text = translated.strip()
    if not any(c in source for c in "*#@"):
        text = _MARK.sub("", text)
    if "  " not in source:
        text = re.sub(r"(?<=\S) {2,}(?=\S)", " ", text)
    text = re.sub(r" +(?=[.,;:!?)])", "", text) if not re.search(r" [.,;:!?)]", source) else text
    return text
