"""Where the learner's files live: the platform's user folders, or below $HAFIZA_HOME.

$HAFIZA_HOME, when set, holds everything in two folders of its own, `config` and `data`
(tests and portable installs use it). Otherwise platformdirs gives the user's folders for
"Hafiza". The one place that decides this; every layer (engine caches, the progress store,
the lesson library) builds its own sub-folders on `data_dir()`.

Base layer: no Qt, nothing from the rest of Hafiza.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "Hafiza"
HOME_VARIABLE = "HAFIZA_HOME"


def _home() -> Path | None:
    home = os.environ.get(HOME_VARIABLE)
    return Path(home) if home else None


def config_dir() -> Path:
    home = _home()
    if home is not None:
        return home / "config"
    # Imported here: a command that never needs the folders never pays for platformdirs.
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    home = _home()
    if home is not None:
        return home / "data"
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def is_inside(folder: Path, path: Path) -> bool:
    """True if `path`, with every link and `..` resolved, lies inside `folder`."""
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return False
    return True


def shipped_folder(name: str) -> Path:
    """A data folder that ships with Hafiza (``lessons``, ``locales``). Installed, it sits
    inside the package (``hafiza/lessons``); in a checkout, at the top of the repository,
    beside the code folders (pyproject's package-dir maps one onto the other)."""
    package = Path(__file__).resolve().parent
    inside = package / name
    return inside if inside.is_dir() else package.parent / name


BUILTIN_LESSONS_DIR = shipped_folder("lessons")
LOCALES_DIR = shipped_folder("locales")

# The application's icon (window, installers, desktop entry); icon.png and icon.ico beside
# it are drawn from it by packaging/icons.py.
ICON_FILE = Path(__file__).resolve().parent / "icon.svg"
