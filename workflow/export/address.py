"""Forms of address: which salutation and complimentary close a recipient gets.

A letter declares its forms in the front matter::

    [forms_of_address]
    minister-m = "a male minister (fr: Monsieur le Ministre, de: Sehr geehrter Herr Minister)"
    minister-f = "a female minister (fr: Madame la Ministre, de: Sehr geehrte Frau Ministerin)"
    excellency = "an addressee written to as Excellency, whatever the gender"

and every ``[salutation]`` and ``[closing]`` block gets one catalogue message per form
(msgctxt ``icnk-2012/salutation@minister-f``), with the same English source: translators write
each form their language needs, and review approves each. The recipients column ``form``
picks the variant; an empty ``form`` uses the plain block. A free-text ``salutation`` column
still replaces the salutation, but nobody reviewed it: the export summary and manifest.json
flag it.
"""

from __future__ import annotations

from ..errors import ExportError


def choose_variant(letter, block, recipient):
    """*block*, or its variant for the recipient's form of address."""
    form = getattr(recipient, "form", "")
    if not form or getattr(block, "role", None) not in ("salutation", "closing"):
        return block
    wanted = f"{block.id}@{form}"
    for variant in letter.variants:
        if variant.id == wanted:
            return variant
    return block


def check_forms(letter, recipients) -> None:
    """Every recipient's ``form`` is one the letter declares (else one-line ExportError)."""
    for r in recipients:
        form = getattr(r, "form", "")
        if form and form not in letter.forms:
            declared = ", ".join(letter.forms) or "none"
            raise ExportError(
                f"recipients row {r.row}: form of address {form!r} is not declared by letter "
                f"{letter.id} (declared: {declared}; see [forms_of_address])"
            )
