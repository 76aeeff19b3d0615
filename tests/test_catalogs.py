"""The PO layer: faithful round-trips, msgmerge semantics, atomic locked writes."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import re
import shutil
import subprocess

import pytest
from conftest import DATA, write_project
from tool_support import need, optional

from workflow.catalogs import (
    Change,
    apply_changes,
    load_catalog,
    parse_plural_forms,
    plural_header,
    read_template_store,
    update_catalog,
    write_atomic,
)
from workflow.config import load_config
from workflow.errors import CatalogError, ConflictError
from workflow.extract import extract_template

GNU = DATA / "gettext-msgmerge-fr.po"


def _diff_lines(a: str, b: str) -> list[tuple[str, str]]:
    import difflib

    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
        None, a.splitlines(), b.splitlines()
    ).get_opcodes():
        if tag != "equal":
            out.append(("\n".join(a.splitlines()[i1:i2]), "\n".join(b.splitlines()[j1:j2])))
    return out


def test_fixture_was_written_by_gnu_gettext_and_has_everything():
    text = GNU.read_text(encoding="utf-8")
    assert "\n#| msgid " in text and "\n#~ msgid " in text and "msgstr[2]" in text
    assert "\n# translator note:" in text
    assert max(len(line) for line in text.splitlines()) > 70  # long wrapped lines
    msgcat = optional("msgcat")
    if msgcat:  # msgcat re-writes it byte-identically: it is in GNU's own layout
        res = subprocess.run([msgcat, str(GNU)], capture_output=True)
        assert res.stdout == GNU.read_bytes()


def test_changing_one_entry_changes_nothing_else(tmp_path):
    po = tmp_path / "fr.po"
    shutil.copy(GNU, po)
    before = po.read_text(encoding="utf-8")
    cat = load_catalog(po)
    target = cat.get("icnk-2012/salutation")
    res = apply_changes(
        po,
        [
            Change(
                target.context,
                ["Monsieur le Ministre, Madame la Ministre,"],
                fuzzy=False,
                base_revision=target.revision,
            )
        ],
    )
    assert res.applied == ["icnk-2012/salutation"]
    after = po.read_text(encoding="utf-8")
    diffs = _diff_lines(before, after)
    assert len(diffs) == 2, diffs
    assert diffs[0][0].startswith('"PO-Revision-Date:') and diffs[0][1].startswith(
        '"PO-Revision-Date:'
    )
    assert diffs[1] == (
        'msgstr "FR Dear Foreign Minister:"',
        'msgstr "Monsieur le Ministre, Madame la Ministre,"',
    )
    # #| previous msgids and #~ obsolete entries survived untouched
    assert after.count("\n#| msgid") == before.count("\n#| msgid")
    assert after.count("\n#~ ") == before.count("\n#~ ")


def test_previous_msgid_is_read():
    cat = load_catalog(GNU)
    closing = cat.get("icnk-2012/closing")
    assert closing.fuzzy and closing.state == "draft"
    assert closing.previous_source == "Thank you for your consideration."
    assert closing.source == "Thank you very much for your consideration."
    assert any(m.obsolete for m in cat.messages)


def _project_with_translations(tmp_path):
    root = write_project(tmp_path, languages=("fr", "ru"))
    cfg = load_config(root)
    extract_template(cfg)
    tpl = read_template_store(cfg.template)
    for lang in cfg.languages:
        update_catalog(tpl, cfg.catalog(lang), lang, cfg.domain)
    po = cfg.catalog("fr")
    cat = load_catalog(po)
    changes = []
    for m in cat.active():
        strings = (
            [f"FR {m.source}"]
            if not m.plural
            else ["{count} transfuge", "{count} transfuges", "{count} de transfuges"]
        )
        changes.append(Change(m.context, strings, fuzzy=False, note="approved by test"))
    apply_changes(po, changes)
    return root, cfg


def _edit_letter(root):
    letter = root / "letters" / "icnk-2012.txt"
    text = letter.read_text(encoding="utf-8")
    text = text.replace(
        "Thank you for your consideration.", "Thank you very much for your consideration."
    )
    text = re.sub(r"\[body only-voice\]\n(.+\n)+\n", "", text)
    letter.write_text(text, encoding="utf-8")


def test_update_marks_changed_source_fuzzy_keeps_previous_and_obsoletes(tmp_path):
    root, cfg = _project_with_translations(tmp_path)
    _edit_letter(root)
    extract_template(cfg)
    res = update_catalog(read_template_store(cfg.template), cfg.catalog("fr"), "fr", cfg.domain)
    # the closing and its 3 form-of-address variants (same source) turn fuzzy
    assert res.written and res.fuzzy == 4 and res.obsolete == 1
    cat = load_catalog(cfg.catalog("fr"))
    closing = cat.get("icnk-2012/closing")
    assert closing.fuzzy and closing.strings == ("FR Thank you for your consideration.",)
    assert closing.previous_source == "Thank you for your consideration."
    gone = [m for m in cat.messages if m.obsolete]
    assert [m.context for m in gone] == ["icnk-2012/only-voice"]
    assert gone[0].strings[0].startswith("FR We bring this situation")
    assert all(cat.get(f"icnk-2012/closing@{f}").fuzzy
               for f in ("minister-m", "minister-f", "excellency"))
    # everything else still approved
    assert cat.stats.approved == cat.stats.total - 4


def test_update_is_byte_identical_to_msgmerge_previous(tmp_path):
    msgmerge = need("msgmerge")
    root, cfg = _project_with_translations(tmp_path)
    old = tmp_path / "old.po"
    shutil.copy(cfg.catalog("fr"), old)
    _edit_letter(root)
    extract_template(cfg)
    update_catalog(read_template_store(cfg.template), cfg.catalog("fr"), "fr", cfg.domain)
    gnu = tmp_path / "gnu.po"
    subprocess.run(
        [msgmerge, "--previous", "-q", str(old), str(cfg.template), "-o", str(gnu)], check=True
    )
    assert cfg.catalog("fr").read_bytes() == gnu.read_bytes()


def test_new_paragraph_fuzzy_matches_a_similar_old_one(tmp_path):
    root, cfg = _project_with_translations(tmp_path)
    letter = root / "letters" / "icnk-2012.txt"
    text = letter.read_text(encoding="utf-8").replace("[body meeting]", "[body meeting-request]")
    text = text.replace("your embassy in Seoul.", "your embassy in Seoul or Tokyo.")
    letter.write_text(text, encoding="utf-8")
    extract_template(cfg)
    update_catalog(read_template_store(cfg.template), cfg.catalog("fr"), "fr", cfg.domain)
    cat = load_catalog(cfg.catalog("fr"))
    m = cat.get("icnk-2012/meeting-request")
    assert m.fuzzy and m.strings[0].startswith("FR We hope it might be possible")
    assert m.previous_source.endswith("your embassy in Seoul.")


def test_update_twice_is_a_no_op(tmp_path):
    root, cfg = _project_with_translations(tmp_path)
    tpl = read_template_store(cfg.template)
    before = cfg.catalog("ru").read_bytes()
    res = update_catalog(tpl, cfg.catalog("ru"), "ru", cfg.domain)
    assert not res.written and cfg.catalog("ru").read_bytes() == before


@pytest.mark.parametrize(
    "lang, nplurals", [("ru", 3), ("pl", 3), ("ar", 6), ("ja", 1), ("de", 2), ("fr", 3)]
)
def test_new_catalogues_get_cldr_plural_headers(tmp_path, lang, nplurals):
    cfg = load_config(write_project(tmp_path, languages=(lang,)))
    extract_template(cfg)
    update_catalog(read_template_store(cfg.template), cfg.catalog(lang), lang, cfg.domain)
    cat = load_catalog(cfg.catalog(lang))
    assert cat.nplurals == nplurals
    assert parse_plural_forms(plural_header(lang))[0] == nplurals
    assert len(cat.get("icnk-2012/sender").strings) == nplurals
    msgfmt = optional("msgfmt")
    if msgfmt:
        subprocess.run([msgfmt, "-c", "-o", os.devnull, str(cfg.catalog(lang))], check=True)


@pytest.mark.parametrize(
    "text, line, message",
    [
        ('msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b\n', 5, "malformed string"),
        ('msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b" junk\n', 5, "malformed string"),
        ('msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgid_plural "b"\nmsgstr "c"\n', 6, "out of place"),
        ('msgid ""\nmsgstr ""\n\nwhat is this\n', 4, "not a PO line"),
        (
            ('msgid ""\nmsgstr ""\n\nmsgctxt "x"\nmsgid "a"\nmsgstr ""\n\n'
             'msgctxt "x"\nmsgid "a"\nmsgstr ""\n'),
            9,
            "duplicate message",
        ),
        ('msgid ""\nmsgstr ""\n\n"orphan"\n', 4, "continuation"),
    ],
)
def test_malformed_po_gets_file_and_line(tmp_path, text, line, message):
    po = tmp_path / "bad.po"
    po.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog(po)
    assert err.value.line == line
    assert message in str(err.value)
    assert str(err.value).startswith(f"{po}:{line}:")


def test_bad_encoding_is_reported_with_line(tmp_path):
    po = tmp_path / "bad.po"
    po.write_bytes(b'msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "\xff"\n')
    with pytest.raises(CatalogError, match=r":5: not valid UTF-8"):
        load_catalog(po)


def test_a_file_that_cannot_be_parsed_is_never_rewritten(tmp_path):
    po = tmp_path / "bad.po"
    shutil.copy(GNU, po)
    with po.open("a", encoding="utf-8") as fh:
        fh.write('\nmsgid "broken\n')
    before = po.read_bytes()
    with pytest.raises(CatalogError):
        apply_changes(po, [Change("icnk-2012/salutation", ["x"], fuzzy=True)])
    assert po.read_bytes() == before


def test_stale_revision_is_a_conflict_and_changes_nothing(tmp_path):
    po = tmp_path / "fr.po"
    shutil.copy(GNU, po)
    m = load_catalog(po).get("icnk-2012/salutation")
    apply_changes(
        po, [Change(m.context, ["Madame la Ministre,"], fuzzy=True, base_revision=m.revision)]
    )
    after_first = po.read_bytes()
    with pytest.raises(ConflictError) as err:
        apply_changes(
            po,
            [Change(m.context, ["Monsieur le Ministre,"], fuzzy=False, base_revision=m.revision)],
            raise_on_conflict=True,
        )
    assert err.value.current.strings == ("Madame la Ministre,",)
    assert po.read_bytes() == after_first
    res = apply_changes(
        po, [Change(m.context, ["Monsieur le Ministre,"], fuzzy=False, base_revision=m.revision)]
    )
    assert res.conflicts and not res.applied


def test_only_states_protects_reviewed_entries(tmp_path):
    po = tmp_path / "fr.po"
    shutil.copy(GNU, po)
    before = po.read_bytes()
    res = apply_changes(
        po,
        [
            Change(
                "icnk-2012/salutation",
                ["MT draft"],
                fuzzy=True,
                only_states=frozenset({"untranslated"}),
            )
        ],
    )
    assert res.skipped == ["icnk-2012/salutation"]
    assert po.read_bytes() == before


def test_provenance_note_replaces_the_previous_one(tmp_path):
    po = tmp_path / "fr.po"
    shutil.copy(GNU, po)
    apply_changes(
        po,
        [
            Change(
                "icnk-2012/place",
                ["Séoul, République de Corée"],
                fuzzy=True,
                note="machine translation: apertium eng-spa via spa",
            )
        ],
    )
    apply_changes(
        po,
        [
            Change(
                "icnk-2012/place",
                ["Séoul (République de Corée)"],
                fuzzy=False,
                note="approved by alice",
            )
        ],
    )
    m = load_catalog(po).get("icnk-2012/place")
    assert m.provenance == "approved by alice"
    assert not any(c.startswith("machine translation") for c in m.translator_comments)
    assert m.state == "approved"


def test_write_atomic_leaves_old_file_when_the_write_fails(tmp_path, monkeypatch):
    target = tmp_path / "x.po"
    target.write_bytes(b"old")

    def boom(fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.po"]


def _killed_writer(path: str) -> None:
    import workflow.catalogs as c

    real_replace = os.replace

    def die(*a, **k):  # the process is killed after the temp file is written, before the rename
        os._exit(9)

    os.replace = die
    try:
        c.apply_changes(path, [c.Change("icnk-2012/place", ["Séoul"], fuzzy=False)])
    finally:
        os.replace = real_replace


def test_a_process_killed_mid_write_leaves_the_catalogue_intact(tmp_path):
    po = tmp_path / "fr.po"
    shutil.copy(GNU, po)
    before = po.read_bytes()
    proc = multiprocessing.get_context("fork").Process(target=_killed_writer, args=(str(po),))
    proc.start()
    proc.join(30)
    assert proc.exitcode == 9
    assert po.read_bytes() == before
    load_catalog(po)  # still valid
    leftovers = list(tmp_path.glob(".fr.po.*.tmp"))
    assert len(leftovers) == 1  # the killed writer's temp file...
    apply_changes(po, [Change("icnk-2012/place", ["Séoul"], fuzzy=False)])
    assert list(tmp_path.glob(".fr.po.*.tmp")) == []  # ...is swept by the next locked write


def _concurrent_writer(path: str, ctx: str, n: int) -> None:
    from workflow.catalogs import Change, apply_changes

    for i in range(n):
        apply_changes(path, [Change(ctx, [f"{ctx} v{i}"], fuzzy=True)])


def test_concurrent_writers_lose_nothing(tmp_path):
    po = tmp_path / "fr.po"
    shutil.copy(GNU, po)
    mp = multiprocessing.get_context("fork")
    procs = [
        mp.Process(target=_concurrent_writer, args=(str(po), ctx, 15))
        for ctx in ("icnk-2012/place", "icnk-2012/salutation", "icnk-2012/cc")
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    cat = load_catalog(po)
    for ctx in ("icnk-2012/place", "icnk-2012/salutation", "icnk-2012/cc"):
        assert cat.get(ctx).strings == (f"{ctx} v14",)


def _pypo_messages(path):
    from translate.storage import pypo

    from workflow.catalogs import to_message

    store = pypo.pofile.parsefile(str(path))
    return [to_message(u) for u in store.units if not u.isheader()]


def test_fast_reader_agrees_with_pypo(tmp_path, project_dir):
    """load_catalog's own strict reader and pypo (used for writes) see the same messages."""
    from workflow.config import load_config

    cfg = load_config(project_dir)
    files = [GNU, cfg.template, *(cfg.catalog(lang) for lang in cfg.languages)]
    escaped = tmp_path / "esc.po"
    escaped.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n# note\n#, fuzzy, python-brace-format\n'
        'msgctxt "a\\tb"\nmsgid "x \\"q\\" \\\\ {n}\\n"\n"second"\nmsgstr "y\\tz"\n',
        encoding="utf-8",
    )
    files.append(escaped)
    for path in files:
        fast = [m for m in load_catalog(path).messages]
        slow = _pypo_messages(path)
        assert len(fast) == len(slow), path
        for a, b in zip(fast, slow, strict=True):
            assert (
                a.context,
                a.source,
                a.source_plural,
                a.strings,
                a.fuzzy,
                a.obsolete,
                a.flags,
                a.auto_comments,
                a.translator_comments,
                a.locations,
                a.previous_source,
                a.revision,
            ) == (
                b.context,
                b.source,
                b.source_plural,
                b.strings,
                b.fuzzy,
                b.obsolete,
                b.flags,
                b.auto_comments,
                b.translator_comments,
                b.locations,
                b.previous_source,
                b.revision,
            ), (path, a.context)


# ---------------------------------------------------------------------------------------
# Several changes in one call (the review UI groups concurrent saves into one write)


def test_changes_in_one_call_behave_as_if_applied_one_after_another(tmp_path):
    po = tmp_path / "fr.po"
    shutil.copy(GNU, po)
    m = load_catalog(po).get("icnk-2012/salutation")
    first = Change(m.context, ["Madame la Ministre,"], fuzzy=False, base_revision=m.revision)
    stale = Change(m.context, ["Monsieur le Ministre,"], fuzzy=False, base_revision=m.revision)
    res = apply_changes(po, [first, stale])
    assert res.applied == [m.context]
    assert [(c, cur.strings) for c, cur in res.conflicts] == [(stale, ("Madame la Ministre,",))]
    assert [kind for kind, _ in res.outcomes] == ["applied", "conflict"]
    on_disk = load_catalog(po).get(m.context)
    assert on_disk.strings == ("Madame la Ministre,",)
    assert res.outcomes[0][1] == on_disk and res.outcomes[1][1] == on_disk

    # a change based on the revision an earlier change of the same call produced applies,
    # and each applied change reports the revision it produced
    now = load_catalog(po).get(m.context)
    a = Change(m.context, ["Madame,"], fuzzy=True, base_revision=now.revision)
    a_rev = dataclasses.replace(now, strings=("Madame,",), fuzzy=True).revision
    b = Change(m.context, ["Madame, Monsieur,"], fuzzy=False, base_revision=a_rev)
    c = Change(m.context, ["lost"], fuzzy=False, base_revision=now.revision)
    res = apply_changes(po, [a, b, c])
    assert [kind for kind, _ in res.outcomes] == ["applied", "applied", "conflict"]
    assert res.outcomes[0][1].revision == a_rev and res.outcomes[0][1].strings == ("Madame,",)
    assert res.outcomes[1][1].strings == ("Madame, Monsieur,",)
    assert res.outcomes[2][1].strings == ("Madame, Monsieur,",)  # c lost to b, not to a
    assert res.revisions[m.context] == load_catalog(po).get(m.context).revision


def test_only_states_in_one_call_sees_the_earlier_change(tmp_path):
    po = tmp_path / "fr.po"
    shutil.copy(GNU, po)
    ctx = "icnk-2012/salutation"
    res = apply_changes(po, [
        Change(ctx, [""], fuzzy=False),  # rejected: back to untranslated
        Change(ctx, ["MT"], fuzzy=True, only_states=frozenset({"untranslated"})),
        Change(ctx, ["MT 2"], fuzzy=True, only_states=frozenset({"untranslated"})),
    ])
    assert [kind for kind, _ in res.outcomes] == ["applied", "applied", "skipped"]
    assert load_catalog(po).get(ctx).strings == ("MT",)


def test_apply_result_holds_the_catalogue_as_written(tmp_path):
    po = tmp_path / "fr.po"
    shutil.copy(GNU, po)
    res = apply_changes(po, [Change("icnk-2012/place", ["Séoul"], fuzzy=False)])
    st = os.stat(po)
    assert res.file_key == (st.st_ino, st.st_mtime_ns, st.st_size)
    assert res.catalog.messages == load_catalog(po).messages
    assert res.catalog.headers == load_catalog(po).headers
    assert res.outcomes[0][1] == load_catalog(po).get("icnk-2012/place")  # with its line
    none = apply_changes(po, [Change("nope/nothing", ["x"], fuzzy=False)])
    assert none.missing == ["nope/nothing"] and none.outcomes == [("missing", None)]
    assert none.catalog is None and none.file_key is None


# ---------------------------------------------------------------------------------------
# The parsed store kept between writes (skips re-parsing a file this process just wrote)


def _random_changes(rng, cat):
    out = []
    for m in rng.sample(cat.active(), rng.randint(1, 4)):
        n = len(m.strings)
        word = rng.choice(["Séoul", "très long " * rng.randint(1, 12), "", "a\tb", "x \"q\""])
        strings = [f"{word} {i}" if word else "" for i in range(n)]
        if rng.random() < 0.2 and n > 1:
            strings = strings[:1]  # one form for a plural entry
        out.append(Change(
            m.context, strings, fuzzy=rng.random() < 0.5,
            note=rng.choice([None, "approved by test", "edited by x\nsecond line"]),
            add_flags=frozenset(rng.choice([(), ("letterflow-mt-damaged",)])),
            base_revision=rng.choice([None, m.revision, "000000000000"]),
        ))
    return out


def test_kept_store_writes_the_same_bytes_as_a_fresh_parse(tmp_path, project_dir):
    """A write from the store kept in memory is byte-identical to one from a fresh parse."""
    import random

    import workflow.catalogs as catalogs
    from workflow.config import load_config

    cfg = load_config(project_dir)
    rng = random.Random(7)
    for src in (GNU, cfg.catalog("fr"), cfg.catalog("ru"), cfg.catalog("ar")):
        kept, fresh = tmp_path / "kept.po", tmp_path / "fresh.po"
        shutil.copy(src, kept)
        shutil.copy(src, fresh)
        for _ in range(25):
            changes = _random_changes(rng, load_catalog(fresh))
            catalogs._stores.pop(str(fresh), None)
            a = apply_changes(kept, changes, touch_revision_date=False)
            catalogs._stores.pop(str(fresh), None)
            b = apply_changes(fresh, changes, touch_revision_date=False)
            assert kept.read_bytes() == fresh.read_bytes(), src
            assert a.outcomes == b.outcomes
            assert str(kept) in catalogs._stores  # the next call can reuse it


def test_kept_store_is_dropped_when_a_write_fails(tmp_path, monkeypatch):
    po = tmp_path / "fr.po"
    shutil.copy(GNU, po)
    apply_changes(po, [Change("icnk-2012/place", ["Séoul"], fuzzy=False)])  # store kept
    before = po.read_bytes()

    def boom(fd):
        raise OSError("disk full")

    with monkeypatch.context() as mp:
        mp.setattr(os, "fsync", boom)
        with pytest.raises(OSError):
            apply_changes(po, [Change("icnk-2012/cc", ["never written"], fuzzy=False)])
    assert po.read_bytes() == before
    apply_changes(po, [Change("icnk-2012/salutation", ["Madame,"], fuzzy=False)])
    cat = load_catalog(po)
    assert cat.get("icnk-2012/salutation").strings == ("Madame,",)
    assert cat.get("icnk-2012/cc").strings != ("never written",)  # the failed change is gone


def test_kept_store_is_not_used_when_someone_else_changed_the_file(tmp_path):
    po = tmp_path / "fr.po"
    shutil.copy(GNU, po)
    apply_changes(po, [Change("icnk-2012/place", ["Séoul"], fuzzy=False)])  # store kept
    text = po.read_text(encoding="utf-8").replace('msgstr "Séoul"', 'msgstr "Séoul (edited)"')
    po.write_text(text, encoding="utf-8")  # e.g. an editor or another process
    apply_changes(po, [Change("icnk-2012/cc", ["cc"], fuzzy=False)])
    cat = load_catalog(po)
    assert cat.get("icnk-2012/place").strings == ("Séoul (edited)",)
    assert cat.get("icnk-2012/cc").strings == ("cc",)


def test_kept_store_writes_only_changed_entries_with_the_whole_file_result(tmp_path, project_dir,
                                                                          monkeypatch):
    """After the first write, a write serialises and reads only the entries it changed and
    the header (catalogs.layout); the bytes are still pypo's whole serialisation and the
    catalogue returned is what the strict reader gives for the whole file, lines included
    (changes here add and remove lines: long wrapped texts, two-line notes)."""
    import random

    import workflow.catalogs as catalogs
    import workflow.catalogs.edit as edit
    from workflow.catalogs import parse_catalog, serialize
    from workflow.config import load_config

    whole = []
    monkeypatch.setattr(edit, "parse_catalog", lambda *a: whole.append(1) or parse_catalog(*a))
    cfg = load_config(project_dir)
    rng = random.Random(11)
    for src in (GNU, cfg.catalog("fr"), cfg.catalog("ru"), cfg.catalog("ar")):
        po = tmp_path / "x.po"
        shutil.copy(src, po)
        catalogs._stores.pop(str(po), None)
        writes, whole[:] = 0, []
        for _ in range(30):
            res = apply_changes(po, _random_changes(rng, load_catalog(po)))
            if res.catalog is None:
                continue
            writes += 1
            data = po.read_bytes()
            assert res.catalog == parse_catalog(data, po), src
            assert serialize(catalogs._stores[str(po)][1]) == data
            for kind, msg in res.outcomes:
                if kind == "applied":
                    assert msg == res.catalog.get(msg.context)  # with its line in the file
        assert writes > 10 and len(whole) == 1, src  # only the first write read it all


def test_write_of_a_file_pypo_would_lay_out_differently_reads_it_whole(tmp_path):
    """A file whose bytes are not pypo's layout (here: an extra blank line) is written
    whole, and the next write, from pypo's layout, is right too."""
    po = tmp_path / "fr.po"
    text = GNU.read_text(encoding="utf-8").replace('\n\n#', '\n\n\n#', 1)
    po.write_text(text, encoding="utf-8")
    for value in ("Séoul", "Séoul " + "très long " * 20):
        res = apply_changes(po, [Change("icnk-2012/place", [value], fuzzy=False)])
        assert res.catalog == load_catalog(po)
        assert load_catalog(po).get("icnk-2012/place").strings == (value,)


def test_sweep_removes_exactly_what_the_temp_pattern_matches(tmp_path):
    from workflow.fileio import sweep_temp_files, temp_pattern

    po = tmp_path / "fr.po"
    po.write_text("", encoding="utf-8")
    names = [".fr.po.abc123.tmp", ".fr.po..tmp", ".fr.po.tmp", "x.fr.po.1.tmp", ".es.po.1.tmp",
             ".fr.po.1.tmp.bak", ".fr.po.a.b.tmp"]
    for n in names:
        (tmp_path / n).write_text("", encoding="utf-8")
    expected = set(tmp_path.glob(temp_pattern(po)))
    assert {p.name for p in expected} == {".fr.po.abc123.tmp", ".fr.po..tmp", ".fr.po.a.b.tmp"}
    assert set(sweep_temp_files(po)) == expected
    assert {p.name for p in tmp_path.iterdir()} == {"fr.po", *(set(names) - {
        p.name for p in expected})}
