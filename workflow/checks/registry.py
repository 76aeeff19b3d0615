"""The one table of QA checks, in run order: cheap checks first, the detector last."""

from __future__ import annotations

from workflow.checks.base import Check
from workflow.checks.brackets import BracketCheck
from workflow.checks.characters import ControlCharacterCheck
from workflow.checks.glossary import GlossaryCheck
from workflow.checks.identical import UntranslatedCheck
from workflow.checks.language import WrongLanguageCheck
from workflow.checks.leftover import SourceLeftoverCheck
from workflow.checks.length import LengthCheck
from workflow.checks.markup import MarkupCheck
from workflow.checks.numbers import NumberCheck
from workflow.checks.placeholders import PlaceholderCheck
from workflow.checks.plurals import PluralFormsCheck
from workflow.checks.protected import ProtectedTextCheck
from workflow.checks.punctuation import EndPunctuationCheck
from workflow.checks.register import RegisterCheck
from workflow.checks.repeated import RepeatedWordCheck
from workflow.checks.spelling import SpellingCheck
from workflow.checks.whitespace import WhitespaceCheck

CHECKS: tuple[type[Check], ...] = (
    ControlCharacterCheck,
    PluralFormsCheck,
    UntranslatedCheck,  # when it fails, checks with needs_translation=True are skipped
    PlaceholderCheck,
    MarkupCheck,
    ProtectedTextCheck,
    NumberCheck,
    WhitespaceCheck,
    EndPunctuationCheck,
    BracketCheck,
    RepeatedWordCheck,
    LengthCheck,
    GlossaryCheck,
    RegisterCheck,
    SourceLeftoverCheck,  # Hunspell (pyenchant), loaded lazily
    SpellingCheck,  # Hunspell (pyenchant), loaded lazily
    WrongLanguageCheck,  # lingua, loaded lazily
)

#: check id -> Check instance, in run order.
registry: dict[str, Check] = {cls.id: cls() for cls in CHECKS}

