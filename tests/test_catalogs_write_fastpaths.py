"""The write path's shortcuts, each compared with the rule it stands for:

- ``PO-Revision-Date`` left alone when this store's header already holds the value
  (``edit._touch_revision_date``) against setting it on every write;
- ``now_header`` worked out once per minute against formatting the clock every time;
- ``Layout.write`` placing only the changed chunks (unchanged ones moved by the lines
  gained before them) against the whole file read by the strict reader.
"""

from __future__ import annotations

import random
import shutil
import time

import pytest
from conftest import DATA

import workflow.catalogs as catalogs
import workflow.catalogs.bridge as bridge
import workflow.catalogs.edit as edit
from workflow.catalogs import Change, apply_changes, load_catalog, parse_catalog, serialize

GNU = DATA / "gettext-msgmerge-fr.po"


def _changes(rng: random.Random, cat) -> list[Change]:
    out = []
    for m in rng.sample(cat.active(), rng.randint(1, 3)):
        word = rng.choice(["Séoul", "très long " * rng.randint(1, 12), "a\tb", "x \"q\""])
        out.append(Change(m.context, [f"{word} {i}" for i in range(len(m.strings))],
                          fuzzy=rng.random() < 0.5,
                          note=rng.choice([None, "approved by test", "two\nlines"])))
    return out


def _run(po, monkeypatch, clock: list[str], *, shortcut: bool, seed: int):
    """30 writes of random changes to *po*, the header date taken from *clock* (changing
    every 7 writes); each write's (bytes, catalogue, outcomes)."""
    if not shortcut:  # the rule: the date set on every write
        monkeypatch.setattr(edit, "_date_already_set", lambda store, value: False)
    rng = random.Random(seed)
    catalogs._stores.pop(str(po), None)
    out = []
    for n in range(30):
        monkeypatch.setattr(edit, "now_header", lambda n=n: clock[n // 7])
        res = apply_changes(po, _changes(rng, load_catalog(po)))
        data = po.read_bytes()
        out.append((data, res.catalog, res.outcomes))
    monkeypatch.undo()
    return out


def test_revision_date_left_alone_gives_what_setting_it_again_gives(tmp_path, monkeypatch):
    clock = [f"2026-11-30 05:{m:02d}+0000" for m in range(5)]
    sets = []
    real = edit.set_header_field
    a, b = tmp_path / "a.po", tmp_path / "b.po"
    shutil.copy(GNU, a)
    shutil.copy(GNU, b)

    def counting(store, name, value):
        sets.append(value)
        return real(store, name, value)

    monkeypatch.setattr(edit, "set_header_field", counting)
    fast = _run(a, monkeypatch, clock, shortcut=True, seed=3)
    assert len(sets) == 5  # once per minute of the clock: the shortcut was taken
    monkeypatch.setattr(edit, "set_header_field", counting)
    sets.clear()
    rule = _run(b, monkeypatch, clock, shortcut=False, seed=3)
    assert len(sets) == 30
    for (fd, fc, fo), (rd, rc, ro) in zip(fast, rule, strict=True):
        assert fd == rd
        assert fc.messages == rc.messages and fc.headers == rc.headers
        assert fc == parse_catalog(fd, a)
        assert fo == ro
    # and the kept store is what a fresh parse of the file would write
    assert serialize(catalogs._stores[str(a)][1]) == a.read_bytes()
    assert f"PO-Revision-Date: {clock[-1]}" in a.read_text(encoding="utf-8")


def test_revision_date_set_when_the_file_was_changed_by_someone_else(tmp_path, monkeypatch):
    """The mark lives on the kept store, which is dropped when the file's bytes change."""
    po = tmp_path / "fr.po"
    shutil.copy(GNU, po)
    monkeypatch.setattr(edit, "now_header", lambda: "2026-11-30 05:00+0000")
    apply_changes(po, [Change("icnk-2012/place", ["Séoul"], fuzzy=False)])
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace("PO-Revision-Date: 2026-11-30 05:00+0000",
                               "PO-Revision-Date: 2001-01-01 00:00+0000"), encoding="utf-8")
    apply_changes(po, [Change("icnk-2012/cc", ["cc"], fuzzy=False)])
    assert "PO-Revision-Date: 2026-11-30 05:00+0000" in po.read_text(encoding="utf-8")


@pytest.mark.parametrize("tz", [None, "Asia/Seoul", "Asia/Kathmandu", "America/St_Johns",
                                "Europe/Paris"])
def test_now_header_per_minute_equals_the_clock_formatted_each_time(monkeypatch, tz):
    """Across minutes, DST changes (Paris, St John's) and odd offsets (+0545), the memo
    gives what formatting the clock gives."""
    if tz is None:
        monkeypatch.delenv("TZ", raising=False)
    else:
        monkeypatch.setenv("TZ", tz)
    time.tzset()
    try:
        starts = [1774746000.0, 1792890000.0, 1700000000.0]  # around 2026's DST changes
        for start in starts:
            for step in range(0, 7200, 13):
                t = start - 3600 + step + 0.37
                monkeypatch.setattr(bridge.time, "time", lambda t=t: t)
                assert bridge.now_header() == bridge._header_time(t) == (
                    bridge._dt.datetime.fromtimestamp(t, bridge._dt.UTC).astimezone()
                    .strftime("%Y-%m-%d %H:%M%z")), (tz, t)
    finally:
        monkeypatch.undo()
        time.tzset()


def test_now_header_follows_a_changed_tz_at_once(monkeypatch):
    monkeypatch.setattr(bridge.time, "time", lambda: 1790000000.0)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        assert bridge.now_header().endswith("+0000")
        monkeypatch.setenv("TZ", "Asia/Seoul")
        time.tzset()
        assert bridge.now_header().endswith("+0900")
    finally:
        monkeypatch.undo()
        time.tzset()


def test_layout_places_lines_as_the_whole_file_read_does(tmp_path, project_dir):
    """Changes that add and remove lines before, between and after unchanged entries: the
    catalogue built from the changed chunks equals the strict reading of the whole file,
    every message's line included."""
    from workflow.config import load_config

    cfg = load_config(project_dir)
    rng = random.Random(5)
    for src in (GNU, cfg.catalog("fr"), cfg.catalog("ar")):
        po = tmp_path / "x.po"
        shutil.copy(src, po)
        catalogs._stores.pop(str(po), None)
        for _ in range(25):
            res = apply_changes(po, _changes(rng, load_catalog(po)))
            data = po.read_bytes()
            whole = parse_catalog(data, po)
            assert res.catalog == whole, src
            assert [m.line for m in res.catalog.messages] == [m.line for m in whole.messages]
            layout = catalogs._stores[str(po)][4]
            assert layout is not None
            assert layout.starts == edit.Layout.of(catalogs._stores[str(po)][1], data,
                                                   whole).starts


@pytest.mark.parametrize("size", [0, 1, 4095, 65536, 65537, 300_000])
@pytest.mark.parametrize("mode", [0o600, 0o640, 0o755])
def test_read_file_is_read_bytes_and_the_stat_mode(tmp_path, size, mode):
    from workflow.fileio import read_file

    p = tmp_path / "f.po"
    p.write_bytes(bytes(random.Random(size).randrange(256) for _ in range(size)))
    p.chmod(mode)
    assert read_file(p) == (p.read_bytes(), p.stat().st_mode & 0o777)
    for bad in (tmp_path / "missing.po", tmp_path):
        with pytest.raises(OSError) as rule:
            bad.read_bytes()
        with pytest.raises(rule.type):
            read_file(bad)


@pytest.mark.parametrize("mode", [0o600, 0o664])
def test_a_write_keeps_the_permission_bits_it_read(tmp_path, mode):
    """apply_changes hands write_atomic the bits read_file gave under the lock: the same
    bits as write_atomic's own stat (the rule) gives."""
    po = tmp_path / "fr.po"
    shutil.copy(GNU, po)
    po.chmod(mode)
    apply_changes(po, [Change("icnk-2012/place", ["Séoul"], fuzzy=False)])
    assert po.stat().st_mode & 0o777 == mode
    catalogs._stores.pop(str(po), None)
    po.chmod(0o640)
    apply_changes(po, [Change("icnk-2012/place", ["Paris"], fuzzy=False)])
    assert po.stat().st_mode & 0o777 == 0o640
