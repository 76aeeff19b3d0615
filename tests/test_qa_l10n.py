"""QA findings in the reader's language (issue 14, item 7).

Every finding message is built from English templates a check declares once
(``Check.messages``, marked ``N_``); ``workflow.checks.messages.explain`` gives a
message's template and slot values back, and the UI fills the translated template.
``Finding.message`` stays English for the CLI and the gate. Tested here: the templates
and the checks agree (every message a check makes is explained, and explaining it gives
it back), every template, slot word, title and severity word is translated in each
shipped UI language with the same slots, and the editor, the queue, the JSON findings,
a 422 refusal and the export page show Korean to a Korean reader and English otherwise.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from checks_support import problems
from conftest import web_login

from workflow.checks import registry
from workflow.checks.messages import (
    CHECK_FAILED,
    FORM,
    SEVERITY_WORDS,
    explain,
    failed,
    slots,
)

REPO = Path(__file__).resolve().parent.parent
UI_LANGS = ("ko", "fr", "es", "ar")
KO = {"Accept-Language": "ko-KR,ko;q=0.9"}
EN = {"Accept-Language": "en"}
CTX = "icnk-2012/sender"
BROKEN = ["{cuont} transfuge", "{count} transfuges", "{count} transfuges"]


def _declared() -> dict[str, tuple[str, ...]]:
    """check id -> its templates (the registry's checks, and the header entry's)."""
    from workflow.checks.header import HEADER_MESSAGES

    return {**{cid: check.messages for cid, check in registry.items()},
            "header": HEADER_MESSAGES}


def _all_templates() -> set[str]:
    out = {FORM, CHECK_FAILED}
    for declared in _declared().values():
        out.update(declared)
    return out


def _rebuilt(parts) -> str:
    return "".join(t % p for t, p in parts)


def test_every_check_declares_templates_with_named_slots_only():
    for cid, check in registry.items():
        assert check.messages, cid
        for template in check.messages:
            slots(template)  # raises on any other % directive
    with pytest.raises(ValueError):
        slots("ratio %.2f")
    assert set(SEVERITY_WORDS) == {"error", "warning"}


def test_every_template_is_explained_back_with_its_own_values():
    for cid, declared in _declared().items():
        for template in declared:
            # (values as a slot's may be: two slots side by side are told apart by the
            # text between them, which the values do not hold: "nplurals=2, fr needs 3")
            params = {name: f"<{name} value: 1>" for name in slots(template)}
            message = template % params
            assert explain(cid, message) == [(template, params)], (cid, template)
            plural = FORM % {"form": 2} + message
            assert explain(cid, plural) == [(FORM, {"form": "2"}), (template, params)]
    assert explain("placeholders", "something no template makes") is None
    assert explain("no-such-check", "missing placeholder {x}") is None
    boom = failed(ZeroDivisionError("division by zero"))
    assert boom == "check failed: ZeroDivisionError: division by zero"
    assert explain("spelling", boom) == [(CHECK_FAILED, {"error": "ZeroDivisionError",
                                                         "detail": "division by zero"})]


def _t(module: str, name: str) -> str:
    import importlib

    return getattr(importlib.import_module(f"workflow.{module}"), name)


#: (check, source, translation, (module, template constant), its slot values): real checks,
#: one kind of message each, and what the message must be made of
CASES = [
    ("control-chars", "Hello there", "Bon\x07jour", ("checks.characters", "CONTROL"),
     {"code": "U+0007", "position": "4"}),
    ("control-chars", "Hello there", "Bon\x07jo\x0bur", ("checks.characters", "CONTROL_MORE"),
     {"code": "U+0007", "position": "4", "more": "1"}),
    ("brackets", "Hello (there)", "Bonjour (là « ici", ("checks.brackets", "UNBALANCED"),
     {"kinds": "guillemets, round"}),
    ("untranslated", "Human rights defenders", "Human rights defenders",
     ("checks.identical", "IDENTICAL"), {}),
    ("placeholders", "Dear {name}", "Cher {nom}", ("checks.placeholders", "RENAMED"),
     {"old": "{name}", "new": "{nom}"}),
    ("placeholders", "Dear {name}", "Cher ami", ("checks.placeholders", "MISSING"),
     {"names": "{name}"}),
    ("placeholders", "Dear friend", "Cher {nom}", ("checks.placeholders", "INVENTED"),
     {"names": "{nom}"}),
    ("placeholders", "Dear %s and %d", "Cher %d et %s", ("checks.placeholders",
                                                         "PRINTF_CHANGED"),
     {"want": "%s %d", "got": "%d %s"}),
    ("markup", "<b>Hello</b> there", "Bonjour là", ("source.markup", "MISSING_TAG"),
     {"tags": "</b> <b>"}),
    ("markup", "Hello there", "<b>Bonjour</b> là", ("checks.markup", "EXTRA_TAG"),
     {"tags": "</b> <b>"}),
    ("markup", "<g1>Hi</g1> <g2>there</g2>", "<g1>Salut <g2>là</g1></g2>",
     ("source.markup", "NOT_NESTED"), {"closing": "</g1>", "open": "<g2>"}),
    ("numbers", "179 defectors", "des transfuges", ("checks.numbers", "MISSING_NUMBER"),
     {"numbers": "179"}),
    ("numbers", "defectors", "180 transfuges", ("checks.numbers", "EXTRA_NUMBER"),
     {"numbers": "180"}),
    ("whitespace", "Hello", " Bonjour", ("checks.whitespace", "LEADING"),
     {"got": "' '", "want": "''"}),
    ("whitespace", "Hello ", "Bonjour", ("checks.whitespace", "TRAILING"),
     {"got": "''", "want": "' '"}),
    ("whitespace", "Hello there", "Bonjour  là", ("checks.whitespace", "DOUBLE_SPACES"),
     {"extra": "1"}),
    ("end-punctuation", "Hello.", "Bonjour", ("checks.punctuation", "ENDS_WITH"),
     {"got": "no mark", "want": "'.'"}),
    ("end-punctuation", "Hello!", "Bonjour !", ("checks.punctuation", "PLAIN_SPACE"),
     {"mark": "'!'"}),
    ("end-punctuation", "Hello!", "Bonjour!", ("checks.punctuation", "NO_SPACE"),
     {"mark": "'!'"}),
    ("repeated-word", "the camps", "les les camps", ("checks.repeated", "REPEATED"),
     {"word": "'les'"}),
    ("length", "The camps hold many thousands.", "Les camps" + " retiennent" * 30,
     ("checks.length", "TOO_LONG"), {"ratio": "11.30x", "lang": "fr", "typical": "1.20x"}),
    ("length", "The camps hold many thousands of people in the north.", "Camps.",
     ("checks.length", "TOO_SHORT"), {"ratio": "0.11x", "lang": "fr", "typical": "1.20x"}),
]


def test_messages_of_real_checks_are_their_templates_filled():
    """A check that builds a message its own way (not from its template, or with other
    values in the slots) fails here, even where a slot could swallow the difference."""
    for cid, source, text, (module, name), params in CASES:
        template = _t(module, name)
        assert template in registry[cid].messages, (cid, name)
        found = problems(cid, source, text)
        assert found == [template % params], (cid, found)
        assert explain(cid, found[0]) == [(template, params)], (cid, found)
    # a plural form's problem: "form 0: " first
    found = problems("placeholders", "{count} defector", *BROKEN, plural="{count} defectors")
    assert found == ["form 0: placeholder {count} renamed to {cuont}"]
    renamed = _t("checks.placeholders", "RENAMED")
    assert explain("placeholders", found[0]) == [
        (FORM, {"form": "0"}), (renamed, {"old": "{count}", "new": "{cuont}"})]


def test_catalogue_findings_are_their_templates_filled():
    from checks_support import catalog, msg

    from workflow.checks import header, plurals
    from workflow.status import header_findings

    cat = catalog("fr", [msg("Hello", "Bonjour")],
                  headers={"Language": "de", "Content-Type": "text/plain; charset=latin-1"})
    found = [f.message for f in header_findings(cat)]
    assert found == [header.NOT_UTF8 % {"charset": "latin-1"},
                     header.LANGUAGE_HEADER % {"declared": "'de'", "lang": "fr"}]
    for message in found:
        parts = explain("header", message)
        assert parts is not None and _rebuilt(parts) == message
    cat = catalog("fr", headers={"Plural-Forms": "nplurals=2; plural=(n > 1);"}, nplurals=2)
    cat.plural_expr = "(n > 1)"
    found = list(registry["plurals"].check_catalog(cat, "fr"))
    want = plurals.NPLURALS_GNU % {"n": 2, "lang": "fr", "want": "3", "categories":
                                   "one, many, other", "header": plurals.REASON_HEADER}
    assert found == [want]
    assert explain("plurals", want) == [(plurals.NPLURALS_GNU, {
        "n": "2", "lang": "fr", "want": "3", "categories": "one, many, other",
        "header": plurals.REASON_HEADER})]


def test_spelling_fast_head_is_the_declared_template():
    from workflow.checks.spelling import (
        NOT_IN_DICTIONARY,
        NOT_IN_DICTIONARY_MORE,
        problem,
        problem_head,
    )

    words = [f"w{i}" for i in range(10)]
    shown = ", ".join(repr(w) for w in words[:3])
    # word_scan writes head + shown with no call per message: the template, filled
    assert problem_head("fr_FR") + shown == NOT_IN_DICTIONARY % {"dictionary": "fr_FR",
                                                                 "words": shown}
    assert problem("", "fr_FR", words[:3]) == problem_head("fr_FR") + shown
    many = problem("form 1: ", "fr_FR", words)
    assert many == "form 1: not in the fr_FR dictionary: " + ", ".join(
        repr(w) for w in words[:8]) + " and 2 more"
    assert many == "form 1: " + NOT_IN_DICTIONARY_MORE % {
        "dictionary": "fr_FR", "words": ", ".join(repr(w) for w in words[:8]), "more": 2}
    assert explain("spelling", many)[1][0] == NOT_IN_DICTIONARY_MORE


def test_unit_where_is_the_form_template():
    from workflow.checks.base import Unit

    assert Unit.where(0, 1) == ""
    for i in (0, 1, 5, 7, 8, 12):
        assert Unit.where(i, 13) == FORM % {"form": i} == f"form {i}: "


def _catalogue(lang: str) -> dict:
    with (REPO / "locales" / lang / "LC_MESSAGES" / "ui.po").open("rb") as fh:
        return {m.id: m for m in read_po(fh) if m.id}


@pytest.mark.parametrize("lang", UI_LANGS)
def test_every_template_word_and_title_is_translated_with_the_same_slots(lang):
    cat = _catalogue(lang)
    wanted = _all_templates() | set(SEVERITY_WORDS)
    for check in registry.values():
        wanted.update(check.words)
        wanted.add(check.title())
    for msgid in sorted(wanted):
        m = cat.get(msgid)
        assert m is not None and m.string and not m.fuzzy, (lang, msgid)
        assert sorted(slots(m.string)) == sorted(slots(msgid)), (lang, msgid, m.string)


def test_a_translation_with_a_wrong_slot_falls_back_to_english(app, monkeypatch):
    from types import SimpleNamespace

    import web.qa_text as qa_text

    finding = SimpleNamespace(check_id="placeholders", message="missing placeholder {x}")
    with app.test_request_context(headers=KO):
        assert qa_text.finding_text(finding) == "자리 표시자 {x}이(가) 빠졌습니다"
        # a translator renamed the slot: KeyError when filled, the English is shown
        monkeypatch.setattr(qa_text, "gettext", lambda s, **kw: s.replace("names", "noms") % kw)
        assert qa_text.finding_text(finding) == "missing placeholder {x}"
    with app.test_request_context(headers=EN):
        assert qa_text.finding_text(finding) == "missing placeholder {x}"


# ------------------------------------------------------------------------------ the web UI

def _break_the_sender(c) -> dict:
    rev = c.get(f"/api/l/fr/entries/{CTX}").json["entry"]["revision"]
    r = c.post(f"/api/l/fr/entries/{CTX}", headers=KO, json={
        "action": "approve", "strings": BROKEN, "base_revision": rev})
    assert r.status_code == 422 and r.json["saved_draft"] is True
    return r.json


KO_TEXT = "형태 0: 자리 표시자 {count}의 이름이 {cuont}(으)로 바뀌었습니다"
EN_TEXT = "form 0: placeholder {count} renamed to {cuont}"
KO_TITLE = "자리 표시자가 모두 있고 추가되거나 이름이 바뀐 것이 없음"
EN_TITLE = "Placeholders present, none invented, none renamed"


def test_422_refusal_and_json_findings_follow_the_ui_language(client):
    c = client
    assert web_login(c, "tr_fr").status_code == 302
    data = _break_the_sender(c)
    assert data["error"] == f"승인 거부: {KO_TITLE}: {KO_TEXT}"
    f = data["findings"][0]
    assert (f["message"], f["text"], f["title"], f["severity_text"]) == (
        EN_TEXT, KO_TEXT, KO_TITLE, "오류")
    # English: the core's own text, byte for byte
    rev = c.get(f"/api/l/fr/entries/{CTX}").json["entry"]["revision"]
    r = c.post(f"/api/l/fr/entries/{CTX}", headers=EN, json={
        "action": "approve", "strings": BROKEN, "base_revision": rev})
    assert r.status_code == 422
    assert r.json["error"] == f"Approval refused: placeholders: {EN_TEXT}"
    assert r.json["findings"][0]["text"] == EN_TEXT
    assert r.json["findings"][0]["title"] == EN_TITLE


def test_editor_and_queue_show_findings_in_korean_and_english(client):
    c = client
    assert web_login(c, "tr_fr").status_code == 302
    _break_the_sender(c)
    html = c.get(f"/l/fr/e/{CTX}", headers=KO).get_data(as_text=True)
    panel = html.split('id="findings"')[1].split("</ul>")[0]
    assert '<span class="badge error">오류</span>' in panel
    assert (f'<strong>{KO_TITLE}</strong> <code class="check-id">placeholders</code>: '
            f'{KO_TEXT}') in panel
    assert "renamed" not in panel
    html = c.get(f"/l/fr/e/{CTX}", headers=EN).get_data(as_text=True)
    panel = html.split('id="findings"')[1].split("</ul>")[0]
    assert '<span class="badge error">error</span>' in panel
    assert (f'<strong>{EN_TITLE}</strong> <code class="check-id">placeholders</code>: '
            f'{EN_TEXT}') in panel
    queue = c.get("/l/fr/?qa=error", headers=KO).get_data(as_text=True)
    assert f'data-check="placeholders">{KO_TITLE}</span>' in queue
    assert f"<li>{KO_TEXT}</li>" in queue
    queue = c.get("/l/fr/?qa=error", headers=EN).get_data(as_text=True)
    assert f"<li>{EN_TEXT}</li>" in queue and KO_TEXT not in queue


def test_export_blocking_list_in_korean(client, app):
    from web.export import _statuses
    from web.qa_text import blocking_line

    assert web_login(client, "tr_fr").status_code == 302
    _break_the_sender(client)
    with app.test_request_context("/export", headers=KO):
        (fr,) = [s for s in _statuses() if s.language == "fr"]
        line = f"{CTX}: [placeholders] {EN_TEXT}"
        assert line in fr.blocking  # the core's own line: English (CLI, manifest)
        assert blocking_line(line) == f"{CTX}: [{KO_TITLE}] {KO_TEXT}"
        assert blocking_line(f"{CTX}: draft") == f"{CTX}: draft"  # not a finding: as is
    with app.test_request_context("/export", headers=EN):
        assert blocking_line(line) == line


def test_cli_and_gate_reports_stay_english():
    """Finding.message is the English text whatever a UI shows (the gate's JSON)."""
    found = problems("placeholders", "{count} defector", *BROKEN, plural="{count} defectors")
    assert found == [EN_TEXT]
    assert re.fullmatch(r"[ -~]+", found[0])  # plain ASCII English


def test_remembered_titles_and_severity_words_are_the_translations(app):
    """web.qa_text keeps what it shows per (check, language): the same as translating
    again, in each language, the second time too."""
    from flask_babel import gettext, refresh

    from web.qa_text import check_title, severity_word

    for headers, lang in ((KO, "ko"), (EN, "en"), ({"Accept-Language": "ar"}, "ar")):
        with app.test_request_context(headers=headers):
            refresh()
            for _ in range(2):
                for cid, check in registry.items():
                    assert check_title(cid) == gettext(check.title()).rstrip("."), (lang, cid)
                for word in SEVERITY_WORDS:
                    assert severity_word(word) == gettext(word)
            assert check_title("sync") == "sync"  # a gate-only id: no check, as it is
    with app.test_request_context(headers=KO):
        assert check_title("placeholders") == KO_TITLE and severity_word("error") == "오류"
