"""The course outline for the app: the built-in lessons plus the learner's lesson library.

The reading itself is Qt-free and lives in `lessonlib.outline`; this module adds where the
lesson library is (`ui.settings.data_dir() / "lessons"`).
"""

from __future__ import annotations

from pathlib import Path

from hafiza.lessonlib.outline import (
    BUILTIN_LESSONS_DIR,
    FALLBACK_CHAIN,
    Outline,
    OutlineEntry,
)
from hafiza.lessonlib.outline import read_outline as _read_outline

__all__ = [
    "BUILTIN_LESSONS_DIR", "FALLBACK_CHAIN", "Outline", "OutlineEntry", "library_dir",
    "read_outline",
]


def library_dir() -> Path:
    """The learner's lesson library: imported packs and lessons written by instructors."""
    from hafiza.ui.settings import data_dir

    return data_dir() / "lessons"


def read_outline(*lessons_dirs: Path) -> Outline:
    """The given lesson folders; by default the built-in lessons and then the library (whose
    lessons replace built-in ones with the same id)."""
    return _read_outline(*(lessons_dirs or (BUILTIN_LESSONS_DIR, library_dir())))
