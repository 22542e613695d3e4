"""The store's files in the learner's data folder (`hafiza.paths`: platformdirs, or below
$HAFIZA_HOME): the progress database and the trained models (backups sit beside
the database: ``store.db.backup_path``).

Qt-free, so the store and its command line never load Qt.
"""

from __future__ import annotations

from pathlib import Path

# The folders themselves are decided once, in the base layer; the store only names its files.
from hafiza.paths import config_dir, data_dir, is_inside

__all__ = ["DATABASE_NAME", "config_dir", "data_dir", "database_path",
           "is_inside", "models_dir"]

DATABASE_NAME = "progress.db"


def database_path() -> Path:
    return data_dir() / DATABASE_NAME


def models_dir() -> Path:
    """Trained models saved from exercises (weights-only checkpoints)."""
    return data_dir() / "models"

