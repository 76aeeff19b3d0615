"""The review UI in the translator's language: Flask-Babel with its own "ui" domain under
locales/, checked by the project's own gate; the user's setting beats Accept-Language;
Arabic is right to left; machine-made UI translations are fuzzy drafts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po
from conftest import web_login

REPO = Path(__file__).resolve().parent.parent
UI_LANGS = ("ko", "fr", "es", "ar")


def test_ui_template_is_current_and_catalogues_complete(tmp_path):
    pot = tmp_path / "ui.pot"
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "-q", "extract", "-F",
                    "web/translations/babel.cfg", "-o", str(pot), "web"], cwd=REPO, check=True)
    fresh = {m.id for m in read_po(pot.open("rb")) if m.id}
    shipped = {m.id for m in read_po((REPO / "locales" / "ui.pot").open("rb")) if m.id}
    assert fresh == shipped, "run the pybabel extract of web/translations/babel.cfg"
    for lang in UI_LANGS:
        cat = read_po((REPO / "locales" / lang / "LC_MESSAGES" / "ui.po").open("rb"))
        ids = {m.id for m in cat if m.id}
        assert ids == shipped, lang
        for m in cat:
            if m.id:
                assert m.string, (lang, m.id)  # complete: every message translated
                # made by a machine, so a draft until a person approves it
                assert m.fuzzy and any("machine translation" in c for c in m.user_comments)


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
