"""Template limits from the project configuration (issue 10, defect 8): ``[export]
template_max_part_mb`` and ``template_max_total_mb`` (defaults 32 and 128) bound what a
letterhead, an appendix or a Word letter may inflate to. Real files, the real export
process."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from test_template_limits import RECIPIENTS, export, one_line_exit_2, rewrite

from tests.export_support import make_project
from workflow.config import load_config
from workflow.errors import ConfigError

MB = 1 << 20


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("tplcfg") / "proj", approved=("fr",), empty=())
    (root / "r.csv").write_text(RECIPIENTS, encoding="utf-8")
    docx.Document().save(str(root / "good.docx"))
    rewrite(root / "good.docx", root / "logo.docx", {}, {"word/media/logo.bin": 3 * MB})
    return root


def _with(base: Path, tmp_path: Path, export_table: str) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(base, root)
    toml = root / "letterflow.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[export]\n" + export_table,
                    encoding="utf-8")
    return root


def test_defaults_and_configured_values(base: Path, tmp_path: Path):
    assert load_config(base).template_limits == (32 * MB, 128 * MB)
    root = _with(base, tmp_path, "template_max_part_mb = 2\ntemplate_max_total_mb = 2.5\n")
    assert load_config(root).template_limits == (2 * MB, int(2.5 * MB))


@pytest.mark.parametrize("value", ["0", "-1", '"big"', "true", "2000000"])
def test_a_bad_limit_is_a_config_error(base: Path, tmp_path: Path, value: str):
    root = _with(base, tmp_path, f"template_max_part_mb = {value}\n")
    with pytest.raises(ConfigError, match="template_max_part_mb must be a number of megabytes"):
        load_config(root)
    proc = export(root, root / "good.docx")
    one_line_exit_2(proc, "template_max_part_mb must be a number of megabytes")


def test_the_default_limits_let_a_3_mb_part_through(base: Path, tmp_path: Path):
    root = _with(base, tmp_path, "")
    proc = export(root, root / "logo.docx")
    assert proc.returncode == 0, proc.stderr


def test_a_lower_part_limit_refuses_it(base: Path, tmp_path: Path):
    root = _with(base, tmp_path, "template_max_part_mb = 2\n")
    proc = export(root, root / "logo.docx")
    one_line_exit_2(proc, "word/media/logo.bin inflates to 3,145,728 bytes, over the 2 MB "
                          "limit; refused unread (template_max_part_mb)")
    assert not (root / "dist").exists()


def test_a_lower_total_limit_refuses_the_package(base: Path, tmp_path: Path):
    root = _with(base, tmp_path, "template_max_part_mb = 4\ntemplate_max_total_mb = 3\n")
    proc = export(root, root / "logo.docx")
    one_line_exit_2(proc, "over the 3 MB limit; refused unread (template_max_total_mb)")


def test_a_higher_limit_admits_a_part_over_the_default(base: Path, tmp_path: Path):
    big = tmp_path / "big.docx"
    rewrite(base / "good.docx", big, {}, {"word/media/scan.bin": 33 * MB})
    root = _with(base, tmp_path, "")
    one_line_exit_2(export(root, big), "over the 32 MB limit")
    toml = root / "letterflow.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "template_max_part_mb = 40\n",
                    encoding="utf-8")
    proc = export(root, big)
    assert proc.returncode == 0, proc.stderr


def test_a_word_letter_is_held_to_the_same_limits(tmp_path: Path):
    """A Word letter is its own template (export/docx_template.py): its parts too."""
    from docx_letters import build_word_letter
    from test_docx_source import _approve_country, _approve_drafts, _project

    from tests.conftest import run_cli

    source = build_word_letter(tmp_path / "coi-2014.docx")
    plain = tmp_path / "plain.docx"
    shutil.move(source, plain)
    rewrite(plain, source, {}, {"word/media/logo.bin": 3 * MB})
    root = _project(tmp_path, source)
    for args in (("extract",), ("update",), ("draft", "--lang", "fr", "--provider", "pseudo")):
        assert run_cli(*args, cwd=root).returncode == 0, args
    _approve_drafts(root, "fr")
    _approve_country(root, "fr", "FR")
    (root / "r.csv").write_text("country,language,name\nFR,fr,Jean Dupont\n", encoding="utf-8")
    args = ("export", "r.csv", "--out", "dist", "--allow-unattributed")
    ok = run_cli(*args, cwd=root)
    assert ok.returncode == 0, ok.stderr
    toml = root / "letterflow.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[export]\ntemplate_max_part_mb = 2\n",
                    encoding="utf-8")
    one_line_exit_2(run_cli(*args, cwd=root),
                    "word/media/logo.bin inflates to 3,145,728 bytes, over the 2 MB limit")
