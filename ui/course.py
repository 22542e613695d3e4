"""The course outline for the app: the built-in lessons plus the learner's lesson library.

The reading itself is Qt-free and lives in `lessonlib.outline`, and where the learner's lesson
library is in `lessonlib.paths`; this module puts the two together for the app.
"""

from __future__ import annotations

from pathlib import Path

from hafiza.lessonlib.outline import BUILTIN_LESSONS_DIR, Outline, OutlineEntry
from hafiza.lessonlib.outline import read_outline as _read_outline
from hafiza.lessonlib.paths import library_dir

__all__ = [
    "BUILTIN_LESSONS_DIR", "Outline", "OutlineEntry", "library_dir", "read_outline",
]


def read_outline(*lessons_dirs: Path) -> Outline:
    """The given lesson folders; by default the built-in lessons and then the library (whose
    lessons replace built-in ones with the same id)."""
    return _read_outline(*(lessons_dirs or (BUILTIN_LESSONS_DIR, library_dir())))
