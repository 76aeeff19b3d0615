"""TMX 1.4 import and export through translate-toolkit's TMX storage.

Import takes every ``<tu>`` with a ``<tuv>`` in the project's source language and one in a
configured target language (``en-US`` counts as ``en``, ``pt-BR`` as ``pt_BR`` then ``pt``).
Export writes the approved messages of one language (not the sentence units, which are
derived) with the letter/message id as the unit's context and approver/date as a note.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import LetterflowError
from .store import Memory, Unit, now


class TMXError(LetterflowError):
    """A TMX file that cannot be read."""


def _lang(code: str | None, known: list[str]) -> str | None:
    if not code:
        return None
    norm = code.replace("-", "_")
    for cand in (norm, norm.split("_")[0]):
        for k in known:
            if k.lower() == cand.lower():
                return k
    return None


def _load(path: Path):
    from translate.storage import tmx

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TMXError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        return tmx.tmxfile.parsestring(data)
    except Exception as exc:  # noqa: BLE001 -- lxml/toolkit raise many types
        raise TMXError(f"{path}: not a TMX file ({str(exc).splitlines()[0][:200]})") from None


def import_tmx(config: object, memory: Memory, path: str | Path) -> dict[str, int]:
    """Add the file's units; returns language -> units added."""
    from ..tm.segment import aligned

    path = Path(path)
    store = _load(path)
    source = config.source_language  # type: ignore[attr-defined]
    targets = list(config.languages)  # type: ignore[attr-defined]
    origin = f"tmx:{path.name}"
    units: list[Unit] = []
    counts: dict[str, int] = {}
    for tu in store.units:
        texts: dict[str, str] = {}
        for node in tu.getlanguageNodes():
            lang = _lang(node.get("{http://www.w3.org/XML/1998/namespace}lang")
                         or node.get("lang"), [source, *targets])
            text = tu.getNodeText(node)
            if lang and text and text.strip():
                texts.setdefault(lang, text)
        src = texts.get(source)
        if not src:
            continue
        ident = tu.getcontext() or tu.xmlelement.get("tuid") or ""
        when = tu.xmlelement.get("changedate") or tu.xmlelement.get("creationdate") or now()
        who = tu.xmlelement.get("changeid") or tu.xmlelement.get("creationid") or ""
        for lang, tgt in texts.items():
            if lang == source:
                continue
            base = dict(lang=lang, msgid=str(ident or ""), approver=who, approved_at=when,
                        origin=origin, letter="")
            units.append(Unit(source=src, target=tgt, forms=(tgt,), **base))
            for i, (s, t) in enumerate(aligned(src, tgt, source, lang), 1):
                units.append(Unit(source=s, target=t, forms=(t,), kind="segment", segment=i,
                                  **base))
            counts[lang] = counts.get(lang, 0) + 1
    memory.add(units)
    return counts


def export_tmx(config: object, memory: Memory, lang: str, path: str | Path) -> int:
    """Write the language's message units as TMX 1.4 (atomically); returns the count."""
    from translate.storage import tmx

    from ..fileio import write_atomic

    source = config.source_language  # type: ignore[attr-defined]
    store = tmx.tmxfile(sourcelanguage=source, targetlanguage=lang)
    units = memory.units(lang, kind="message")
    for u in units:
        store.addtranslation(u.source, source, u.target, lang,
                             comment=_note(u), context=u.msgid or None)
        tu = store.units[-1].xmlelement
        if u.approved_at:
            tu.set("changedate", _tmx_date(u.approved_at))
        if u.approver:
            tu.set("changeid", u.approver)
    write_atomic(Path(path), bytes(store))
    return len(units)


def _note(u: Unit) -> str:
    parts = [f"from {u.where}"]
    if u.approver:
        parts.append(f"approved by {u.approver}")
    if u.approved_at:
        parts.append(u.approved_at)
    return "; ".join(parts)


def _tmx_date(iso: str) -> str:
    """TMX dates are YYYYMMDDThhmmssZ."""
    digits = "".join(ch for ch in iso[:19] if ch.isdigit())
    if len(digits) < 14:
        return iso
    return f"{digits[:8]}T{digits[8:14]}Z"
