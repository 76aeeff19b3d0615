"""One message's QA run (workflow/checks/one.py, what approve and the editor use) finds
exactly what the whole-run machinery (Batch, triggers in one pass, candidates() screens)
finds for that message."""

from __future__ import annotations

import dataclasses

import pytest
from checks_support import catalog, msg
from conftest import REPO
from test_checks_batch import _table_messages

from workflow.catalogs import load_catalog
from workflow.checks import registry, run_checks
from workflow.checks.runner import _run_checks
from workflow.config import load_config
from workflow.textrules import IGNORE_FLAG, MT_DAMAGED_FLAG


def _variants(m):
    """*m* as approved, plus edits that change which checks run."""
    yield dataclasses.replace(m, fuzzy=False)
    yield dataclasses.replace(m, flags=m.flags | {MT_DAMAGED_FLAG})
    yield dataclasses.replace(m, flags=m.flags | {f"{IGNORE_FLAG}spelling, numbers"})
    copied = (m.source,) + tuple(m.source_plural or m.source for _ in m.strings[1:])
    yield dataclasses.replace(m, strings=copied)  # the untranslated check silences others
    yield dataclasses.replace(m, strings=tuple(s + " 12 {x} <b> \x07" for s in m.strings))


def _same(cat, m, config=None, skip=frozenset()):
    assert run_checks(cat, m, config=config, skip=skip) == _run_checks(cat, m, config, skip)


@pytest.mark.parametrize("lang", sorted(_table_messages()))
def test_one_message_finds_what_the_batch_path_finds(lang):
    cat = catalog(lang, _table_messages()[lang])
    for m in cat.messages:
        for v in _variants(m):
            _same(cat, v)
        _same(cat, m, skip=frozenset({"wrong-language", "length"}))


def test_one_message_in_the_repository_catalogues():
    config = load_config(REPO)
    paths = sorted((REPO / "locales").glob("*/LC_MESSAGES/*.po"))
    assert len(paths) > 20
    compared = found = 0
    for path in paths:
        cat = load_catalog(path, path.parent.parent.name)
        for m in cat.messages[:60]:
            for v in _variants(m):
                mine = run_checks(cat, v, config=config)
                assert mine == _run_checks(cat, v, config, frozenset()), (path, v.context)
                compared += 1
                found += len(mine)
    assert compared > 1000 and found > 100  # real messages, real findings


def test_a_run_without_any_trigger_check(monkeypatch):
    m = msg("Thank you 12", "Merci ", context="t/1")
    cat = catalog("fr", [m])
    triggers = frozenset(c.id for c in registry.values() if c.trigger)
    assert triggers
    _same(cat, m, skip=triggers)
    for cid in list(registry):  # one check at a time, as a registry of one
        kept = registry[cid]
        monkeypatch.setattr("workflow.checks.runner.registry", {cid: kept})
        _same(cat, m)


def test_ignored_obsolete_and_untranslated_messages():
    m = msg("Thank you", "Merci ", context="t/1")
    cat = catalog("fr", [m])
    assert [f.check_id for f in run_checks(cat, m)] == ["whitespace"]
    cat.headers["X-Letterflow-Ignore"] = "whitespace"
    assert run_checks(cat, m) == [] == _run_checks(cat, m, None, frozenset())
    assert run_checks(cat, dataclasses.replace(m, strings=("",))) == []
    assert run_checks(cat, dataclasses.replace(m, obsolete=True)) == []


def test_a_failing_check_is_an_error_finding_as_in_the_batch_path(monkeypatch):
    # (a text the whitespace screen keeps: on one the screen leaves out, the whole run
    # never calls the check, and one message's run reports the crash: fail closed)
    m = msg("Thank you", "Merci ", context="t/1")
    cat = catalog("fr", [m])

    def broken(self, unit):
        raise RuntimeError("check bug")

    monkeypatch.setattr(type(registry["whitespace"]), "check", broken)
    found = run_checks(cat, m)
    assert [(f.check_id, f.severity) for f in found if f.check_id == "whitespace"] == [
        ("whitespace", "error")]
    assert found == _run_checks(cat, m, None, frozenset())


def test_a_changed_glossary_is_seen_by_the_next_one_message_run(tmp_path):
    """One message's run keeps nothing between calls: a glossary edited between two
    approvals of the same text changes the second one's findings."""
    from test_glossary import ENTRY, tbx

    (tmp_path / "locales").mkdir()
    m = msg("We cite the Rome Statute.", "Nous citons le Statut de Rome.", context="t/1")
    cat = catalog("fr", [m], path=str(tmp_path / "locales/fr/LC_MESSAGES/letter.po"))

    def glossary(term: str) -> None:
        tbx(tmp_path / "locales", ENTRY.format(
            id="rs", req="mandatory",
            more=f'<langSet xml:lang="fr"><tig><term>{term}</term></tig></langSet>'))

    glossary("Statut de Rome")
    assert [f for f in run_checks(cat, m) if f.check_id == "glossary"] == []
    glossary("Traité fondateur de la Cour")  # another size: a new version of the file
    found = [f for f in run_checks(cat, m) if f.check_id == "glossary"]
    assert [f.severity for f in found] == ["error"] and "Traité" in found[0].message
    assert found == [f for f in _run_checks(cat, m, None, frozenset())
                     if f.check_id == "glossary"]
