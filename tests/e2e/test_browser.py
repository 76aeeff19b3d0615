"""The review UI in real headless Chromium (Debian /usr/bin/chromium, Playwright),
against a real waitress server process: log in, open the French queue, edit a draft,
approve it with Ctrl+Enter, see the progress bar move, see a QA error block approval.
Also: Alt+Down / Ctrl+S, no CSP violation, and the same flow with JavaScript off."""

from __future__ import annotations

import playwright.sync_api as playwright  # a declared test dependency
import pytest

from .conftest import approved, fill_login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _login(page, base):
    page.goto(base + "/")
    assert "/login" in page.url
    fill_login(page, "tr_fr")
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")


def test_review_flow_in_chromium(server, browser, tmp_path):
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    _login(page, server)
    assert approved(page) == 0

    # open the French queue, then the "place" entry
    page.click("#lang-fr h2 a")
    page.wait_for_url(server + "/l/fr/")
    page.click("a.entry-link[href$='icnk-2012/place']")
    page.wait_for_url("**/l/fr/e/icnk-2012/place")
    ta = page.locator("#t0")
    assert ta.get_attribute("dir") == "ltr" and ta.get_attribute("lang") == "fr"

    # Ctrl+S saves a draft without leaving the page
    ta.fill("Séoul, Corée")
    ta.press("Control+s")
    playwright.expect(page.locator("#status")).to_contain_text("Saved as draft")
    assert page.url.endswith("icnk-2012/place")

    # edit, approve with Ctrl+Enter: goes to the next open entry and the bar moves
    ta.fill("Séoul, République de Corée")
    ta.press("Control+Enter")
    page.wait_for_url("**/l/fr/e/icnk-2012/salutation")
    assert approved(page) == 1
    assert page.locator(".progress[data-lang=fr] .n-approved").inner_text() == "1"
    width = float(page.get_attribute(".progress[data-lang=fr] .seg-approved", "width"))
    assert width > 0

    # Alt+Up / Alt+Down move between entries
    page.keyboard.press("Alt+ArrowUp")
    page.wait_for_url("**/l/fr/e/icnk-2012/place")
    assert page.locator("#state").inner_text() == "approved"
    page.keyboard.press("Alt+ArrowDown")
    page.wait_for_url("**/l/fr/e/icnk-2012/salutation")

    # a broken placeholder: approval is refused with the reason, the page stays
    page.goto(server + "/l/fr/e/icnk-2012/sender")
    page.fill("#t0", "{cuont} transfuge de Corée du Nord")
    page.press("#t0", "Control+Enter")
    page.wait_for_selector("#error:not([hidden])")
    assert "Approval refused" in page.inner_text("#error")
    assert "placeholders" in page.inner_text("#findings")
    assert page.url.endswith("icnk-2012/sender")
    assert page.locator("#state").inner_text() == "draft"
    page.screenshot(path=str(tmp_path / "qa-refused.png"), full_page=True)

    # the queue shows the moved progress bar
    page.goto(server + "/l/fr/")
    assert approved(page) == 1
    page.screenshot(path=str(tmp_path / "queue.png"), full_page=True)
    assert (tmp_path / "queue.png").stat().st_size > 1000

    # the whole-letter preview marks what is not approved yet
    page.goto(server + "/l/fr/preview")
    assert page.locator("article.lf-letter .unapproved").count() > 10
    assert page.locator("article.lf-letter [data-context='icnk-2012/place']").get_attribute(
        "data-state") == "approved"
    page.screenshot(path=str(tmp_path / "preview.png"), full_page=True)
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], \
        problems


def test_works_without_javascript(server, browser, tmp_path):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    _login(page, server)
    page.goto(server + "/l/fr/e/icnk-2012/place")
    page.fill("#t0", "Séoul, République de Corée")
    page.click("button[value=approve_next]")
    page.wait_for_url("**/l/fr/e/icnk-2012/salutation")
    assert approved(page) == 1
    page.goto(server + "/l/fr/e/icnk-2012/sender")
    page.fill("#t0", "{cuont} transfuge")
    page.click("button[value=approve]")
    assert "Approval refused" in page.inner_text("#error")
    page.screenshot(path=str(tmp_path / "nojs.png"), full_page=True)
    ctx.close()
