"""Lessons as files: the format model, the Markdown parser, the schema, the checker, packs.

Qt-free: the app's widgets (ui/lesson_page.py, ui/blocks/) draw what this package reads, and
`python main.py lessons ...` (lessonlib.cli) uses it without starting Qt.
"""

from lessonlib.loader import load_lesson, read_document
from lessonlib.model import Document, Lesson, LessonError, Problem
from lessonlib.parser import parse_markdown

__all__ = ["Document", "Lesson", "LessonError", "Problem", "load_lesson", "parse_markdown",
           "read_document"]
