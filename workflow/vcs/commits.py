"""Audit rows -> git commits by their authors.

The audit trail says who changed which entry; the working file holds the changes. A
commit of one language takes the rows no commit holds yet (``audit.git_commit IS NULL``)
and the entries that differ from HEAD:

* each changed entry goes to the user of its latest row; users are committed one after
  another (an earlier user's commit holds only that user's entries, spliced onto HEAD),
  the last commit takes the working file as it is;
* the author is the user (name and e-mail from the user table), the committer is
  letterflow; the message is ``fr: approve icnk-2012/cc`` with trailers for the actions,
  audit ids and message ids;
* with a squash window, a user's next commit to the same language amends the previous
  one while that is younger than the window and not pushed (pushed history is never
  rewritten);
* the audit rows then record the commit id.

The same code recovers after a crash: rows left without a commit are committed on the
next start with their authors, and rows whose commit was made but not recorded are
matched by their ``Letterflow-Audit-Id`` trailer.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from workflow import audit
from workflow.catalogs import parse_catalog
from workflow.fileio import locked

from . import state
from .repo import Author, Repo

TRAILER_AUDIT = "Letterflow-Audit-Id"
TRAILER_ACTION = "Letterflow-Action"
TRAILER_MESSAGE = "Letterflow-Message-Id"
AUDIT_ID_RE = re.compile(rf"^{TRAILER_AUDIT}: (\d+)\s*$", re.M)


@dataclass
class Committed:
    language: str
    commits: list[str] = field(default_factory=list)
    rows: int = 0
    waiting: bool = False  # entries changed whose audit rows are not written yet


def author_for(conn, user: str, repo: Repo) -> Author:
    """The git author of an audit user: a review account (name, e-mail), a git author
    recorded on pull ("Name <email>"), else letterflow itself (machine drafts)."""
    from workflow import users

    m = re.fullmatch(r"(.+?) <([^<>\s]+)>", user)
    if m:
        return Author(m.group(1), m.group(2))
    account = users.find_user(conn, user) if not user.startswith("mt:") else None
    if account is None:
        s = repo.settings
        return Author(s.committer_name if not user.startswith("mt:") else user, s.committer_email)
    return Author(account.name, account.email or f"{account.name}@users.letterflow.invalid")


def changed_contexts(head: bytes | None, work: bytes, path: Path) -> set[str]:
    """Active entries whose text, flags or comments differ between HEAD and the file."""
    new = parse_catalog(work, path)
    if head is None:
        return {m.context for m in new.active()}
    old = parse_catalog(head, path)
    out = set()
    for m in new.active():
        o = old.get(m.context)
        if o is None or (o.strings, o.fuzzy, o.flags, o.translator_comments, o.source) != (
                m.strings, m.fuzzy, m.flags, m.translator_comments, m.source):
            out.add(m.context)
    return out


def message_for(lang: str, rows: list[audit.AuditEntry]) -> str:
    actions: dict[str, int] = {}
    contexts: list[str] = []
    for r in rows:
        actions[r.action] = actions.get(r.action, 0) + 1
        if r.context not in contexts:
            contexts.append(r.context)
    if len(rows) == 1:
        subject = f"{lang}: {rows[0].action} {rows[0].context}"
    else:
        what = ", ".join(f"{a} {n}" for a, n in actions.items())
        shown = ", ".join(contexts[:3]) + (", …" if len(contexts) > 3 else "")
        subject = f"{lang}: {what} ({shown})"
    trailers = [f"{TRAILER_ACTION}: {a}" for a in actions]
    trailers += [f"{TRAILER_AUDIT}: {r.id}" for r in rows]
    trailers += [f"{TRAILER_MESSAGE}: {c}" for c in contexts]
    return subject + "\n\n" + "\n".join(trailers) + "\n"


def _groups(rows: list[audit.AuditEntry], changed: set[str]) -> list[tuple[str, list, set]]:
    """[(user, rows, contexts it commits)] in the order of each user's first row; an
    entry changed by several users goes with the last of them."""
    last_user = {r.context: r.user for r in rows}
    order: list[str] = []
    by_user: dict[str, list] = {}
    for r in rows:
        if r.user not in by_user:
            order.append(r.user)
            by_user[r.user] = []
        by_user[r.user].append(r)
    return [(u, by_user[u], {c for c, lu in last_user.items() if lu == u and c in changed})
            for u in order]


def _squash_target(repo: Repo, lang: str, author: Author) -> dict | None:
    """HEAD if this commit may be folded into it (same author and language, made by
    letterflow, younger than the window, not on the remote branch)."""
    window = repo.settings.squash_window
    head = repo.head()
    if window <= 0 or head is None:
        return None
    info = repo.commit_info("HEAD")
    upstream = repo.ref(repo.upstream_ref())
    if upstream is not None and repo.is_ancestor(head, upstream):
        return None
    if (info["author_email"] != author.email or info["committer_name"] != repo.settings
            .committer_name or not info["message"].startswith(f"{lang}: ")
            or TRAILER_AUDIT not in info["message"]):
        return None
    if time.time() - int(info["author_time"]) > window:
        return None
    return info


def _commit_group(conn, repo: Repo, lang: str, path: Path, author: Author,
                  rows: list, blob: bytes | None) -> str:
    target = _squash_target(repo, lang, author) if rows else None
    all_rows = list(rows)
    if target is not None:
        old_ids = {int(i) for i in AUDIT_ID_RE.findall(target["message"])}
        all_rows = sorted([*(r for i in old_ids if (r := audit.get(conn, i))), *rows],
                          key=lambda r: r.id)
    message = message_for(lang, all_rows) if all_rows else (
        f"{lang}: changes without an audit row\n")
    sha = repo.commit(message, author, path=path, amend=target is not None, blob=blob)
    audit.set_commit(conn, [r.id for r in all_rows], sha)
    return sha


def commit_language(conn, repo: Repo, config, lang: str, *, final: bool = True) -> Committed:
    """Commit *lang*'s pending changes. With ``final=False`` (the server, right after a
    write) a changed entry whose audit row is not written yet makes it wait (returns
    ``waiting``); with ``final=True`` (start, sync) everything is committed now."""
    path = Path(config.catalog(lang))
    with repo.lock(), locked(path):
        return commit_locked(conn, repo, lang, path, final=final)


def commit_locked(conn, repo: Repo, lang: str, path: Path, *, final: bool) -> Committed:
    """:func:`commit_language` for a caller that holds the repository and file locks."""
    result = Committed(lang)
    if not path.exists():
        return result
    rows = audit.uncommitted(conn, lang, state.since_audit_id(conn))
    if not repo.dirty(path):
        if rows:
            reconcile(conn, repo, rows)
        return result
    head = repo.show("HEAD", path)
    work = path.read_bytes()
    changed = changed_contexts(head, work, path)
    if changed - {r.context for r in rows} and not final:
        result.waiting = True
        return result
    groups = _groups(rows, changed) or [("", [], set())]
    current, carry = head, []
    for i, (user, grows, contexts) in enumerate(groups):
        blob = None
        if i == len(groups) - 1:
            grows = sorted([*carry, *grows], key=lambda r: r.id)
        else:
            if not contexts or current is None:  # overwritten by a later user
                carry.extend(grows)
                continue
            from .pomerge import splice

            blob = current = splice(current, work, contexts, str(path))
        author = author_for(conn, user, repo) if user else Author(
            repo.settings.committer_name, repo.settings.committer_email)
        result.commits.append(_commit_group(conn, repo, lang, path, author, grows, blob))
        result.rows += len(grows)
    return result


def reconcile(conn, repo: Repo, rows: list[audit.AuditEntry], depth: int = 200) -> None:
    """Rows without a commit although the file is committed: find the commit by its
    trailer (a crash between ``git commit`` and recording it); rows no commit names (a
    change undone before it was committed) are held by HEAD."""
    want = {r.id for r in rows}
    ok, out = repo.try_run("log", f"-{depth}", "--format=%H%x00%B%x01")
    found: dict[str, list[int]] = {}
    if ok:
        for chunk in out.split("\x01"):
            sha, _, body = chunk.strip().partition("\0")
            ids = [int(i) for i in AUDIT_ID_RE.findall(body) if int(i) in want]
            if ids:
                found.setdefault(sha, []).extend(ids)
                want -= set(ids)
    for sha, ids in found.items():
        audit.set_commit(conn, ids, sha)
    head = repo.head()
    if want and head:
        audit.set_commit(conn, sorted(want), head)


def commit_all(conn, repo: Repo, config, *, final: bool = True) -> list[Committed]:
    return [commit_language(conn, repo, config, lang, final=final)
            for lang in config.languages]
