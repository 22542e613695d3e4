"""Hafiza, one import package: ``hafiza.engine``, ``hafiza.lessonlib``, ``hafiza.store``,
``hafiza.ui``, with the data folders ``hafiza.lessons`` and ``hafiza.locales``.

The repository keeps those folders at its top level (``engine/``, ``ui/``, …, beside
``pyproject.toml``); the wheel puts them inside ``hafiza/`` (setuptools ``package-dir``). So
that a plain checkout imports the same names without being installed, this package also
looks for its subpackages one folder up, but only when that folder is Hafiza's own source
tree: in site-packages the parent folder belongs to everybody else.
"""

from pathlib import Path

__version__ = "0.1.0"

_SOURCE_TREE = Path(__file__).resolve().parent.parent
if ((_SOURCE_TREE / "pyproject.toml").is_file()
        and (_SOURCE_TREE / "engine" / "__init__.py").is_file()):
    __path__.append(str(_SOURCE_TREE))  # noqa: F821 - a package's __path__
