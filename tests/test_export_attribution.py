"""Approved means approved by someone (issue 10, defect 4): the manifest names, for every
message of every letter, who approved it and when, from the audit trail, or from
Last-Translator for catalogues edited outside the UI (with that source recorded); an
approved message nobody can be named for blocks the export unless --allow-unattributed."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from export_support import make_project

from workflow import audit, db
from workflow.catalogs import load_catalog
from workflow.config import load_config
from workflow.review import FileStore, perform


class User:
    def __init__(self, name: str):
        self.name = name

    def can_edit(self, lang: str) -> bool:
        return True


def export(root: Path, *extra: str) -> subprocess.CompletedProcess:
    (root / "r.csv").write_text("country,name\nFR,Anne\n", encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "workflow.cli", "--project", str(root),
                           "export", "r.csv", "--out", "dist", *extra], cwd=root,
                          capture_output=True, text=True, timeout=300)


def manifest(root: Path) -> dict:
    return json.loads((root / "dist" / "manifest.json").read_text(encoding="utf-8"))


def po(root: Path) -> Path:
    return root / "locales" / "fr" / "LC_MESSAGES" / "letter.po"


def no_translator(root: Path) -> None:
    text = po(root).read_text(encoding="utf-8")
    po(root).write_text(re.sub(r'"Last-Translator: [^"]*\\n"', '"Last-Translator: \\\\n"', text),
                        encoding="utf-8")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_project(tmp_path / "p", approved=("fr",), empty=())


def test_every_message_names_its_approver_from_the_audit_trail(root: Path):
    no_translator(root)
    cfg = load_config(root)
    store = FileStore(cfg)
    for msg in load_catalog(po(root), "fr").active():  # approve each again in "the UI"
        who = "alice" if len(msg.context) % 2 else "bob"
        saved = perform(store, User(who), "fr", msg.context, "save", list(msg.strings),
                        msg.revision)
        perform(store, User(who), "fr", msg.context, "approve", list(msg.strings),
                saved.revision)
    proc = export(root)
    assert proc.returncode == 0, proc.stderr
    (letter,) = manifest(root)["files"]
    rows = {r.context: r for r in audit.query(store.conn, action="approve", limit=1000)}
    assert letter["messages"], "every message of the letter is listed"
    for m in letter["messages"]:
        assert m["state"] == "approved" and m["source"] == "audit"
        assert m["approved_by"] == rows[m["context"]].user
        assert m["approved_at"] == rows[m["context"]].at


def test_catalogue_edited_outside_the_ui_is_attributed_to_last_translator(root: Path):
    proc = export(root)
    assert proc.returncode == 0, proc.stderr
    (letter,) = manifest(root)["files"]
    assert {m["source"] for m in letter["messages"]} == {"Last-Translator"}
    assert {m["approved_by"] for m in letter["messages"]} == {"Test Translator <tt@example.org>"}
    assert manifest(root)["languages"]["fr"]["unattributed"] == []


def test_nobody_named_blocks_unless_allowed_and_the_manifest_says_so(root: Path):
    no_translator(root)
    proc = export(root)
    assert proc.returncode == 1
    assert "nobody's approval is recorded" in proc.stderr
    assert not (root / "dist").exists()
    proc = export(root, "--allow-unattributed")
    assert proc.returncode == 0, proc.stderr
    data = manifest(root)
    assert data["allow_unattributed"] is True
    total = len(load_catalog(po(root), "fr").active())
    assert len(data["languages"]["fr"]["unattributed"]) == total
    (letter,) = data["files"]
    assert all(m["approved_by"] is None and m["unattributed"] for m in letter["messages"])


def test_an_approval_of_another_text_does_not_count(root: Path):
    no_translator(root)
    cfg = load_config(root)
    msg = load_catalog(po(root), "fr").active()[0]
    conn = db.connect(cfg.database)
    audit.record(conn, user="alice", language="fr", context=msg.context, action="approve",
                 before=[""], after=["an older text"], before_fuzzy=True)
    conn.close()
    assert export(root).returncode == 1


def test_machine_output_with_its_fuzzy_flag_stripped_is_not_approved(tmp_path: Path):
    root = make_project(tmp_path / "p", approved=(), drafts=(), empty=("fr",))
    lf = Path(sys.executable).parent / "letterflow"
    proc = subprocess.run([str(lf), "--project", str(root), "draft", "--provider", "pseudo"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    text = po(root).read_text(encoding="utf-8")
    # "approved" by hand in a text editor: the fuzzy flags go
    text = re.sub(r"^#, fuzzy\n", "", text, flags=re.M)
    text = re.sub(r"^#, fuzzy, ", "#, ", text, flags=re.M)
    po(root).write_text(text.replace('"Last-Translator: \\n"',
                                     '"Last-Translator: Someone <s@example.org>\\n"'),
                        encoding="utf-8")
    states = {m.state for m in load_catalog(po(root), "fr").active()}
    assert "approved" in states and "draft" not in states, states
    proc = export(root)
    assert proc.returncode == 1
    assert "machine draft whose fuzzy flag was removed" in proc.stderr
