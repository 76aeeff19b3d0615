"""``letterflow merge-po %O %A %B %P``: git's merge driver for catalogues.

Registered with::

    # .gitattributes (in the repository)
    *.po merge=letterflow
    # each clone (the server does it itself in .git/config)
    git config merge.letterflow.name "letterflow entry-wise .po merge"
    git config merge.letterflow.driver "letterflow merge-po %O %A %B %P"

It writes the merge into %A and always exits 0: the pull never stops on a catalogue.
An entry whose text both sides changed keeps %A's text (during ``git rebase``: the
upstream's, which was published first) and the other text is appended to
``<git dir>/letterflow/merge-conflicts.jsonl``; ``letterflow sync`` moves those lines
into the audit trail as ``conflict`` rows (shown in the entry's history like a 409).
If a side cannot be parsed at all, %A is kept and the reason logged the same way.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

CONFLICTS = "letterflow/merge-conflicts.jsonl"


def _git_dir() -> Path | None:
    env = os.environ.get("GIT_DIR")
    if env:
        return Path(env).resolve()
    import git  # GitPython is a dependency: a missing one must not pass silently

    try:
        return Path(git.Repo(Path.cwd(), search_parent_directories=True).git_dir)
    except Exception:  # noqa: BLE001 - outside a repository: nowhere to log
        return None


def _picking(git_dir: Path) -> str | None:
    """The commit ``git rebase`` is replaying (the %B side), if a rebase runs."""
    for name in ("rebase-merge/done", "rebase-apply/done"):
        done = git_dir / name
        if done.is_file():
            lines = [ln.split() for ln in done.read_text(errors="replace").splitlines()
                     if ln.strip() and not ln.startswith("#")]
            if lines and len(lines[-1]) > 1:
                return lines[-1][1]
    return None


def log_conflicts(git_dir: Path | None, path: str, records: list[dict]) -> None:
    if not records:
        return
    picking = _picking(git_dir) if git_dir else None
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    lines = [json.dumps({"at": stamp, "path": path, "theirs_commit": picking, **r},
                        ensure_ascii=False) for r in records]
    if git_dir is None:
        for line in lines:
            print(f"letterflow merge-po: kept one text, other text: {line}", file=sys.stderr)
        return
    target = git_dir / CONFLICTS
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "a", encoding="utf-8") as fh:
        for line in lines:
            fh.write(line + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def run(base: str, ours: str, theirs: str, path: str | None = None) -> int:
    """Merge the files (git's %O %A %B); the result replaces %A. Returns the exit code."""
    from workflow.errors import CatalogError
    from workflow.fileio import write_atomic

    from .pomerge import merge3

    name = path or ours
    git_dir = _git_dir()
    try:
        b = Path(base).read_bytes() if base and Path(base).is_file() else None
        a, t = Path(ours).read_bytes(), Path(theirs).read_bytes()
    except OSError as exc:
        print(f"letterflow merge-po: {exc}", file=sys.stderr)
        return 0  # git keeps %A as it is
    try:
        merged, conflicts = merge3(b or None, a, t, name)
    except CatalogError as exc:
        try:
            merged, conflicts = merge3(None, a, t, name)  # a bad base: two-way
        except CatalogError:
            log_conflicts(git_dir, name, [{"context": "", "error": str(exc),
                                           "other_file": t.decode("utf-8", "replace")}])
            print(f"letterflow merge-po: {name}: {exc}; kept our side, the other side "
                  f"is logged", file=sys.stderr)
            return 0
    write_atomic(ours, merged)
    log_conflicts(git_dir, name, [c.as_dict() for c in conflicts])
    for c in conflicts:
        print(f"letterflow merge-po: {name}: {c.context}: both sides changed the text; "
              "kept one, the other goes to the history", file=sys.stderr)
    return 0


def read_conflicts(git_dir: Path) -> list[dict]:
    """Take the logged conflicts (the file is emptied)."""
    target = Path(git_dir) / CONFLICTS
    if not target.is_file():
        return []
    taken = target.with_name(target.name + ".taking")
    os.replace(target, taken)
    out = []
    for line in taken.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    taken.unlink()
    return out
