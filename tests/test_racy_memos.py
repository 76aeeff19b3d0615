"""In-process memos of a file's content follow git's racy-clean rule (``statmemo.FileVersion``
and ``FileMemo``): a stat taken less than ``RACY_NS`` after the file changed cannot vouch
for the content, so the bytes are compared too, until a comparison made once the stat is
old proves it. The glossary, the letters' facts (register and plural checks) and the web's
catalogue cache use it.

``coarse_clock`` forges equal stats: the files it is given report one fixed mtime and ctime
whatever is written into them, as a file system whose timestamps tick coarsely does for two
writes within one tick (in place, so the inode and the size stay the same too)."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import REPO

from workflow import statmemo


class _Forged:
    """A stat whose mtime and ctime are *ns*; everything else is the real one."""

    def __init__(self, st: os.stat_result, ns: int):
        self._st = st
        self.st_mtime_ns = self.st_ctime_ns = ns
        self.st_mtime = self.st_ctime = ns / 1e9

    def __getattr__(self, name: str):
        return getattr(self._st, name)


@pytest.fixture
def coarse_clock(monkeypatch):
    forged: dict[tuple[int, int], int] = {}
    real_stat, real_fstat = os.stat, os.fstat

    def _forge(st):
        ns = forged.get((st.st_dev, st.st_ino))
        return st if ns is None else _Forged(st, ns)

    monkeypatch.setattr(os, "stat", lambda path, *a, **k: _forge(real_stat(path, *a, **k)))
    monkeypatch.setattr(os, "fstat", lambda fd: _forge(real_fstat(fd)))

    def forge(path: Path, ago: float = 0.0) -> None:
        st = real_stat(path)
        forged[(st.st_dev, st.st_ino)] = time.time_ns() - int(ago * 1e9)

    return forge


def _rewrite_in_place(path: Path, old: str, new: str) -> None:
    """Replace *old* by *new* (as many bytes) in the file itself: same inode, same size."""
    data = path.read_bytes()
    assert old.encode() in data and len(old.encode()) == len(new.encode())
    before = os.stat(path)
    with open(path, "r+b") as fh:
        fh.write(data.replace(old.encode(), new.encode(), 1))
    assert statmemo.stat_key(os.stat(path)) == statmemo.stat_key(before)  # forged equal


@pytest.fixture
def reads(monkeypatch):
    """The paths statmemo reads the bytes of."""
    seen: list[str] = []
    real = statmemo.read_with_stats
    monkeypatch.setattr(statmemo, "read_with_stats", lambda p: seen.append(p) or real(p))
    return seen


def test_a_racy_stat_is_checked_against_the_bytes(tmp_path, coarse_clock):
    f = tmp_path / "a.txt"
    f.write_bytes(b"alpha")
    coarse_clock(f)
    memo = statmemo.FileMemo()
    assert memo.get(f, bytes.upper) == b"ALPHA"
    _rewrite_in_place(f, "alpha", "omega")
    assert memo.get(f, bytes.upper) == b"OMEGA"
    assert memo.get(f, bytes.upper) == b"OMEGA"


def test_an_old_stat_is_trusted_without_reading_the_file(tmp_path, coarse_clock, reads):
    f = tmp_path / "a.txt"
    f.write_bytes(b"alpha")
    coarse_clock(f, ago=10)
    memo = statmemo.FileMemo()
    assert memo.get(f, bytes.upper) == b"ALPHA"
    assert memo.get(f, bytes.upper) == b"ALPHA"
    assert reads == [str(f)]  # read once; the second answer came from the stat alone


def test_a_racy_version_is_proven_once_its_stat_is_old(tmp_path, coarse_clock, reads,
                                                        monkeypatch):
    f = tmp_path / "a.txt"
    f.write_bytes(b"alpha")
    coarse_clock(f)
    memo = statmemo.FileMemo()
    memo.get(f, bytes.upper)
    memo.get(f, bytes.upper)
    assert reads == [str(f)] * 2  # while racy: the bytes compared every time
    later = time.time_ns() + statmemo.RACY_NS + 1
    monkeypatch.setattr(statmemo.time, "time_ns", lambda: later)
    memo.get(f, bytes.upper)  # compared once more, now that the stat is old...
    memo.get(f, bytes.upper)
    memo.get(f, bytes.upper)
    assert reads == [str(f)] * 3  # ...and trusted from then on


def test_mtime_put_back_with_utime_on_new_bytes_of_the_same_size(tmp_path):
    """No forging: an in-place write of as many bytes and the old mtime put back (cp -p,
    rsync -t, touch -d) leave inode, size and mtime as they were."""
    f = tmp_path / "a.txt"
    f.write_bytes(b"alpha")
    old = time.time_ns() - 10 * 10**9
    os.utime(f, ns=(old, old))
    memo = statmemo.FileMemo()
    assert memo.get(f, bytes.upper) == b"ALPHA"
    with open(f, "r+b") as fh:
        fh.write(b"omega")
    os.utime(f, ns=(old, old))
    assert os.stat(f).st_mtime_ns == old and os.stat(f).st_size == 5
    assert memo.get(f, bytes.upper) == b"OMEGA"


def test_glossary_memo_sees_a_same_size_edit_within_one_tick(tmp_path, coarse_clock):
    from workflow.checks.glossary import load_glossary

    tbx = tmp_path / "glossary.tbx"
    shutil.copy(REPO / "locales" / "glossary.tbx", tbx)
    coarse_clock(tbx)
    assert "crimes against humanity" in repr(load_glossary(tbx).concepts)
    _rewrite_in_place(tbx, "crimes against humanity", "crimes against humanitx")
    text = repr(load_glossary(tbx).concepts)
    assert "crimes against humanitx" in text and "crimes against humanity" not in text


def test_letter_facts_follow_a_same_size_edit_within_one_tick(tmp_path, coarse_clock):
    from workflow.checks.header import letter_numbers
    from workflow.checks.register import letter_register

    letter = tmp_path / "icnk-2012.txt"
    shutil.copy(REPO / "letters" / "icnk-2012.txt", letter)
    coarse_clock(letter)
    config = SimpleNamespace(letters=[letter])
    assert letter_register(config, "icnk-2012/salutation") == "formal"
    assert letter_numbers(config) == (179,)
    _rewrite_in_place(letter, 'register = "formal"', 'register = ""      ')
    _rewrite_in_place(letter, "signatories = 179", "signatories = 175")
    assert letter_register(config, "icnk-2012/salutation") == ""
    assert letter_numbers(config) == (175,)


def test_web_catalogue_cache_sees_a_same_size_edit_within_one_tick(app, coarse_clock):
    svc = app.extensions["letterflow"]
    path = Path(svc.config.catalog("fr"))
    coarse_clock(path)
    text = path.read_text(encoding="utf-8")
    found = re.search(r'^msgstr "([^"\n]*?)([A-Za-z])([^"\n]*)"$', text, re.M)
    assert found, "no msgstr with an ASCII letter"
    before = found.group(1) + found.group(2) + found.group(3)
    after = found.group(1) + ("Q" if found.group(2) != "Q" else "Z") + found.group(3)
    with app.app_context():
        strings = [s for m in svc.catalog("fr").messages for s in m.strings]
        assert before in strings and after not in strings
        _rewrite_in_place(path, f'msgstr "{before}"', f'msgstr "{after}"')
        now = [s for m in svc.catalog("fr").messages for s in m.strings]
        assert now.count(after) == 1 and now.count(before) == strings.count(before) - 1


def test_code_stamps_of_a_racy_module_hold_its_bytes(tmp_path, monkeypatch):
    """The gate cache's fingerprint of letterflow's own code (real stats: os.scandir's)."""
    from workflow import gate_cache

    mod = tmp_path / "mod.py"
    mod.write_text("a = 1\n")
    before = gate_cache._code_stamps(str(tmp_path))
    st = os.stat(mod)
    with open(mod, "r+b") as fh:  # in place, as many bytes, the old mtime put back
        fh.write(b"a = 2")
    os.utime(mod, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert gate_cache._code_stamps(str(tmp_path)) != before  # the digest tells them apart
    st = os.stat(mod)
    later = max(st.st_mtime_ns, st.st_ctime_ns) + statmemo.RACY_NS + 1
    monkeypatch.setattr(gate_cache.time, "time_ns", lambda: later)
    # an old stat: name, size and mtime only (no read)
    assert gate_cache._code_stamps(str(tmp_path)) == [f"mod.py:{st.st_size}:{st.st_mtime_ns}"]


def test_tm_sync_keeps_no_racy_stamp(project_dir, coarse_clock):
    from workflow.config import load_config
    from workflow.tm.store import Memory
    from workflow.tm.sync import sync_catalogs

    config = load_config(project_dir)
    memory = Memory(config.database)
    try:
        path = config.catalog("fr")
        coarse_clock(path)
        sync_catalogs(config, memory, ["fr"])
        assert memory.stamp("fr") == "racy"  # never equal to a file's stamp: read again
        coarse_clock(path, ago=10)
        sync_catalogs(config, memory, ["fr"])
        st = os.stat(path)
        assert memory.stamp("fr") == f"{st.st_size}:{st.st_mtime_ns}"
    finally:
        memory.close()


def test_ui_catalogue_compiled_in_the_same_tick_as_its_edit_is_compiled_again(
        tmp_path, coarse_clock):
    from web.i18n import _up_to_date

    src, out = tmp_path / "ui.po", tmp_path / "ui.mo"
    src.write_text("x")
    out.write_text("y")
    coarse_clock(src)
    coarse_clock(out)  # compiled in the same tick as the edit: not to be trusted
    assert not _up_to_date(out, src)
    coarse_clock(src, ago=10)  # the edit long before the compile
    assert _up_to_date(out, src)
    assert not _up_to_date(tmp_path / "missing.mo", src)


def test_the_web_cache_after_its_own_write_trusts_the_stat_and_sees_the_next_write(app):
    """The version a locked atomic write installs is keyed on its stat alone (no byte
    comparison per request): any later atomic write, from another process too, is a new
    inode, so the cache sees it, and a same-size text of another process is shown."""
    from workflow.catalogs import Change, apply_changes
    from workflow.fileio import write_atomic

    svc = app.extensions["letterflow"]
    path = Path(svc.config.catalog("fr"))
    with app.app_context():
        msg = next(m for m in svc.catalog("fr").messages if len(m.strings) == 1)
        mine = "Texte relu AAAA."
        result = apply_changes(path, [Change(msg.context, [mine], fuzzy=False)])
        svc.install_catalog("fr", result.file_version, result.catalog)
        assert result.file_version.data is None  # the stat vouches for the bytes
        assert svc.catalog("fr").get(msg.context).strings == (mine,)
        theirs = "Texte relu BBBB."  # another process's atomic write of the same size
        data = path.read_bytes()
        write_atomic(path, data.replace(f'"{mine}"'.encode(), f'"{theirs}"'.encode(), 1))
        assert len(path.read_bytes()) == len(data)
        assert svc.catalog("fr").get(msg.context).strings == (theirs,)
