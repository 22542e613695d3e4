"""Where lessons live, without Qt: the built-in lessons and the learner's lesson library.

`library_dir()` is the lessons folder inside the learner's data folder (``hafiza.paths``:
``HAFIZA_HOME`` or the platform's data folder), the same for the app and the command line.
"""

from __future__ import annotations

from pathlib import Path

from hafiza.lessonlib.outline import BUILTIN_LESSONS_DIR
from hafiza.paths import data_dir


def library_dir() -> Path:
    return data_dir() / "lessons"


def find_lesson(lesson_id: str) -> Path | None:
    """The folder of a lesson by id: the library first, then the built-in lessons."""
    for base in (library_dir(), BUILTIN_LESSONS_DIR):
        folder = base / lesson_id
        if (folder / "lesson.yaml").is_file():
            return folder
    return None
