"""Architecture rules: workflow/ never imports web/; the CLI gate stays light."""

from __future__ import annotations

import ast
import subprocess
import sys

from conftest import REPO


def test_workflow_never_imports_web():
    offenders = []
    for path in (REPO / "workflow").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [
                f"{path.relative_to(REPO)}: {n}" for n in names if n.split(".")[0] == "web"
            ]
    assert offenders == []


def test_check_command_does_not_import_flask_docx_or_mt_clients(project_dir):
    code = (
        "import sys\n"
        "from workflow.cli import main\n"
        "try:\n"
        "    main(['check', '--no-cache'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('flask', 'docx', 'deep_translator', 'requests', 'werkzeug', 'docxcompose', 'babel'))\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", code], cwd=project_dir, capture_output=True, text=True, timeout=120
    )
    line = next(x for x in res.stderr.splitlines() if x.startswith("HEAVY"))
    heavy = ast.literal_eval(line[len("HEAVY ") :])
    assert [m for m in heavy if not m.startswith("babel")] == []
    # Babel's CLDR data may load for plural headers, but not its extraction machinery
    assert "babel.messages.frontend" not in heavy and "babel.messages.extract" not in heavy


def _imported_modules(path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_only_the_export_docx_modules_import_python_docx():
    users = sorted(
        str(path.relative_to(REPO))
        for top in ("workflow", "web")
        for path in (REPO / top).rglob("*.py")
        if any(n.split(".")[0] == "docx" for n in _imported_modules(path))
    )
    assert users == ["workflow/export/docx.py", "workflow/export/docx_styles.py",
                     "workflow/export/oxml.py", "workflow/export/oxml_page.py"]


def test_the_export_package_itself_imports_nothing():
    init = REPO / "workflow" / "export" / "__init__.py"
    assert _imported_modules(init) == set()
    code = "import sys, workflow.export; print(sorted(m for m in sys.modules if m.startswith(("
    code += "'docx', 'workflow.export.'))))"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[]"


#: Modules over MAX_MODULE_LINES ("path") and functions over MAX_FUNCTION_LINES
#: ("path:qualname") that are allowed to stay so, each with the reason. Remove an entry when
#: its code shrinks: test_size_allowlist_has_no_stale_entries fails until you do.
SIZE_ALLOWLIST: dict[str, str] = {}
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _functions(tree: ast.AST, prefix: str = ""):
    """(qualname, lines) of every function and method; lines run from `def` to its end,
    decorators not counted."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name = prefix + node.name
            yield name, node.end_lineno - node.lineno + 1
            yield from _functions(node, name + ".")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node, prefix + node.name + ".")
        else:
            yield from _functions(node, prefix)


def _oversized() -> dict[str, int]:
    """"path" or "path:qualname" -> line count, for everything over the limits."""
    found: dict[str, int] = {}
    for top in ("workflow", "web"):
        for path in sorted((REPO / top).rglob("*.py")):
            rel = path.relative_to(REPO).as_posix()
            text = path.read_text(encoding="utf-8")
            if len(text.splitlines()) > MAX_MODULE_LINES:
                found[rel] = len(text.splitlines())
            for name, lines in _functions(ast.parse(text)):
                if lines > MAX_FUNCTION_LINES:
                    found[f"{rel}:{name}"] = lines
    return found


def test_module_and_function_sizes():
    over = {k: n for k, n in _oversized().items() if k not in SIZE_ALLOWLIST}
    assert over == {}, (
        f"over {MAX_MODULE_LINES} lines per module or {MAX_FUNCTION_LINES} per function: "
        "split them, or add them to SIZE_ALLOWLIST with the reason"
    )


def test_size_allowlist_has_no_stale_entries():
    stale = sorted(set(SIZE_ALLOWLIST) - set(_oversized()))
    assert stale == [], "now within the size limits: remove from SIZE_ALLOWLIST"


def test_no_private_module_of_another_package_is_imported():
    """A private module of Python or of a dependency (``re._casefix``) may change or go in
    any release: only our own packages' private modules are imported."""
    ours = {"workflow", "web", "__future__"}
    offenders = sorted(
        f"{path.relative_to(REPO)}: {name}"
        for top in ("workflow", "web")
        for path in (REPO / top).rglob("*.py")
        for name in _imported_modules(path)
        if name.split(".")[0] not in ours
        and any(part.startswith("_") for part in name.split("."))
    )
    assert offenders == []


def test_no_module_calls_a_private_method_of_a_batch():
    """``checks.batch.Batch`` is shared by the checks through its public names only (the
    word checks once called ``_sources_key`` and ``_text``)."""
    offenders = []
    for path in (REPO / "workflow").rglob("*.py"):
        if path == REPO / "workflow" / "checks" / "batch.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                    and not node.attr.startswith("__")
                    and isinstance(node.value, ast.Name) and node.value.id == "batch"):
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno}: batch.{node.attr}")
    assert offenders == []
