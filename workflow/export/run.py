"""The export run: gate -> render every recipient's letter -> files, manifest.json, letters.zip.

- **Gate.** A language is exported only if its catalogue is 100% approved and has no
  error-severity QA finding; otherwise :class:`GateClosed` (exit 1) names the language and the
  messages. ``allow_drafts`` exports anyway: every page then carries the "DRAFT — not reviewed"
  header and each unapproved (or QA-flagged) paragraph is marked.
- **Nothing half-written.** Files are written under a temporary folder next to ``out`` and
  moved into place only when every letter, the manifest and the zip are complete.
- **Manifest.** Per file: recipient, language, the catalogue's content hash (SHA-256 of the
  .po bytes), and who approved it and when -- from the audit trail when the project database
  exists, else from the catalogue's ``Last-Translator``/``PO-Revision-Date`` headers.

The web UI uses :func:`plan_export` + :func:`stream_zip` (a streamed zip of the same letters)
and :func:`preview_model` for its preview. Each language's verdict is :mod:`.statuses`'s
(``LanguageStatus``, ``GateClosed``, importable from here too); the files are written by
:mod:`.output`, the manifest built by :mod:`.manifest`.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExportError, LetterflowError
from .output import stream_zip, write_folder
from .recipients import Recipient, load_recipients
from .statuses import (
    GateClosed,
    LanguageStatus,
    available_languages,
    language_status,
    require_attribution,
)

Progress = Callable[[int, int, Recipient], None]


@dataclass
class ExportedLetter:
    filename: str
    recipient: Recipient
    language: str
    draft: bool
    unapproved: list[str]
    sha256: str
    size: int
    paper: str
    country_name: str
    form: str = ""
    free_salutation: bool = False  # the salutation came from the CSV: nobody reviewed it
    country_overrides: dict = field(default_factory=dict)
    pdf: str | None = None
    states: list[tuple[str, str]] = field(default_factory=list)  # (context, state) in order

    def count(self, state: str) -> int:
        return sum(1 for _, s in self.states if s == state)


@dataclass
class ExportResult:
    out: Path
    files: list[ExportedLetter]
    manifest: Path
    zip: Path
    statuses: dict[str, LanguageStatus]
    seconds: float

    @property
    def drafts(self) -> int:
        return sum(1 for f in self.files if f.draft)


@dataclass
class ExportPlan:
    """Everything needed to render the letters, checked: recipients, statuses, writer."""

    config: object
    letter: object
    recipients: list[Recipient]
    statuses: dict[str, LanguageStatus]
    allow_drafts: bool
    template: Path | None = None
    appendix: Path | None = None
    _writer: object | None = None
    rows_read: int = 0  # data rows of the recipients file (blank rows not counted)
    allow_unattributed: bool = False
    skipped: list = field(default_factory=list)  # screen.Skipped (--skip-blocked)
    pdf: bool = False

    @property
    def writer(self):
        if self._writer is None and getattr(self.letter, "kind", "text") == "docx":
            if self.template or self.appendix:
                raise ExportError("--template and --appendix do not apply to a Word letter: "
                                  "the letter's own document is the template")
            from .docx_template import DocxTemplateWriter

            self._writer = DocxTemplateWriter(self.letter.path,
                                              limits=self.config.template_limits)
        if self._writer is None:
            from .docx import DocxWriter

            self._writer = DocxWriter(self.template, self.appendix,
                                      page=self.config.export.get("page"),
                                      limits=self.config.template_limits)
        return self._writer

    def model(self, recipient: Recipient):
        from .model import build_model

        status = self.statuses[recipient.language]
        return build_model(
            self.letter, status.catalog, recipient,
            source_language=self.config.source_language,
            fonts=self.config.export.get("fonts"),
            author=self.config.export.get("author"),
            flagged=status.flagged, countries=status.countries, forms=self.letter.forms,
        )

    def documents(self, progress: Progress | None = None
                  ) -> Iterator[tuple[ExportedLetter, bytes]]:
        """Render each recipient's letter: (record, .docx bytes), in recipients order."""
        total = len(self.recipients)
        names = self.filenames()
        for i, recipient in enumerate(self.recipients, start=1):
            model = self.model(recipient)
            data = self.writer.render(model)
            name = names[i - 1]
            yield ExportedLetter(
                filename=name, recipient=recipient, language=model.language, draft=model.draft,
                unapproved=[p.context or p.role for p in model.unapproved],
                sha256=hashlib.sha256(data).hexdigest(), size=len(data), paper=model.paper,
                country_name=model.country_name, form=recipient.form,
                free_salutation=bool(recipient.salutation),
                country_overrides=dict(model.country_overrides),
                states=[(p.context, p.state) for p in model.paragraphs if p.context],
            ), data
            if progress:
                progress(i, total, recipient)

    def filenames(self) -> list[str]:
        """The file name of each recipient's letter, in recipients order (unique)."""
        used: set[str] = set()
        return [_unique(f"{r.slug}.docx", used) for r in self.recipients]

    def manifest(self, files: list[ExportedLetter]) -> dict:
        """manifest.json's content for *files* (see :mod:`.manifest`)."""
        from .manifest import build_manifest

        return build_manifest(self, files)


def plan_export(
    config,
    recipients: Path | str | Iterable[Recipient],
    *,
    letter: Path | str | None = None,
    allow_drafts: bool = False,
    template: Path | str | None = None,
    appendix: Path | str | None = None,
    languages: Iterable[str] | None = None,
    allow_unattributed: bool = False,
    skip_blocked: bool = False,
    pdf: bool = False,
) -> ExportPlan:
    """Check everything before anything is written; raise :class:`GateClosed` if blocked."""
    from ..letter import load_letter

    letter_path = Path(letter) if letter else (config.letters[0] if config.letters else None)
    if letter_path is None:
        raise ExportError("no letter configured")
    the_letter = load_letter(letter_path)
    if isinstance(recipients, (str, Path)):
        recipient_list = load_recipients(
            recipients, available_languages(config), source_language=config.source_language
        )
    else:
        recipient_list = list(recipients)
    rows_read = len(recipient_list)
    if languages is not None:
        wanted = set(languages)
        recipient_list = [r for r in recipient_list if r.language in wanted]
    if not recipient_list:
        raise ExportError("no recipients to export")
    from .address import check_forms

    check_forms(the_letter, recipient_list)
    statuses: dict[str, LanguageStatus] = {}
    for r in recipient_list:
        if r.language not in statuses:
            statuses[r.language] = language_status(config, r.language, letter=the_letter)
            if not allow_unattributed:
                require_attribution(statuses[r.language])
    from .country_catalog import country_gate

    country_gate(config, the_letter, recipient_list, statuses)
    recipient_list, skipped = _screen(config, recipient_list, statuses, allow_drafts,
                                      skip_blocked)
    country_gate(config, the_letter, [], statuses)  # the fallback's source language too
    plan = ExportPlan(config, the_letter, recipient_list, statuses, allow_drafts,
                      Path(template) if template else None, Path(appendix) if appendix else None,
                      rows_read=rows_read, allow_unattributed=allow_unattributed,
                      skipped=skipped, pdf=pdf)
    if pdf:
        from .pdf import find_soffice

        find_soffice()  # a missing LibreOffice fails now, before anything is written
    plan.writer  # noqa: B018 -- reads template/appendix now: a bad file fails before writing
    return plan


def _screen(config, recipients: list[Recipient], statuses: dict[str, LanguageStatus],
            allow_drafts: bool, skip_blocked: bool) -> tuple[list[Recipient], list]:
    """Recipients who get a letter (:mod:`.screen`); GateClosed unless *skip_blocked*."""
    from .screen import screen

    source = config.source_language
    keep, blocked = screen(recipients, statuses, source, allow_drafts)
    if blocked and not skip_blocked:
        langs = {s.recipient.language for s in blocked}
        raise GateClosed([st for lang, st in statuses.items() if lang in langs], blocked)
    if not keep:
        raise ExportError("every recipient is blocked: " + "; ".join(s.line() for s in blocked))
    if any(r.language == source for r in keep) and source not in statuses:
        statuses[source] = language_status(config, source)
    return keep, blocked


def run_export(
    config,
    recipients: Path | str | Iterable[Recipient],
    out: Path | str,
    *,
    progress: Progress | None = None,
    plan: ExportPlan | None = None,
    **plan_options,
) -> ExportResult:
    """Write one .docx per recipient, manifest.json and letters.zip into *out*, atomically."""
    start = time.perf_counter()
    plan = plan or plan_export(config, recipients, **plan_options)
    out = Path(out)
    files = write_folder(plan, out, progress)
    return ExportResult(out, files, out / "manifest.json", out / "letters.zip", plan.statuses,
                        time.perf_counter() - start)


def preview_model(config, language: str, country: str, *, letter: Path | str | None = None,
                  name: str = "", title: str = ""):
    """The localised model for a preview: drafts shown and marked, no gate."""
    from ..letter import load_letter
    from .model import build_model
    from .recipients import RecipientsError, territory_names

    country = country.upper()
    if country not in territory_names():
        raise RecipientsError(f"unknown country code {country!r} (expected e.g. FR, KR, US)")
    letter_path = Path(letter) if letter else config.letters[0]
    the_letter = load_letter(letter_path)
    if language == config.source_language:
        status = LanguageStatus(language)
    else:
        config.check_language(language)
        if not config.catalog(language).is_file():
            raise ExportError(f"no catalogue for {language} (run `letterflow update`)")
        status = language_status(config, language, letter=the_letter)
    recipient = Recipient(row=0, country=country, language=language, name=name, title=title)
    from .country_catalog import load_country_catalog

    return build_model(
        the_letter, status.catalog, recipient, source_language=config.source_language,
        fonts=config.export.get("fonts"), author=config.export.get("author"),
        flagged=status.flagged, countries=load_country_catalog(config, language),
        forms=the_letter.forms,
    )


def _unique(name: str, used: set[str]) -> str:
    stem, ext = os.path.splitext(name)
    candidate, n = name, 2
    while candidate in used:
        candidate = f"{stem}-{n}{ext}"
        n += 1
    used.add(candidate)
    return candidate


__all__ = [
    "ExportPlan", "ExportResult", "ExportedLetter", "GateClosed", "LanguageStatus",
    "LetterflowError", "available_languages", "language_status", "plan_export",
    "preview_model", "run_export", "stream_zip",
]
