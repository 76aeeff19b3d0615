"""Text rules shared by the whole pipeline, defined once.

- which characters a Word file cannot hold (:data:`XML_ILLEGAL`, tested against what
  python-docx really refuses) and which ones typed text may not contain (:data:`CONTROL`);
- the placeholder pattern (:data:`PLACEHOLDER`, Python brace fields such as ``{country}``);
- the plural compiler (:func:`plural_function`, gettext's parser, cached);
- the flag names letterflow writes into catalogues (:data:`MT_DAMAGED_FLAG`,
  :data:`IGNORE_FLAG`, :data:`IGNORE_HEADER`);
- the draft marks on unreviewed letters (:data:`DRAFT_BANNER`, :data:`UNREVIEWED_MARK`).

Imports only the standard library: ``letterflow check`` loads it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

# --------------------------------------------------------------------------- characters

#: The body of a regex character class: the characters python-docx refuses in text
#: (``ValueError`` from lxml, ``UnicodeEncodeError`` for lone surrogates). XML 1.0 allows
#: tab, LF and CR among the C0 controls; U+FFFE and U+FFFF are not XML characters.
#: tests/test_textrules.py checks this set against python-docx over every code point.
XML_ILLEGAL_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
XML_ILLEGAL = re.compile(f"[{XML_ILLEGAL_CHARS}]")

#: Characters refused in text a person types (the letter source, the review UI): the
#: XML-illegal ones plus the other Unicode controls (category Cc: DEL and C1), which
#: Word would accept but nobody means to send. Tab, LF and CR stay allowed.
CONTROL_CHARS = XML_ILLEGAL_CHARS + "\x7f-\x9f"
CONTROL = re.compile(f"[{CONTROL_CHARS}]")

# --------------------------------------------------------------------------- placeholders

#: One Python brace field: ``{name}``, ``{0}``, ``{}``, ``{obj.attr}``, ``{a[0]}``,
#: ``{count:d}``, ``{x!r}``; group 1 is the field name (``""`` for ``{}``).
BRACE_FIELD = r"\{((?:[A-Za-z_]\w*|\d+)?(?:\.\w+|\[\w+\])*)(?:![rsa])?(?::[^{}]*)?\}"
#: The placeholder pattern: a brace field, or the escapes ``{{`` / ``}}`` (group 1 None).
PLACEHOLDER = re.compile(r"\{\{|\}\}|" + BRACE_FIELD)
#: What the review UI highlights: brace fields and the common printf directives.
PLACEHOLDER_DISPLAY = re.compile(BRACE_FIELD + r"|%\([A-Za-z0-9_]+\)[sd]|%[sd]")

# --------------------------------------------------------------------------- plurals


@lru_cache(maxsize=256)
def plural_function(expr: str) -> Callable[[int], int]:
    """A ``Plural-Forms`` ``plural=`` expression as a Python function (gettext's own
    parser, which refuses anything but C arithmetic). Raises ``ValueError`` (or
    ``SyntaxError``) for an expression it cannot parse; compiled once per expression."""
    import gettext

    return gettext.c2py(expr)


# --------------------------------------------------------------------------- flags

#: Set by the MT layer when an engine mangled a placeholder mask; removed on approval.
MT_DAMAGED_FLAG = "letterflow-mt-damaged"
#: Entry flag prefix that silences checks on purpose: ``#, letterflow-ignore: length``.
IGNORE_FLAG = "letterflow-ignore:"
#: Catalogue header that silences checks for a whole catalogue.
IGNORE_HEADER = "X-Letterflow-Ignore"

# --------------------------------------------------------------------------- draft marks

#: The banner/header on every page of a letter that is not fully approved.
DRAFT_BANNER = "DRAFT \u2014 not reviewed"
#: The mark before each paragraph that is not approved.
UNREVIEWED_MARK = "[not reviewed]"
#: The mark before each paragraph that has no translation: the source text, in the source
#: language (not the same mark as a draft).
UNTRANSLATED_MARK = "[not translated]"
