"""engine/ is a Qt-free library: importing every module of it must not import Qt."""

import subprocess
import sys

from conftest import ROOT

PROBE = """
import importlib, pkgutil, sys
import hafiza.engine as engine
names = [m.name for m in pkgutil.walk_packages(engine.__path__, "hafiza.engine.")]
for name in names:
    importlib.import_module(name)
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6"))
print(len(names), qt)
"""


def test_engine_imports_without_qt():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    count, qt_modules = result.stdout.strip().split(" ", 1)
    assert int(count) >= 5
    assert qt_modules == "[]"


def test_engine_package_import_does_not_load_torch():
    result = subprocess.run(
        [sys.executable, "-c",
         "import hafiza.engine, hafiza.engine.runtime, sys; print('torch' in sys.modules)"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.stdout.strip() == "False", result.stderr
