"""A hostile review of the racy-clean file memos (``workflow.statmemo``) and their callers:
content changed under an old-looking stat, mtimes in the future, a file that changed while
it was read, a module edited with its mtime put back."""

from __future__ import annotations

import os
import time
from types import SimpleNamespace

from workflow import gate_cache, statmemo


def _in_place(path, data: bytes, mtime_ns: int | None = None) -> None:
    with open(path, "r+b") as fh:
        fh.write(data)
    if mtime_ns is not None:
        os.utime(path, ns=(mtime_ns, mtime_ns))


def test_gate_fingerprint_follows_a_module_edited_with_its_mtime_put_back(
        tmp_path, monkeypatch):
    """letterflow's own code, edited in place with as many bytes and the old mtime put back
    (``cp -p``, ``rsync -t``, ``touch -r``): once the stat is old, the stamps of name, size
    and mtime are the old ones again, and the gate's cache would serve the results of the
    old code. The ctime (which no program can set back) must tell them apart."""
    code = tmp_path / "code"
    code.mkdir()
    mod = code / "mod.py"
    mod.write_text("a = 1\n")
    monkeypatch.setattr(gate_cache, "__file__", str(code / "gate_cache.py"))
    monkeypatch.setenv("LETTERFLOW_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(statmemo, "_memos", {})
    config = SimpleNamespace(template=None, glossary=None, source_file=None, letters=[],
                             root=tmp_path)
    old = os.stat(mod).st_mtime_ns - 60 * 10**9
    os.utime(mod, ns=(old, old))
    time.sleep(0.01)
    later = time.time_ns() + 10 * statmemo.RACY_NS  # every stat here is old by then
    monkeypatch.setattr(gate_cache.time, "time_ns", lambda: later)
    before = gate_cache._fingerprint(config)
    _in_place(mod, b"a = 2", old)
    st = os.stat(mod)
    assert (st.st_size, st.st_mtime_ns) == (6, old)
    assert gate_cache._fingerprint(config) != before


def test_a_future_mtime_is_compared_until_the_clock_passes_it(tmp_path, monkeypatch):
    """Clock skew: a file stamped in the future (a server ahead, ``touch -d``) is racy,
    so its bytes are compared, however often it is rewritten with that same stamp."""
    f = tmp_path / "a.txt"
    f.write_bytes(b"alpha")
    future = time.time_ns() + 3600 * 10**9
    os.utime(f, ns=(future, future))
    memo = statmemo.FileMemo()
    assert memo.get(f, bytes.upper) == b"ALPHA"
    _in_place(f, b"omega", future)
    assert memo.get(f, bytes.upper) == b"OMEGA"
    monkeypatch.setattr(statmemo.time, "time_ns", lambda: future + 10 * statmemo.RACY_NS)
    assert memo.get(f, bytes.upper) == b"OMEGA"  # (now old enough: proven)
    version = memo.entries[(str(f), None)][0]
    assert version.data is None


def test_a_file_that_changed_while_it_was_read_keeps_its_bytes(tmp_path, monkeypatch):
    """A read between two different stats (a writer at work) is never trusted on the stat
    alone, even when both stats are old; nor is a comparison made under such a read
    taken as proof."""
    f = tmp_path / "a.txt"
    f.write_bytes(b"alpha")
    old = time.time_ns() - 60 * 10**9
    os.utime(f, ns=(old, old))
    real = statmemo.read_with_stats

    def torn(path):
        data, before, after = real(path)
        shifted = os.stat_result((*before[:8], before[8] - 1, before[9]))  # other mtime
        return data, shifted, after

    monkeypatch.setattr(statmemo, "read_with_stats", torn)
    memo = statmemo.FileMemo()
    assert memo.get(f, bytes.upper) == b"ALPHA"
    version = memo.entries[(str(f), None)][0]
    assert version.data == b"alpha"
    assert version.current(f) and version.data == b"alpha"  # compared, not proven
    monkeypatch.setattr(statmemo, "read_with_stats", real)
    later = time.time_ns() + 10 * statmemo.RACY_NS  # (utime set the ctime to now)
    monkeypatch.setattr(statmemo.time, "time_ns", lambda: later)
    assert version.current(f) and version.data is None  # a clean read of an old stat


def test_a_replaced_file_of_the_same_size_is_a_new_version(tmp_path):
    """os.replace by a new file of as many bytes, its mtime set to the old one's: another
    inode and a new ctime, so the memo reads it again (also when the inode is reused)."""
    f = tmp_path / "a.txt"
    f.write_bytes(b"alpha")
    old = time.time_ns() - 60 * 10**9
    os.utime(f, ns=(old, old))
    memo = statmemo.FileMemo()
    assert memo.get(f, bytes.upper) == b"ALPHA"
    for _ in range(3):  # (a freed inode is often the next one given out)
        tmp = tmp_path / "a.txt.tmp"
        tmp.write_bytes(b"omega")
        os.utime(tmp, ns=(old, old))
        os.replace(tmp, f)
        assert memo.get(f, bytes.upper) == b"OMEGA"
        tmp.write_bytes(b"alpha")
        os.utime(tmp, ns=(old, old))
        os.replace(tmp, f)
        assert memo.get(f, bytes.upper) == b"ALPHA"
