"""Hafiza's import graph: who imports whom, imports inside functions included.

    python tools/import_graph.py            circles, layer breaches and the package table
    python tools/import_graph.py --edges    every edge, one a line

An edge goes from a module to the module it names: ``from hafiza.engine.data import imdb``
names ``hafiza.engine.data.imdb`` (a submodule), ``from hafiza.engine.train import fit`` names
``hafiza.engine.train``. Relative imports are resolved. As in import-linter and pydeps, a
package's ``__init__`` counts only when it is named itself. ``if TYPE_CHECKING:`` blocks are
skipped: they never run.

tests/test_structure.py holds the rules (no circle, the layers) so CI keeps them.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "hafiza"
# The code folders of the package, as the repository lays them out (pyproject's package-dir).
CODE_FOLDERS = ("engine", "lessonlib", "store", "ui")
# Which of Hafiza's packages each may import: the layers go one way (docs/architecture.md).
# "base" is the modules in hafiza/ itself (the variety table, the safe zip reader, the data
# folders): below everything, importing nothing of Hafiza's but each other.
ALLOWED = {
    "base": {"base"},
    "engine": {"base", "engine"},
    "lessonlib": {"base", "lessonlib", "engine"},
    "store": {"base", "store", "engine"},
    "ui": {"base", "ui", "engine", "lessonlib", "store"},
    "main": {"base", "ui", "engine", "lessonlib", "store"},  # hafiza/__main__: hands over
}


# Inside the engine, the floors from the bottom up: a module may import its own floor and
# those below it, never one above (the vocabulary tables never need the training loop).
ENGINE_FLOORS = (
    ("vocabulary", ("tables", "control", "events", "runtime", "activations", "text",
                    "refusals", "files")),
    ("data and models", ("data", "budget", "layers", "layer_edit", "models", "bag_layers")),
    ("training", ("objectives", "batches", "train", "inspection", "summary", "checkpoints",
                  "ngram", "tagging")),
    ("exercises", ("exercises", "builtin_exercises", "playgrounds", "exercise_problems",
                   "dry_run")),
    ("command line", ("cli",)),
)


def engine_floor(module: str) -> int | None:
    """The floor of an engine module (``hafiza.engine.data.imdb.cache`` -> 1), None for the
    package itself or a module no floor names."""
    parts = module.split(".")
    if parts[:2] != [PACKAGE, "engine"] or len(parts) < 3:
        return None
    for number, (_name, first_names) in enumerate(ENGINE_FLOORS):
        if parts[2] in first_names:
            return number
    return None


def module_files(root: Path = ROOT) -> dict[str, Path]:
    """``hafiza.engine.train`` -> its file, for every module of the code folders."""
    found: dict[str, Path] = {}
    for path in sorted((root / PACKAGE).glob("*.py")):
        found[PACKAGE if path.stem == "__init__" else f"{PACKAGE}.{path.stem}"] = path
    for folder in CODE_FOLDERS:
        for path in sorted((root / folder).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join([PACKAGE, *parts])] = path
    return found


def _type_checking_block(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


def _imports(tree: ast.AST) -> Iterable[ast.Import | ast.ImportFrom]:
    stack = [tree]
    while stack:
        node = stack.pop()
        if _type_checking_block(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Each module of the package -> the modules of the package it imports."""
    files = module_files(root)
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in _imports(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = _resolve(name, is_package, node)
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in files else base
                           for alias in node.names]
            for target in targets:
                while target and target not in files:  # import a.b.c where c is a name
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return sorted(found)


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in CODE_FOLDERS:
        return parts[1]
    return "main" if parts[-1] == "__main__" else "base"


def layer_breaches(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Edges that go up the layers (e.g. store -> ui, engine -> store, engine.data ->
    engine.train)."""
    def up(source: str, target: str) -> bool:
        if layer_of(target) not in ALLOWED.get(layer_of(source), set()):
            return True
        below, above = engine_floor(source), engine_floor(target)
        return below is not None and above is not None and above > below

    return sorted((source, target) for source, targets in graph.items() for target in targets
                  if up(source, target))


def unplaced_engine_modules(graph: dict[str, set[str]]) -> list[str]:
    """Engine modules no floor names: a new module must say where it sits."""
    return sorted(name for name in graph if name.startswith(f"{PACKAGE}.engine.")
                  and engine_floor(name) is None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", action="store_true", help="print every edge")
    args = parser.parse_args(argv)
    graph = import_graph()
    if args.edges:
        for source in sorted(graph):
            for target in sorted(graph[source]):
                print(f"{source} -> {target}")
    found = circles(graph)
    breaches = layer_breaches(graph)
    print(f"{len(graph)} modules, {sum(map(len, graph.values()))} edges, "
          f"{len(found)} circles, {len(breaches)} layer breaches")
    for component in found:
        print("circle:", " <-> ".join(component))
    for source, target in breaches:
        print("breach:", source, "->", target)
    unplaced = unplaced_engine_modules(graph)
    for name in unplaced:
        print("no floor in ENGINE_FLOORS:", name)
    return 1 if found or breaches or unplaced else 0


if __name__ == "__main__":
    sys.exit(main())
