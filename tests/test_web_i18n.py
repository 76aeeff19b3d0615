"""The review UI in the translator's language: Flask-Babel with its own "ui" domain under
locales/, checked by the project's own gate; the user's setting beats Accept-Language;
Arabic is right to left. The UI catalogues were reviewed by the maintainers (not by native
speakers, and they say so); what nobody reviewed stays a fuzzy draft. Core review errors
reach the user in the interface language, and stay English for the CLI."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po
from conftest import web_login
from tool_support import need

REPO = Path(__file__).resolve().parent.parent
UI_LANGS = ("ko", "fr", "es", "ar")
NPLURALS = {"ko": 1, "fr": 3, "es": 3, "ar": 6}  # CLDR's counts, as the gate wants
CTX = "icnk-2012/camps"
KO = {"Accept-Language": "ko-KR,ko;q=0.9"}


def _po(lang: str) -> Path:
    return REPO / "locales" / lang / "LC_MESSAGES" / "ui.po"


def test_ui_template_is_current_and_catalogues_complete(tmp_path):
    from web.i18n import EXTRACT_FROM

    pot = tmp_path / "ui.pot"
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "-q", "extract", "-F",
                    "web/translations/babel.cfg", "-o", str(pot), *EXTRACT_FROM],
                   cwd=REPO, check=True)
    fresh = {m.id for m in read_po(pot.open("rb")) if m.id}
    shipped = {m.id for m in read_po((REPO / "locales" / "ui.pot").open("rb")) if m.id}
    assert fresh == shipped, "run scripts/ui-l10n.sh (pybabel extract, letterflow update)"
    for lang in UI_LANGS:
        cat = read_po(_po(lang).open("rb"))
        ids = {m.id for m in cat if m.id}
        assert ids == shipped, lang
        for m in cat:
            if m.id:
                assert m.string, (lang, m.id)  # complete: every message translated
                if m.fuzzy:  # a draft says why: made by a machine, or a doubt on record
                    assert any(c.startswith(("machine translation", "needs review:"))
                               for c in m.user_comments), (lang, m.id)
                else:  # approved, and the comment says by whom
                    assert any(c.startswith("approved by letterflow maintainers")
                               for c in m.user_comments), (lang, m.id)


def test_ui_catalogues_say_who_reviewed_them_and_korean_is_complete():
    for lang in UI_LANGS:
        text = _po(lang).read_text(encoding="utf-8")
        # honest provenance: the maintainers, no (fictional) native reviewer
        assert '"Last-Translator: letterflow maintainers\\n"' in text, lang
        assert ('"X-Letterflow-Review: maintainers, not yet reviewed by a native speaker\\n"'
                in text), lang
        cat = read_po(_po(lang).open("rb"))
        assert cat.num_plurals == NPLURALS[lang], lang
        plural = [m for m in cat if m.id and m.pluralizable]
        assert plural and all(len(m.string) == NPLURALS[lang] and all(m.string)
                              for m in plural), lang
        if lang == "ko":
            assert not [m.id for m in cat if m.id and m.fuzzy]
    toml = (REPO / "web" / "translations" / "letterflow.toml").read_text()
    assert re.search(r'^required = \["ko"\]', toml, re.M)


def test_ui_catalogues_pass_msgfmt_check(tmp_path):
    msgfmt = need("msgfmt")
    for lang in UI_LANGS:
        r = subprocess.run([msgfmt, "-c", "-o", str(tmp_path / f"{lang}.mo"), str(_po(lang))],
                           capture_output=True, text=True)
        assert r.returncode == 0, (lang, r.stderr)


def test_project_gate_accepts_the_ui_domain():
    r = subprocess.run([sys.executable, "-m", "workflow.cli", "--project", "web/translations",
                        "check", "--format", "github", "--no-cache"], cwd=REPO,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "4 catalogue(s) checked" in r.stdout


def test_language_from_accept_language_then_user_setting(client):
    web_login(client, "tr_fr")
    html = client.get("/", headers={"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"}).get_data(
        as_text=True)
    assert '<html lang="ko" dir="ltr">' in html and "언어" in html and "로그아웃" in html
    assert "Log out" not in html
    html = client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="en"' in html and "Log out" in html
    # the user's own setting wins over the browser
    r = client.post("/settings/language", data={"ui_language": "ar", "next": "/l/fr/"})
    assert r.status_code == 302 and r.headers["Location"] == "/l/fr/"
    html = client.get("/l/fr/", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html and "تسجيل الخروج" in html
    # the letter's text keeps its own direction inside the RTL page
    html = client.get("/l/fr/e/icnk-2012/place").get_data(as_text=True)
    assert 'dir="ltr" lang="fr"' in html
    assert client.post("/settings/language", data={"ui_language": "xx"}).status_code == 400
    client.post("/settings/language", data={"ui_language": ""})
    html = client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Cerrar sesión" in html


def test_queue_page_cache_is_per_ui_language(client):
    web_login(client, "tr_fr")
    ko = client.get("/l/fr/", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    en = client.get("/l/fr/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "검색" in ko and "검색" not in en and "Search" in en


# --------------------------------------------------------------- core errors in the UI language

REVIEW_ERRORS = {"Forbidden", "NotFound", "InvalidInput", "Conflict", "ApprovalRefused", "Busy"}


def test_review_errors_are_raised_with_a_marked_template_not_a_formatted_string():
    """A translator can only see a review error in their language if its text is a fixed
    template (N_) with parameters: an f-string would never match the catalogue."""
    bad = []
    for path in [*(REPO / "workflow").rglob("*.py"), *(REPO / "web").rglob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                    and (n.module or "").endswith("errors") for a in n.names}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in REVIEW_ERRORS & imported and node.args):
                arg = node.args[0]
                marked = (isinstance(arg, ast.Call) and isinstance(arg.func, ast.Name)
                          and arg.func.id == "N_")
                if not (marked or isinstance(arg, ast.Name)):
                    bad.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not bad, bad


def test_core_errors_stay_english_for_the_cli_and_carry_template_and_parameters():
    import pytest

    from workflow.errors import N_, Busy, Forbidden, InvalidInput
    from workflow.review.rules import clean_strings

    exc = Forbidden(N_("You may not edit %(lang)s."), params={"lang": "de"})
    assert str(exc) == "You may not edit de." and exc.msgid == "You may not edit %(lang)s."
    assert exc.params == {"lang": "de"} and exc.exit_code == 2
    with pytest.raises(InvalidInput) as info:
        clean_strings(["x" * 11], 1, max_length=10)
    assert str(info.value) == "translation too long: 11 characters, the limit is 10"
    assert info.value.too_large and info.value.params == {"n": 11, "limit": 10}
    assert str(Busy("plain text, 100%")) == "plain text, 100%"  # no parameters: as given
    ko = {m.id: m.string for m in read_po(_po("ko").open("rb")) if m.id}
    assert ko[info.value.msgid] % info.value.params == "번역이 너무 깁니다: 11자(최대 10자)"


def _login(client, name="tr_fr"):
    assert web_login(client, name).status_code == 302
    return client


def _rev(client, ctx=CTX):
    return client.get(f"/api/l/fr/entries/{ctx}").json["entry"]["revision"]


def test_ko_ui_shows_a_409_conflict_in_korean(client):
    c = _login(client)
    old = _rev(c)
    assert c.post(f"/api/l/fr/entries/{CTX}", json={
        "action": "save", "strings": ["Premier texte."], "base_revision": old}).status_code == 200
    korean = "이 항목을 연 뒤에 다른 사용자가 내용을 바꿨습니다."
    r = c.post(f"/api/l/fr/entries/{CTX}", headers=KO, json={
        "action": "save", "strings": ["Second texte."], "base_revision": old})
    assert r.status_code == 409 and r.json["error"].startswith(korean)
    assert r.json["conflict"]["yours"] == ["Second texte."]  # the outcome is still there
    r = c.post(f"/api/l/fr/entries/{CTX}", json={  # English without the header
        "action": "save", "strings": ["Second texte."], "base_revision": old})
    assert r.status_code == 409 and r.json["error"].startswith("Someone changed this entry")
    # the no-JS form: the page is Korean, error included
    r = c.post(f"/l/fr/e/{CTX}", headers=KO, data={"action": "save", "revision": old,
                                                 "t0": "Troisième texte."})
    html = r.get_data(as_text=True)
    assert r.status_code == 409 and korean in html and "Someone changed" not in html
    assert "충돌: 편집하는 동안 이 항목이 바뀌었습니다" in html


def test_ko_ui_shows_a_422_refused_approval_in_korean(client, monkeypatch):
    c = _login(client)
    r = c.post(f"/api/l/fr/entries/{CTX}", headers=KO, json={
        "action": "approve", "strings": [""], "base_revision": _rev(c)})
    assert r.status_code == 422 and r.json["error"] == "빈 번역은 승인할 수 없습니다."
    # QA that cannot run: refused, the edit kept as a draft, said in Korean
    rev = _rev(c)
    for name in [m for m in sys.modules if m.startswith("workflow.checks")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "workflow.checks", None)
    r = c.post(f"/api/l/fr/entries/{CTX}", headers=KO, json={
        "action": "approve", "strings": ["Des camps."], "base_revision": rev})
    assert r.status_code == 422 and r.json["saved_draft"] is True
    assert r.json["error"].startswith("승인 거부: QA 검사를 실행할 수 없었습니다(")
    r = c.post(f"/l/fr/e/{CTX}", headers=KO, data={
        "action": "approve", "revision": r.json["revision"], "t0": "Des camps, encore."})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "승인 거부: QA 검사를 실행할 수 없었습니다(" in html
    assert "승인 거부: 수정한 내용은 초안으로 보관했습니다." in html  # kept as draft
    assert "Approval refused" not in html


def test_ko_ui_shows_forbidden_not_found_invalid_and_busy_in_korean(client, app, monkeypatch):
    import errno

    from workflow import catalogs

    c = _login(client)
    r = c.get(f"/api/l/de/entries/{CTX}", headers=KO)
    assert r.status_code == 403 and r.json["error"] == "de 작업 권한이 없습니다."
    r = c.get(f"/l/de/e/{CTX}", headers=KO)
    html = r.get_data(as_text=True)
    assert r.status_code == 403 and "403 권한 없음" in html and "de 작업 권한이 없습니다." in html
    r = c.get("/api/l/fr/entries/icnk-2012/nope", headers=KO)
    assert r.status_code == 404 and r.json["error"] == "이 카탈로그에 해당 항목이 없습니다."
    r = c.post(f"/api/l/fr/entries/{CTX}", headers=KO, json={
        "action": "save", "strings": ["a\x01b"], "base_revision": _rev(c)})
    assert r.status_code == 400 and r.json["error"] == "번역에 제어 문자(U+0001)가 들어 있습니다"
    r = c.post(f"/api/l/fr/entries/{CTX}", headers=KO, json={
        "action": "dance", "strings": ["x"], "base_revision": _rev(c)})
    assert r.status_code == 400 and r.json["error"].startswith("알 수 없는 작업 'dance'")

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(catalogs, "apply_changes", full)
    r = c.post(f"/api/l/fr/entries/{CTX}", headers=KO, json={
        "action": "save", "strings": ["Texte."], "base_revision": _rev(c)})
    assert r.status_code == 503 and r.headers["Retry-After"] == "1"
    assert r.json["error"] == "지금은 저장할 수 없습니다(No space left on device). 다시 시도하세요"
    # another language, the same rule: Arabic
    r = c.get(f"/api/l/de/entries/{CTX}", headers={"Accept-Language": "ar"})
    assert r.json["error"] == "لست مكلّفًا بالعمل على de."


def test_git_banner_text_is_localised(app):
    from web.gitsync import problems
    from workflow.vcs.state import Status

    st = Status(True, None, None, "fatal: could not read from remote", None)
    with app.test_request_context("/", headers=KO):
        assert problems(st) == ["가져오기(pull) 실패: fatal: could not read from remote"]
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert problems(st) == ["Échec du pull\u00a0: fatal: could not read from remote"]
    with app.test_request_context("/"):
        assert problems(st) == st.problems()  # English, as the core says it


def test_ko_ui_error_pages_and_login_throttle_are_korean(client, app):
    from conftest import WEB_USERS

    r = client.get("/no/such/page", headers=KO)
    assert r.status_code == 404 and "404 찾을 수 없음" in r.get_data(as_text=True)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert client.post("/login", data={"name": "tr_fr", "password": "wrong"}).status_code == 401
    r = client.post("/api/login", headers=KO,
                    json={"name": "tr_fr", "password": WEB_USERS["tr_fr"][0]})
    wait = int(r.headers["Retry-After"])
    assert r.status_code == 429
    assert r.json["error"] == f"로그인 실패가 너무 많습니다. {wait}초 후에 다시 시도하세요."
    r = client.post("/api/login", json={"name": "tr_fr", "password": WEB_USERS["tr_fr"][0]})
    assert r.json["error"].startswith("Too many failed logins. Try again in ")
    _login(client, "tr_es")
    r = client.get("/export", headers=KO)  # coordinators only
    html = r.get_data(as_text=True)
    assert r.status_code == 403 and "코디네이터만 이 페이지를 볼 수 있습니다." in html


def test_preview_counts_unapproved_paragraphs_with_each_languages_plural(client):
    _login(client)
    en = client.get("/l/fr/preview").get_data(as_text=True)
    n = int(re.search(r"(\d+) paragraphs are not approved yet: they are marked below", en)[1])
    assert n > 10  # the fixture's drafts: not approved
    fr = client.get("/l/fr/preview", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert f"{n} paragraphes ne sont pas encore approuvés\u00a0: ils sont marqués" in fr
    ko = client.get("/l/fr/preview", headers=KO).get_data(as_text=True)
    assert f"아직 승인되지 않은 문단이 {n}개 있습니다." in ko
    ar = client.get("/l/fr/preview", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    form = "%s فقرات" if 3 <= n % 100 <= 10 else "%s فقرةً" if n % 100 >= 11 else "%s فقرة"
    assert form % n in ar  # CLDR: few (3-10), many (11-99), other


# --------------------------------------------------------------- counted messages: real plurals

def _page_strings(html: str) -> dict:
    import json

    import lxml.html

    return json.loads(lxml.html.fromstring(html).body.get("data-strings"))


def test_js_counted_messages_carry_every_plural_form_of_the_ui_language(client):
    """app.js picks a form by CLDR category (Intl.PluralRules): the page sends one text per
    category of the interface language, each the catalogue's form for that category."""
    _login(client)
    forms = {}
    for lang in ("en", *UI_LANGS):
        html = client.get("/", headers={"Accept-Language": lang}).get_data(as_text=True)
        strings = _page_strings(html)
        forms[lang] = strings["export_done"]
        assert set(strings["export_skipped"]) == set(forms[lang]), lang
        assert all("%(n)s" in s for s in (*forms[lang].values(),
                                           *strings["export_skipped"].values())), lang
    assert forms["en"] == {"one": "Done: letters.zip with %(n)s letter was downloaded.",
                           "other": "Done: letters.zip with %(n)s letters was downloaded."}
    assert set(forms["ko"]) == {"other"}
    assert set(forms["fr"]) == {"one", "many", "other"} == set(forms["es"])
    assert "(%(n)s lettre)" in forms["fr"]["one"] and "%(n)s de lettres" in forms["fr"]["many"]
    assert "(%(n)s lettres)" in forms["fr"]["other"]
    assert set(forms["ar"]) == {"zero", "one", "two", "few", "many", "other"}
    assert "رسالتان" in forms["ar"]["two"] and "%(n)s رسائل" in forms["ar"]["few"]
    assert "%(n)s رسالةً" in forms["ar"]["many"] and "%(n)s رسالة." in forms["ar"]["other"]


def test_export_dry_run_counts_letters_and_rows_with_real_plurals(client):
    import io

    _login(client, "coord")

    def dry_run(lang: str, rows: int) -> str:
        body = b"country,language\n" + b"".join([b"FR,fr\n", b"BE,fr\n"][:rows])
        r = client.post("/export", headers={"Accept-Language": lang}, data={
            "recipients": (io.BytesIO(body), "r.csv"), "allow_drafts": "1", "dry_run": "1"},
            content_type="multipart/form-data")
        assert r.status_code == 200
        return r.get_data(as_text=True)

    html = dry_run("en", 1)
    assert "1 letter, plus manifest.json" in html and "Using r.csv (1 row)." in html
    html = dry_run("fr", 1)
    assert "1 lettre, plus manifest.json" in html
    assert "Fichier utilisé\u00a0: r.csv (1 ligne)." in html
    html = dry_run("fr", 2)
    assert "2 lettres, plus manifest.json" in html and "(2 lignes)" in html
    html = dry_run("ar", 2)
    assert "رسالتان (2)" in html and "وفيه صفان (2)" in html
    html = dry_run("ko", 2)
    assert "서한 2통과 manifest.json" in html and "사용 중인 파일: r.csv(2행)." in html
