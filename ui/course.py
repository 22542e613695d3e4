"""The course for the app: the outline (built-in lessons plus the learner's lesson library)
and one lesson read for the page.

The reading itself is Qt-free and lives in `lessonlib.outline`, and where the learner's lesson
library is in `lessonlib.paths`; this module puts the two together for the app. `read_lesson`
is Qt-free too, so the page can run it in a worker thread.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from hafiza.lessonlib import LessonError
from hafiza.lessonlib.model import MAX_MARKDOWN_BYTES, Document, Lesson, text_path
from hafiza.lessonlib.outline import BUILTIN_LESSONS_DIR, Outline, OutlineEntry
from hafiza.lessonlib.outline import read_outline as _read_outline
from hafiza.lessonlib.paths import library_dir

__all__ = [
    "BUILTIN_LESSONS_DIR", "Outline", "OutlineEntry", "ReadLesson", "lesson_bytes",
    "library_dir", "read_lesson", "read_outline",
]

log = logging.getLogger("hafiza.ui.course")


def read_outline(*lessons_dirs: Path) -> Outline:
    """The given lesson folders; by default the built-in lessons and then the library (whose
    lessons replace built-in ones with the same id)."""
    return _read_outline(*(lessons_dirs or (BUILTIN_LESSONS_DIR, library_dir())))


# -- one lesson, read for the page ------------------------------------------------------------

@dataclass
class ReadLesson:
    """What the page needs of a lesson folder: its data, its text parsed (None when it has
    none in the chain of varieties), the error that stopped the reading, or the size of a
    text too large to read (`too_large`, in bytes; 0 when it is not)."""

    lesson: Lesson | None = None
    document: Document | None = None
    error: LessonError | None = None
    too_large: int = 0


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def lesson_bytes(folder: Path, variety: str) -> int:
    """What reading the lesson in `variety` parses: its text (or its fallback's) and
    lesson.yaml, in bytes."""
    found = text_path(folder, variety)
    return (_size(found[0]) if found else 0) + _size(folder / "lesson.yaml")


def read_lesson(folder: Path, variety: str) -> ReadLesson:
    """The lesson in `folder` with its text in `variety` (or its fallback), parsed. Never
    raises: it runs on the GUI thread for small lessons and in a worker for large ones, where
    an exception would leave the page waiting. A text over the parser's cap is not read."""
    # The parser (markdown-it, YAML) loads with the first lesson, not with the app: 50 ms of
    # start-up otherwise.
    from hafiza.lessonlib.loader import load_lesson, read_document

    read = ReadLesson()
    try:
        read.lesson = load_lesson(folder)
        found = read.lesson.text_path(variety)
        if found is not None and _size(found[0]) > MAX_MARKDOWN_BYTES:
            read.too_large = _size(found[0])
            return read
        read.document = read_document(read.lesson, variety)
    except LessonError as error:
        read.error = error
    except Exception as error:  # a bug in the parser: the page says so, the log keeps it
        log.exception("the lesson in %s could not be read", folder)
        read.error = LessonError(f"the lesson could not be read ({type(error).__name__})",
                                 folder, 1)
    return read


def read_in_background(key: tuple[Path, str], _state) -> tuple[tuple[Path, str], ReadLesson]:
    """`read_lesson` as a worker's task (`ui.worker`), with the (folder, variety) the page
    checks the result against."""
    return key, read_lesson(*key)
