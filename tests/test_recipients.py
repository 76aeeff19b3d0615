"""recipients.csv -> Recipient: columns, CLDR defaults, and one test per error case."""

from __future__ import annotations

import pytest

from workflow.errors import ExportError, LetterflowError
from workflow.export.recipients import (
    RecipientsError,
    default_language,
    load_recipients,
    match_language,
    parse_recipients,
)

AVAILABLE = ["fr", "ar", "ko", "ja", "zh", "ru", "pl", "es", "de", "pt"]


def parse(text: str | bytes, available=AVAILABLE, **kw):
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return parse_recipients(raw, available, **kw)


def test_all_documented_columns():
    rows = parse(
        "country,language,name,title,salutation,address,email,fallback,party\n"
        'fr,fr,Laurent Fabius,Ministre,"Monsieur le Ministre,","37 quai d\'Orsay\n75007 Paris",'
        "lf@example.org,no,PS\n"
    )
    (r,) = rows
    assert r.row == 2
    assert r.country == "FR"  # normalised to upper case
    assert r.language == "fr"
    assert r.name == "Laurent Fabius"
    assert r.title == "Ministre"
    assert r.salutation == "Monsieur le Ministre,"
    assert r.address == ("37 quai d'Orsay", "75007 Paris")
    assert r.email == "lf@example.org"
    assert r.fallback is False and r.source_fallback is False
    assert r.fields == {"party": "PS"}  # unknown columns are kept
    assert r.slug == "FR-fr-laurent-fabius"


def test_numbered_address_columns_and_semicolon_csv():
    (r,) = parse("Country;Address2;Address1\nDE;10117 Berlin;Werderscher Markt 1\n")
    assert r.address == ("Werderscher Markt 1", "10117 Berlin")
    assert r.language == "de"


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("FR", "fr"),
        ("EG", "ar"),  # CLDR: Arabic is Egypt's official language
        ("KR", "ko"),
        ("JP", "ja"),  # de facto official
        ("CN", "zh"),  # zh_Hans -> the zh catalogue
        ("RU", "ru"),
        ("MX", "es"),
        ("AT", "de"),
        ("BR", "pt"),
        ("SN", "fr"),  # Wolof has no catalogue; French is next in CLDR
        ("CA", "en"),  # English is the source language: always available
        ("US", "en"),  # no de jure official language: de facto English
    ],
)
def test_default_language_is_the_cldr_official_language_with_a_catalogue(country, expected):
    (r,) = parse(f"country\n{country}\n")
    assert r.language == expected
    assert r.source_fallback is False


def test_default_language_skips_languages_without_catalogue():
    # Belgium: nl, fr, de (CLDR order); without nl the French catalogue is chosen
    assert default_language("BE", ["fr", "de"]) == "fr"
    assert default_language("BE", ["de"]) == "de"
    assert default_language("BE", ["ko"]) is None


def test_language_matching_keeps_scripts_apart():
    assert match_language("pt_BR", ["pt"]) == "pt"
    assert match_language("zh_Hans", ["zh"]) == "zh"
    assert match_language("zh_Hant", ["zh"]) is None  # Traditional is not the zh (Hans) catalogue
    assert match_language("sr_Latn", ["sr"]) is None


def test_language_column_accepts_bcp47_spelling():
    (r,) = parse("country,language\nBR,pt-BR\n")
    assert r.language == "pt"
    (r,) = parse("country,language\nKR,KO\n")
    assert r.language == "ko"


def test_explicit_source_fallback():
    # Taiwan: zh_Hant has no catalogue; the file allows the source language
    (r,) = parse("country,fallback\nTW,yes\n")
    assert r.language == "en"
    assert r.source_fallback is True
    assert r.wanted_language == "zh_Hant"


def test_blank_rows_skipped_and_bom_of_utf8_removed():
    rows = parse(b"\xef\xbb\xbfcountry,name\nFR,A\n,\n\nKR,B\n")
    assert [(r.row, r.country) for r in rows] == [(2, "FR"), (5, "KR")]


def test_load_recipients_from_file(tmp_path):
    path = tmp_path / "recipients.csv"
    path.write_text("country\nPL\n", encoding="utf-8")
    (r,) = load_recipients(path, AVAILABLE)
    assert r.language == "pl"


# -- error cases: each names the row --------------------------------------------------------

def error_of(text, **kw) -> RecipientsError:
    with pytest.raises(RecipientsError) as info:
        parse(text, **kw)
    err = info.value
    assert isinstance(err, ExportError) and isinstance(err, LetterflowError)
    assert "\n" not in str(err)  # one line
    return err


def test_error_unknown_country():
    err = error_of("country,name\nFR,A\nXY,B\n")
    assert err.row == 3
    assert str(err) == (
        "recipients.csv: row 3: unknown country code 'XY' (expected an ISO 3166 alpha-2 code "
        "such as FR, KR, US)"
    )


def test_error_country_that_is_not_a_country():
    assert error_of("country\nEU\n").row == 2
    assert error_of("country\nFRA\n").row == 2


def test_error_unsupported_language_unknown_to_cldr():
    err = error_of("country,language\nFR,fr\nFR,klingon\n")
    assert err.row == 3
    assert "unsupported language 'klingon'" in str(err)


def test_error_unsupported_language_without_catalogue():
    err = error_of("country,language\nIT,it\n")
    assert err.row == 2
    assert "unsupported language: no catalogue for language 'it'" in str(err)
    assert "fallback=yes" in str(err)


def test_error_no_catalogue_for_official_languages():
    err = error_of("country\nFR\nTH\n")
    assert err.row == 3
    assert "official languages of TH (th)" in str(err)


def test_error_duplicate_recipient():
    err = error_of("country,name\nFR,Jean Dupont\nKR,Kim\nfr,  jean  DUPONT \n")
    assert err.row == 4
    assert "duplicate recipient" in str(err) and "row 2" in str(err)


def test_same_country_different_people_is_not_a_duplicate():
    assert len(parse("country,name\nFR,Jean\nFR,Marie\nFR,\n")) == 3


def test_error_bad_encoding_names_row():
    raw = b"country,name\nFR,Ok\n" + b"DE,M\xfcller\n"  # Latin-1 u-umlaut
    err = error_of(raw)
    assert err.row == 3
    assert "bad encoding: byte 0xfc in cell 2" in str(err)


def test_error_utf16_bom():
    raw = "country\nFR\n".encode("utf-16")  # starts with FF FE
    err = error_of(raw)
    assert err.row == 1
    assert "UTF-16 byte-order mark" in str(err)


def test_error_missing_required_column():
    err = error_of("name,language\nJean,fr\n")
    assert err.row == 1
    assert "missing required column 'country' (columns found: 'name', 'language')" in str(err)


def test_error_empty_country_cell():
    err = error_of("country,name\n,Jean\n")
    assert err.row == 2
    assert "country cell is empty" in str(err)


def test_error_control_character():
    err = error_of("country,name\nFR,Je\x07an\n")
    assert err.row == 2 and "U+0007" in str(err)


def test_error_too_many_cells():
    err = error_of("country,name\nFR,Dupont, Jean\n")
    assert err.row == 2 and "3 cells but the header has 2 columns" in str(err)


def test_error_bad_fallback_value():
    assert "fallback must be yes or no" in str(error_of("country,fallback\nFR,maybe\n"))


def test_error_empty_file_and_header_only():
    assert error_of("").row == 1
    assert "no recipients" in str(error_of("country,name\n"))


def test_error_missing_file(tmp_path):
    with pytest.raises(RecipientsError, match="recipients file not found"):
        load_recipients(tmp_path / "nope.csv", AVAILABLE)
