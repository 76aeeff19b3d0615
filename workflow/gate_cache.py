"""The gate's cache: a catalogue's analysis is reused while its bytes, the template, the
letters, the glossary, the configuration and letterflow's own code are unchanged."""

from __future__ import annotations

import os
from pathlib import Path


def _fingerprint(config) -> str:
    import hashlib

    from . import __version__

    h = hashlib.sha256(__version__.encode())
    code = Path(__file__).resolve().parent
    for p in sorted([*code.glob("*.py"), *code.glob("checks/*.py"), *code.glob("catalogs/*.py")]):
        st = p.stat()
        h.update(f"{p.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    for p in [config.template, config.glossary, config.source_file, *config.letters]:
        if p and Path(p).exists():
            h.update(Path(p).read_bytes())
    return h.hexdigest()


def _cache_dir(config) -> Path:
    return (
        Path(os.environ.get("LETTERFLOW_CACHE_DIR") or Path(config.root) / ".letterflow-cache")
        / "check"
    )


def _cache_key(fingerprint: str, path: Path, lang: str) -> str | None:
    import hashlib

    try:
        data = path.read_bytes()
    except OSError:
        return None
    return hashlib.sha256(fingerprint.encode() + lang.encode() + b"\0" + data).hexdigest()


def _cache_get(config, key: str, kind: type):
    import pickle

    try:
        with open(_cache_dir(config) / f"{key}.pickle", "rb") as fh:
            value = pickle.load(fh)
        return value if isinstance(value, kind) else None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None


def _cache_put(config, key: str, value) -> None:
    import pickle

    from .fileio import write_atomic

    try:
        write_atomic(_cache_dir(config) / f"{key}.pickle", pickle.dumps(value))
    except OSError:
        pass  # a read-only checkout simply runs without the cache
