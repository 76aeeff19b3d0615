"""Country names in the form a sentence needs: the ``countries`` catalogue domain.

A sentence does not paste a bare CLDR short name. It names a **slot**, and each language says
in its own ``countries`` catalogue (``locales/<lang>/LC_MESSAGES/countries.po``) what goes in
that slot for each country, as a reviewed message:

=================== =============== =====================================================
placeholder         msgctxt         what the slot means (en / fr / ru / ar examples)
=================== =============== =====================================================
``{country}``       country/CC/name the formal name as it stands in running text
                                    ("the United States of America", "la République de
                                    Corée", "Российская Федерация")
``{country_of}``    country/CC/of   "of" + the name: the possessive phrase ("of the United
                                    States of America", "de la France" / "du Canada",
                                    genitive "Российской Федерации", "للمملكة العربية
                                    السعودية")
``{country_to}``    country/CC/to   "to" + the name: the dative / directional phrase ("to
                                    the United States of America", "au Canada", dative)
=================== =============== =====================================================

Why slots and not ``{country:gen}`` variants inside the translation: gettext's
``msgfmt -c`` compares python-brace directives *verbatim* between msgid and msgstr (tested:
``{country}`` -> ``{country:of}`` or ``{country.gen}`` is a fatal error), so a translation
cannot switch form inside the brace. A slot is language-neutral ("the of-phrase of the
country"); each language fills it with its own case, article contraction or prefix, so the
sentence keeps exactly the msgid's placeholders and both QA and ``msgfmt -c`` accept it.

The catalogue is seeded (``letterflow countries seed``) from the iso-codes translations that
pycountry ships (formal names; inverted entries like "Corée, République de" are turned round)
and CLDR short names, with the per-language grammar of :mod:`.country_grammar` as a first
guess -- every seeded entry is **fuzzy** (a draft). The export gate requires only the entries
that the actual recipients use to be approved. A CSV column ``country_name`` / ``country_of``
/ ``country_to`` overrides the catalogue for that recipient and the manifest records it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

DOMAIN = "countries"
#: slot -> placeholder name
FORMS: dict[str, str] = {"name": "country", "of": "country_of", "to": "country_to"}
PLACEHOLDER_FORM: dict[str, str] = {v: k for k, v in FORMS.items()}
#: CSV column that overrides a slot for one recipient
OVERRIDE_COLUMN: dict[str, str] = {"name": "country_name", "of": "country_of",
                                   "to": "country_to"}
_PLACEHOLDER = re.compile(r"\{(country(?:_of|_to)?)\}")


def context(country: str, form: str) -> str:
    return f"country/{country}/{form}"


def catalog_path(config, language: str) -> Path:
    return Path(config.locales_dir) / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def forms_in(texts: Iterable[str]) -> set[str]:
    """The slots (name/of/to) the country placeholders of *texts* use."""
    found: set[str] = set()
    for text in texts:
        for m in _PLACEHOLDER.finditer(text or ""):
            found.add(PLACEHOLDER_FORM[m.group(1)])
    return found


def inverted(name: str) -> str:
    """iso-codes writes some names inverted for sorting: "Corée, République de" ->
    "République de Corée", "Iran, République islamique d'" -> "République islamique d'Iran",
    "Korea, Republic of" -> "Republic of Korea", "كوريا، جمهوريّة كوريا" -> "جمهوريّة كوريا"."""
    for sep in (", ", "، "):
        if sep in name:
            head, tail = name.rsplit(sep, 1)
            tail = tail.strip()
            if head.strip() in tail:  # "كوريا، جمهوريّة كوريا": the tail is the whole name
                return tail
            if tail.endswith(("'", "\u2019")):
                return f"{tail}{head.strip()}"
            return f"{tail} {head.strip()}"
    return name


@lru_cache(maxsize=64)
def _iso_translation(language: str):
    import gettext

    import pycountry

    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR,
                                   languages=[language, language.split("_")[0]])
    except FileNotFoundError:
        return gettext.NullTranslations()


def formal_name(country: str, language: str) -> str:
    """The formal name of *country* in *language* from iso-codes (turned round where
    inverted), else CLDR's short name."""
    import pycountry

    entry = pycountry.countries.get(alpha_2=country)
    if entry is None:
        from babel import Locale

        return Locale.parse(language).territories.get(country, country)
    source = getattr(entry, "official_name", None) or entry.name
    return inverted(_iso_translation(language).gettext(source))


def short_name(country: str, language: str) -> str:
    """CLDR's short name (``Locale(language).territories``)."""
    from babel import Locale

    return Locale.parse(language).territories.get(country, country)


def seed_entries(language: str, countries: Iterable[str]) -> list[tuple[str, str, str, str]]:
    """(msgctxt, English msgid, draft msgstr, translator comment) for each country and form."""
    from .country_grammar import phrase

    out = []
    for cc in countries:
        en_formal = formal_name(cc, "en")
        name = formal_name(cc, language)
        short = short_name(cc, language)
        for form in FORMS:
            source = phrase("en", form, en_formal, short_name(cc, "en"))
            draft = phrase(language, form, name, short)
            note = (f"country {cc}, slot {{{FORMS[form]}}}: " + _FORM_NOTES[form]
                    + f" Short name (CLDR): {short}.")
            out.append((context(cc, form), source, draft, note))
    return out


_FORM_NOTES = {
    "name": "the formal name as it stands in running text (with its article where the "
            "language needs one).",
    "of": "'of' + the name: the possessive phrase (genitive case, article contraction such "
          "as 'du'/'de la'/'des', or a prefix such as Arabic li-).",
    "to": "'to' + the name: the dative or directional phrase.",
}
