"""Template limits (issue 10, defect 8): a letterhead .docx with malformed XML is exit 2 and
one line, not an lxml traceback; a small file holding a huge part is refused from the
sizes its zip declares, before anything is inflated (bounded memory)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from export_support import make_project

RECIPIENTS = "country,name\nFR,Anne\n"


@pytest.fixture(scope="module")
def proj(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("tpl") / "proj", approved=("fr",), empty=())
    (root / "r.csv").write_text(RECIPIENTS, encoding="utf-8")
    docx.Document().save(str(root / "good.docx"))
    return root


def export(root: Path, template: Path, *launcher: str) -> subprocess.CompletedProcess:
    return subprocess.run([*launcher, sys.executable, "-m", "workflow.cli", "--project",
                           str(root), "export", "r.csv", "--out", "dist", "--template",
                           str(template)],
                          cwd=root, capture_output=True, text=True, timeout=300)


#: runs its arguments as its only child, then prints that child's peak RSS (KB on Linux):
#: the export's own peak, whatever other processes this test process started before
_PEAK = ("import resource, subprocess, sys\n"
         "code = subprocess.run(sys.argv[1:]).returncode\n"
         "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
         "print(f'peak-kb {peak}', file=sys.stderr)\n"
         "sys.exit(code)\n")


def rewrite(src: Path, dest: Path, replace: dict[str, bytes], add: dict[str, int] = {}):  # noqa: B006
    """Copy the .docx *src* to *dest* with some parts replaced, and parts of n zero bytes
    added (streamed: the test never holds them in memory)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info)))
        for name, size in add.items():
            with zout.open(name, "w", force_zip64=True) as fh:
                block = b"\0" * (1 << 20)
                for _ in range(size >> 20):
                    fh.write(block)


def one_line_exit_2(proc: subprocess.CompletedProcess, expected: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and expected in errors[0], proc.stderr


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml"])
def test_malformed_xml_in_a_template_is_one_line_exit_2(proj: Path, tmp_path: Path, part: str):
    bad = tmp_path / "bad.docx"
    rewrite(proj / "good.docx", bad, {part: b"<w:document xmlns:w='x'><w:body><w:p>"})
    proc = export(proj, bad)
    one_line_exit_2(proc, f"malformed XML in {part}")
    assert not (proj / "dist").exists()


def test_a_huge_part_is_refused_before_it_is_inflated(proj: Path, tmp_path: Path):
    big = tmp_path / "big.docx"
    rewrite(proj / "good.docx", big, {}, {"word/media/image1.bin": 200 << 20})
    assert big.stat().st_size < 2 << 20  # a small file...
    proc = export(proj, big, sys.executable, "-c", _PEAK)
    one_line_exit_2(proc, "word/media/image1.bin inflates to 209,715,200 bytes")
    peak_kb = int(proc.stderr.rsplit("peak-kb ", 1)[1])
    assert peak_kb < 400 * 1024  # ...never inflated in memory (KB on Linux)
    assert not (proj / "dist").exists()


def test_the_good_template_still_exports(proj: Path):
    proc = export(proj, proj / "good.docx")
    assert proc.returncode == 0, proc.stderr
