"""Shared fixtures: a temporary letterflow project made from the repo's real letter."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def write_project(root: Path, languages=("fr", "es", "ru", "ar", "ja"), required=(), letters=None,
                  extra: str = "") -> Path:
    """Create a project folder with a letterflow.toml and the seed letter."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "letters").mkdir(exist_ok=True)
    if letters is None:
        shutil.copy(REPO / "letters" / "icnk-2012.txt", root / "letters" / "icnk-2012.txt")
        letters = ["letters/icnk-2012.txt"]
    langs = ", ".join(f'"{lang}"' for lang in languages)
    req = ", ".join(f'"{lang}"' for lang in required)
    lets = ", ".join(f'"{p}"' for p in letters)
    (root / "letterflow.toml").write_text(
        f"languages = [{langs}]\nrequired = [{req}]\nletters = [{lets}]\n"
        f'database = "var/letterflow.sqlite3"\n{extra}',
        encoding="utf-8",
    )
    return root


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    """A fresh project with the seed letter, extracted and with created catalogues."""
    from workflow.catalogs import read_template_store, update_catalog
    from workflow.config import load_config
    from workflow.extract import extract_template

    root = write_project(tmp_path / "proj")
    cfg = load_config(root)
    extract_template(cfg)
    template = read_template_store(cfg.template)
    for lang in cfg.languages:
        update_catalog(template, cfg.catalog(lang), lang, cfg.domain)
    return root


@pytest.fixture
def config(project_dir: Path):
    from workflow.config import load_config

    return load_config(project_dir)


def run_cli(*args: str, cwd: Path | None = None, input: str | None = None, env=None):
    """Run the real `letterflow` console entry point in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "workflow.cli", *args],
        cwd=cwd, input=input, capture_output=True, text=True, env=env, timeout=300,
    )
