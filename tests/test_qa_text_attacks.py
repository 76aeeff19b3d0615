"""A hostile review of the translated QA findings (``web.qa_text`` with
``workflow.checks.messages.explain``): slot values that hold a template's literal text,
markup in a slot, translations that lose a slot, right-to-left interfaces."""

from __future__ import annotations

from types import SimpleNamespace

from web.qa_text import finding_text
from workflow.checks.messages import explain

KO = {"Accept-Language": "ko-KR,ko;q=0.9"}
AR = {"Accept-Language": "ar"}
GLOSSARY = "mandatory term %(term)s should be translated as %(want)s"


def _glossary(term: str, want: str) -> str:
    return GLOSSARY % {"term": repr(term), "want": repr(want)}


def test_explain_gives_back_the_values_it_was_made_from():
    message = _glossary("camps", "les camps")
    assert explain("glossary", message) == [
        (GLOSSARY, {"term": "'camps'", "want": "'les camps'"})]


def test_a_slot_holding_the_templates_own_words_is_not_split_wrongly():
    """A glossary term (a coordinator's text) that contains the template's literal part:
    the message has two readings; whichever explain picked, the reader would be told a
    wrong term or a wrong translation. Such a message is shown as it is (English)."""
    message = _glossary("x' should be translated as 'y", "z")
    parts = explain("glossary", message)
    assert parts is None or parts == [
        (GLOSSARY, {"term": repr("x' should be translated as 'y"), "want": "'z'"})]


def test_a_translation_that_drops_a_slot_shows_the_english(app, monkeypatch):
    """A translated template without one of the English template's slots would hide the
    value (Python's %-formatting ignores unused keys): the English is shown instead."""
    import web.qa_text as qa_text

    message = _glossary("camps", "les camps")
    finding = SimpleNamespace(check_id="glossary", message=message)
    real = qa_text.gettext

    lost = "필수 용어 %(term)s 확인"  # a translation that lost %(want)s

    def dropped(s, **kw):  # (Flask-Babel's gettext: the template filled when given values)
        return (lost if s == GLOSSARY else real(s)) % kw if kw else (
            lost if s == GLOSSARY else real(s))

    with app.test_request_context(headers=KO):
        shown = qa_text.finding_text(finding)
        assert "les camps" in shown and "'camps'" in shown  # (the shipped translation)
        monkeypatch.setattr(qa_text, "gettext", dropped)
        assert qa_text.finding_text(finding) == message


def test_markup_in_a_slot_is_escaped_in_the_page(app):
    message = _glossary("<script>alert(1)</script>", "<b>x</b>")
    finding = SimpleNamespace(check_id="glossary", message=message, severity="error")
    with app.test_request_context(headers=KO):
        html = app.jinja_env.from_string("{{ finding_text(f) }}").render(f=finding)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_slot_values_are_isolated_in_a_right_to_left_interface(app):
    """In Arabic, a left-to-right slot value ({count}, <g1>, a French word) sits in
    right-to-left text: without isolation the bidi algorithm takes its neutral brackets
    and quotes into the Arabic run (shown as "}count{"). Each value is wrapped in
    FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE there, and only there."""
    finding = SimpleNamespace(check_id="placeholders",
                              message="placeholder {count} renamed to {cuont}")
    with app.test_request_context(headers=AR):
        ar = finding_text(finding)
    assert "\u2068{count}\u2069" in ar and "\u2068{cuont}\u2069" in ar
    with app.test_request_context(headers=KO):
        ko = finding_text(finding)
    assert "\u2068" not in ko and "{count}" in ko
