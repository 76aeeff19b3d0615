"""The stat memo (workflow/statmemo.py): a file's digest or parsed TOML is reused only while
its full stat is unchanged, and never recorded for a file changed in the last seconds."""

from __future__ import annotations

import hashlib
import os

import pytest

from tests.conftest import write_project
from workflow import statmemo
from workflow.config import load_config


@pytest.fixture
def no_racy_window(monkeypatch):
    """Files written by the test count as old enough to record (the racy rule has its own
    test below)."""
    monkeypatch.setattr(statmemo, "RACY_NS", -10_000_000_000)


def _fresh(tmp_path) -> statmemo.StatMemo:
    return statmemo.StatMemo(str(tmp_path / "cache" / "check" / "stat-memo"))


def test_digest_follows_every_change_even_with_the_old_mtime(tmp_path, no_racy_window):
    memo = _fresh(tmp_path)
    f = tmp_path / "a.po"
    f.write_bytes(b"msgid one")
    assert statmemo.sha256_of(memo, str(f)) == hashlib.sha256(b"msgid one").hexdigest()
    assert memo.get("sha256", str(f), os.stat(f)) is not None  # recorded
    st = os.stat(f)
    f.write_bytes(b"msgid two")  # same size, and the old mtime put back (cp -p, rsync -t)
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert os.stat(f).st_size == st.st_size and os.stat(f).st_mtime_ns == st.st_mtime_ns
    assert statmemo.sha256_of(memo, str(f)) == hashlib.sha256(b"msgid two").hexdigest()


def test_memo_survives_the_process_and_a_damaged_memo_is_empty(tmp_path, no_racy_window):
    memo = _fresh(tmp_path)
    f = tmp_path / "a.po"
    f.write_bytes(b"x" * 100)
    digest = statmemo.sha256_of(memo, str(f))
    memo.save()
    again = _fresh(tmp_path)
    assert again.get("sha256", str(f), os.stat(f)) == digest
    (tmp_path / "cache" / "check" / "stat-memo").write_bytes(b"\x00garbage")
    assert _fresh(tmp_path).get("sha256", str(f), os.stat(f)) is None


def test_a_file_changed_in_the_last_seconds_is_not_recorded(tmp_path):
    memo = _fresh(tmp_path)
    f = tmp_path / "a.po"
    f.write_bytes(b"fresh")
    assert statmemo.sha256_of(memo, str(f)) == hashlib.sha256(b"fresh").hexdigest()
    assert memo.get("sha256", str(f), os.stat(f)) is None and not memo.dirty


def test_a_file_changed_while_it_was_read_is_not_recorded(tmp_path, no_racy_window):
    memo = _fresh(tmp_path)
    f = tmp_path / "a.po"
    f.write_bytes(b"one")
    before = os.stat(f)
    f.write_bytes(b"one more")
    after = os.stat(f)
    memo.put("sha256", str(f), before, after, "digest of a mix")
    assert memo.get("sha256", str(f), before) is None
    assert memo.get("sha256", str(f), after) is None and not memo.dirty
    memo.put("sha256", str(f), after, after, "d")
    assert memo.get("sha256", str(f), after) == "d"


def test_config_from_the_memo_follows_an_edit(tmp_path, monkeypatch, no_racy_window):
    monkeypatch.setenv("LETTERFLOW_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(statmemo, "_memos", {})
    root = write_project(tmp_path / "p", languages=("fr", "de"))
    assert load_config(root, memo=True).languages == ["fr", "de"]
    memo = statmemo.memo_for(tmp_path / "cache")
    toml = next(p for p in root.iterdir() if p.suffix == ".toml")
    assert memo.get("toml", str(toml), os.stat(toml)) is not None
    monkeypatch.setitem(os.environ, "LETTERFLOW_PROJECT", "")
    assert load_config(root, memo=True).languages == ["fr", "de"]  # from the memo
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('"fr", "de"', '"de", "fr"'), encoding="utf-8")
    assert load_config(root, memo=True).languages == ["de", "fr"]


def test_warm_gate_sees_a_catalogue_edit_that_kept_its_mtime(tmp_path, monkeypatch,
                                                             no_racy_window):
    from workflow.catalogs import read_template_store, update_catalog
    from workflow.extract import extract_template
    from workflow.gate import run_gate

    monkeypatch.setenv("LETTERFLOW_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(statmemo, "_memos", {})
    root = write_project(tmp_path / "p", languages=("fr",))
    cfg = load_config(root, memo=True)
    extract_template(cfg)
    update_catalog(read_template_store(cfg.template), cfg.catalog("fr"), "fr", cfg.domain)
    first = run_gate(cfg, ["fr"], [])
    assert run_gate(cfg, ["fr"], []).stats == first.stats  # warm, from the cache
    po = cfg.catalog("fr")
    st = os.stat(po)
    text = po.read_text(encoding="utf-8")
    head, sep, tail = text.partition('msgstr ""\n\n')
    assert sep and "msgctxt" in head  # the first real entry's empty translation
    po.write_text(head + 'msgstr "Salut"\n\n' + tail, encoding="utf-8")
    os.utime(po, ns=(st.st_atime_ns, st.st_mtime_ns))  # the old mtime put back
    after = run_gate(cfg, ["fr"], [])
    assert after.stats["fr"]["approved"] == first.stats["fr"]["approved"] + 1
