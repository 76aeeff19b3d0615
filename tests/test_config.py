"""Configuration loading and language-code validation against CLDR."""

from __future__ import annotations

import pytest
from conftest import REPO, write_project

from workflow.config import load_config
from workflow.errors import ConfigError


def test_repo_config_has_un_languages_and_more():
    cfg = load_config(REPO)
    for lang in ["ar", "zh", "fr", "ru", "es", "de", "ja", "ko", "pt", "it", "nl", "pl", "ca"]:
        assert lang in cfg.languages
    assert cfg.source_language == "en"
    assert cfg.domain == "letter"
    assert cfg.template == REPO / "locales" / "letter.pot"
    assert cfg.catalog("fr") == REPO / "locales" / "fr" / "LC_MESSAGES" / "letter.po"
    assert all(p.exists() for p in cfg.letters)


@pytest.mark.parametrize("code", ["../x", "fr/../../etc", "..", "fr\x00", "FR;rm", "%2e%2e"])
def test_locale_codes_used_as_paths_are_rejected(tmp_path, code):
    cfg = load_config(write_project(tmp_path))
    with pytest.raises(ConfigError):
        cfg.catalog(code)


def test_unknown_language_in_config_is_rejected(tmp_path):
    write_project(tmp_path, languages=("fr", "xx"))
    with pytest.raises(ConfigError, match="unknown language 'xx'"):
        load_config(tmp_path)


def test_required_language_must_be_configured(tmp_path):
    write_project(tmp_path, languages=("fr",), required=("de",))
    with pytest.raises(ConfigError, match="required language 'de'"):
        load_config(tmp_path)


def test_unconfigured_language_is_rejected(tmp_path):
    cfg = load_config(write_project(tmp_path, languages=("fr",)))
    with pytest.raises(ConfigError, match="not configured"):
        cfg.parse_languages("fr,de")


def test_no_project(tmp_path):
    with pytest.raises(ConfigError, match="no letterflow project"):
        load_config(tmp_path)
