"""``letterflow merge-po``: git's merge driver for catalogues, run by a real ``git merge``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli
from git_support import git

from workflow.catalogs import (
    Change,
    apply_changes,
    load_catalog,
    read_template_store,
    update_catalog,
)
from workflow.config import load_config
from workflow.vcs.merge_po import CONFLICTS
from workflow.vcs.pomerge import merge3, normalise

A, B, BOTH = "icnk-2012/place", "icnk-2012/closing", "icnk-2012/meeting"


@pytest.fixture
def repo(project_dir: Path) -> Path:
    (project_dir / ".gitignore").write_text("var/\n*.lock\n")
    (project_dir / ".gitattributes").write_text("*.po merge=letterflow\n")
    git(project_dir, "init", "-q", "-b", "main")
    driver = f"{sys.executable} -m workflow.cli merge-po %O %A %B %P"
    git(project_dir, "config", "merge.letterflow.driver", driver)
    git(project_dir, "add", "-A")
    git(project_dir, "commit", "-q", "-m", "base")
    return project_dir


def _po(root: Path) -> Path:
    return root / "locales" / "fr" / "LC_MESSAGES" / "letter.po"


def _branch(root: Path, name: str, changes: list[Change], start: str = "main") -> None:
    git(root, "checkout", "-q", "-b", name, start)
    apply_changes(_po(root), changes)
    git(root, "commit", "-q", "-am", name)


def _merge(root: Path, into: str, other: str) -> subprocess.CompletedProcess:
    git(root, "checkout", "-q", into)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    return subprocess.run(["git", "-c", "user.name=M", "-c", "user.email=m@x.org", "merge",
                           "--no-edit", other], cwd=root, capture_output=True, text=True,
                          env=env, timeout=120)


def test_merge_by_entry_keeps_every_text(repo):
    _branch(repo, "ui", [Change(A, ["Séoul (UI)"], False), Change(BOTH, ["Réunion (UI)"], False)])
    _branch(repo, "poedit", [Change(B, ["Cordialement (Poedit)"], False),
                             Change(BOTH, ["Réunion (Poedit)"], False)])
    proc = _merge(repo, "ui", "poedit")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = _po(repo).read_text(encoding="utf-8")
    assert "<<<<<<<" not in text and ">>>>>>>" not in text
    cat = load_catalog(_po(repo), "fr")
    assert cat.get(A).strings == ("Séoul (UI)",) and cat.get(A).state == "approved"
    assert cat.get(B).strings == ("Cordialement (Poedit)",)
    assert cat.get(BOTH).strings == ("Réunion (UI)",)  # ours (%A) is kept
    logged = [json.loads(x) for x in (repo / ".git" / CONFLICTS).read_text().splitlines()]
    assert [(c["context"], c["kept"], c["other"]) for c in logged] == [
        (BOTH, ["Réunion (UI)"], ["Réunion (Poedit)"])]
    subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(_po(repo))], check=True)
    cfg = load_config(repo)
    assert not update_catalog(read_template_store(cfg.template), _po(repo), "fr",
                              cfg.domain).written


def test_rewrapped_side_changes_nothing_and_layout_is_msgmerge(repo):
    _branch(repo, "ui", [Change(A, ["Séoul (UI)"], False)])
    git(repo, "checkout", "-q", "-b", "wrap", "main")
    subprocess.run(["msgcat", "--no-wrap", "-o", str(_po(repo)), str(_po(repo))], check=True)
    apply_changes(_po(repo), [Change(B, ["Cordialement, " * 12], False)],
                  touch_revision_date=False)
    git(repo, "commit", "-q", "-am", "rewrapped")
    proc = _merge(repo, "ui", "wrap")
    assert proc.returncode == 0, proc.stderr
    data = _po(repo).read_bytes()
    assert data == normalise(data, "x.po", "fr")
    cat = load_catalog(_po(repo), "fr")
    assert cat.get(A).strings == ("Séoul (UI)",) and cat.get(B).strings == ("Cordialement, " * 12,)
    assert not (repo / ".git" / CONFLICTS).exists()
    # long lines are wrapped again as msgmerge wraps them
    assert max(len(line) for line in data.decode().splitlines()) <= 80


def test_obsolete_entries_and_header_merge(repo):
    base = _po(repo).read_bytes()
    cfg = load_config(repo)
    apply_changes(_po(repo), [Change(A, ["Séoul"], False), Change(B, ["Salutations"], False)])
    git(repo, "commit", "-q", "-am", "translated")
    # theirs: the template lost an entry (update obsoletes it) and the header names a translator
    git(repo, "checkout", "-q", "-b", "template")
    pot = cfg.template.read_text(encoding="utf-8")
    start = pot.index(f'msgctxt "{A}"')
    start = pot.rindex("\n\n", 0, start) + 2
    end = pot.index("\n\n", start) + 2
    cfg.template.write_text(pot[:start] + pot[end:], encoding="utf-8")
    update_catalog(read_template_store(cfg.template), _po(repo), "fr", cfg.domain)
    text = _po(repo).read_text(encoding="utf-8")
    _po(repo).write_text(text.replace('"Last-Translator: \\n"',
                                      '"Last-Translator: Paul <paul@example.org>\\n"'),
                         encoding="utf-8")
    git(repo, "commit", "-q", "-am", "template")
    # ours: another entry approved
    git(repo, "checkout", "-q", "main")
    apply_changes(_po(repo), [Change(BOTH, ["Réunion"], False)])
    git(repo, "commit", "-q", "-am", "ours")
    proc = _merge(repo, "main", "template")
    assert proc.returncode == 0, proc.stderr
    cat = load_catalog(_po(repo), "fr")
    assert cat.get(A) is None
    assert [m.strings for m in cat.messages if m.obsolete and m.context == A] == [("Séoul",)]
    assert cat.get(BOTH).strings == ("Réunion",) and cat.get(B).strings == ("Salutations",)
    assert cat.headers["Last-Translator"] == "Paul <paul@example.org>"
    assert not update_catalog(read_template_store(cfg.template), _po(repo), "fr",
                              cfg.domain).written
    assert base != _po(repo).read_bytes()


def test_unparseable_side_keeps_ours_and_logs_theirs(repo, tmp_path):
    ours, theirs, base = tmp_path / "a.po", tmp_path / "b.po", tmp_path / "o.po"
    good = _po(repo).read_bytes()
    ours.write_bytes(good)
    base.write_bytes(good)
    theirs.write_bytes(b'msgid "broken\n')
    res = run_cli("merge-po", str(base), str(ours), str(theirs), "locales/fr/x.po", cwd=repo)
    assert res.returncode == 0
    assert "kept our side" in res.stderr and "Traceback" not in res.stderr
    assert ours.read_bytes() == good
    logged = json.loads((repo / ".git" / CONFLICTS).read_text().splitlines()[-1])
    assert logged["other_file"] == 'msgid "broken\n'


def test_merge3_both_added_and_one_side_deleted():
    from workflow.catalogs import parse_catalog

    head = (b'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"'
            b'\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n')
    entry = 'msgctxt "{c}"\nmsgid "{s}"\nmsgstr "{t}"\n\n'
    base = head + (entry.format(c="x", s="X", t="") + entry.format(c="y", s="Y", t="y")).encode()
    ours = head + (entry.format(c="x", s="X", t="x1") + entry.format(c="n", s="N", t="n1")).encode()
    theirs = head + (entry.format(c="x", s="X", t="") + entry.format(c="y", s="Y", t="y")
                     + entry.format(c="n", s="N", t="n2")).encode()
    out, conflicts = merge3(base, ours, theirs, "t.po", "fr")
    cat = parse_catalog(out, "t.po")
    assert cat.get("x").strings == ("x1",)
    assert cat.get("y") is None  # deleted by ours, unchanged by theirs
    assert cat.get("n").strings == ("n1",)
    assert [(c.context, c.other) for c in conflicts] == [("n", ("n2",))]
