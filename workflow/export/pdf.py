"""PDF next to each .docx: LibreOffice headless, one batched conversion per run.

One ``soffice --headless --convert-to pdf:writer_pdf_Export:{...} --outdir D a.docx b.docx ...``
call converts every letter of a run (LibreOffice starts once, not once per letter), in chunks
of :data:`BATCH` files so that progress can be shown. The export filter embeds the fonts
(PDF export always embeds the fonts it uses; ``EmbedStandardFonts`` embeds the 14 standard
ones too) and writes PDF/A-2b (``SelectPdfVersion`` 2), an archival format whose rules
require every font to be embedded. LibreOffice runs with its own throw-away profile, so a
desktop LibreOffice the coordinator has open does not swallow the call.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import ExportError

BATCH = 50
_FILTER = {
    "EmbedStandardFonts": {"type": "boolean", "value": "true"},
    "SelectPdfVersion": {"type": "long", "value": "2"},
}


class LibreOfficeMissing(ExportError):
    """No ``soffice`` / ``libreoffice`` on this machine (exit 2)."""

    exit_code = 2


def find_soffice() -> str:
    """The LibreOffice program: $LETTERFLOW_SOFFICE, else soffice / libreoffice on PATH."""
    explicit = os.environ.get("LETTERFLOW_SOFFICE")
    if explicit:
        if Path(explicit).is_file():
            return explicit
        raise LibreOfficeMissing(f"LETTERFLOW_SOFFICE={explicit}: no such program")
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise LibreOfficeMissing(
        "--pdf needs LibreOffice (soffice) and none was found: install it (Debian: apt-get "
        "install libreoffice-writer) or set LETTERFLOW_SOFFICE to its path"
    )


def convert_batch(docx_files: Sequence[Path], outdir: Path, *,
                  progress: Callable[[int, int], None] | None = None,
                  soffice: str | None = None, timeout: float = 600,
                  profile: Path | None = None) -> list[Path]:
    """Convert *docx_files* to PDF in *outdir* with as few LibreOffice starts as possible
    (one per :data:`BATCH` files; letters LibreOffice skipped are tried once more). Returns
    the PDF paths, in order. *profile*: a LibreOffice user profile folder to (re)use; default
    a throw-away one."""
    soffice = soffice or find_soffice()
    outdir.mkdir(parents=True, exist_ok=True)
    own_profile = profile is None
    profile = Path(tempfile.mkdtemp(prefix="letterflow-lo-")) if own_profile else profile
    pdfs = [outdir / (Path(p).stem + ".pdf") for p in docx_files]
    try:
        done = 0
        for start in range(0, len(docx_files), BATCH):
            chunk = list(docx_files[start:start + BATCH])
            _run(soffice, profile, chunk, outdir, timeout)
            done += len(chunk)
            if progress:
                progress(done, len(docx_files))
        again = [d for d, p in zip(docx_files, pdfs, strict=True) if not p.is_file()]
        if again:  # e.g. a first start that only created the profile
            _run(soffice, profile, again, outdir, timeout)
    finally:
        if own_profile:
            shutil.rmtree(profile, ignore_errors=True)
    missing = [p.name for p in pdfs if not p.is_file()]
    if missing:
        raise ExportError(f"LibreOffice wrote no PDF for {', '.join(missing[:5])}")
    return pdfs


def _run(soffice: str, profile: Path, files: Sequence[Path], outdir: Path,
         timeout: float) -> None:
    target = "pdf:writer_pdf_Export:" + json.dumps(_FILTER, separators=(",", ":"))
    cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", target, "--outdir", str(outdir), *map(str, files)]
    try:
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ExportError(f"LibreOffice did not finish converting {len(files)} letters "
                          f"in {timeout:.0f} s") from None
    if run.returncode != 0:
        raise ExportError(f"LibreOffice failed (exit {run.returncode}): "
                          f"{(run.stderr or run.stdout).strip()[:300]}")


def convert_one_by_one(docx_files: Sequence[Path], outdir: Path,
                       soffice: str | None = None) -> list[Path]:
    """The naive way, bench/bench_pdf.py's baseline: one ``soffice --convert-to pdf`` start
    per letter (with one warm profile, as a user's own LibreOffice would have)."""
    profile = Path(tempfile.mkdtemp(prefix="letterflow-lo-"))
    try:
        return [convert_batch([path], outdir, soffice=soffice, profile=profile)[0]
                for path in docx_files]
    finally:
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":  # pragma: no cover - manual use: python -m workflow.export.pdf
    paths = [Path(a) for a in sys.argv[1:]]
    print(convert_batch(paths, paths[0].parent))
