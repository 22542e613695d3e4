"""No code from a file is ever run: a repo-wide audit of every Python file.

Fails when one of these appears outside the allow-list below (each entry says why it is
safe): pickle and friends, `yaml.load` without a safe loader, `torch.load` without
`weights_only=True`, `torch.jit.load`, `eval`/`exec`/`compile`/`__import__`, `extractall`,
`shutil.unpack_archive`, `allow_pickle=True`, `shell=True`, `os.system`/`os.popen`,
opening links (`QDesktopServices.openUrl`) or `setOpenExternalLinks(True)`.
It reads the syntax tree, so `model.eval()` or a dialog's `exec()` do not count, and a
forbidden call inside a string (a hostile test input) does not either.
"""

import ast
from pathlib import Path

import pytest
from conftest import ROOT

SKIP_DIRS = {".venv", "venv", "build", "dist", ".git", "__pycache__", ".mypy_cache",
             ".ruff_cache", ".pytest_cache", "node_modules"}
UNSAFE_MODULES = {"pickle", "cPickle", "_pickle", "dill", "cloudpickle", "marshal", "shelve",
                  "joblib", "jsonpickle"}
UNSAFE_BUILTINS = {"eval", "exec", "compile", "__import__", "execfile"}
YAML_LOADERS = {"load", "load_all", "unsafe_load", "unsafe_load_all", "full_load",
                "full_load_all"}
UNSAFE_YAML_NAMES = {"Loader", "UnsafeLoader", "FullLoader", "CLoader", "CUnsafeLoader",
                     "CFullLoader"}

# (file, rule) -> why it is safe there.
ALLOWED = {
    ("tests/engine/test_imdb_budgets.py", "allow_pickle=True"):
        "writes (never reads) an object-array npy, the layout of Keras' real imdb.npz, "
        "which the reader must decode without unpickling",
    ("engine/checkpoints.py", "import pickle"):
        "only for the pickle.UnpicklingError that weights_only loading raises",
    ("tests/engine/test_checkpoints.py", "import pickle"):
        "builds hostile checkpoints to prove they are refused",
    ("ui/lesson_page.py", "open link"):
        "LessonPage.open_link opens http(s) only, after asking (hafiza.safelinks.is_safe_link)",
    ("ui/imdb_import.py", "open link"):
        "the import dialog's only link is the app's own constant, imdb.HOME_PAGE, and "
        "open_link still opens it only through hafiza.safelinks.is_safe_link",
}


def _name(node: ast.AST) -> str:
    """Dotted name of a call target: `yaml.safe_load`, `torch.jit.load`, `eval`."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _name(node.value)
        return f"{inner}.{node.attr}" if inner else node.attr
    return ""


def _keyword(call: ast.Call, name: str):
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _is_true(node) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def findings(source: str) -> list[tuple[int, str]]:
    """(line, rule) for each unsafe construct in a Python source."""
    found: list[tuple[int, str]] = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in UNSAFE_MODULES:
                    found.append((node.lineno, f"import {alias.name.split('.')[0]}"))
        elif isinstance(node, ast.ImportFrom) and node.module:
            root = node.module.split(".")[0]
            names = {alias.name for alias in node.names}
            if root in UNSAFE_MODULES:
                found.append((node.lineno, f"import {root}"))
            if root == "yaml" and names & (YAML_LOADERS | UNSAFE_YAML_NAMES):
                found.append((node.lineno, "unsafe yaml"))
            if node.module == "torch" and "load" in names:
                found.append((node.lineno, "torch.load without weights_only"))
            if node.module == "torch.jit" and "load" in names:
                found.append((node.lineno, "torch.jit.load"))
        elif isinstance(node, ast.Attribute):
            if _name(node.value) == "yaml" and node.attr in UNSAFE_YAML_NAMES:
                found.append((node.lineno, "unsafe yaml"))
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        last = name.rsplit(".", 1)[-1]
        if isinstance(node.func, ast.Name) and name in UNSAFE_BUILTINS:
            found.append((node.lineno, f"{name}()"))
        elif name.startswith("yaml.") and last in YAML_LOADERS:
            loader = _keyword(node, "Loader")
            if loader is None and len(node.args) > 1:
                loader = node.args[1]
            if loader is None or "Safe" not in _name(loader):
                found.append((node.lineno, "unsafe yaml"))
        elif name == "torch.load" or (name.endswith(".load") and "torch" in name
                                      and "jit" not in name):
            if not _is_true(_keyword(node, "weights_only")):
                found.append((node.lineno, "torch.load without weights_only"))
        elif name.endswith("jit.load"):
            found.append((node.lineno, "torch.jit.load"))
        if last == "extractall":
            found.append((node.lineno, "extractall"))
        if name in ("shutil.unpack_archive", "unpack_archive"):
            found.append((node.lineno, "unpack_archive"))
        if name in ("os.system", "os.popen"):
            found.append((node.lineno, name))
        if _is_true(_keyword(node, "shell")):
            found.append((node.lineno, "shell=True"))
        if _is_true(_keyword(node, "allow_pickle")):
            found.append((node.lineno, "allow_pickle=True"))
        if last in ("read_pickle", "to_pickle"):
            found.append((node.lineno, "import pickle"))
        if last == "openUrl":
            found.append((node.lineno, "open link"))
        if last == "setOpenExternalLinks" and node.args and not (
            isinstance(node.args[0], ast.Constant) and node.args[0].value is False
        ):
            found.append((node.lineno, "setOpenExternalLinks(True)"))
    return found


def python_files() -> list[Path]:
    files = []
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if any(part in SKIP_DIRS or part.endswith(".egg-info") for part in parts[:-1]):
            continue
        files.append(path)
    return sorted(files)


def test_no_code_from_files_is_ever_run_anywhere_in_the_repo():
    files = python_files()
    assert len(files) > 20 and any(p.name == "checkpoints.py" for p in files)
    problems = []
    for path in files:
        relative = path.relative_to(ROOT).as_posix()
        for line, rule in findings(path.read_text(encoding="utf-8")):
            if (relative, rule) not in ALLOWED:
                problems.append(f"{relative}:{line}: {rule}")
    assert not problems, "unsafe constructs (see tests/store/test_hostile_input_audit.py):\n" \
        + "\n".join(problems)


@pytest.mark.parametrize("source, rule", [
    ("import pickle", "import pickle"),
    ("from pickle import loads", "import pickle"),
    ("import marshal", "import marshal"),
    ("import yaml\nyaml.load(text)", "unsafe yaml"),
    ("import yaml\nyaml.load(text, Loader=yaml.Loader)", "unsafe yaml"),
    ("import yaml\nyaml.unsafe_load(text)", "unsafe yaml"),
    ("import yaml\nyaml.full_load(text)", "unsafe yaml"),
    ("from yaml import load", "unsafe yaml"),
    ("import torch\ntorch.load(path)", "torch.load without weights_only"),
    ("import torch\ntorch.load(path, weights_only=False)", "torch.load without weights_only"),
    ("from torch import load", "torch.load without weights_only"),
    ("import torch\ntorch.jit.load(path)", "torch.jit.load"),
    ("eval(text)", "eval()"),
    ("exec(code)", "exec()"),
    ("__import__('os')", "__import__()"),
    ("archive.extractall(folder)", "extractall"),
    ("import shutil\nshutil.unpack_archive(p, d)", "unpack_archive"),
    ("import numpy as np\nnp.load(p, allow_pickle=True)", "allow_pickle=True"),
    ("import subprocess\nsubprocess.run(cmd, shell=True)", "shell=True"),
    ("import os\nos.system(cmd)", "os.system"),
    ("label.setOpenExternalLinks(True)", "setOpenExternalLinks(True)"),
    ("QDesktopServices.openUrl(url)", "open link"),
])
def test_the_audit_catches(source, rule):
    assert rule in [found for _line, found in findings(source)]


@pytest.mark.parametrize("source", [
    "import yaml\nyaml.safe_load(text)",
    "import yaml\nyaml.load(text, Loader=yaml.SafeLoader)",
    "import yaml\nyaml.compose(text, Loader=yaml.SafeLoader)",
    "import torch\ntorch.load(path, map_location='cpu', weights_only=True)",
    "model.eval()",
    "dialog.exec()",
    "app.exec()",
    "import re\nre.compile('x')",
    "text = \"eval('1')\"",
    "label.setOpenExternalLinks(False)",
])
def test_the_audit_lets_safe_code_pass(source):
    assert findings(source) == []


def test_links_other_than_http_are_refused():
    from hafiza.safelinks import is_safe_link

    assert is_safe_link("https://pytorch.org/docs")
    assert is_safe_link("http://example.com/a?b=c#d")
    for url in ("file:///etc/passwd", "javascript:alert(1)", "data:text/html,<b>x</b>",
                "ftp://example.com", "smb://server/share", "mailto:a@b.c", "hafiza://x",
                "//example.com", "relative/page.html", "https://", "https://user:pw@evil.com",
                "https://exa mple.com", "https://example.com/\x00", "", "HTTPS:x"):
        assert not is_safe_link(url), url


def test_archive_member_names():
    from hafiza.safezip import is_safe_member_name

    for name in ("manifest.json", "models/abc.pt", "figures/a b.png"):
        assert is_safe_member_name(name)
    for name in ("../x", "a/../../x", "/etc/passwd", "C:/x", "a\\b", "a//b", "./x", "",
                 "a/\x00b", "a:b", "x" * 256):
        assert not is_safe_member_name(name), name
