"""The gate's cache: a catalogue's analysis is reused while its bytes, the template, the
letters, the glossary, the configuration and letterflow's own code are unchanged."""

from __future__ import annotations

import os
import time
from pathlib import Path

from .statmemo import is_racy, memo_for, sha256_of


def _fingerprint(config) -> str:
    from . import __version__

    ctimes: list[str] = []
    parts = [__version__, *_code_stamps(os.path.dirname(os.path.realpath(__file__)), ctimes),
             ",".join(ctimes)]
    memo = memo_for(_cache_root(config))
    for p in [config.template, config.glossary, config.source_file, *config.letters]:
        if p and os.path.exists(p):  # the bytes' digest (memoised under the file's stat)
            parts.append(sha256_of(memo, str(p)))
    return memo.sha256_text("fingerprint", "\0".join(parts))


def _code_stamps(code: str, ctimes: list[str] | None = None) -> list[str]:
    """"name:size:mtime" of letterflow's own modules that the cached results depend on
    (workflow/*.py, checks/*.py, catalogs/*.py), in the order of their relative paths; a
    module changed too recently for its stat to vouch for it (``statmemo.is_racy``) is
    stamped with the digest of its bytes as well. Their ctimes, in the same order, are
    added to *ctimes*: an edit that puts the old mtime back (``cp -p``, ``rsync -t``)
    still moves the ctime, which no program can set back."""
    found = []
    now = time.time_ns()
    for sub in ("", "checks", "catalogs"):
        try:
            with os.scandir(os.path.join(code, sub)) as it:
                for entry in it:
                    if entry.name.endswith(".py"):
                        st = entry.stat()
                        stamp = f"{entry.name}:{st.st_size}:{st.st_mtime_ns}"
                        if is_racy(st, now):
                            stamp += ":" + sha256_of(None, entry.path)
                        found.append((sub, entry.name, stamp, st.st_ctime_ns))
        except FileNotFoundError:
            pass
    found.sort()
    if ctimes is not None:
        ctimes.extend(str(item[3]) for item in found)
    return [item[2] for item in found]


def _cache_root(config) -> str:
    """``$LETTERFLOW_CACHE_DIR``, else the project's ``.letterflow-cache`` (a string: a warm
    run asks for it some sixty times, and pathlib would be most of its cost)."""
    return os.environ.get("LETTERFLOW_CACHE_DIR") or os.path.join(
        os.fspath(config.root), ".letterflow-cache")


def _cache_dir(config) -> Path:
    return Path(_cache_root(config), "check")


def _cache_file(config, key: str) -> str:
    return os.path.join(_cache_root(config), "check", f"{key}.pickle")


def _cache_key(fingerprint: str, path: Path, lang: str, config=None) -> str | None:
    """The cache key of one catalogue: the fingerprint, the language and the file's bytes
    (their digest, memoised under the file's stat in *config*'s cache folder)."""
    memo = memo_for(_cache_root(config)) if config is not None else None
    try:
        digest = sha256_of(memo, str(path))
    except OSError:
        return None
    return _text_key(memo, f"{lang}\0{path}", f"{fingerprint}{lang}\0{digest}")


def _text_key(memo, slot: str, text: str) -> str:
    """The hex SHA-256 of *text* (through *memo*, which remembers it per *slot*)."""
    if memo is not None:
        return memo.sha256_text(slot, text)
    import hashlib

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _template_key(config, text: str) -> str:
    """The key of the template-against-letter verdict (*text*: what it depends on)."""
    return _text_key(memo_for(_cache_root(config)), "template", text)


def _cache_get(config, key: str, kind: type):
    import pickle

    try:
        with open(_cache_file(config, key), "rb") as fh:
            value = pickle.load(fh)
        return value if isinstance(value, kind) else None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
            TypeError, ValueError, IndexError):  # (a file some other code wrote)
        return None


def _cache_put(config, key: str, value) -> None:
    import pickle

    from .fileio import write_atomic

    try:
        write_atomic(_cache_file(config, key), pickle.dumps(value))
    except OSError:
        pass  # a read-only checkout simply runs without the cache
