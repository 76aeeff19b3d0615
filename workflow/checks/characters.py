"""XML-illegal control characters, which python-docx refuses at export."""

from __future__ import annotations

from workflow.checks.base import ERROR, Check, Unit
from workflow.checks.messages import N_
from workflow.textrules import XML_ILLEGAL as ILLEGAL_XML_RE

CONTROL = N_("control character %(code)s at position %(position)s: Word files cannot hold it")
CONTROL_MORE = N_("control character %(code)s at position %(position)s (and %(more)s more): "
                  "Word files cannot hold it")


class ControlCharacterCheck(Check):
    """No XML-illegal control characters.

    Word files are XML: python-docx raises ValueError on characters such as U+0007 or
    U+000C, so export would fail. Tab, newline and carriage return are allowed.
    """

    id = "control-chars"
    severity = ERROR
    needs_translation = False
    trigger = ILLEGAL_XML_RE.pattern[1:-1]
    messages = (CONTROL, CONTROL_MORE)

    def check(self, unit: Unit) -> list[str]:
        out: list[str] = []
        total = len(unit.strings)
        for i, text in enumerate(unit.strings):
            m = ILLEGAL_XML_RE.search(text)
            if m:
                count = len(ILLEGAL_XML_RE.findall(text))
                params = {"code": f"U+{ord(m.group()):04X}", "position": m.start() + 1,
                          "more": count - 1}
                out.append(unit.where(i, total)
                           + (CONTROL_MORE if count > 1 else CONTROL) % params)
        return out
