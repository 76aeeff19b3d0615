"""Who changed an entry in git: audit rows for changes that arrived as commits (Poedit).

For every entry an incoming range of commits changed, and whose text after the pull is
the incoming one, the commits touching the catalogue are read oldest first (an
entry-level blame); the author of the last commit that gave the entry its final text and
state is recorded: for an approval, the commit that removed the fuzzy flag. The audit row
holds that commit id, so the export manifest's "approved by" names a person and a commit.
"""

from __future__ import annotations

import re
from pathlib import Path

from workflow import audit
from workflow.catalogs import parse_catalog
from workflow.errors import CatalogError

from .repo import Repo


def _catalog(data: bytes | None, path: Path):
    if data is None:
        return None
    try:
        return parse_catalog(data, path)
    except CatalogError:
        return None


def _text(m) -> tuple | None:
    return (m.strings, m.fuzzy) if m is not None else None


def _own_commit(conn, info: dict, trailer: str, lang: str) -> bool:
    """A commit made from this audit trail (another process of this server): its audit
    ids are ours, for this language and the entries the commit names."""
    ids = [int(i) for i in re.findall(rf"^{trailer}: (\d+)\s*$", info["message"], re.M)]
    named = set(re.findall(r"^Letterflow-Message-Id: (.+?)\s*$", info["message"], re.M))
    rows = [audit.get(conn, i) for i in ids]
    return bool(ids) and all(r is not None and r.language == lang and r.context in named
                             for r in rows)


def _blame(repo: Repo, path: Path, commits: list[str], contexts: set[str]) -> dict:
    """context -> the commit (oldest-first walk) that last changed its text."""
    found: dict[str, str] = {}
    for sha in commits:
        parent = repo.ref(f"{sha}^")
        before = _catalog(repo.show(parent, path), path) if parent else None
        after = _catalog(repo.show(sha, path), path)
        if after is None:
            continue
        for ctx in contexts:
            b = before.get(ctx) if before is not None else None
            if _text(after.get(ctx)) != _text(b):
                found[ctx] = sha
    return found


def record_incoming(config, conn, repo: Repo, base: str, upstream: str, *,
                    trailer: str) -> int:
    from .sync import git_user

    n = 0
    for lang in config.languages:
        path = Path(config.catalog(lang))
        commits = repo.rev_list(f"{base}..{upstream}", repo.rel(path))
        if not commits:
            continue
        old = _catalog(repo.show(base, path), path)
        new = _catalog(repo.show(upstream, path), path)
        now = _catalog(path.read_bytes(), path) if path.exists() else None
        if new is None or now is None:
            continue
        changed = {m.context for m in new.active()
                   if _text(m) != _text(old.get(m.context) if old else None)
                   and _text(now.get(m.context)) == _text(m)}
        if not changed:
            continue
        infos = {sha: repo.commit_info(sha) for sha in commits}
        theirs = [sha for sha in commits if not _own_commit(conn, infos[sha], trailer, lang)]
        for ctx, sha in sorted(_blame(repo, path, theirs, changed).items()):
            m, o = new.get(ctx), old.get(ctx) if old else None
            info = infos[sha]
            action = ("approve" if m.state == "approved" else
                      "reject" if not any(m.strings) else "save")
            who = f"{info['author_name']} <{info['author_email']}>"
            verb = {"approve": "approved", "reject": "emptied", "save": "edited"}[action]
            audit.record(conn, user=git_user(conn, info["author_name"], info["author_email"]),
                         language=lang, context=ctx, action=action,
                         before=list(o.strings) if o else [], after=list(m.strings),
                         before_fuzzy=bool(o.fuzzy) if o else False, after_fuzzy=m.fuzzy,
                         revision=m.revision, git_commit=sha,
                         note=f"{verb} in git commit {sha[:10]} by {who}")
            n += 1
    return n
