"""The house rules that no single feature test would notice breaking (docs/architecture.md):
no import circles, layers that go one way, torch kept out of ui/, short modules, one import
name."""

import ast
import io
import sys
import tokenize
import tomllib

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import import_graph  # noqa: E402

CODE = ("hafiza", "engine", "lessonlib", "store", "ui")
LONG_MODULE = 500
# A module may pass LONG_MODULE lines only if its first lines say why, after this marker.
LONG_REASON = "Longer than 500 lines because"
UI_TORCH_LINES = 5


def python_files(*folders):
    for folder in folders:
        yield from sorted((ROOT / folder).rglob("*.py"))


@pytest.fixture(scope="module")
def graph():
    return import_graph.import_graph(ROOT)


def test_no_import_circles(graph):
    assert import_graph.circles(graph) == []


def test_layers_go_one_way(graph):
    assert import_graph.layer_breaches(graph) == []
    assert import_graph.unplaced_engine_modules(graph) == []


def test_the_graph_sees_imports_inside_functions_and_finds_a_circle(tmp_path):
    """The checker itself: a circle made only by an import inside a function is found, and
    a TYPE_CHECKING import is not an edge."""
    for folder in import_graph.CODE_FOLDERS:
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "__init__.py").write_text("")
    (tmp_path / "hafiza").mkdir()
    (tmp_path / "engine" / "a.py").write_text("from hafiza.engine.b import thing\n")
    (tmp_path / "engine" / "b.py").write_text(
        "def thing():\n    from hafiza.engine import a\n    return a\n")
    (tmp_path / "store" / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from hafiza.ui import d\n")
    (tmp_path / "ui" / "d.py").write_text("from hafiza.store import c\n")
    graph = import_graph.import_graph(tmp_path)
    assert import_graph.circles(graph) == [["hafiza.engine.a", "hafiza.engine.b"]]
    assert "hafiza.ui.d" not in graph["hafiza.store.c"]
    (tmp_path / "engine" / "e.py").write_text("from hafiza.store import c\n")
    assert ("hafiza.engine.e", "hafiza.store.c") in import_graph.layer_breaches(
        import_graph.import_graph(tmp_path))


def torch_lines(path):
    """Line numbers where code (not a comment or a string) names torch."""
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    return {token.start[0] for token in tokens
            if token.type == tokenize.NAME and token.string == "torch"}


def test_ui_touches_torch_only_to_hand_over_a_device_or_threads():
    found = {f"{path.relative_to(ROOT)}:{line}" for path in python_files("ui")
             for line in torch_lines(path)}
    assert len(found) <= UI_TORCH_LINES, sorted(found)


def test_no_long_module_without_a_written_reason():
    too_long = []
    for path in python_files(*CODE, "tools"):
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > LONG_MODULE and not any(LONG_REASON in line for line in lines[:30]):
            too_long.append(f"{path.relative_to(ROOT)}: {len(lines)} lines")
    assert too_long == []


def test_everything_imports_hafiza_by_its_one_name():
    """`import engine` would load a second copy of a module beside `hafiza.engine`'s, with
    its own registries; installed, it would not exist at all."""
    old_names = {"engine", "ui", "store", "lessonlib", "main"}
    wrong = []
    for path in python_files(*CODE, "tests", "tools", "bench"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom)
                     and not node.level else [])
            wrong += [f"{path.relative_to(ROOT)}:{node.lineno} {name}" for name in names
                      if name.split(".")[0] in old_names]
    assert wrong == []


def test_the_wheel_maps_every_package_folder_into_hafiza():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    assert config["project"]["scripts"] == {"hafiza": "hafiza.__main__:main"}
    assert "py-modules" not in setuptools
    packages = set(setuptools["packages"])
    assert all(name == "hafiza" or name.startswith("hafiza.") for name in packages)
    folders = setuptools["package-dir"]
    expected = {"hafiza"}
    for name, folder in folders.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            parts = init.parent.relative_to(ROOT / folder).parts
            expected.add(".".join([name, *parts]))
    # Data folders (lessons, locales) are packages of data, without __init__.py.
    expected |= {name for name, folder in folders.items()
                 if not (ROOT / folder / "__init__.py").exists()}
    assert packages == expected
