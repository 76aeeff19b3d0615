"""`letterflow checks`, and QA findings as the `letterflow check` gate reports them."""

from __future__ import annotations

import json

from conftest import run_cli

from workflow.checks import registry


def test_checks_lists_every_check_with_id_severity_and_description(project_dir):
    res = run_cli("--project", str(project_dir), "checks")
    assert res.returncode == 0, res.stderr
    for check in registry.values():
        line = next(ln for ln in res.stdout.splitlines() if ln.startswith(check.id + " "))
        assert check.severity in line and check.title() in line
    assert "letterflow-ignore" in res.stdout


def test_checks_json(project_dir):
    res = run_cli("--project", str(project_dir), "checks", "--format", "json")
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    assert [r["id"] for r in rows] == list(registry)
    assert all(
        r["description"] and r["title"] and r["severity"] in ("error", "warning") for r in rows
    )


def test_gate_reports_qa_findings_with_file_and_line(project_dir):
    from workflow.catalogs import Change, apply_changes, load_catalog
    from workflow.config import load_config

    cfg = load_config(project_dir)
    path = cfg.catalog("fr")
    apply_changes(
        path,
        [
            Change(
                "icnk-2012/cc",
                [
                    "cc : Représentant permanent de {pays} auprès "
                    "de l'Organisation des Nations Unies"
                ],
                fuzzy=False,
            )
        ],
    )
    line = load_catalog(path, "fr").get("icnk-2012/cc").line
    res = run_cli("--project", str(project_dir), "check", "--format", "json", "--lang", "fr")
    assert res.returncode == 1, res.stdout + res.stderr
    found = [f for f in json.loads(res.stdout)["findings"] if f["check_id"] == "placeholders"]
    assert found and found[0]["context"] == "icnk-2012/cc" and found[0]["line"] == line
    assert found[0]["severity"] == "error" and found[0]["path"].endswith("fr/LC_MESSAGES/letter.po")
    assert "{country_of} renamed to {pays}" in found[0]["message"]
