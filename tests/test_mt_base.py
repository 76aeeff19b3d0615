"""The shared MT machinery: masking, sentence splitting, pivot routing, the SQLite cache,
the deterministic ``pseudo`` engine, damaged-mask handling and back-translation."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from types import SimpleNamespace

import pytest

from workflow.errors import MTError
from workflow.mt import MTUnavailable, get_translator
from workflow.mt.base import Translator, mask, split_text, unmask
from workflow.mt.cache import MTCache

# --------------------------------------------------------------------------- masking

MASK_CASES = [
    # text, the spans that must be protected
    ("Dear {country} Minister,", ["{country}"]),
    ("{count} defectors from {0} and {}", ["{count}", "{0}", "{}"]),
    ("{name!r:>10} and {{literal}}", ["{name!r:>10}", "{{", "}}"]),
    ("Hello %(name)s, you are %(age)d", ["%(name)s", "%(age)d"]),
    ("%s of %d at %5.2f%%", ["%s", "%d", "%5.2f", "%%"]),
    ("A <b>bold</b> and <br/> and <a href=\"x\">link</a>",
     ["<b>", "</b>", "<br/>", '<a href="x">', "</a>"]),
    ("Fish &amp; chips &#8217; &#x2019;", ["&amp;", "&#8217;", "&#x2019;"]),
    ("See https://example.org/a?b=1.", ["https://example.org/a?b=1"]),
    ("A literal [[1]] stays", ["[[1]]"]),
    ("No placeholders at all.", []),
    ("50% of people", []),  # a lone percent sign is text
]


@pytest.mark.parametrize(("text", "spans"), MASK_CASES)
def test_mask_protects_exactly_these_spans(text, spans):
    m = mask(text)
    assert list(m.originals) == spans
    for i in range(1, len(spans) + 1):
        assert m.core.count(f"[[{i}]]") == 1
    for span in spans:
        if span != "[[1]]":
            assert span not in m.core
    back, damaged = unmask(m, m.core)
    assert back == text and damaged == ()


@pytest.mark.parametrize(
    ("engine_output", "expected", "damaged"),
    [
        ("Estimado [[2]] y [[1]].", "Estimado {b} y {a}.", ()),  # reordered: fine
        ("Estimado [ [1]] y [[2 ]].", "Estimado {a} y {b}.", ()),  # spaces inside: repaired
        ("Estimado y [[2]].", "Estimado y {b}.", ("{a}",)),  # lost
        ("[[1]] [[1]] [[2]]", "{a} {a} {b}", ("{a}",)),  # duplicated
        ("[[1]] [[2]] [[3]]", "{a} {b} [[3]]", ("[[3]]",)),  # invented
    ],
)
def test_unmask_reports_damage(engine_output, expected, damaged):
    m = mask("Dear {a} and {b}.")
    assert unmask(m, engine_output) == (expected, damaged)


def test_mask_keeps_outer_whitespace():
    m = mask("  Dear {x},\n")
    assert (m.lead, m.core, m.trail) == ("  ", "Dear [[1]],", "\n")
    assert unmask(m, " Querido [[1]], ") == ("  Querido {x},\n", ())


# --------------------------------------------------------------------------- splitting

SPLIT_CASES = [
    ("Short text.", 50),
    ("One. Two two. Three three three! Four? " * 5, 30),
    ("A sentence without any end but many words " * 6, 40),
    ("Averyveryverylongwordwithoutspaces" * 5, 20),
    ("第一句。第二句！第三句？" * 10, 16),
    ("Keep [[1]] tokens [[2]] whole. " * 6, 24),
]


@pytest.mark.parametrize(("text", "limit"), SPLIT_CASES)
def test_split_text_round_trips_within_limit(text, limit):
    pieces = split_text(text, limit)
    assert "".join(c + s for c, s in pieces) == text
    assert all(len(c) <= limit for c, _ in pieces)
    assert all(c.count("[[") == c.count("]]") for c, _ in pieces)


def test_split_text_prefers_sentence_boundaries():
    text = "First sentence here. Second one is here. Third one."
    assert split_text(text, 45) == [
        ("First sentence here. Second one is here.", " "),
        ("Third one.", ""),
    ]


# --------------------------------------------------------------------------- engines


class DroppingEngine(Translator):
    """A test engine that translates en->es by prefixing, and loses [[1]] when asked."""

    name = "dropping"

    def direct_pairs(self):
        return {("en", "es"), ("es", "fr"), ("es", "en")}

    def _translate(self, texts: Sequence[str], source, target):
        self.count_call()
        out: list = []
        for t in texts:
            if "FAIL" in t:
                out.append(MTError("refused", self.name, source, target, t))
            elif "EMPTY" in t:
                out.append("  ")
            elif "DROP" in t:
                out.append(f"{target}:" + t.replace("[[1]]", ""))
            else:
                out.append(f"{target}:{t}")
        return out


def cfg(tmp_path, **mt):
    return SimpleNamespace(
        mt={"pivot": {"fr": "es"}, **mt}, source_language="en", languages=["es", "fr", "de"],
        database=tmp_path / "db.sqlite3",
    )


def test_routing_direct_pivot_and_unsupported(tmp_path):
    t = DroppingEngine(cfg(tmp_path))
    assert t.route("en", "es") == ["en", "es"]
    assert t.route("en", "fr") == ["en", "es", "fr"]
    assert ("en", "fr") in t.supported_pairs()
    with pytest.raises(MTError, match=r"dropping en->de: no language pair en->de"):
        t.route("en", "de")
    out = t.translate_each(["Hi {x}"], "en", "fr")
    assert out[0].text == "fr:es:Hi {x}"
    assert out[0].route == "en-es + es-fr via es"


def test_failing_item_does_not_abort_the_batch_and_damage_is_reported(tmp_path):
    t = DroppingEngine(cfg(tmp_path))
    out = t.translate_each(["ok {a}", "FAIL {a}", "DROP {a}"], "en", "es")
    assert [o.text for o in out] == ["es:ok {a}", None, "es:DROP"]
    assert "refused" in str(out[1].error)
    assert out[2].damaged == ("{a}",)
    with pytest.raises(MTError, match="refused"):
        t.translate_batch(["ok", "FAIL"], "en", "es")


def test_cache_makes_rerun_free_and_is_keyed_by_normalised_text(tmp_path):
    c = cfg(tmp_path)
    cache = MTCache(c.database)
    t = DroppingEngine(c, cache=cache)
    first = t.translate_each(["Hello {name}!", "Bye"], "en", "es")
    assert t.calls == 1 and not any(o.cached for o in first)
    second = t.translate_each(["Hello  {other}!\n", " Bye "], "en", "es")  # same masked text
    assert t.calls == 1 and all(o.cached for o in second)
    assert [o.text for o in second] == ["es:Hello {other}!\n", " es:Bye "]
    # the pivot leg en->es is shared with the Spanish results
    t.translate_each(["Bye"], "en", "fr")
    assert t.calls == 2
    rows = sqlite3.connect(c.database).execute(
        "SELECT engine, source_lang, target_lang, source_text, target_text, hits "
        "FROM mt_cache ORDER BY target_lang, source_text"
    ).fetchall()
    assert rows == [
        ("dropping", "en", "es", "Bye", "es:Bye", 2),
        ("dropping", "en", "es", "Hello [[1]]!", "es:Hello [[1]]!", 1),
        ("dropping", "es", "fr", "es:Bye", "fr:es:Bye", 0),
    ]
    # failures and empty answers are not cached
    t.translate_each(["FAIL"], "en", "es")
    t.translate_each(["FAIL"], "en", "es")
    assert t.calls == 4
    for _ in range(2):
        out = t.translate_each(["EMPTY"], "en", "es")
        assert out[0].text is None and "empty translation" in str(out[0].error)
    assert t.calls == 6
    assert len(cache.rows()) == 3


def test_pseudo_engine_is_deterministic_and_keeps_placeholders(tmp_path):
    t = get_translator("pseudo", cfg(tmp_path))
    out = t.translate_batch(["Dear {country} and <b>you</b>", "Hi"], "en", "de")
    assert out == ["⟦Déár {country} áñd <b>ýóú</b>⟧", "⟦Hí⟧"]
    assert t.calls == 1
    assert t.translate_batch(out, "de", "en") == ["Dear {country} and <b>you</b>", "Hi"]


def test_unknown_provider_and_missing_key(tmp_path, monkeypatch):
    with pytest.raises(MTError, match="unknown MT provider 'babelfish'"):
        get_translator("babelfish", cfg(tmp_path))
    monkeypatch.delenv("LETTERFLOW_DEEPL_KEY", raising=False)
    with pytest.raises(MTUnavailable) as info:
        get_translator("deepl", cfg(tmp_path))
    assert str(info.value) == "deepl: no API key: set the environment variable LETTERFLOW_DEEPL_KEY"
    assert "\n" not in str(info.value)


def test_apertium_missing_is_a_clear_error(tmp_path):
    t = get_translator("apertium", cfg(tmp_path, apertium=str(tmp_path / "no-such-apertium")))
    ok, why = t.available()
    assert not ok and "apt-get install apertium" in why
    with pytest.raises(MTUnavailable, match="apertium is not installed"):
        t.translate_batch(["x"], "en", "es")
