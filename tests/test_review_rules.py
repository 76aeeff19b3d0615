"""The review rules (workflow.review) driven with no Flask app at all: the same project
the web tests use, read and written through review.FileStore, errors as core exceptions."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from workflow import audit, db, review, users
from workflow.catalogs import load_catalog
from workflow.config import load_config
from workflow.errors import (
    ApprovalRefused,
    Busy,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    ReviewError,
)

CTX = "icnk-2012/camps"
PLURAL = "icnk-2012/sender"


@pytest.fixture
def store(web_project):
    cfg = load_config(web_project)
    return review.FileStore(cfg, db.connect(cfg.database))


@pytest.fixture
def tr_fr(store):
    return users.find_user(store.conn, "tr_fr")


def _msg(store, ctx=CTX, lang="fr"):
    return load_catalog(store.config.catalog(lang), language=lang).get(ctx)


def test_no_flask_is_imported_to_review(web_project):
    code = textwrap.dedent(f"""
        import sys
        from workflow import db, review, users
        from workflow.config import load_config
        cfg = load_config({str(web_project)!r})
        store = review.FileStore(cfg, db.connect(cfg.database))
        user = users.find_user(store.conn, "tr_fr")
        msg = store.catalog("fr").get({CTX!r})
        out = review.perform(store, user, "fr", {CTX!r}, "approve", ["Des camps."],
                             msg.revision)
        print(out.message.state, out.audit_id is not None)
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("flask", "werkzeug", "web")))
    """)
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == ["approved True", "[]"]


def test_save_then_approve_writes_file_and_audit(store, tr_fr):
    rev = _msg(store).revision
    saved = review.perform(store, tr_fr, "fr", CTX, "save", ["Un brouillon\r\nrevu."], rev)
    assert saved.ok and saved.message.state == "draft"
    assert _msg(store).strings == ("Un brouillon\nrevu.",)  # CRLF from a browser -> LF
    done = review.perform(store, tr_fr, "fr", CTX, "approve", ["Des camps."],
                          saved.revision)
    assert done.ok and _msg(store).state == "approved" and done.revision == _msg(store).revision
    rows = audit.history(store.conn, "fr", CTX)
    mine = [r for r in rows if r.action != "mt"]  # the drafts came from pseudo-MT
    assert [r.action for r in mine] == ["save", "approve"]
    assert {r.user for r in mine} == {"tr_fr"} and mine[1].revision == done.revision


def test_stale_base_revision_is_a_conflict_with_both_texts(store, tr_fr):
    rev = _msg(store).revision
    review.perform(store, tr_fr, "fr", CTX, "save", ["Version A"], rev)
    with pytest.raises(Conflict) as err:
        review.perform(store, tr_fr, "fr", CTX, "save", ["Version B"], rev)
    out = err.value.outcome
    assert out.result == "conflict" and out.yours == ["Version B"]
    assert out.message.strings == ("Version A",)
    assert _msg(store).strings == ("Version A",)  # nothing written
    kept = audit.get(store.conn, out.audit_id)
    assert kept.action == "conflict" and list(kept.after) == ["Version B"]


def test_approval_refused_on_qa_error_keeps_the_edit(store, tr_fr):
    rev = _msg(store, PLURAL).revision
    broken = ["{count} transfuge", "{cuont} transfuges", "{count} transfuges"]
    with pytest.raises(ApprovalRefused) as err:
        review.perform(store, tr_fr, "fr", PLURAL, "approve", broken, rev)
    out = err.value.outcome
    assert out.saved_draft and any(f.check_id == "placeholders" for f in out.findings)
    assert _msg(store, PLURAL).state == "draft" and list(_msg(store, PLURAL).strings) == broken
    with pytest.raises(ApprovalRefused, match="empty"):
        review.perform(store, tr_fr, "fr", CTX, "approve", [" "], _msg(store).revision)


class _NoQA(review.FileStore):
    def check(self, catalog, message=None):
        raise ImportError("No module named 'workflow.checks'")


def test_approval_fails_closed_when_qa_cannot_run(store, tr_fr):
    broken_qa = _NoQA(store.config, store.conn)
    before = _msg(store)
    with pytest.raises(ApprovalRefused, match="QA checks could not run") as err:
        review.perform(broken_qa, tr_fr, "fr", CTX, "approve", ["Des camps."],
                       before.revision)
    assert err.value.outcome.saved_draft
    after = _msg(store)
    assert after.state == "draft" and after.strings == ("Des camps.",)
    assert not [r for r in audit.history(store.conn, "fr", CTX) if r.action == "approve"]
    # a save still works, and says that QA did not run
    out = review.perform(broken_qa, tr_fr, "fr", CTX, "save", ["Autre."], after.revision)
    assert out.ok and out.findings == [] and "could not run" in out.qa_error


def test_forbidden_not_found_and_invalid_input(store, tr_fr):
    de = _msg(store, CTX, "de")
    with pytest.raises(Forbidden):
        review.perform(store, tr_fr, "de", CTX, "save", ["x"], de.revision)
    assert [r.action for r in audit.history(store.conn, "de", CTX)][-1] == "denied"
    assert _msg(store, CTX, "de") == de
    rev = _msg(store).revision
    with pytest.raises(NotFound):
        review.perform(store, tr_fr, "fr", "icnk-2012/nope", "save", ["x"], rev)
    with pytest.raises(InvalidInput) as err:
        review.perform(store, tr_fr, "fr", CTX, "save", ["x" * 11], rev, max_length=10)
    assert err.value.too_large and err.value.status == 413
    for bad in (["a\x07"], ["a", "b"], [3]):
        with pytest.raises(InvalidInput) as err:
            review.perform(store, tr_fr, "fr", CTX, "save", bad, rev)
        assert not err.value.too_large
    with pytest.raises(InvalidInput, match="unknown action"):
        review.perform(store, tr_fr, "fr", CTX, "publish", ["x"], rev)
    with pytest.raises(InvalidInput, match="base_revision"):
        review.perform(store, tr_fr, "fr", CTX, "save", ["x"], None)
    assert issubclass(Busy, ReviewError) and _msg(store).revision == rev


def test_reject_and_revert(store, tr_fr):
    rev = _msg(store).revision
    saved = review.perform(store, tr_fr, "fr", CTX, "save", ["Texte A"], rev)
    rejected = review.perform(store, tr_fr, "fr", CTX, "reject", None, saved.revision)
    assert rejected.message.state == "untranslated"
    back = review.perform(store, tr_fr, "fr", CTX, "revert", None, rejected.revision,
                          version=saved.audit_id)
    assert back.message.strings == ("Texte A",) and back.message.fuzzy
    with pytest.raises(InvalidInput, match="no such version"):
        review.perform(store, tr_fr, "fr", PLURAL, "revert", None,
                       _msg(store, PLURAL).revision, version=saved.audit_id)


def test_queue_order_filters_and_navigation(store):
    cat = store.catalog("fr")
    order = [m.context for m in cat.active()]
    assert [m.context for m in review.queue(cat)] == order
    assert review.queue(cat, "approved") == []
    assert [m.context for m in review.queue(cat, "bogus")] == order
    assert [m.context for m in review.queue(cat, with_findings={CTX})] == [CTX]
    i = order.index(CTX)
    assert review.neighbours(cat, CTX) == (order[i - 1], order[i + 1])
    assert review.neighbours(cat, order[0])[0] is None
    assert review.next_open(cat, order[-1]) == order[0]  # wraps
    assert review.neighbours(cat, "nope") == (None, None)


def test_word_diff_and_provenance(store):
    ops = review.word_diff("the old text here", "the new text")
    assert ("-", "old") in ops and ("+", "new") in ops
    assert "".join(t for op, t in ops if op != "-") == "the new text"
    assert "".join(t for op, t in ops if op != "+") == "the old text here"
    assert review.provenance(_msg(store)) == (_msg(store).provenance or "")


def test_identical_save_or_approval_writes_nothing(store, tr_fr):
    path = store.config.catalog("fr")
    rev = _msg(store).revision
    saved = review.perform(store, tr_fr, "fr", CTX, "save", ["Un texte"], rev)
    before, rows = path.read_bytes(), len(audit.history(store.conn, "fr", CTX))
    again = review.perform(store, tr_fr, "fr", CTX, "save", ["Un texte"], saved.revision)
    assert again.ok and again.unchanged and again.revision == saved.revision
    assert path.read_bytes() == before and len(audit.history(store.conn, "fr", CTX)) == rows
    done = review.perform(store, tr_fr, "fr", CTX, "approve", ["Un texte"], saved.revision)
    assert done.ok and not done.unchanged and done.message.state == "approved"
    before, rows = path.read_bytes(), len(audit.history(store.conn, "fr", CTX))
    twice = review.perform(store, tr_fr, "fr", CTX, "approve", ["Un texte"], done.revision)
    assert twice.unchanged and path.read_bytes() == before
    assert len(audit.history(store.conn, "fr", CTX)) == rows
    # the same text saved as a draft is a change of state: it is written
    demoted = review.perform(store, tr_fr, "fr", CTX, "save", ["Un texte"], done.revision)
    assert not demoted.unchanged and demoted.message.state == "draft"
