"""``--out`` is exactly one run (issue 10, defect 2): a recipient removed from the CSV loses
their old letter; an export killed with SIGKILL at any step (render, manifest, zip, move,
swap) leaves the old run or the new run, never a mix; the next run removes the temporary
folders a killed run left; manifest, zip and folder always list the same letters."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from export_support import make_project

from tests.conftest import REPO

OLD = "country,name\nFR,Anne\nKR,Kim\nFR,Bruno\n"
NEW = "country,name\nFR,Anne\nKR,Kim\n"  # Bruno removed


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("swap") / "proj", approved=("fr", "ko"),
                        empty=())


@pytest.fixture
def root(base: Path, tmp_path: Path) -> Path:
    """A copy of the base project of its own for one test."""
    root = tmp_path / "p"
    subprocess.run(["cp", "-a", str(base), str(root)], check=True)
    return root


def export(root: Path, csv_text: str, crash: str | None = None) -> subprocess.CompletedProcess:
    (root / "r.csv").write_text(csv_text, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("LETTERFLOW_CRASH_AT", None)
    if crash:
        env["LETTERFLOW_CRASH_AT"] = crash
    return subprocess.run([sys.executable, "-m", "workflow.cli", "--project", str(root),
                           "export", "r.csv", "--out", "dist", "--format", "json"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=300)


def listing(out: Path) -> set[str]:
    """The letters of a run, checked three ways: the folder, the manifest, the zip."""
    letters = {p.name for p in out.glob("*.docx")}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {f["file"] for f in manifest["files"]} == letters
    with zipfile.ZipFile(out / "letters.zip") as zf:
        names = set(zf.namelist())
        assert json.loads(zf.read("manifest.json")) == manifest
    assert names - {"manifest.json"} == letters
    assert set(os.listdir(out)) == letters | {"manifest.json", "letters.zip"}
    return letters


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def temps(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if ".letterflow-" in p.name)


def test_a_removed_recipient_loses_their_old_letter(root: Path):
    assert export(root, OLD).returncode == 0
    assert listing(root / "dist") == {"FR-fr-anne.docx", "KR-ko-kim.docx", "FR-fr-bruno.docx"}
    proc = export(root, NEW)
    assert proc.returncode == 0, proc.stderr
    assert listing(root / "dist") == {"FR-fr-anne.docx", "KR-ko-kim.docx"}
    assert temps(root) == []


def test_a_folder_that_is_not_an_export_is_never_replaced(root: Path):
    (root / "dist").mkdir()
    (root / "dist" / "thesis.odt").write_text("mine")
    proc = export(root, NEW)
    assert proc.returncode == 2 and "not an earlier export" in proc.stderr
    assert os.listdir(root / "dist") == ["thesis.odt"] and temps(root) == []


@pytest.mark.parametrize("point", ["export.render:1", "export.render:2", "export.manifest",
                                   "export.zip", "export.move", "export.swap"])
def test_killed_at_every_step_out_is_one_whole_run(root: Path, point: str):
    assert export(root, OLD).returncode == 0
    old = snapshot(root / "dist")
    proc = export(root, NEW, crash=point)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    now = listing(root / "dist")
    if point == "export.swap":  # killed after the exchange: the new run is in place
        assert now == {"FR-fr-anne.docx", "KR-ko-kim.docx"}
    else:
        assert snapshot(root / "dist") == old
    assert temps(root), "the killed run left its temporary folder"
    proc = export(root, NEW)  # the next run cleans up and writes exactly itself
    assert proc.returncode == 0, proc.stderr
    assert listing(root / "dist") == {"FR-fr-anne.docx", "KR-ko-kim.docx"}
    assert temps(root) == []


def test_a_first_run_killed_leaves_no_out_and_no_litter(root: Path):
    assert export(root, NEW, crash="export.zip").returncode == -signal.SIGKILL
    assert not (root / "dist").exists()
    assert export(root, NEW).returncode == 0
    assert temps(root) == [] and listing(root / "dist")
