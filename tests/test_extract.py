"""Extraction through Babel: pybabel's own CLI and `letterflow extract` agree."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import DATA, REPO, write_project
from tool_support import need

from workflow.catalogs import load_template
from workflow.config import load_config
from workflow.extract import build_template, extract_template, same_template


def _pybabel(root):
    exe = need("pybabel")
    shutil.copy(REPO / "babel.cfg", root / "babel.cfg")
    subprocess.run(
        [exe, "extract", "-F", "babel.cfg", "-o", "pybabel.pot", "."],
        cwd=root,
        check=True,
        capture_output=True,
    )
    return (root / "pybabel.pot").read_bytes()


def test_pybabel_cli_and_letterflow_extract_give_the_same_template(tmp_path):
    root = write_project(tmp_path)
    cfg = load_config(root)
    extract_template(cfg)
    ours = cfg.template.read_bytes()
    theirs = _pybabel(root)
    assert same_template(ours, theirs)
    # and they really differ at most in POT-Creation-Date
    strip = re.compile(rb'"POT-Creation-Date: .*\n')
    assert strip.sub(b"", ours) == strip.sub(b"", theirs)


def test_every_message_has_context_comment_reference_and_flag(tmp_path):
    cfg = load_config(write_project(tmp_path))
    extract_template(cfg)
    tpl = load_template(cfg.template)
    msgs = {m.context: m for m in tpl.active()}
    assert len(msgs) == 19
    cc = msgs["icnk-2012/cc"]
    from workflow.letter import load_letter

    cc_line = load_letter(cfg.letters[0]).block("cc").line
    assert cc.locations == (f"letters/icnk-2012.txt:{cc_line}",)
    assert "python-brace-format" in cc.flags
    assert any(c.startswith("role: cc") for c in cc.auto_comments)
    assert any("placeholder {country}" in c for c in cc.auto_comments)
    body = msgs["icnk-2012/camps"]
    assert any("role: body, 2 of 12" in c for c in body.auto_comments)
    assert "python-brace-format" not in body.flags
    sender = msgs["icnk-2012/sender"]
    assert sender.source_plural == "{count} defectors from North Korea"
    assert "python-brace-format" in sender.flags
    for m in tpl.active():
        assert m.context and m.locations and m.auto_comments


def test_unchanged_letter_gives_byte_identical_template(tmp_path):
    cfg = load_config(write_project(tmp_path))
    _, written = extract_template(cfg)
    assert written
    before = cfg.template.read_bytes()
    mtime = cfg.template.stat().st_mtime_ns
    _, written = extract_template(cfg)
    assert not written
    assert cfg.template.read_bytes() == before
    assert cfg.template.stat().st_mtime_ns == mtime


def test_msgctxt_is_stable_when_another_paragraph_changes(tmp_path):
    root = write_project(tmp_path)
    cfg = load_config(root)
    before = {m.context: m.source for m in _template_messages(cfg)}
    letter = root / "letters" / "icnk-2012.txt"
    text = letter.read_text(encoding="utf-8")
    text = text.replace("Thank you for your consideration.", "Thank you very much.")
    text = text.replace("[body meeting]", "[body new-one]\nA paragraph inserted.\n\n[body meeting]")
    letter.write_text(text, encoding="utf-8")
    after = {m.context: m.source for m in _template_messages(cfg)}
    assert set(after) == set(before) | {"icnk-2012/new-one"}
    changed = {c for c in before if before[c] != after[c]}
    assert changed == {"icnk-2012/closing"}


def _template_messages(cfg):
    extract_template(cfg)
    return load_template(cfg.template).active()


def test_second_letter_extracts_with_no_code_change(tmp_path):
    root = write_project(tmp_path, letters=["letters/appeal.txt"])
    shutil.copy(DATA / "appeal-letter.txt", root / "letters" / "appeal.txt")
    cfg = load_config(root)
    extract_template(cfg)
    msgs = {m.context: m for m in load_template(cfg.template).active()}
    assert "detainee-appeal/recipient" in msgs
    assert msgs["detainee-appeal/duration"].source_plural.endswith("{days} days.")
    assert any(
        "placeholder {ministry}" in c for c in msgs["detainee-appeal/postscript"].auto_comments
    )
    assert same_template(cfg.template.read_bytes(), _pybabel(root))


def test_format_flag_makes_msgfmt_check_placeholders(tmp_path):
    """The python-brace-format flag is what lets `msgfmt -c` catch a dropped {country}."""
    msgfmt = need("msgfmt")
    cfg = load_config(write_project(tmp_path))
    extract_template(cfg)
    text = cfg.template.read_text(encoding="utf-8")
    bad = text.replace(
        '"Content-Type: text/plain; charset=utf-8\\n"',
        '"Content-Type: text/plain; charset=utf-8\\n"\n"Language: fr\\n"',
    )
    bad = bad.replace(
        'msgid "cc: Permanent Representative of {country} to the United Nations"\nmsgstr ""',
        'msgid "cc: Permanent Representative of {country} to the United Nations"\n'
        'msgstr "cc : Représentant permanent auprès des Nations unies"',
    )
    po = tmp_path / "bad.po"
    po.write_text(bad.replace('#, fuzzy\nmsgid ""', 'msgid ""'), encoding="utf-8")
    res = subprocess.run(
        [msgfmt, "-c", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    assert res.returncode != 0
    assert "country" in res.stderr


def test_build_template_reports_bad_letter_with_line(tmp_path):
    root = write_project(tmp_path)
    letter = root / "letters" / "icnk-2012.txt"
    letter.write_text(letter.read_text().replace("[closing]", "[farewell]"), encoding="utf-8")
    from workflow.errors import LetterError

    with pytest.raises(LetterError, match=r"icnk-2012.txt:\d+: unknown role \[farewell\]"):
        build_template(load_config(root))
