"""``[tool.letterflow.git]``: whether and how the server commits, pushes and pulls."""

from __future__ import annotations

from dataclasses import dataclass

from workflow.errors import ConfigError

#: Oldest git letterflow drives: ``git rebase`` with the ``ort`` merge backend (the default
#: since 2.34), which runs merge drivers while rebasing and drops commits that became empty.
#: Tested with 2.39.
MIN_GIT = (2, 34)


@dataclass(frozen=True)
class GitSettings:
    enabled: bool = False
    remote: str = "origin"
    branch: str = "translations"
    push: bool = True
    #: seconds after the last commit before pushing (commits in between go in one push)
    push_delay: float = 10.0
    #: seconds between scheduled pulls (0: only on demand)
    pull_interval: float = 600.0
    #: seconds during which one user's commits to one language are squashed into one
    #: (0: one commit per write batch). Pushed commits are never rewritten.
    squash_window: float = 0.0
    #: seconds to wait before committing a batch (Weblate's "commit pending changes
    #: after"); the audit trail holds the change meanwhile.
    commit_delay: float = 0.0
    committer_name: str = "letterflow"
    committer_email: str = "letterflow@localhost"


_FLOATS = ("push_delay", "pull_interval", "squash_window", "commit_delay")
_STRINGS = ("remote", "branch", "committer_name", "committer_email")


def git_settings(config) -> GitSettings:
    """Read and check the table; ConfigError names the bad key."""
    table = dict(getattr(config, "git", None) or {})
    known = {"enabled", "push", *_FLOATS, *_STRINGS}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"unknown [tool.letterflow.git] key(s): {', '.join(unknown)}")
    for key in ("enabled", "push"):
        if key in table and not isinstance(table[key], bool):
            raise ConfigError(f"[tool.letterflow.git] {key} must be true or false")
    for key in _FLOATS:
        if key in table:
            v = table[key]
            if isinstance(v, bool) or not isinstance(v, int | float) or v < 0:
                raise ConfigError(f"[tool.letterflow.git] {key} must be a number of seconds >= 0")
            table[key] = float(v)
    for key in _STRINGS:
        if key in table:
            v = table[key]
            if not isinstance(v, str) or not v.strip() or any(c in v for c in "\n<>\0"):
                raise ConfigError(f"[tool.letterflow.git] {key} must be a plain non-empty text")
    branch = table.get("branch", GitSettings.branch)
    if branch.startswith("-") or ".." in branch or " " in branch:
        raise ConfigError(f"[tool.letterflow.git] branch {branch!r} is not a branch name")
    return GitSettings(**table)
