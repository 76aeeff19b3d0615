"""Messages a letter's front matter adds (issue 11), beside its blocks.

- ``[forms_of_address]``: every ``[salutation]`` and ``[closing]`` block gets one variant per
  form (msgctxt ``<letter>/<block>@<form>``), reviewed on its own;
- ``title``: the document title, a message (``<letter>/title``), not printed;
- ``signatories = [...]``: names for the appendix (never translated) and
  ``signatories_heading``, a message (``<letter>/signatories-heading``).
"""

from __future__ import annotations

from .errors import LetterError
from .letter import _ID, Block, Letter, _clean


def add_front_matter_messages(letter: Letter, meta: dict, where: str, seen_ids: dict) -> None:
    letter.variants = _variants(letter)
    if "title" in meta and "title" not in seen_ids:
        letter.roles = {**letter.roles, "title": TITLE_ROLE}
        letter.title_block = Block(
            id="title", role="title", context=f"{letter.id}/title", text=letter.title,
            text_plural=None, line=2, placeholders=(), position=1, of=1, index=0)
    _signatories(letter, meta, where, seen_ids)


def _signatories(letter: Letter, meta: dict, where: str, seen_ids: dict) -> None:
    names = meta.get("signatories", [])
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
        raise LetterError("front matter signatories must be a list of names", where, 2)
    letter.signatories = [_clean(n, where, 2) for n in names]
    heading = meta.get("signatories_heading")
    if heading is not None and "signatories-heading" not in seen_ids:
        letter.roles = {**letter.roles, "signatories-heading": SIGNATORIES_ROLE}
        letter.signatories_block = Block(
            id="signatories-heading", role="signatories-heading",
            context=f"{letter.id}/signatories-heading", text=_clean(str(heading), where, 2),
            text_plural=None, line=2, placeholders=(), position=1, of=1, index=0)


SIGNATORIES_ROLE = "the heading of the signatories appendix (the names are not translated)"
TITLE_ROLE = "the document title (Word's title property, shown in file lists; not printed)"


#: Roles whose wording depends on the form of address.
VARIANT_ROLES = ("salutation", "closing")


def forms_of_address(meta: dict, where: str) -> dict[str, str]:
    """``[forms_of_address]`` in the front matter: name = "note for translators"."""
    table = meta.get("forms_of_address") or {}
    if not isinstance(table, dict):
        raise LetterError("[forms_of_address] must be a table: name = \"note\"", where, 2)
    for name in table:
        if not _ID.match(name):
            raise LetterError(
                f"form of address {name!r} must be lower-case letters, digits, -", where, 2)
    return {str(k): str(v) for k, v in table.items()}


def _variants(letter: Letter) -> list[Block]:
    """One message per salutation/closing block and declared form of address: the same
    source text, its own msgctxt ``<letter>/<block>@<form>``, reviewed on its own."""
    out: list[Block] = []
    for block in letter.blocks:
        if block.role not in VARIANT_ROLES:
            continue
        for form in letter.forms:
            out.append(Block(
                id=f"{block.id}@{form}", role=block.role, context=f"{block.context}@{form}",
                text=block.text, text_plural=block.text_plural, line=block.line,
                placeholders=block.placeholders, position=block.position, of=block.of,
                index=block.index, variant=form,
            ))
    return out


