"""What CLDR says about laying out a letter for a language and a country.

The script a language is written in (likely subtags), the locale used for formatting, the BCP 47
tag for Word's proofing language, the paper size (CLDR measurementData) and the fonts per
script (overridable with ``[tool.letterflow.export.fonts]``). Used by :mod:`.model`.
"""

from __future__ import annotations

from collections.abc import Mapping
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
