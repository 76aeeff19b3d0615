"""XML-illegal control characters, which python-docx refuses at export."""

from __future__ import annotations

from workflow.checks.base import ERROR, Check, Unit
from workflow.textrules import XML_ILLEGAL as ILLEGAL_XML_RE


class ControlCharacterCheck(Check):
    """No XML-illegal control characters.

    Word files are XML: python-docx raises ValueError on characters such as U+0007 or
    U+000C, so export would fail. Tab, newline and carriage return are allowed.
    """

    id = "control-chars"
    severity = ERROR
    needs_translation = False
    trigger = ILLEGAL_XML_RE.pattern[1:-1]

    def check(self, unit: Unit) -> list[str]:
        out: list[str] = []
        total = len(unit.strings)
        for i, text in enumerate(unit.strings):
            m = ILLEGAL_XML_RE.search(text)
            if m:
                count = len(ILLEGAL_XML_RE.findall(text))
                more = f" (and {count - 1} more)" if count > 1 else ""
                out.append(
                    f"{unit.where(i, total)}control character U+{ord(m.group()):04X} at "
                    f"position {m.start() + 1}{more}: Word files cannot hold it"
                )
        return out
