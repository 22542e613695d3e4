"""Where the learner's data lives: platformdirs, or below $HAFIZA_HOME (tests, portable use).

Qt-free, so the store and its command line never load Qt. `ui.settings` uses these too.
"""

from __future__ import annotations

import os
from pathlib import Path

DATABASE_NAME = "progress.db"


def config_dir() -> Path:
    home = os.environ.get("HAFIZA_HOME")
    if home:
        return Path(home) / "config"
    import platformdirs

    return Path(platformdirs.user_config_dir("Hafiza", appauthor=False))


def data_dir() -> Path:
    home = os.environ.get("HAFIZA_HOME")
    if home:
        return Path(home) / "data"
    import platformdirs

    return Path(platformdirs.user_data_dir("Hafiza", appauthor=False))


def database_path() -> Path:
    return data_dir() / DATABASE_NAME


def backups_dir() -> Path:
    return data_dir() / "backups"


def models_dir() -> Path:
    """Trained models saved from exercises (weights-only checkpoints)."""
    return data_dir() / "models"


def is_inside(folder: Path, path: Path) -> bool:
    """True if `path`, with every link and `..` resolved, lies inside `folder`."""
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return False
    return True
