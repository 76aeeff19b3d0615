"""What CLDR says about laying out a letter for a language and a country.

The script a language is written in (likely subtags), the locale used for formatting, the BCP 47
tag for Word's proofing language, the paper size (CLDR measurementData) and the fonts per
script (overridable with ``[tool.letterflow.export.fonts]``). Used by :mod:`.model`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

#: CLDR supplemental measurementData, <paperSize type="US-Letter" territories="...">.
LETTER_PAPER_TERRITORIES = frozenset(
    "BZ CA CL CO CR GT MX NI PA PH PR SV US VE".split()
)

#: Default fonts per script (ISO 15924), overridable with [tool.letterflow.export.fonts].
DEFAULT_FONTS: dict[str, str] = {
    "latin": "Noto Serif",
    "Arab": "Noto Naskh Arabic",
    "Hebr": "Noto Serif Hebrew",
    "Hans": "Noto Serif CJK SC",
    "Hant": "Noto Serif CJK TC",
    "Jpan": "Noto Serif CJK JP",
    "Kore": "Noto Serif CJK KR",
    "Deva": "Noto Serif Devanagari",
    "Thai": "Noto Serif Thai",
    "Beng": "Noto Serif Bengali",
    "Taml": "Noto Serif Tamil",
    "Khmr": "Noto Serif Khmer",
    "Mymr": "Noto Serif Myanmar",
    "Ethi": "Noto Serif Ethiopic",
    "Geor": "Noto Serif Georgian",
    "Armn": "Noto Serif Armenian",
    "Sinh": "Noto Serif Sinhala",
    "Laoo": "Noto Serif Lao",
}
EAST_ASIAN_SCRIPTS = frozenset({"Hans", "Hant", "Jpan", "Kore"})
#: Scripts shaped by the complex-script font slot (w:cs) in Word.
COMPLEX_SCRIPTS = frozenset({
    "Arab", "Hebr", "Thaa", "Syrc", "Deva", "Thai", "Beng", "Taml", "Khmr", "Mymr", "Sinh",
    "Laoo", "Guru", "Gujr", "Knda", "Mlym", "Telu", "Orya", "Tibt",
})


@dataclass(frozen=True)
class Fonts:
    latin: str
    east_asia: str | None = None
    complex: str | None = None


def script_of(language: str) -> str:
    """The ISO 15924 script a language is written in (CLDR likely subtags)."""
    return _script_of(language)


@lru_cache(maxsize=512)
def _script_of(language: str) -> str:
    from babel import Locale
    from babel.core import get_global

    loc = Locale.parse(language)
    if loc.script:
        return loc.script
    likely = get_global("likely_subtags")
    for key in (str(loc), loc.language):
        full = likely.get(key)
        if full:
            for part in full.split("_")[1:]:
                if len(part) == 4:
                    return "Jpan" if part == "Jpan" else part
    return "Latn"


@lru_cache(maxsize=2048)
def format_locale(language: str, country: str) -> str:
    """``fr`` + ``CA`` -> ``fr_CA`` when CLDR has that locale, else ``fr``."""
    from babel import localedata

    candidate = f"{language}_{country}"
    if country and "_" not in language and localedata.exists(candidate):
        return candidate
    if country and language.count("_") == 1 and len(language.split("_")[1]) == 4:
        return candidate if localedata.exists(candidate) else language  # zh_Hant + HK
    return language


@lru_cache(maxsize=2048)
def lang_tag(language: str, country: str) -> str:
    """BCP 47 tag for Word's proofing language: ``fr``+``BE`` -> ``fr-BE``, ``fr``+``KR`` ->
    ``fr-FR`` (the language's likely region when CLDR has no such locale)."""
    from babel import Locale, localedata
    from babel.core import get_global

    loc = Locale.parse(language)
    if loc.territory:
        return f"{loc.language}-{loc.territory}"
    if country and localedata.exists(f"{language}_{country}"):
        return f"{loc.language}-{country}"
    likely = get_global("likely_subtags").get(language) or ""
    region = next((p for p in likely.split("_")[1:] if len(p) == 2 and p.isupper()), None)
    return f"{loc.language}-{region}" if region else loc.language


def paper_size(country: str) -> str:
    return "Letter" if country in LETTER_PAPER_TERRITORIES else "A4"


def fonts_for(language: str, overrides: Mapping[str, str] | None = None) -> Fonts:
    """Fonts for *language*: [tool.letterflow.export.fonts] may map a language, a script or
    ``latin`` to a font name (e.g. ``ko = "Batang"``, ``Arab = "Amiri"``)."""
    table = {**DEFAULT_FONTS, **(overrides or {})}
    script = script_of(language)
    special = table.get(language) or table.get(language.split("_")[0]) or table.get(script)
    latin = table["latin"]
    if script in EAST_ASIAN_SCRIPTS:
        return Fonts(latin=latin, east_asia=special)
    if script in COMPLEX_SCRIPTS:
        return Fonts(latin=latin, complex=special or latin)
    return Fonts(latin=special or latin)


# ------------------------------------------------- languages and countries of recipients

#: Codes CLDR lists as territories that are not countries a letter can be addressed to.
_NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"})


def territory_names() -> dict[str, str]:
    """ISO 3166 alpha-2 code -> English name, from CLDR."""
    from babel import Locale

    return {
        code: name for code, name in Locale("en").territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }


def official_languages(country: str) -> tuple[str, ...]:
    """The country's official languages (de jure and de facto), most spoken first (CLDR)."""
    from babel.languages import get_official_languages

    return tuple(get_official_languages(country, regional=False, de_facto=True))


def _likely_script(code: str) -> str | None:
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    try:
        loc = Locale.parse(code)
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    if loc.script:
        return loc.script
    likely = get_global("likely_subtags")
    full = likely.get(code) or likely.get(loc.language)
    if not full:
        return None
    parts = full.split("_")
    return parts[1] if len(parts) > 1 and len(parts[1]) == 4 else None


def match_language(wanted: str, available: Iterable[str]) -> str | None:
    """The available catalogue language that serves *wanted*: exact, else same language with the
    same script (``pt_BR`` -> ``pt``, ``zh_Hans`` -> ``zh``, but never ``zh_Hant`` -> ``zh``)."""
    available = list(available)
    if wanted in available:
        return wanted
    base = wanted.split("_")[0]
    script = _likely_script(wanted)
    for code in available:
        if code.split("_")[0] == base and _likely_script(code) == script:
            return code
    return None


def default_language(country: str, available: Iterable[str]) -> str | None:
    """The first official language of *country* (CLDR) that has a catalogue, or None."""
    available = list(available)
    for lang in official_languages(country):
        found = match_language(lang, available)
        if found:
            return found
    return None


def normalise_language(code: str) -> str | None:
    """``pt-BR``/``pt_br``/``zh-Hant`` -> the CLDR locale id (``pt_BR``, ``zh_Hant``), or None."""
    from babel import Locale, UnknownLocaleError

    code = code.strip().replace("-", "_")
    if not re.fullmatch(r"[A-Za-z]{2,3}(?:_[A-Za-z0-9]{2,8})*", code):
        return None
    try:
        return str(Locale.parse(code))
    except (UnknownLocaleError, ValueError):
        return None
