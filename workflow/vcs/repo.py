"""The one module that runs git, through GitPython (``git.Repo`` and its ``git`` command
wrapper). Everything is git's own plumbing and porcelain: no hand-written objects.

Credentials are git's business: the SSH agent, ``credential.helper``, ``~/.netrc``.
letterflow never reads or stores them, and git never prompts (``GIT_TERMINAL_PROMPT=0``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from workflow.errors import LetterflowError

from .settings import MIN_GIT, GitSettings


class GitError(LetterflowError):
    """A git operation failed (the message is git's, on one line)."""


@dataclass(frozen=True)
class Author:
    name: str
    email: str

    def line(self) -> str:
        return f"{self.name} <{self.email}>"


def _one_line(exc: Exception) -> str:
    """git's own message (stderr, else stdout) on one line, without hints."""
    text = str(getattr(exc, "stderr", "") or "").strip() or str(getattr(exc, "stdout", "") or "")
    text = text.strip() or str(exc)
    lines = []
    for ln in text.splitlines():
        ln = ln.strip()
        ln = ln[len("stderr: "):] if ln.startswith("stderr: ") else ln
        ln = ln.strip("'").strip()
        if ln and not ln.startswith("hint:"):
            lines.append(ln)
    return " / ".join((lines or ["git failed"])[:4])[:500]


class Repo:
    """A git working copy holding a letterflow project."""

    def __init__(self, root: str | Path, settings: GitSettings):
        import git

        try:
            self._repo = git.Repo(Path(root), search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise GitError(f"{root} is not in a git working copy") from None
        if self._repo.bare:
            raise GitError(f"{root} is a bare repository, not a working copy")
        self.root = Path(self._repo.working_tree_dir).resolve()
        self.git_dir = Path(self._repo.git_dir).resolve()
        self.settings = settings
        self._env = {
            "GIT_COMMITTER_NAME": settings.committer_name,
            "GIT_COMMITTER_EMAIL": settings.committer_email,
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_EDITOR": "true",
            "GIT_MERGE_AUTOEDIT": "no",
            "LC_ALL": "C",
        }
        check_version(self._repo)

    # -- running git ------------------------------------------------------------------
    def run(self, *args: str, env: dict[str, str] | None = None, stdin: bytes | None = None,
            strip: bool = True, timeout: float | None = None) -> str:
        """``git <args>`` in the working copy; GitError with git's message if it fails."""
        import git

        full = {**self._env, **(env or {})}
        fh = _stdin(stdin)
        try:
            out = self._repo.git.execute(
                ["git", *args], env=full, istream=fh, strip_newline_in_stdout=strip,
                with_extended_output=False, as_process=False, stdout_as_string=True,
                kill_after_timeout=timeout)
        except git.GitCommandError as exc:
            raise GitError(f"git {args[0]}: {_one_line(exc)}") from None
        finally:
            if fh is not None:
                fh.close()
        return out

    def try_run(self, *args: str, **kw) -> tuple[bool, str]:
        try:
            return True, self.run(*args, **kw)
        except GitError as exc:
            return False, str(exc)

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Serialise letterflow's git work across threads and server processes (a lock
        on ``.git/letterflow.lock``; take it before any catalogue's lock)."""
        from workflow.fileio import locked

        with locked(self.git_dir / "letterflow"):
            yield

    # -- questions --------------------------------------------------------------------
    def head(self) -> str | None:
        ok, out = self.try_run("rev-parse", "--verify", "-q", "HEAD")
        return out.strip() if ok and out.strip() else None

    def rel(self, path: str | Path) -> str:
        return Path(path).resolve().relative_to(self.root).as_posix()

    def show(self, rev: str, path: str | Path) -> bytes | None:
        """The bytes of *path* at *rev*, or None if it has no such file."""
        spec = f"{rev}:{self.rel(path) if Path(path).is_absolute() else path}"
        ok, kind = self.try_run("cat-file", "-t", spec)
        if not ok or kind.strip() != "blob":
            return None
        proc = self._repo.git.execute(["git", "cat-file", "blob", spec], env=self._env,
                                      stdout_as_string=False, strip_newline_in_stdout=False)
        return bytes(proc)

    def dirty(self, path: str | Path) -> bool:
        """The working file differs from HEAD (or is new)."""
        rel = self.rel(path)
        out = self.run("status", "--porcelain", "--untracked-files=all", "--", rel)
        return bool(out.strip())

    def dirty_paths(self) -> list[str]:
        out = self.run("status", "--porcelain", "--untracked-files=no", "-z", strip=False)
        return [item[3:] for item in out.split("\0") if len(item) > 3]

    def commit_info(self, rev: str) -> dict[str, str]:
        fmt = "%H%x00%an%x00%ae%x00%at%x00%cn%x00%B"
        out = self.run("log", "-1", f"--format={fmt}", rev, strip=False)
        sha, an, ae, at, cn, body = out.split("\0", 5)
        return {"sha": sha, "author_name": an, "author_email": ae, "author_time": at,
                "committer_name": cn, "message": body}

    def rev_list(self, spec: str, *paths: str, reverse: bool = True) -> list[str]:
        args = ["rev-list", *(["--reverse"] if reverse else []), spec]
        if paths:
            args += ["--", *paths]
        out = self.run(*args)
        return [ln for ln in out.split() if ln]

    def is_ancestor(self, a: str, b: str) -> bool:
        ok, _ = self.try_run("merge-base", "--is-ancestor", a, b)
        return ok

    def upstream_ref(self) -> str:
        return f"refs/remotes/{self.settings.remote}/{self.settings.branch}"

    def ref(self, name: str) -> str | None:
        ok, out = self.try_run("rev-parse", "--verify", "-q", name)
        return out.strip() if ok and out.strip() else None

    # -- changes ----------------------------------------------------------------------
    def commit(self, message: str, author: Author, *, path: str | Path | None = None,
               amend: bool = False, blob: bytes | None = None,
               paths: list[Path] | None = None) -> str:
        """Commit *path* (its working file, or *blob* as its content without touching the
        working file) by *author*; the committer is letterflow. Returns the new id."""
        env = {"GIT_AUTHOR_NAME": author.name, "GIT_AUTHOR_EMAIL": author.email}
        args = ["commit", "--no-verify", "--allow-empty-message", "-q", "-F", "-"]
        if amend:
            args.append("--amend")
        rel = self.rel(path) if path is not None else None
        if blob is not None and rel is not None:
            sha = self.run("hash-object", "-w", "--stdin", "--path", rel, stdin=blob)
            self.run("update-index", "--add", "--cacheinfo", f"100644,{sha},{rel}")
        elif rel is not None:
            self.run("add", "--", rel)
        if paths:
            self.run("add", "--", *[self.rel(p) for p in paths])
        if amend:
            # keep the first commit's author date: the squash window counts from it
            env["GIT_AUTHOR_DATE"] = "@" + self.commit_info("HEAD")["author_time"]
        self.run(*args, env=env, stdin=message.encode("utf-8"))
        head = self.head()
        assert head is not None
        return head


def _stdin(data: bytes | None):
    if data is None:
        return None
    import tempfile

    fh = tempfile.TemporaryFile()
    fh.write(data)
    fh.seek(0)
    return fh


def git_version(repo=None) -> tuple[int, ...]:
    import git

    g = repo.git if repo is not None else git.Git()
    return tuple(int(x) for x in g.version_info[:3])


def check_version(repo=None) -> None:
    have = git_version(repo)
    if have[:2] < MIN_GIT:
        want = ".".join(map(str, MIN_GIT))
        raise GitError(f"git {'.'.join(map(str, have))} is too old: letterflow needs {want}+")


def letterflow_command() -> str:
    """The ``letterflow`` console script next to this Python (never looked up in PATH)."""
    script = Path(sys.executable).parent / "letterflow"
    if script.exists():
        return str(script)
    return f"{sys.executable} -m workflow.cli"
