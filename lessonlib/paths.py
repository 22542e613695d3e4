"""Where lessons live, without Qt: the built-in lessons and the learner's lesson library.

`library_dir()` is `ui.settings.data_dir() / "lessons"`, computed the same way (HAFIZA_HOME or
the platform's data folder) so the command line needs no Qt; a test keeps them equal.
"""

from __future__ import annotations

import os
from pathlib import Path

from hafiza.lessonlib.outline import BUILTIN_LESSONS_DIR


def library_dir() -> Path:
    home = os.environ.get("HAFIZA_HOME")
    if home:
        return Path(home) / "data" / "lessons"
    import platformdirs

    return Path(platformdirs.user_data_dir("Hafiza", appauthor=False)) / "lessons"


def find_lesson(lesson_id: str) -> Path | None:
    """The folder of a lesson by id: the library first, then the built-in lessons."""
    for base in (library_dir(), BUILTIN_LESSONS_DIR):
        folder = base / lesson_id
        if (folder / "lesson.yaml").is_file():
            return folder
    return None
