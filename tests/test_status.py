"""workflow.status: the one catalogue assessment, and the gate, the export and the review
UI reading their answers from it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from workflow import status
from workflow.catalogs import Change, apply_changes, load_catalog, load_template
from workflow.config import load_config

BROKEN = "icnk-2012/sender"  # a plural entry with {count}


@pytest.fixture
def cfg(web_project):
    return load_config(web_project)


def _cat(cfg, lang="fr"):
    return load_catalog(cfg.catalog(lang), language=lang)


def _approve_all(cfg, lang="fr", broken_fuzzy=False):
    """Approve every entry as drafted, except BROKEN which gets a placeholder error."""
    cat = _cat(cfg, lang)
    changes = [Change(m.context, list(m.strings), fuzzy=False)
               for m in cat.active() if m.context != BROKEN]
    n = len(cat.get(BROKEN).strings)
    changes.append(Change(BROKEN, ["{cuont} x"] * n, fuzzy=broken_fuzzy))
    apply_changes(cfg.catalog(lang), changes)
    return _cat(cfg, lang)


def test_a_drafted_catalogue_is_counted_but_not_complete(cfg):
    cat = _cat(cfg)
    st = status.assess(cat, config=cfg, template=load_template(cfg.template))
    assert st.counts == cat.stats.as_dict() and st.counts["draft"] == st.counts["total"] > 10
    assert len(st.not_approved) == st.counts["total"] and not st.approved_contexts
    assert not st.complete and not st.stale and st.out_of_sync == []
    assert len(st.errors) + len(st.warnings) == len(st.findings)
    assert {f.severity for f in st.errors} <= {"error"} and "error" not in {
        f.severity for f in st.warnings}
    assert not st.ok


def test_errors_split_by_whether_the_entry_is_approved(cfg):
    st = status.assess(_approve_all(cfg), config=cfg)
    assert st.complete and not st.clean and not st.ok
    assert BROKEN in st.flagged
    assert {f.context for f in st.blocking_errors} >= {BROKEN} and st.draft_errors == []
    st = status.assess(_approve_all(cfg, broken_fuzzy=True), config=cfg)
    assert not st.complete and [c for c, state, _ in st.not_approved] == [BROKEN]
    assert BROKEN in {f.context for f in st.draft_errors}
    assert BROKEN not in {f.context for f in st.blocking_errors}


def test_given_findings_are_used_as_they_are(cfg):
    cat = _cat(cfg)
    fake = SimpleNamespace(context="x", severity="error", check_id="c", message="m")
    st = status.assess(cat, [fake])
    assert st.errors == [fake] and st.flagged == {"x"} and st.warnings == []


def test_missing_letter_blocks_make_it_stale_and_incomplete(cfg):
    cat = _approve_all(cfg)
    blocks = [SimpleNamespace(context=m.context, translatable=True) for m in cat.active()]
    letter = SimpleNamespace(blocks=[*blocks, SimpleNamespace(context="new/para",
                                                              translatable=True),
                                     SimpleNamespace(context="sig", translatable=False)])
    st = status.assess(cat, [], letter=letter)
    assert st.missing == ["new/para"] and st.stale and not st.complete
    assert status.assess(cat, [], letter=SimpleNamespace(blocks=blocks)).ok


def test_gate_export_and_web_agree_with_the_assessment(cfg, app):
    from web.service import language_summary
    from workflow.export.run import language_status
    from workflow.gate import run_gate

    cat = _approve_all(cfg, broken_fuzzy=True)
    st = status.assess(cat, config=cfg)
    report = run_gate(cfg, ["fr"], ["fr"], use_cache=False)
    assert report.stats["fr"] == st.counts
    gate_errors = {(f.context, f.check_id) for f in report.errors if f.check_id != "incomplete"}
    assert gate_errors == {(f.context, f.check_id) for f in st.blocking_errors}
    assert {(f.context, f.check_id) for f in report.findings if f.severity == "warning"
            and f.message.startswith("(draft) ")} == {
        (f.context, f.check_id) for f in st.draft_errors}
    exp = language_status(cfg, "fr")
    assert exp.flagged == st.flagged
    assert f"{BROKEN}: draft" in exp.blocking and not exp.ok
    with app.test_request_context():
        summary = language_summary("fr")
    assert summary["approved"] == st.counts["approved"] and summary["draft"] == 1
    assert summary["qa_errors"] == len(st.flagged)


def test_the_sync_answer_is_catalog_in_sync_s_in_every_order(cfg):
    """The quick in-order comparison never changes the sync answer: the same messages in
    another order are in sync, a changed, missing or extra message is reported as
    catalog_in_sync reports it."""
    from dataclasses import replace

    from workflow.catalogs import catalog_in_sync

    template, cat = load_template(cfg.template), _cat(cfg)
    msgs = cat.messages
    variants = [msgs, msgs[::-1], msgs[1:], msgs + [replace(msgs[-1], context="new/1")],
                [replace(msgs[0], source=msgs[0].source + " ")] + msgs[1:],
                [replace(m, source_plural=None) for m in msgs],
                [replace(msgs[0], obsolete=True)] + msgs[1:]]
    answers = []
    for messages in variants:
        changed = replace(cat, messages=messages)
        want = list(catalog_in_sync(template, changed))
        assert status.assess(changed, [], template=template).out_of_sync == want
        answers.append(bool(want))
    assert answers == [False, False, True, True, True, True, True]


def test_assess_s_findings_are_run_checks_own_with_and_without_obsolete_entries(cfg):
    """assess hands run_checks the catalogue's messages as its active ones when none is
    obsolete: the findings are what run_checks finds over ``catalog.active()``."""
    from dataclasses import replace

    from workflow.checks import run_checks

    cat = _approve_all(cfg, broken_fuzzy=True)
    at = [m.context for m in cat.messages].index(BROKEN)
    gone = replace(cat.messages[at], obsolete=True)  # (the entry with an error)
    with_obsolete = replace(cat, messages=cat.messages[:at] + [gone] + cat.messages[at + 1:])
    found = []
    for catalog in (cat, with_obsolete):
        st = status.assess(catalog, config=cfg)
        assert st.findings == status.header_findings(catalog) + run_checks(catalog, config=cfg)
        found.append({f.context for f in st.findings})
    assert st.counts["obsolete"] == 1
    assert BROKEN in found[0] and BROKEN not in found[1]
