"""Whole-catalogue runs: the Batch helpers, and the checks' candidates() screens never
change what run_checks finds (they only spare check() calls)."""

from __future__ import annotations

import re

import pytest
from checks_support import catalog, msg
from conftest import REPO
from test_checks_text import TABLES

from workflow.catalogs import load_catalog
from workflow.checks import registry, run_checks
from workflow.checks.base import Check, Unit
from workflow.checks.batch import SEP, Batch
from workflow.config import load_config


def _batch(texts: list[tuple[str, ...]], lang: str = "fr") -> Batch:
    messages = [msg(f"source {chr(97 + i)}", *strings, context=f"t/{i}") for i, strings in
                enumerate(texts)]
    return Batch(messages, catalog(lang, messages), lang, None, {})


def test_hits_name_the_messages_a_match_touches():
    b = _batch([("a b",), (" lead",), ("trail ",), ("x", "two  spaces"), ("end",)])
    assert b.text_hits("  ") == {3}
    assert b.text_hits(re.compile("lead|trail")) == {1, 2}
    # a pattern with the separator: whitespace at either end of a text, first to last
    edge = re.compile(f"{SEP}(?:[ ]|(?<=[ ]{SEP}))")
    assert {1, 2} <= b.text_hits(edge) <= {0, 1, 2, 3}
    assert _batch([(" first",), ("b",), ("last ",)]).text_hits(edge) >= {0, 2}
    assert b.text_hits("nowhere") == set()
    assert _batch([]).text_hits("a") == set()


def test_hits_skip_dead_messages_and_map_sources_to_units():
    messages = [msg("one www.x", "un"), msg("two www.y", "", context="t/2"),
                msg("three", "trois", context="t/3"), msg("four www.z", "quatre", context="t/4")]
    b = Batch(messages, catalog("fr", messages), "fr", None, {})
    assert [u.message.context for u in b.units] == ["t/1", "t/3", "t/4"]
    assert b.source_hits("www.") == {0, 2}  # the untranslated t/2 has no unit
    assert b.source_hits("www.") == {0, 2}  # (kept for the next run: same answer)


def test_triggers_are_found_per_check():
    b = _batch([("plain",), ("{count} x",), ("179",), ("a\x07b",)])
    assert b.triggered(registry["placeholders"].trigger) == {1}
    assert b.triggered(registry["numbers"].trigger) == {2}
    assert b.triggered(registry["control-chars"].trigger) == {3}
    assert b.triggered(registry["markup"].trigger) == set()


def test_triggers_see_sources_plural_forms_flags_and_never_a_stale_memo():
    """A trigger selects a message by its source (kept across languages of the same
    sources), any translated form, or the mt-damaged flag; dead messages are left out."""
    from workflow.checks.base import MT_DAMAGED_FLAG

    digits, marks = registry["numbers"].trigger, registry["placeholders"].trigger

    def run(strings: list[tuple[str, ...]], sources=("a 1", "b", "c {x}", "d", "e")):
        messages = [
            msg(src, *s, plural=f"{src}s" if len(s) > 1 else None, context=f"t/{i}",
                flags=(MT_DAMAGED_FLAG,) if i == 3 else ())
            for i, (src, s) in enumerate(zip(sources, strings, strict=True))]
        b = Batch(messages, catalog("fr", messages), "fr", None, {})
        b.add_triggers([digits, marks])
        return b.triggered(digits), b.triggered(marks)

    fr = [("un",), ("b", "b 2"), ("c {x}",), ("d",), ("",)]
    assert run(fr) == ({0, 1, 3}, {2, 3})
    # the same sources, other translations: the sources' answer is reused, the
    # translations' is new; dead messages shift the units
    de = [("",), ("b", "b"), ("c [x]",), ("d 4",), ("e%",)]
    assert run(de) == ({2}, {1, 2, 3})  # units: b, c, d, e
    # other sources (a change of one character): nothing of the earlier answer is kept
    assert run(fr, ("a", "b", "c 5", "d", "e")) == ({1, 2, 3}, {2, 3})


def test_trigger_pass_finds_what_a_search_per_text_finds():
    """The one-pass trigger search (remove all but the triggers' characters, then look in
    what is left of each text) names the very texts a search per text names, also with
    SEP inside texts (a plural's forms, or in a text itself) and odd classes."""
    import random

    from workflow.checks.batch import _trigger_parts

    rng = random.Random(9)
    alphabet = ["a", " ", "1", "٣", "\U0001d7d8", "߁", "{", "}", "%", "<", "«", "」", "\x07",
                "\ud800", SEP, "é"]
    triggers = tuple(c.trigger for c in registry.values() if c.trigger) + ("^a", "-z", "é")
    for _ in range(200):
        parts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 6)))
                 for _ in range(rng.randrange(0, 12))]
        if rng.random() < 0.2:  # a long text: \d looked for as ranges
            parts.append("a \U0001d7d8 " * 30_000)
        joined = SEP + SEP.join(parts) + SEP
        for chosen in (triggers[:5], triggers, triggers[-3:], triggers[-1:]):
            want = {t: frozenset(i for i, p in enumerate(parts) if re.search(f"[{t}]", p))
                    for t in chosen}
            assert _trigger_parts(chosen, joined, parts) == want, (chosen, parts)


def _table_messages() -> dict[str, list]:
    """Every row of the text-check tables, plus awkward cases, as messages per language."""
    rows: dict[str, list] = {}
    for good, bad in TABLES.values():
        for row in [*good, *bad]:
            rows.setdefault(row[2], []).append((row[0], (row[1],)))
    extra = [
        ("Wait...", ("Attendez.",)), ("Wait.", ("Attendez...",)), ("Why?", ("Pourquoi ?",)),
        ("Why?", ("Pourquoi\u00a0?",)), ("Note:", ("Remarque :",)), ("(see)", ("(voir",)),
        ("A/HRC/25/63 says", ("Un/HRC/25/63 dit",)), ("Mail a@b.org", ("Écrire a@b.org",)),
        ("Do you agree?", ("Es-tu d'accord ?",)), ("Tu", ("tu tu",)), ("x\x7fy", (" x\x7f y",)),
        ("line\x7f", ("ligne \x7f",)), ("{n} day", ("{n} jour", "{n} jours")),
        ("{count} letter", ("", "{count} lettres")), ("179 letters", ("178 lettres",)),
        ("<b>bold</b>", ("<b>gras",)), ("bell\x07", ("cloche\x07",)), ("same", ("same",)),
        ("Pay 1,500 now", ("Payer 1.500",)), ("In 2012 179 states", ("En 2012 179 États",)),
        ("179 states", ("١٧٩ États",)), ("{0} has 3", ("{0} a 4",)), ("5 and 5", ("5 et 6",)),
        ("<g1>5</g1> days", ("<g1>6</g1> jours",)), ("1.5 or 2", ("2 ou 1,5",)),
        ("{} and {}", ("{} et {{}}",)), ("{a}{b}", ("{b}{a}",)), ("{a:d}", ("{a}",)),
        ("50% of {n}", ("50 % de {n}",)), ("%s and %d", ("%d et %s",)), ("[[1]] x", ("x [[1]]",)),
        ("{n} x", ("{m} x",)),
        ("Thank you", ("Merci ",)), (" Thank you", ("Merci",)), ("Short", ("Un texte bien plus "
                                                                       "long que la source",)),
    ]
    rows.setdefault("fr", []).extend(extra)
    out = {}
    for lang, pairs in rows.items():
        out[lang] = [msg(src, *strings, plural=f"{src}s" if len(strings) > 1 else None,
                         context=f"t/{i}", line=i + 1) for i, (src, strings) in enumerate(pairs)]
    return out


def _unscreened(monkeypatch) -> None:
    for check in registry.values():
        monkeypatch.setattr(type(check), "candidates", Check.candidates)


@pytest.mark.parametrize("lang", sorted(_table_messages()))
def test_screens_change_no_finding(lang, monkeypatch):
    cat = catalog(lang, _table_messages()[lang])
    screened = run_checks(cat, skip=frozenset({"wrong-language"}))
    _unscreened(monkeypatch)
    assert run_checks(cat, skip=frozenset({"wrong-language"})) == screened
    # and one message at a time (the review UI) says the same for each
    for m in cat.messages:
        alone = [f for f in screened if f.context == m.context and f.check_id != "plurals"]
        assert [f for f in run_checks(cat, m) if f.check_id != "plurals"] == alone


def test_screens_change_no_finding_in_the_repository(monkeypatch):
    config = load_config(REPO)
    cats = [load_catalog(p, p.parent.parent.name)
            for p in sorted((REPO / "locales").glob("*/LC_MESSAGES/letter.po"))]
    assert cats
    screened = [run_checks(c, config=config) for c in cats]
    _unscreened(monkeypatch)
    assert [run_checks(c, config=config) for c in cats] == screened


def test_a_screen_that_fails_costs_time_never_a_finding(monkeypatch):
    m = msg("Thank you.", " Merci.")
    cat = catalog("fr", [m])

    def broken(self, batch):
        raise RuntimeError("screen bug")

    monkeypatch.setattr(type(registry["whitespace"]), "candidates", broken)
    found = run_checks(cat, skip=frozenset({"wrong-language"}))
    assert [f.check_id for f in found] == ["whitespace"]
    assert Unit(m, cat, "fr").source == "Thank you."


def test_an_mt_damaged_entry_is_reported_whatever_its_text():
    from workflow.textrules import MT_DAMAGED_FLAG

    m = msg("{n} letters", "{n} lettres", flags=(MT_DAMAGED_FLAG,))
    found = run_checks(catalog("fr", [m]), skip=frozenset({"wrong-language"}))
    assert [f.check_id for f in found] == ["placeholders"]
    assert MT_DAMAGED_FLAG in found[0].message


def test_paused_gc_nests_and_restores():
    import gc

    from workflow.gcpause import paused_gc

    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause did not turn it on
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # off before, off after
    finally:
        gc.enable()


def test_a_runs_units_are_what_unit_makes_of_each_live_message():
    from workflow.catalogs import Message

    messages = [msg("one", "un"), msg("two", "", context="t/2"),
                msg("gone", "parti", context="t/3", obsolete=True),
                msg("{n} file", "{n} fichier", "{n} fichiers", plural="{n} files",
                    context="t/4", flags=("fuzzy", "letterflow-ignore: length")),
                msg("empty forms", "", "", plural="empties", context="t/5"),
                msg("half", "", "moitié", plural="halves", context="t/6")]
    listed = Message(context="t/7", source="listed", source_plural=None, strings=["liste"],
                     fuzzy=False, obsolete=False, flags=frozenset())
    messages.append(listed)
    shared = {"glossary": None, "run": {}, "deferred": {}}
    for lang in ("fr", "ar", "ja"):
        cat = catalog(lang, messages)
        units, unit_of = Unit.of_run(messages, cat, lang, "cfg", shared)
        live = [m for m in messages if not m.obsolete and any(m.strings)]
        assert [u.message for u in units] == live
        assert unit_of == [live.index(m) if m in live else -1 for m in messages]
        for u in units:
            want = Unit(u.message, cat, lang, "cfg", dict(shared))
            fields = [k for k in Unit.__slots__ if k not in ("_cache", "_shared")] + ["cache"]
            assert {k: getattr(u, k) for k in fields} == {k: getattr(want, k) for k in fields}
            assert u.strings.__class__ is tuple and u.cache is not shared
            assert u.forms() == want.forms()
            u.cache["mine"] = u.source  # (each unit's own copy, made on first use)
            assert u.cache["mine"] == u.source and "mine" not in shared
        assert len({id(u.cache) for u in units}) == len(units)
        given = {"glossary": None}
        assert Unit(messages[0], cat, lang, None, given).cache is given
        assert Unit(messages[0], cat, lang).cache == {}
        b = Batch(messages, cat, lang, "cfg", shared)
        assert [u.message for u in b.units] == live and b._unit_of == unit_of
