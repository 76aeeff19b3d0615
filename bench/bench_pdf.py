"""Benchmark: PDFs of the letters for the UN member states, the batched LibreOffice conversion
that ``letterflow export --pdf`` uses (one ``soffice --convert-to pdf`` start per 50 letters,
:func:`workflow.export.pdf.convert_batch`) against one ``soffice --convert-to pdf`` start per
letter, side by side in one run, on the same .docx files.

The .docx files are the real letter (letters/icnk-2012.txt) exported with --allow-drafts from a
temporary copy of the project for the member states (each in its CLDR official language with a
catalogue, else English). Both ways use a fresh throw-away LibreOffice profile.

Run: python bench/bench_pdf.py [--count 193]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _letters(work: Path, count: int) -> list[Path]:
    from workflow.config import load_config
    from workflow.export.run import run_export
    from workflow.export.un_members import UN_MEMBERS

    proj = work / "proj"
    shutil.copytree(REPO, proj, ignore=shutil.ignore_patterns(
        ".venv", ".git", "var", "dist", "*.lock", "__pycache__", ".ruff_cache"))
    csv = proj / "members.csv"
    csv.write_text("country,fallback\n" + "".join(f"{c},yes\n" for c in UN_MEMBERS[:count]),
                   encoding="utf-8")
    result = run_export(load_config(proj), csv, work / "docx", allow_drafts=True)
    return [work / "docx" / f.filename for f in result.files]


def main() -> None:
    from workflow.export.pdf import convert_batch, convert_one_by_one, find_soffice

    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=193, help="member states (default all 193)")
    args = ap.parse_args()
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        work = Path(tmp)
        docs = _letters(work, args.count)
        print(f"{len(docs)} letters (.docx) to convert")
        t0 = time.perf_counter()
        batched = convert_batch(docs, work / "batched", soffice=soffice)
        t_batch = time.perf_counter() - t0
        print(f"letterflow (batched, {len(docs) // 50 + 1} LibreOffice start(s)): "
              f"{t_batch:.1f} s  ({t_batch / len(docs) * 1000:.0f} ms/letter)")
        t0 = time.perf_counter()
        single = convert_one_by_one(docs, work / "single", soffice=soffice)
        t_one = time.perf_counter() - t0
        print(f"one soffice --convert-to pdf per letter: {t_one:.1f} s  "
              f"({t_one / len(docs) * 1000:.0f} ms/letter)")
        assert len(batched) == len(single) == len(docs)
        print(f"ratio: {t_one / t_batch:.1f}x faster batched")


if __name__ == "__main__":
    main()
