"""The fast paths of the gate's frame against the rules they stand for: the assessment's
counts (Message.state, inlined), the template's sync keys kept between catalogues, the
ignore flags looked up per set of flags, the reader's shared flag sets."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

from workflow import status
from workflow.catalogs import Catalog, catalog_in_sync, read_messages
from workflow.catalogs.model import Message
from workflow.checks import base


def _message(rng: random.Random, i: int) -> Message:
    plural = rng.random() < 0.3
    n = 3 if plural else 1
    strings = tuple(rng.choice(["", "x", "y z"]) for _ in range(n))
    return Message(f"c/{i % 37}", f"source {i}", f"sources {i}" if plural else None, strings,
                   rng.random() < 0.4, rng.random() < 0.15, frozenset(), line=3 * i)


def _catalog(messages: list[Message]) -> Catalog:
    return Catalog(Path("x.po"), "fr", 2, "(n != 1)", {"Language": "fr"}, messages)


def test_the_counts_are_message_state_s():
    rng = random.Random(5)
    for _ in range(20):
        cat = _catalog([_message(rng, i) for i in range(rng.randint(0, 60))])
        st = status.assess(cat, [])
        assert st.counts == cat.stats.as_dict()
        assert st.not_approved == [(m.context, m.state, m.line) for m in cat.messages
                                   if m.state in ("draft", "untranslated")]
        assert st.approved_contexts == {m.context for m in cat.messages
                                        if m.state == "approved"}


def test_the_template_s_keys_are_kept_only_while_its_messages_are_the_same():
    rng = random.Random(8)
    msgs = [replace(_message(rng, i), obsolete=False, context=f"k/{i}") for i in range(30)]
    template = _catalog([replace(m, strings=("",) * len(m.strings)) for m in msgs])
    cat = _catalog(msgs)
    assert status.assess(cat, [], template=template).out_of_sync == []
    keys = status._template_keys(template)
    assert status._template_keys(template) is keys  # kept
    # the same template object, its list changed in place: new keys, the sync answer
    # catalog_in_sync gives
    template.messages[4] = replace(template.messages[4], source="changed")
    want = list(catalog_in_sync(template, cat))
    assert want and status.assess(cat, [], template=template).out_of_sync == want
    assert status._template_keys(template) is not keys
    template.messages.append(replace(msgs[0], context="k/new", obsolete=True))
    assert status.assess(cat, [], template=template).out_of_sync == want
    other = _catalog(list(template.messages))  # another template, equal messages
    assert status._template_keys(other) == status._template_keys(template)
    # a catalogue with obsolete messages: compared without them
    cat.messages.insert(3, replace(msgs[3], context="gone", obsolete=True))
    assert status.assess(cat, [], template=template).out_of_sync == want


def test_ignore_flags_per_set_of_flags_are_the_rule_s():
    sets = [frozenset(), frozenset({"fuzzy"}), frozenset({"letterflow-ignore: length"}),
            frozenset({"python-brace-format", "letterflow-ignore: length, spelling"}),
            frozenset({"letterflow-ignore:brackets letterflow-ignore: x"})]
    for flags in sets * 2:
        got = base.entry_ignores(flags)
        assert got == base._entry_ignores(flags) == base.entry_ignores(list(flags))
        assert base.entry_ignores(frozenset(flags)) is got  # an equal set: the memo's answer
    assert base.entry_ignores(sets[3]) == {"length", "spelling"}


def test_messages_share_one_object_per_set_of_flags():
    text = "".join(f'#, fuzzy, python-brace-format\nmsgctxt "f/{i}"\nmsgid "a {i}"\n'
                   f'msgstr "b"\n\n' for i in range(5))
    _, msgs = read_messages(text, "x.po")
    assert msgs[0].flags == {"fuzzy", "python-brace-format"}
    assert all(m.flags is msgs[0].flags for m in msgs)


def _report(rng: random.Random, n: int):
    from workflow.gate import GateFinding, GateReport

    texts = ["", "plain", 'quote " and \\ back', "tab\there\nnew", "é ünï 中文 \u2028 \x01",
             "100% {count}", "%s %(x)s", "\U0001f600"]
    findings = [GateFinding(rng.choice(["fr", "de", ""]), rng.choice(texts), "spelling",
                            rng.choice(["error", "warning"]), rng.choice(texts),
                            f"/p/{rng.choice(['a', 'b%', 'é'])}.po", rng.randint(0, 99999))
                for _ in range(n)]
    return GateReport(required=["fr"], languages=["fr", "de"], findings=findings,
                      stats={"fr": {"approved": 1, "percent": 12.5}})


def test_the_json_report_is_json_dumps_output():
    """The report's JSON written a column at a time is, byte for byte, what json.dumps
    with indent=2 writes for the same data."""
    import json

    from workflow.gate import GateFinding
    from workflow.gate_report import _json, _ordered, asdict_any

    rng = random.Random(3)
    root = Path("/p")
    for n in (1, 2, 7, 300):
        report = _report(rng, n)
        found = _ordered(report.findings, {f.path: f.path[3:] for f in report.findings})
        data = {"ok": report.ok, "required": report.required, "languages": report.stats,
                "errors": len(report.errors),
                "warnings": len(report.findings) - len(report.errors),
                "findings": [{**asdict_any(f), "path": f.path[3:]} for f in found]}
        want = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        assert _json(report, found, root) == want
        assert json.loads(want)["findings"][0]["line"] == found[0].line
    # a finding that is not a gate record, or a line that is not an int: json.dumps itself
    report = _report(rng, 5)
    odd = [*report.findings[:4], GateFinding("fr", "c", "x", "error", "m", "/p/a.po", None)]
    assert json.loads(_json(report, odd, root))["findings"][4]["line"] is None
    assert _json(report, [], root) == json.dumps(
        {"ok": report.ok, "required": ["fr"], "languages": report.stats,
         "errors": len(report.errors), "warnings": len(report.findings) - len(report.errors),
         "findings": []}, indent=2, ensure_ascii=False) + "\n"
