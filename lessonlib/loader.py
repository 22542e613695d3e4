"""Reading lesson folders: `lesson.yaml` and the Markdown text in the learner's variety."""

from __future__ import annotations

from pathlib import Path

from hafiza.lessonlib.glossary import course_glossary
from hafiza.lessonlib.model import Document, Lesson, fallback_chain
from hafiza.lessonlib.parser import parse_markdown, read_text
from hafiza.lessonlib.schema import load_lesson_data


def load_lesson(folder: Path) -> Lesson:
    """The lesson in `folder`; raises LessonError when its lesson.yaml cannot be read.

    Schema problems don't stop loading (the lesson is still shown); they are in
    `lesson.problems` for the checker and the author."""
    folder = Path(folder)
    data, _node, problems = load_lesson_data(folder / "lesson.yaml")
    lesson_id = data.get("id") if isinstance(data.get("id"), str) else folder.name
    return Lesson(lesson_id, folder, data, problems, course_glossary(folder.parent))


def read_document(lesson: Lesson, variety: str) -> Document | None:
    """The lesson's text in `variety` or its nearest fallback (ary → ar → en...), parsed.

    None when the lesson has no text in any variety of the chain. Raises LessonError."""
    for tag in fallback_chain(variety):
        path = lesson.folder / f"{tag}.md"
        if path.is_file():
            return parse_markdown(read_text(path), path, lesson.folder, lesson, tag)
    return None

