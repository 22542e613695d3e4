"""Lessons as files: the format model, the Markdown parser, the schema, the checker, packs.

Qt-free: the app's widgets (ui/lesson_page.py, ui/blocks/) draw what this package reads, and
`python main.py lessons ...` (lessonlib.cli) uses it without starting Qt.

The parser (markdown-it-py) loads on first use, not with the package: the app reads its
course outline at start-up and should not pay for the parser before its window is shown.
"""

from hafiza.lessonlib.model import Document, Lesson, LessonError, Problem

__all__ = ["Document", "Lesson", "LessonError", "Problem", "load_lesson", "parse_markdown",
           "read_document"]


def __getattr__(name: str):
    if name in ("load_lesson", "read_document"):
        from hafiza.lessonlib import loader

        return getattr(loader, name)
    if name == "parse_markdown":
        from hafiza.lessonlib.parser import parse_markdown

        return parse_markdown
    raise AttributeError(f"module 'lessonlib' has no attribute {name!r}")
