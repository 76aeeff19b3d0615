"""Issue 14's walk-throughs in real headless Chromium against a real waitress server:
a day's review of the whole French letter by keyboard only, a conflict resolved with
"use theirs", every page at 390 x 844 without horizontal scrolling, the Korean UI and
the Arabic UI right to left."""

from __future__ import annotations

import os
import re
from pathlib import Path

import playwright.sync_api as playwright  # a declared test dependency
import pytest
from conftest import WEB_USERS

from .conftest import approved, fill_login

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path(os.environ.get("LETTERFLOW_SHOTS", "")) if os.environ.get("LETTERFLOW_SHOTS") \
    else None


def _shot(page, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _login(page, base, name="tr_fr"):
    page.goto(base + "/login")
    fill_login(page, name)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(base + "/")


def test_a_days_review_by_keyboard_only(server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(server + "/login")
    # (autofocus lands a moment after "load": keys typed before it go nowhere)
    page.wait_for_function("document.activeElement && document.activeElement.name === 'name'")
    page.keyboard.type("tr_fr")
    page.keyboard.press("Tab")
    page.keyboard.type(WEB_USERS["tr_fr"][0])
    page.keyboard.press("Enter")
    page.wait_for_url(server + "/")
    page.goto(server + "/l/fr/")
    page.keyboard.press("Alt+ArrowDown")  # focus the first entry of the queue
    page.keyboard.press("Enter")
    page.wait_for_url("**/l/fr/e/icnk-2012/sender")

    # the help overlay lists the shortcuts, Esc closes it
    page.keyboard.press("Alt+h")
    assert page.locator("#help").is_visible()
    assert "Alt" in page.inner_text("#help") and "Reject" in page.inner_text("#help")
    page.keyboard.press("Escape")
    assert not page.locator("#help").is_visible()

    # plural entry: three boxes labelled with CLDR categories; placeholder chips by keyboard
    labels = page.locator("label.tlabel").all_inner_texts()
    assert labels[0].startswith("one") and labels[1].startswith("many") and \
        labels[2].startswith("other"), labels
    for i, text in enumerate([" transfuge de Corée du Nord", " transfuges de Corée du Nord",
                              " transfuges de Corée du Nord"]):
        if i:
            page.keyboard.press("Tab")
        page.keyboard.press("Control+a")
        page.keyboard.press("Alt+Shift+Digit1")  # inserts {count}
        page.keyboard.type(text)
    assert page.input_value("#t1") == "{count} transfuges de Corée du Nord"

    # leaving with unsaved edits asks first; Ctrl+S saves; then Alt+Down moves on
    page.keyboard.press("Alt+ArrowDown")
    page.wait_for_selector("#error:not([hidden])")
    assert "unsaved" in page.inner_text("#error")
    assert page.url.endswith("/sender")
    page.keyboard.press("Control+s")
    playwright.expect(page.locator("#status")).to_contain_text("Saved as draft")
    page.keyboard.press("Control+s")  # the same text again: nothing written
    playwright.expect(page.locator("#status")).to_contain_text("nothing was written")
    page.keyboard.press("Control+Enter")
    page.wait_for_url("**/l/fr/e/icnk-2012/place")
    playwright.expect(page.locator("#status")).to_contain_text("Approved “icnk-2012/sender”")
    _shot(page, "editor-1366")

    # reject: the status survives, the box is empty; suggestion 1 (cached MT) fills it
    page.keyboard.press("Alt+r")
    playwright.expect(page.locator("#status")).to_contain_text("Rejected")
    assert page.input_value("#t0") == ""
    playwright.expect(page.locator("#history-body")).to_contain_text("reject")
    page.wait_for_selector("#suggestions li.suggestion")
    page.keyboard.press("Alt+1")
    assert page.input_value("#t0") != ""
    page.keyboard.press("Control+Enter")
    page.wait_for_url("**/l/fr/e/icnk-2012/salutation")

    # the rest of the letter: read, then approve and next, 24 times (19 blocks + the title +
    # 6 forms of address, issue 11)
    seen = 2
    while "/l/fr/e/" in page.url:
        before = page.url
        page.keyboard.press("Control+Enter")
        page.wait_for_function("u => location.href !== u", arg=before)
        seen += 1
        assert seen <= 26, "more approvals than entries"
    assert seen == 26
    page.wait_for_url(server + "/l/fr/")
    assert approved(page) == 26
    assert not problems, problems


def test_conflict_resolved_with_use_theirs(server, browser):
    ctx_a, ctx_b = browser.new_context(), browser.new_context()
    a, b = ctx_a.new_page(), ctx_b.new_page()
    _login(a, server, "tr_fr")
    _login(b, server, "coord")
    url = server + "/l/fr/e/icnk-2012/closing"
    a.goto(url)
    b.goto(url)
    b.fill("#t0", "Merci de votre attention.")
    b.press("#t0", "Control+s")
    playwright.expect(b.locator("#status")).to_contain_text("Saved as draft")
    a.fill("#t0", "Je vous remercie.")
    a.press("#t0", "Control+s")
    a.wait_for_selector("#conflict")
    assert "coord" in a.inner_text("#conflict .winner")
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", a.inner_text("#conflict .winner"))
    assert "Merci de votre attention." in a.inner_text("#conflict")
    playwright.expect(a.locator("#history-body")).to_contain_text("conflict")
    a.keyboard.press("Enter")  # "Use theirs" has the focus
    assert a.input_value("#t0") == "Merci de votre attention."
    assert a.locator("#conflict").count() == 0
    # nothing unsaved: moving on does not ask
    a.keyboard.press("Alt+ArrowDown")
    a.wait_for_url("**/l/fr/e/icnk-2012/signature")
    ctx_a.close()
    ctx_b.close()


NARROW_PAGES = ["/", "/l/fr/", "/l/fr/?qa=1", "/l/fr/e/icnk-2012/sender", "/l/fr/e/icnk-2012/camps",
                "/l/ar/e/icnk-2012/sender", "/l/fr/preview", "/l/ar/", "/history", "/export",
                "/l/fr/e/no-such-entry"]


def _overflow(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def test_every_page_fits_390_px(server, browser):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                              has_touch=True)
    page = ctx.new_page()
    page.goto(server + "/login")
    width, view = _overflow(page)
    assert width <= view, ("/login", width, view)
    _login(page, server, "coord")
    # some history first, so that the history tables have rows
    page.goto(server + "/l/fr/e/icnk-2012/place")
    page.fill("#t0", "Séoul, République de Corée — " + "très " * 30)
    page.press("#t0", "Control+s")
    playwright.expect(page.locator("#status")).to_contain_text("Saved")
    for url in NARROW_PAGES:
        page.goto(server + url)
        width, view = _overflow(page)
        _shot(page, "390" + re.sub(r"\W+", "-", url))
        assert width <= view, (url, width, view)
    # the history tables are cards here: no horizontal scroll inside their own box either
    for url in ("/history", "/l/fr/e/icnk-2012/place"):
        page.goto(server + url)
        boxes = page.evaluate("""Array.from(document.querySelectorAll(
            'table.history-table, #history-body table')).map(t => {
              const box = t.closest('.scroll-x') || t;
              return [box.scrollWidth, box.clientWidth, t.scrollWidth, t.clientWidth,
                      getComputedStyle(t).display]; })""")
        assert boxes, url
        for outer, outer_view, inner, inner_view, display in boxes:
            assert outer <= outer_view and inner <= inner_view, (url, boxes)
            assert display == "block", (url, boxes)  # cards, not a table
    # a badge's message is reachable by touch: tap it, the reason shows
    page.goto(server + "/l/fr/?qa=1")
    badge = page.locator("details.qa-badge summary").first
    badge.tap()
    assert page.locator("details.qa-badge[open] li").first.is_visible()
    ctx.close()


def test_korean_ui(server, browser):
    ctx = browser.new_context(locale="ko-KR")
    page = ctx.new_page()
    page.goto(server + "/login")
    assert page.locator("h1").inner_text() == "로그인"
    _login(page, server, "tr_fr")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.locator("h1").inner_text() == "언어"
    page.goto(server + "/l/fr/e/icnk-2012/place")
    assert page.locator("button[value=approve_next]").inner_text() == "승인 후 다음"
    page.keyboard.press("Alt+h")
    assert "키보드 단축키" in page.inner_text("#help")
    page.keyboard.press("Escape")
    page.focus("#t0")
    page.keyboard.press("Alt+c")  # copy the source
    assert page.input_value("#t0") == "Seoul, Republic of Korea"
    page.fill("#t0", "Séoul, Corée")
    page.keyboard.press("Control+s")
    playwright.expect(page.locator("#status")).to_contain_text("초안으로 저장했습니다")
    playwright.expect(page.locator("#state")).to_have_text("초안")
    _shot(page, "ko-editor")
    # a refused approval: the reason and the QA panel in Korean (issue 14, item 7)
    page.goto(server + "/l/fr/e/icnk-2012/sender")
    page.fill("#t0", "{cuont} transfuge de Corée du Nord")
    page.press("#t0", "Control+Enter")
    page.wait_for_selector("#error:not([hidden])")
    assert page.inner_text("#error").startswith("승인 거부: ")
    findings = page.inner_text("#findings")
    assert "오류" in findings and "자리 표시자" in findings and "placeholders" in findings
    assert "renamed" not in findings and "not in the source" not in findings
    ctx.close()


def test_arabic_ui_right_to_left(server, browser):
    ctx = browser.new_context(locale="ar", viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    _login(page, server, "tr_fr")
    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl" and html.get_attribute("lang") == "ar"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # the header runs right to left: the brand is on the right, the menu on the left
    brand = page.locator("header.top .brand").bounding_box()
    nav = page.locator("header.top nav").bounding_box()
    assert brand["x"] > nav["x"]
    page.goto(server + "/l/fr/e/icnk-2012/place")
    # the page is RTL, the French text stays LTR
    assert page.evaluate("getComputedStyle(document.querySelector('#t0')).direction") == "ltr"
    assert page.evaluate("getComputedStyle(document.querySelector('.work')).direction") == "rtl"
    panel = page.locator("aside.side-panel").bounding_box()
    work = page.locator(".work").bounding_box()
    assert panel["x"] < work["x"]  # the side panel is on the left in RTL
    # the reviewed ui.po: Arabic buttons are verbal nouns (masdar), not imperatives
    assert page.locator("button[value=approve_next]").inner_text() == "موافقة والتالي"
    _shot(page, "ar-editor")
    page.set_viewport_size({"width": 390, "height": 844})
    for url in ("/", "/l/fr/", "/l/fr/e/icnk-2012/sender"):
        page.goto(server + url)
        width, view = _overflow(page)
        assert width <= view, (url, width, view)
    ctx.close()


def test_export_page_keeps_the_file_clears_errors_and_shows_success(server, browser, tmp_path):
    csv = tmp_path / "recipients.csv"
    csv.write_text("country,language\nFR,fr\nBE,fr\n", encoding="utf-8")
    ctx = browser.new_context(accept_downloads=True)
    page = ctx.new_page()
    _login(page, server, "coord")
    page.goto(server + "/export")
    page.set_input_files("input[name=recipients]", str(csv))
    page.click("button.primary")
    page.wait_for_selector("#export-error:not([hidden])")
    assert "Export blocked" in page.inner_text("#export-error")
    # one line per language, not a wall
    assert page.locator("#export-error ul.blocked-list > li").count() == 1
    # the chosen file is still there
    assert page.evaluate("document.querySelector('input[name=recipients]').files.length") == 1
    page.check("input[name=allow_drafts]")
    page.click("button[name=dry_run]")
    page.wait_for_selector("#dry-run:not([hidden])")
    assert "2 letters, plus manifest.json" in page.inner_text("#dry-run")
    assert page.locator("#export-error").is_hidden()  # the stale error is gone
    with page.expect_download() as dl:
        page.click("button.primary")
    assert dl.value.suggested_filename == "letters.zip"
    playwright.expect(page.locator("#export-status")).to_contain_text(
        "letters.zip with 2 letters was downloaded")
    assert page.locator("#export-error").is_hidden()
    ctx.close()


def test_export_success_message_uses_the_arabic_plural(server, browser, tmp_path):
    """The count comes from the response; the browser picks the form by CLDR category
    (Intl.PluralRules): Arabic has a dual, which English does not."""
    csv = tmp_path / "recipients.csv"
    csv.write_text("country,language\nFR,fr\nBE,fr\n", encoding="utf-8")
    ctx = browser.new_context(accept_downloads=True, locale="ar")
    page = ctx.new_page()
    _login(page, server, "coord")
    page.goto(server + "/export")
    page.set_input_files("input[name=recipients]", str(csv))
    page.check("input[name=allow_drafts]")
    with page.expect_download() as dl:
        page.click("button.primary")
    assert dl.value.suggested_filename == "letters.zip"
    playwright.expect(page.locator("#export-status")).to_contain_text(
        "تم: نُزّل letters.zip وفيه رسالتان (2).")
    ctx.close()


def test_next_error_and_entry_list_by_keyboard(server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    _login(page, server, "tr_fr")
    # a broken placeholder saved as a draft: that entry now has a QA error
    page.goto(server + "/l/fr/e/icnk-2012/cc")
    page.fill("#t0", "cc : Représentant permanent de {pays} auprès des Nations Unies")
    page.keyboard.press("Control+s")
    playwright.expect(page.locator("#status")).to_contain_text("Saved as draft")
    page.goto(server + "/l/fr/e/icnk-2012/place")
    assert page.locator("#entry-list li[data-qa=error]").count() >= 1
    page.keyboard.press("Alt+n")
    page.wait_for_url("**/l/fr/e/icnk-2012/cc")
    assert "placeholders" in page.inner_text("#findings")
    page.keyboard.press("Alt+l")  # the list of entries, focus on the current one
    assert page.evaluate("document.activeElement.closest('li').dataset.context") == \
        "icnk-2012/cc"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/l/fr/e/icnk-2012/signature-place")


def test_export_without_javascript_keeps_the_chosen_file(server, browser, tmp_path):
    csv = tmp_path / "ministers.csv"
    csv.write_text("country,language,name\nFR,fr,Anne\nBE,fr,Marc\n", encoding="utf-8")
    ctx = browser.new_context(java_script_enabled=False, accept_downloads=True)
    page = ctx.new_page()
    _login(page, server, "coord")
    page.goto(server + "/export")
    page.set_input_files("input[name=recipients]", str(csv))
    page.click("button.primary")  # a real form post: the page is rendered again
    assert "Export blocked" in page.inner_text("#export-error")
    assert "Using ministers.csv (2 rows)." in page.inner_text("#kept-file")
    # nothing chosen again: the kept file is used for the dry run and the download
    page.check("input[name=allow_drafts]")
    page.click("button[name=dry_run]")
    assert page.locator("#dry-run tbody tr").count() == 2
    assert "Using ministers.csv (2 rows)." in page.inner_text("#kept-file")
    assert page.is_checked("input[name=allow_drafts]")
    with page.expect_download() as dl:
        page.click("button.primary")
    assert dl.value.suggested_filename == "letters.zip"
    # the editor's suggestions are in the page itself
    page.goto(server + "/l/fr/e/icnk-2012/place")
    assert page.locator("#suggestions li.suggestion").count() >= 1
    assert page.locator("#suggestions li.suggestion .s-text").first.is_visible()
    ctx.close()


def test_login_page_language_chooser_by_keyboard(server, browser):
    ctx = browser.new_context(locale="fr-FR")
    page = ctx.new_page()
    page.goto(server + "/login")
    assert page.locator("html").get_attribute("lang") == "fr"
    # from the user name field, Tab reaches the language links
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('hreflang')") == "ko":
            break
    else:
        raise AssertionError("the Korean link is not reachable with Tab")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "로그인"
    assert page.locator("html").get_attribute("lang") == "ko"
    page.goto(server + "/login")  # kept (a cookie) over the browser's French
    assert page.locator("h1").inner_text() == "로그인"
    ctx.close()
