"""QA checks shared by the CI gate, the review UI and export.

>>> from workflow.checks import run_checks, registry, Finding
>>> findings = run_checks(catalog, message=None, config=config)

One small unit per check (``id``, ``severity``, docstring title and description), one
registry table (:mod:`workflow.checks.registry`), cheap checks first. Nothing heavy is
imported here: the lingua detector loads on first use (see :mod:`.language`).
"""

from workflow.checks.base import ERROR, WARNING, Check, Finding, Problem, Unit
from workflow.checks.registry import CHECKS, registry
from workflow.checks.runner import run_checks

__all__ = [
    "CHECKS",
    "ERROR",
    "WARNING",
    "Check",
    "Finding",
    "Problem",
    "Unit",
    "registry",
    "run_checks",
]
