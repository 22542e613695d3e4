"""The course outline: which lessons exist, in which order, titled in each variety.

Reads only the outline fields of each `<lessons dir>/<id>/lesson.yaml` (safely: lesson files
are untrusted data). A lesson whose file is unreadable is left out and reported, so one
broken lesson never keeps the app from starting. Several folders can be read at once (the
built-in lessons, then the learner's lesson library); a later folder's lesson replaces an
earlier one with the same id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hafiza import paths, varieties
from hafiza.lessonlib.model import LessonError, fallback_chain, text_path
from hafiza.lessonlib.schema import read_yaml
from hafiza.words import _

BUILTIN_LESSONS_DIR = paths.BUILTIN_LESSONS_DIR

__all__ = ["BUILTIN_LESSONS_DIR", "Outline", "OutlineEntry", "read_outline"]


@dataclass(frozen=True)
class OutlineEntry:
    id: str
    order: int
    folder: Path
    titles: dict[str, str]
    estimated_minutes: int = 0
    prerequisites: tuple[str, ...] = ()
    builtin: bool = True

    def title(self, variety: str) -> tuple[str, str]:
        """(title, variety it is written in), following the fallback chain."""
        for tag in fallback_chain(variety):
            if self.titles.get(tag):
                return self.titles[tag], tag
        any_tag = next(iter(self.titles), varieties.DEFAULT)
        return self.titles.get(any_tag, self.id), any_tag

    def text_path(self, variety: str) -> tuple[Path, str] | None:
        """The lesson's Markdown file for `variety` or its nearest fallback."""
        return text_path(self.folder, variety)


@dataclass
class Outline:
    lessons: list[OutlineEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def find(self, lesson_id: str) -> OutlineEntry | None:
        return next((entry for entry in self.lessons if entry.id == lesson_id), None)


def read_outline(*lessons_dirs: Path, builtin_dir: Path = BUILTIN_LESSONS_DIR) -> Outline:
    """The lessons of every folder in `lessons_dirs` (default: the built-in lessons)."""
    outline = Outline()
    found: dict[str, OutlineEntry] = {}
    for lessons_dir in lessons_dirs or (builtin_dir,):
        if not Path(lessons_dir).is_dir():
            continue
        builtin = Path(lessons_dir).resolve() == Path(builtin_dir).resolve()
        for path in sorted(Path(lessons_dir).glob("*/lesson.yaml")):
            if path.parent.name.startswith("."):  # staging and leftovers (lessonlib.library)
                continue
            try:
                entry = _read_entry(path, builtin)
            except (OSError, UnicodeDecodeError, LessonError, ValueError, TypeError) as error:
                outline.problems.append(f"{path}: {error}")
                continue
            found[entry.id] = entry
    outline.lessons = sorted(found.values(), key=lambda entry: (entry.order, entry.id))
    return outline


def _read_entry(path: Path, builtin: bool = True) -> OutlineEntry:
    data, _node = read_yaml(path.read_text(encoding="utf-8"), path)
    if not isinstance(data, dict):
        raise ValueError(_("lesson.yaml must be a mapping"))
    titles = data.get("title")
    if not isinstance(titles, dict) or not titles:
        raise ValueError(_("'title' must map varieties to titles"))
    return OutlineEntry(
        id=str(data.get("id") or path.parent.name),
        order=int(data.get("order", 0)),
        folder=path.parent,
        titles={str(tag): str(text) for tag, text in titles.items()},
        estimated_minutes=int(data.get("estimated_minutes", 0)),
        prerequisites=tuple(str(p) for p in data.get("prerequisites") or ()),
        builtin=builtin,
    )
