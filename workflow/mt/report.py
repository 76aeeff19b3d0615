"""What a draft run did, per language and in total (``letterflow draft`` prints it, ``--json``
writes :meth:`DraftReport.as_dict`). Filled by :mod:`.drafting`, :mod:`.routing` and
:mod:`workflow.tm.drafting`."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class LanguageReport:
    language: str
    drafted: int = 0  # written from a fresh engine result
    cached: int = 0  # written from the cache / translation memory (no engine call)
    failed: int = 0  # the engine failed on the item; left untranslated
    skipped: int = 0  # already approved or drafted (reviewed or edited): not touched
    damaged: int = 0  # written but flagged letterflow-mt-damaged (counted in drafted/cached)
    tm: int = 0  # written from an exact translation-memory match (before any engine)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "drafted": self.drafted, "cached": self.cached, "failed": self.failed, "tm": self.tm,
            "skipped": self.skipped, "damaged": self.damaged, "errors": list(self.errors),
        }


@dataclass
class DraftReport:
    provider: str
    languages: dict[str, LanguageReport] = field(default_factory=dict)
    engine_calls: int = 0
    seconds: float = 0.0
    unsupported: list[str] = field(default_factory=list)  # languages the engine cannot reach
    routes: dict[str, str] = field(default_factory=dict)  # language -> engine that drafted it
    reasons: dict[str, str] = field(default_factory=dict)  # language -> why no engine did

    def total(self, attr: str) -> int:
        return sum(getattr(r, attr) for r in self.languages.values())

    @property
    def failed(self) -> int:
        return self.total("failed")

    def as_dict(self) -> dict:
        return {
            "provider": self.provider,
            "drafted": self.total("drafted"),
            "cached": self.total("cached"),
            "failed": self.total("failed"),
            "skipped": self.total("skipped"),
            "damaged": self.total("damaged"),
            "tm": self.total("tm"),
            "engine_calls": self.engine_calls,
            "seconds": round(self.seconds, 3),
            "languages": {k: v.as_dict() for k, v in self.languages.items()},
            "unsupported": list(self.unsupported),
            "routes": dict(self.routes),
            "reasons": dict(self.reasons),
        }
