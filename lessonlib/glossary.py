"""The course glossary: `glossary.yaml` beside the lesson folders, every term in every variety.

    gradient descent:
      ar: {term: الانحدار التدرّجي, definition: ...}
      en: {term: gradient descent, definition: ...}

A lesson marks a term as `[[gradient descent]]`; its own `lesson.yaml` `glossary:` may define
or override a term for itself. The file is read safely (YAML data only) and cached by its
modification time; a broken file counts as empty (the checker reports undefined terms).
"""

from __future__ import annotations

from pathlib import Path

from hafiza.lessonlib.model import VARIETY_TAGS, LessonError, Problem
from hafiza.lessonlib.schema import read_yaml
from hafiza.words import _

FILE_NAME = "glossary.yaml"
_cache: dict[Path, tuple[float, dict[str, dict[str, str]]]] = {}


def entry_text(entry: object) -> str:
    """'term — definition' from a course entry, or the text of a lesson's own entry."""
    if isinstance(entry, dict):
        term, definition = entry.get("term"), entry.get("definition")
        if isinstance(term, str) and isinstance(definition, str):
            return f"{term} — {definition}"
        return ""
    return entry if isinstance(entry, str) else ""


def read_course_glossary(path: Path) -> dict[str, dict[str, str]]:
    """term -> {variety: text} as a lesson's own `glossary:` holds it; raises LessonError."""
    data, _node = read_yaml(path.read_text(encoding="utf-8"), path)
    if not isinstance(data, dict):
        raise LessonError(_("the glossary must map terms to their varieties"), path, 1)
    glossary = {}
    for term, varieties in data.items():
        if not isinstance(term, str) or not isinstance(varieties, dict):
            continue
        texts = {tag: entry_text(varieties.get(tag)) for tag in VARIETY_TAGS}
        glossary[term] = {tag: text for tag, text in texts.items() if text}
    return glossary


def course_glossary(lessons_dir: Path) -> dict[str, dict[str, str]]:
    """The glossary shared by the lessons in `lessons_dir` ({} when there is none)."""
    path = (Path(lessons_dir) / FILE_NAME).resolve()
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return {}
    cached = _cache.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    try:
        glossary = read_course_glossary(path)
    except (LessonError, OSError, UnicodeDecodeError):
        glossary = {}
    _cache[path] = (mtime, glossary)
    return glossary


def glossary_problems(path: Path) -> list[Problem]:
    """What the checker says about a course glossary: unreadable, or raw HTML at a line."""
    from hafiza.lessonlib.plain_text import glossary_yaml_problems

    try:
        data, node = read_yaml(path.read_text(encoding="utf-8"), path)
    except LessonError as error:
        return [error.problem()]
    except (OSError, UnicodeDecodeError) as error:
        return [Problem(path, 1, _("cannot read the glossary: {error}").format(error=error))]
    return glossary_yaml_problems(data, node, path)
