"""Pull (fetch + rebase), then push: ``letterflow sync``, the coordinator's button and
the server's schedule all run :func:`sync`.

A pull commits what is pending, fetches the configured branch, and rebases the local
commits onto it while holding every catalogue's lock (no review write lands mid-rebase).
Catalogues merge entry by entry (``letterflow merge-po``, installed in ``.git/config`` and
``.git/info/attributes``). Afterwards: texts that lost a both-sides change become
``conflict`` rows of the audit trail; entries changed by incoming commits get audit rows
by their git authors (an approval's "approved by" is the author of the commit that
removed the fuzzy flag); a changed template runs ``update`` on every catalogue and
commits the result.

A push never forces. Failures (unreachable remote, rejected push, non-fast-forward,
a rebase that needs a person) are recorded for the coordinator's banner and returned as
lines; the local commits stay where they are.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from workflow import audit
from workflow.fileio import locked

from . import state
from .commits import AUDIT_ID_RE, TRAILER_AUDIT, commit_all
from .repo import Author, GitError, Repo, letterflow_command

#: Seconds a fetch or push may take before it is stopped (and reported as failed).
NETWORK_TIMEOUT = 120


@dataclass
class SyncReport:
    lines: list[str] = field(default_factory=list)
    ok: bool = True
    incoming: int = 0
    conflicts: int = 0
    attributed: int = 0
    updated: list[str] = field(default_factory=list)
    pushed: bool = False

    def fail(self, line: str) -> None:
        self.ok = False
        self.lines.append(line)


def ensure_driver(repo: Repo) -> None:
    """Register ``letterflow merge-po`` for *.po in this clone only (``.git/config`` and
    ``.git/info/attributes``; the repository's own .gitattributes says the same)."""
    driver = f"{letterflow_command()} merge-po %O %A %B %P"
    if repo.try_run("config", "--local", "merge.letterflow.driver")[1].strip() != driver:
        repo.run("config", "--local", "merge.letterflow.name", "letterflow entry-wise .po merge")
        repo.run("config", "--local", "merge.letterflow.driver", driver)
    info = repo.git_dir / "info" / "attributes"
    line = "*.po merge=letterflow"
    have = info.read_text(encoding="utf-8") if info.is_file() else ""
    if line not in have.splitlines():
        info.parent.mkdir(parents=True, exist_ok=True)
        info.write_text(have + ("" if not have or have.endswith("\n") else "\n") + line + "\n",
                        encoding="utf-8")


def _catalogues(config) -> dict[str, Path]:
    return {lang: Path(config.catalog(lang)) for lang in config.languages}


def sync(config, conn, repo: Repo, *, pull: bool = True, push: bool = True) -> SyncReport:
    report = SyncReport()
    ensure_driver(repo)
    for c in commit_all(conn, repo, config):
        if c.commits:
            report.lines.append(f"committed {c.language}: {len(c.commits)} commit(s), "
                                f"{c.rows} change(s)")
    if pull:
        pull_rebase(config, conn, repo, report)
    if push and repo.settings.push:
        push_branch(conn, repo, report)
    return report


def _fetch(conn, repo: Repo, report: SyncReport) -> str | None:
    s = repo.settings
    ok, msg = repo.try_run("fetch", "--quiet", "--no-tags", s.remote,
                           f"+refs/heads/{s.branch}:{repo.upstream_ref()}", timeout=NETWORK_TIMEOUT)
    if not ok:
        if "couldn't find remote ref" in msg:
            report.lines.append(f"pull: {s.remote}/{s.branch} does not exist yet")
            state.succeeded(conn, "pull")
            return None
        state.failed(conn, "pull", msg)
        report.fail(f"pull FAILED: {msg}")
        return None
    return repo.ref(repo.upstream_ref())


def pull_rebase(config, conn, repo: Repo, report: SyncReport) -> None:
    """Fetch and rebase onto the remote branch, then the follow-ups (see the module)."""
    if any((repo.git_dir / d).exists() for d in ("rebase-merge", "rebase-apply")):
        with repo.lock():  # a sync killed mid-rebase: the working copy is letterflow's
            repo.try_run("rebase", "--abort")
            report.lines.append("pull: aborted a rebase left by an interrupted sync")
    upstream = _fetch(conn, repo, report)
    head = repo.head()
    if upstream is None or head is None:
        return
    if repo.is_ancestor(upstream, head):
        report.lines.append("pull: up to date")
        state.succeeded(conn, "pull")
        return
    base = repo.run("merge-base", head, upstream)
    incoming = repo.rev_list(f"{head}..{upstream}")
    with repo.lock(), contextlib.ExitStack() as stack:
        for path in _catalogues(config).values():
            stack.enter_context(locked(path))
        _commit_landed(conn, repo, config)  # writes since commit_all, under the locks now
        dirty = repo.dirty_paths()
        if dirty:
            msg = f"uncommitted changes in {', '.join(dirty[:5])}; commit or remove them"
            state.failed(conn, "pull", msg)
            report.fail(f"pull FAILED: {msg}")
            return
        ok, msg = repo.try_run("rebase", "--no-autostash", upstream)
        if not ok:
            repo.try_run("rebase", "--abort")
            from .merge_po import read_conflicts

            read_conflicts(repo.git_dir)  # texts of the aborted rebase: the commits keep them
            msg = f"the rebase needs a person (local commits kept): {msg}"
            state.failed(conn, "pull", msg)
            report.fail(f"pull FAILED: {msg}")
            return
        report.incoming = len(incoming)
        report.lines.append(f"pull: {len(incoming)} incoming commit(s) from "
                            f"{repo.settings.remote}/{repo.settings.branch}")
        _after_rebase(config, conn, repo, base, upstream, report)
    state.succeeded(conn, "pull")


def _after_rebase(config, conn, repo: Repo, base: str, upstream: str,
                  report: SyncReport) -> None:
    """Audit rows for the rebase's outcome, then ``update`` if the template changed (the
    caller still holds the repository and catalogue locks: no write lands in between)."""
    _remap(conn, repo, upstream)
    report.conflicts = _record_conflicts(config, conn, repo)
    report.attributed = attribute(config, conn, repo, base, upstream)
    if report.conflicts:
        report.lines.append(f"pull: {report.conflicts} entry(ies) changed on both sides: "
                            "one text kept, the other in the history")
    if report.attributed:
        report.lines.append(f"pull: {report.attributed} change(s) from git recorded in the "
                            "audit trail")
    _template_update(config, repo, base, upstream, report)


def _commit_landed(conn, repo: Repo, config) -> None:
    """Commit catalogue writes that landed after :func:`commit_all` (the caller holds the
    repository and catalogue locks), waiting a moment for their audit rows."""
    from .commits import commit_locked

    for lang, path in _catalogues(config).items():
        for attempt in range(20):
            res = commit_locked(conn, repo, lang, path, final=attempt == 19)
            if not res.waiting:
                break
            time.sleep(0.05)


def _remap(conn, repo: Repo, upstream: str) -> None:
    """Rebased commits have new ids: point their audit rows at them."""
    for sha in repo.rev_list(f"{upstream}..HEAD"):
        body = repo.commit_info(sha)["message"]
        ids = [int(i) for i in AUDIT_ID_RE.findall(body)]
        if ids:
            audit.set_commit(conn, ids, sha)


def _lang_of(config, rel: str, repo: Repo) -> str | None:
    for lang, path in _catalogues(config).items():
        if repo.rel(path) == rel or str(path) == rel:
            return lang
    return None


def _record_conflicts(config, conn, repo: Repo) -> int:
    from .merge_po import read_conflicts

    n = 0
    for rec in read_conflicts(repo.git_dir):
        lang = _lang_of(config, rec.get("path", ""), repo)
        if lang is None or not rec.get("context"):
            continue
        user, commit = "git merge", rec.get("theirs_commit")
        if commit:
            ok, out = repo.try_run("log", "-1", "--format=%an%x00%ae", commit)
            if ok and "\0" in out:
                user = git_user(conn, *out.split("\0", 1))
        audit.record(conn, user=user, language=lang, context=rec["context"], action="conflict",
                     before=rec.get("kept", []), after=rec.get("other", []),
                     before_fuzzy=bool(rec.get("kept_fuzzy")),
                     after_fuzzy=bool(rec.get("other_fuzzy")),
                     note="lost to a concurrent change merged from git; text kept here"
                          + (f" (was commit {commit[:10]})" if commit else ""))
        n += 1
    return n


def git_user(conn, name: str, email: str) -> str:
    """The audit user of a git author: the review account with that e-mail, else
    "Name <email>"."""
    from workflow import users

    account = users.find_by_email(conn, email) if email else None
    return account.name if account is not None else Author(name, email).line()


def _update_locked(template, path: Path, lang: str, domain: str):
    """``update_catalog`` for a caller that holds *path*'s lock (same steps: msgmerge
    semantics, validate, atomic write only if the bytes change)."""
    from workflow.catalogs import merge_catalog, parse_catalog, parse_store, serialize
    from workflow.fileio import sweep_temp_files, write_atomic

    before = path.read_bytes() if path.exists() else None
    old = parse_store(before, str(path))[0] if before is not None else None
    store, result = merge_catalog(template, old, lang, domain, path)
    out = serialize(store)
    parse_catalog(out, path)  # what is written must read back
    if out != before:
        sweep_temp_files(path)
        write_atomic(path, out)
        result.written = True
    return result


def _template_update(config, repo: Repo, base: str, upstream: str, report: SyncReport) -> None:
    from workflow.catalogs import read_template_store

    rel = repo.rel(config.template)
    if not repo.rev_list(f"{base}..{upstream}", rel):
        return
    template = read_template_store(config.template)
    written = []
    for lang, path in _catalogues(config).items():
        res = _update_locked(template, path, lang, config.domain)
        if res.written:
            written.append((lang, path, res))
    if not written:
        return
    s = repo.settings
    langs = ", ".join(lang for lang, _, _ in written)
    body = "\n".join(f"{lang}: {r.new} new, {r.fuzzy} fuzzy, {r.obsolete} obsolete"
                     for lang, _, r in written)
    repo.commit(f"{langs}: update from the template\n\n{body}\n",
                Author(s.committer_name, s.committer_email), paths=[p for _, p, _ in written])
    report.updated = [lang for lang, _, _ in written]
    report.lines.append(f"pull: the template changed; updated {langs}")


def push_branch(conn, repo: Repo, report: SyncReport) -> None:
    with repo.lock():  # never push a HEAD that a rebase in another thread is moving
        _push(conn, repo, report)


def _push(conn, repo: Repo, report: SyncReport) -> None:
    s = repo.settings
    head = repo.head()
    upstream = repo.ref(repo.upstream_ref())
    if head is None:
        return
    if upstream == head:
        report.lines.append("push: nothing to push")
        state.succeeded(conn, "push")
        return
    if upstream is not None and not repo.is_ancestor(upstream, head):
        msg = (f"{s.remote}/{s.branch} has commits this copy lacks (non-fast-forward); "
               "commits stay local until a pull merges them")
        state.failed(conn, "push", msg)
        report.fail(f"push FAILED: {msg}")
        return
    ok, msg = repo.try_run("push", "--quiet", "--no-verify", s.remote,
                           f"HEAD:refs/heads/{s.branch}", timeout=NETWORK_TIMEOUT)
    if not ok:
        state.failed(conn, "push", msg)
        report.fail(f"push FAILED (commits stay local): {msg}")
        return
    repo.run("update-ref", repo.upstream_ref(), head)
    state.succeeded(conn, "push")
    report.pushed = True
    report.lines.append(f"push: {s.remote}/{s.branch} is at {head[:10]}")


def unpushed(repo: Repo) -> int | None:
    upstream = repo.ref(repo.upstream_ref())
    if upstream is None:
        return None
    try:
        return len(repo.rev_list(f"{upstream}..HEAD"))
    except GitError:
        return None


def attribute(config, conn, repo: Repo, base: str, upstream: str) -> int:
    """Audit rows for entries that incoming commits changed (see attribution.py)."""
    from .attribution import record_incoming

    return record_incoming(config, conn, repo, base, upstream, trailer=TRAILER_AUDIT)
