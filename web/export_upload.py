"""The recipients file a coordinator chose, kept on the server between two posts of the
export page, so that a page re-rendered without JavaScript (a refused export, a dry run)
does not lose it: the page carries only a random token in a hidden field.

Files live in the project's instance folder (``var/export-uploads/<user id>/``), one
folder per user (another user's token finds nothing), at most :data:`MAX_BYTES` each and
:data:`PER_USER` per user, and are swept :data:`KEEP_SECONDS` after they were chosen.
Written atomically (``workflow.fileio.write_atomic``)."""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from workflow.fileio import write_atomic

#: Largest recipients file accepted (it must also fit MAX_CONTENT_LENGTH).
MAX_BYTES = 200 * 1024
#: Seconds a chosen file is kept.
KEEP_SECONDS = 3600
#: Files kept per user (the oldest goes first).
PER_USER = 5
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{22}$")
_NAME_MAX = 120


@dataclass(frozen=True)
class Kept:
    token: str
    filename: str
    data: bytes


def _root(var_dir: Path, user_id: int) -> Path:
    return Path(var_dir) / "export-uploads" / str(int(user_id))


def _clean_name(name: str) -> str:
    """The file's own name as the browser sent it, for display only (never a path)."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable())[:_NAME_MAX].strip()
    return base or "recipients.csv"


def sweep(var_dir: Path, now: float | None = None) -> int:
    """Remove every kept file older than KEEP_SECONDS (all users); returns how many."""
    now = time.time() if now is None else now
    gone = 0
    top = Path(var_dir) / "export-uploads"
    if not top.is_dir():
        return 0
    for path in top.glob("*/*"):
        try:
            if now - path.stat().st_mtime > KEEP_SECONDS:
                path.unlink()
                gone += 1
        except FileNotFoundError:
            continue
    return gone


def keep(var_dir: Path, user_id: int, filename: str, data: bytes) -> Kept:
    """Store *data* for *user_id*; the token to put in the page."""
    if len(data) > MAX_BYTES:
        raise ValueError("recipients file too large to keep")
    sweep(var_dir)
    root = _root(var_dir, user_id)
    root.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # names and addresses
    root.mkdir(mode=0o700, exist_ok=True)
    token = secrets.token_urlsafe(16)
    name = _clean_name(filename)
    write_atomic(root / f"{token}.csv", data)
    write_atomic(root / f"{token}.json", json.dumps({"filename": name}).encode())
    kept = sorted(root.glob("*.csv"), key=lambda p: p.stat().st_mtime_ns)
    for old in kept[:-PER_USER]:
        for path in (old, old.with_suffix(".json")):
            path.unlink(missing_ok=True)
    return Kept(token, name, data)


def load(var_dir: Path, user_id: int, token: str) -> Kept | None:
    """The file kept under *token* for *user_id*, or None (unknown, expired, malformed)."""
    if not _TOKEN.match(token or ""):
        return None
    path = _root(var_dir, user_id) / f"{token}.csv"
    try:
        if time.time() - path.stat().st_mtime > KEEP_SECONDS:
            return None
        data = path.read_bytes()
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for used in (path, path.with_suffix(".json")):  # in use: kept for another KEEP_SECONDS
        try:
            os.utime(used)
        except OSError:
            pass
    return Kept(token, _clean_name(str(meta.get("filename", ""))), data)
