"""`letterflow draft` killed with SIGKILL while it writes translation-memory drafts (issue 10,
defect 5, the memory half of the draft path): real subprocesses, real files, real SQLite.

`letterflow draft` fills exact memory matches first (``workflow/tm/drafting.py``, one audited
write per language), then runs the engine. Killed at each step of the memory write of the
first or the second language, the resumed run must leave every drafted entry with its audit
row (those written before the kill recovered from their intents, user ``tm``), no row
claiming a text the file does not hold, and no intent pending.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest
from test_audit_crash import POINTS, _run, _snapshot, assert_agree

from workflow import audit, audit_intents, db
from workflow.catalogs import load_catalog
from workflow.config import load_config
from workflow.tm.store import Memory, Unit

LANGS = ("fr", "es")


def _seed_memory(config) -> dict[str, dict[str, str]]:
    """Exact matches for five messages per language, as a TMX import would leave them;
    language -> context -> memory text."""
    cat = load_catalog(config.catalog("fr"))
    plain = [m for m in cat.active() if not m.plural and m.source][:5]
    want = {lang: {m.context: f"[{lang}] mémoire {i} : {m.context}" for i, m in enumerate(plain)}
            for lang in LANGS}
    mem = Memory(config.database)
    try:
        mem.add([Unit(lang=lang, source=m.source, target=want[lang][m.context],
                      msgid=f"old/{i}", letter="old", origin="tmx:old.tmx")
                 for lang in LANGS for i, m in enumerate(plain)])
    finally:
        mem.close()
    return want


def _draft(project: Path, crash: str | None):
    exe = Path(sys.executable).parent / "letterflow"
    return _run([str(exe), "--project", str(project), "draft", "--provider", "pseudo",
                 "--lang", ",".join(LANGS), "--format", "json"], project, crash)


@pytest.mark.parametrize("point", POINTS)
@pytest.mark.parametrize("nth", [1, 2])  # the memory write of fr, then of es
def test_memory_drafts_killed_at_every_step(project_dir: Path, point: str, nth: int):
    config = load_config(project_dir)
    want = _seed_memory(config)
    before = {lang: _snapshot(config.catalog(lang)) for lang in LANGS}
    proc = _draft(project_dir, f"{point}:{nth}")
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    conn = db.connect(config.database)
    try:
        left = audit_intents.pending(conn)
        killed_lang = LANGS[nth - 1]
        if point == "audit.completed":
            assert left == []
        else:  # the kill came inside the memory write of that language
            assert left and {(r["user"], r["language"]) for r in left} == {("tm", killed_lang)}
        assert not audit.query(conn, action="mt", user="mt:pseudo", limit=1)  # MT not reached
    finally:
        conn.close()

    proc = _draft(project_dir, None)
    assert proc.returncode == 0, proc.stderr
    for lang in LANGS:
        assert assert_agree(config, lang, before[lang]) == len(before[lang])
    conn = db.connect(config.database)
    try:
        for lang in LANGS:
            cat = load_catalog(config.catalog(lang))
            for ctx, text in want[lang].items():
                msg = cat.get(ctx)
                assert msg.strings == (text,) and msg.fuzzy
                assert msg.provenance.startswith("translation memory, 100%, from tmx:old.tmx")
                rows = [r for r in audit.history(conn, lang, ctx) if r.action == "mt"]
                assert [(r.user, r.after) for r in rows] == [("tm", (text,))]
                recovered = audit_intents.RECOVERED in (rows[0].note or "")
                # written before the kill: its row comes from the intent, on resume
                assert recovered == (lang == LANGS[nth - 1] and point == "audit.written")
        assert audit_intents.pending(conn) == []
    finally:
        conn.close()
