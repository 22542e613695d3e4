"""The course outline: which lessons exist, in which order, titled in each variety.

Reads only the outline fields of each `lessons/<id>/lesson.yaml` (safely: lesson files are
untrusted data). Qt-free. A lesson whose file is unreadable is left out and reported, so
one broken lesson never keeps the app from starting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

BUILTIN_LESSONS_DIR = Path(__file__).resolve().parent.parent / "lessons"

# Where a title or text missing in the learner's variety is looked for next.
FALLBACK_CHAIN = {
    "ary": ("ary", "ar", "en"),
    "arz": ("arz", "ar", "en"),
    "ar": ("ar", "en"),
    "fa": ("fa", "en"),
    "en": ("en",),
}


@dataclass(frozen=True)
class OutlineEntry:
    id: str
    order: int
    folder: Path
    titles: dict[str, str]
    estimated_minutes: int = 0
    prerequisites: tuple[str, ...] = ()

    def title(self, variety: str) -> tuple[str, str]:
        """(title, variety it is written in), following the fallback chain."""
        for tag in FALLBACK_CHAIN.get(variety, ("en",)):
            if self.titles.get(tag):
                return self.titles[tag], tag
        any_tag = next(iter(self.titles), "en")
        return self.titles.get(any_tag, self.id), any_tag

    def text_path(self, variety: str) -> tuple[Path, str] | None:
        """The lesson's Markdown file for `variety` or its nearest fallback."""
        for tag in FALLBACK_CHAIN.get(variety, ("en",)):
            path = self.folder / f"{tag}.md"
            if path.is_file():
                return path, tag
        return None


@dataclass
class Outline:
    lessons: list[OutlineEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def find(self, lesson_id: str) -> OutlineEntry | None:
        return next((entry for entry in self.lessons if entry.id == lesson_id), None)


def read_outline(lessons_dir: Path = BUILTIN_LESSONS_DIR) -> Outline:
    outline = Outline()
    if not lessons_dir.is_dir():
        return outline
    for path in sorted(lessons_dir.glob("*/lesson.yaml")):
        try:
            outline.lessons.append(_read_entry(path))
        except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError, TypeError) as error:
            outline.problems.append(f"{path}: {error}")
    outline.lessons.sort(key=lambda entry: (entry.order, entry.id))
    return outline


def _read_entry(path: Path) -> OutlineEntry:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("lesson.yaml must be a mapping")
    titles = data.get("title")
    if not isinstance(titles, dict) or not titles:
        raise ValueError("'title' must map varieties to titles")
    return OutlineEntry(
        id=str(data.get("id") or path.parent.name),
        order=int(data.get("order", 0)),
        folder=path.parent,
        titles={str(tag): str(text) for tag, text in titles.items()},
        estimated_minutes=int(data.get("estimated_minutes", 0)),
        prerequisites=tuple(str(p) for p in data.get("prerequisites") or ()),
    )
