"""The MT provider registry is the one table: engines, offline/online lists, `letterflow
providers`, the client arguments; a new engine is one registry line. No import cycles in mt/."""

from __future__ import annotations

import ast
from types import SimpleNamespace

import pytest
from conftest import REPO

from workflow.errors import MTError
from workflow.mt import OFFLINE, ONLINE, PROVIDERS, Translator, get_translator, online, registry


def cfg(tmp_path, **mt):
    return SimpleNamespace(mt=mt, source_language="en", languages=["fr", "es"],
                           database=tmp_path / "db.sqlite3")


def test_every_list_of_engines_is_derived_from_the_registry():
    assert PROVIDERS == tuple(registry.PROVIDERS)
    assert set(OFFLINE) | set(ONLINE) == set(registry.PROVIDERS)
    assert OFFLINE == ("apertium", "pseudo")
    assert ONLINE == ("google", "mymemory", "deepl", "microsoft", "libre", "papago")
    assert set(online.PROVIDERS) == set(ONLINE)
    for name, spec in registry.PROVIDERS.items():
        cls = spec.engine_class()
        assert issubclass(cls, Translator), name
        assert (spec.service is not None) == spec.network, name


def test_a_new_engine_is_one_registry_line(tmp_path, monkeypatch):
    from workflow.commands.mt import provider_rows

    line = registry.ProviderSpec("pseudo2", ".pseudo:PseudoTranslator", status="a copy")
    monkeypatch.setitem(registry.PROVIDERS, "pseudo2", line)
    t = get_translator("pseudo2", cfg(tmp_path))
    assert t.translate("Dear {name},", "en", "fr") == "⟦Déár {name},⟧"
    rows = {r["name"]: r for r in provider_rows(cfg(tmp_path))}
    assert rows["pseudo2"]["usable"] and rows["pseudo2"]["status"] == "a copy"
    assert {"source": "en", "target": "fr", "via": None} in rows["pseudo2"]["pairs"]


def test_a_new_online_service_is_one_registry_line(tmp_path, monkeypatch):
    from workflow.commands.mt import provider_rows

    line = registry.ProviderSpec(
        "libre2", ".online:OnlineTranslator", network=True,
        service=registry.Service("LibreTranslator", keys=("LIBRE2_KEY",),
                                 languages="LIBRE_LANGUAGES_TO_CODES",
                                 args={"api_key": "LIBRE2_KEY", "custom_url": "@url"}))
    monkeypatch.setitem(registry.PROVIDERS, "libre2", line)
    with pytest.raises(MTError, match="no API key: set the environment variable LIBRE2_KEY"):
        get_translator("libre2", cfg(tmp_path), env={})
    t = get_translator("libre2", cfg(tmp_path), env={"LIBRE2_KEY": "k"},
                       base_url="http://127.0.0.1:9")
    assert t.name == "libre2" and ("en", "fr") in t.supported_pairs()
    client = t._client("en", "fr")  # the real deep-translator client, not called here
    assert client.api_key == "k" and client._base_url == "http://127.0.0.1:9/"
    monkeypatch.delenv("LIBRE2_KEY", raising=False)
    row = {r["name"]: r for r in provider_rows(cfg(tmp_path))}["libre2"]
    assert row["kind"] == "online" and row["status"] == "no key: set LIBRE2_KEY"


def test_unknown_engine_names_the_registered_ones(tmp_path):
    with pytest.raises(MTError, match="unknown MT provider 'babelfish' .*apertium, pseudo, google"):
        get_translator("babelfish", cfg(tmp_path))


@pytest.mark.parametrize("name, env, url, expected", [
    ("google", {}, None, {}),
    ("mymemory", {}, None, {}),
    ("mymemory", {"LETTERFLOW_MYMEMORY_EMAIL": "a@b.org"}, None, {"email": "a@b.org"}),
    ("deepl", {"LETTERFLOW_DEEPL_KEY": "k"}, None, {"api_key": "k", "use_free_api": True}),
    ("deepl", {"LETTERFLOW_DEEPL_KEY": "k", "LETTERFLOW_DEEPL_PRO": "1"}, None,
     {"api_key": "k", "use_free_api": False}),
    ("microsoft", {"LETTERFLOW_MICROSOFT_KEY": "k", "LETTERFLOW_MICROSOFT_REGION": "westeu"},
     None, {"api_key": "k", "region": "westeu"}),
    ("libre", {"LETTERFLOW_LIBRE_KEY": "k"}, "http://127.0.0.1:9/x",
     {"api_key": "k", "custom_url": "http://127.0.0.1:9/x/"}),
    ("libre", {"LETTERFLOW_LIBRE_KEY": "k"}, None, {"api_key": "k"}),
    ("papago", {"LETTERFLOW_PAPAGO_ID": "i", "LETTERFLOW_PAPAGO_SECRET": "s"}, None,
     {"client_id": "i", "secret_key": "s"}),
])
def test_client_arguments_come_from_the_registry_line(name, env, url, expected):
    assert online.client_kwargs(online.PROVIDERS[name], env, url) == expected


def _module_level_imports(path) -> set[str]:
    """workflow.mt modules a module imports at its top level, TYPE_CHECKING blocks included
    (a cycle there is still a cycle to a reader; imports inside functions are lazy)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    nodes = list(tree.body)
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            nodes += node.body
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(a.name for a in node.names)
    return found


def test_no_import_cycle_inside_mt():
    mt = REPO / "workflow" / "mt"
    graph = {p.stem: _module_level_imports(p) for p in mt.glob("*.py")}
    graph = {k: {m for m in v if m in graph and m != k} for k, v in graph.items()}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph[start]:
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    cycles = sorted(k for k in graph if k != "__init__" and reaches(k, k, {k}))
    assert cycles == [], graph
