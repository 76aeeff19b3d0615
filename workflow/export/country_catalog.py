"""The ``countries`` catalogue files: seeding fuzzy drafts, and what the export gate needs.

``locales/<lang>/LC_MESSAGES/countries.po`` (also for the source language, whose formal
names are reviewed like any other string). Seeding adds the entries that are missing and never
touches an existing one: a translator's work is kept. Approval is the usual gettext one (a
translated entry without the fuzzy flag); the review UI, Poedit or any PO editor can do it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ExportError
from .countries import DOMAIN, FORMS, OVERRIDE_COLUMN, catalog_path, context, seed_entries

if TYPE_CHECKING:
    from .recipients import Recipient


def seed_catalog(config, language: str, countries: Iterable[str]) -> tuple[Path, int]:
    """Add fuzzy drafts for every (country, form) missing from *language*'s countries
    catalogue. Returns (path, number of entries added)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    from ..catalogs import locked, write_atomic

    path = catalog_path(config, language)
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(path):
        if path.is_file():
            try:
                with path.open("rb") as fh:
                    catalog = read_po(fh, locale=language, domain=DOMAIN)
            except Exception as exc:  # babel raises several types on a broken file
                raise ExportError(f"{path}: cannot parse ({exc}); fix it first") from None
        else:
            catalog = Catalog(locale=language, domain=DOMAIN, project="letterflow countries",
                              charset="utf-8")
        added = 0
        for ctx, source, draft, note in seed_entries(language, countries):
            if catalog.get(source, context=ctx) is not None or _has_context(catalog, ctx):
                continue
            catalog.add(source, draft, auto_comments=[note], flags=["fuzzy"], context=ctx)
            added += 1
        if added or not path.is_file():
            buf = io.BytesIO()
            write_po(buf, catalog, width=100, sort_output=False)
            write_atomic(path, buf.getvalue())
    return path, added


def _has_context(catalog, ctx: str) -> bool:
    return any(m.context == ctx for m in catalog if m.id)


def load_country_catalog(config, language: str):
    """The parsed countries catalogue of *language* (``workflow.catalogs.Catalog``) or None."""
    from ..catalogs import load_catalog

    path = catalog_path(config, language)
    if not path.is_file():
        return None
    return load_catalog(path, language)


def overrides_of(fields: Mapping[str, str]) -> dict[str, str]:
    """slot -> the recipient's own phrase, from the CSV override columns."""
    return {form: fields[col] for form, col in OVERRIDE_COLUMN.items() if fields.get(col)}


def country_phrases(catalog, country: str, forms: Iterable[str],
                    overrides: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """(placeholder -> phrase, contexts that are not approved) for *country*: an override
    wins; else the catalogue's entry (a draft's text is used, and reported)."""
    phrases: dict[str, str] = {}
    unapproved: list[str] = []
    for form in forms:
        if form in overrides:
            phrases[FORMS[form]] = overrides[form]
            continue
        ctx = context(country, form)
        message = catalog.get(ctx) if catalog is not None else None
        if message is None or not any(message.strings):
            unapproved.append(f"{ctx}: not in {DOMAIN}.po (run `letterflow countries seed`)")
            continue
        phrases[FORMS[form]] = message.strings[0]
        if message.state != "approved":
            unapproved.append(f"{ctx}: {message.state}")
    return phrases, unapproved


def country_gate(config, letter, recipients: list, statuses: dict) -> None:
    """Load each language's countries catalogue and add to its blocking list the country
    phrases the recipients need that are not approved (only those: not all 193 x 3)."""
    from .countries import forms_in

    for language, status in statuses.items():
        if status.countries is not None:
            continue
        status.countries = load_country_catalog(config, language)
        if status.catalog is None:
            texts = [t for b in letter.messages for t in (b.text, b.text_plural) if t]
        else:
            texts = [s for m in status.catalog.active() for s in m.strings]
        status.country_forms = forms_in(texts)
    seen: set[tuple[str, str]] = set()
    for r in recipients:
        status = statuses[r.language]
        _, unapproved = country_phrases(status.countries, r.country, status.country_forms,
                                        overrides_of(r.fields))
        for line in unapproved:
            if (r.language, line) not in seen:
                seen.add((r.language, line))
                status.blocking.append(f"{line} ({DOMAIN}.po)")


#: recipients-file columns that override a country phrase (not placeholders of their own)
COUNTRY_COLUMNS = frozenset(OVERRIDE_COLUMN.values())


def country_slots(countries, recipient: Recipient, cldr_name: str
                  ) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """A letter's country phrases (:mod:`.model`): (placeholder -> phrase, placeholder -> why
    not approved, slot -> CSV override). *countries* ``...``: no catalogue asked for, CLDR's
    name in every slot."""
    overrides = overrides_of(recipient.fields)
    if countries is ...:
        phrases = {FORMS[f]: overrides.get(f, cldr_name) for f in FORMS}
        return phrases, {}, overrides
    phrases, unapproved = country_phrases(countries, recipient.country, FORMS, overrides)
    pending: dict[str, str] = {}
    for line in unapproved:
        form = line.split(":", 1)[0].rsplit("/", 1)[1]
        pending[FORMS[form]] = line
    phrases.setdefault("country", cldr_name)  # no catalogue entry: CLDR's name, as a draft
    for name in FORMS.values():
        phrases.setdefault(name, phrases["country"])
    return phrases, pending, overrides
