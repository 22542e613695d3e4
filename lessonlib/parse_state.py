"""What parsing one Markdown file of a lesson collects as it goes: problems, anchors, the
in-lesson links to check at the end and quiz ids. Shared by the block, inline and quiz parts
of the parser."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hafiza.lessonlib.model import Lesson, Problem


@dataclass
class ParseState:
    source: str
    path: Path | str
    folder: Path | None  # where images are looked up; None for a pack checked in memory
    lesson: Lesson | None  # glossary terms and exercises are checked against it when given
    image_exists: Callable[[str], bool] | None = None  # without a folder: a pack's files
    problems: list[Problem] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    links: list[tuple[str, int]] = field(default_factory=list)  # (#anchor used, line)
    quiz_ids: dict[str, int] = field(default_factory=dict)  # quiz id -> first line

    def __post_init__(self) -> None:
        self.lines = self.source.split("\n")

    def problem(self, line: int, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.path, line, message, severity))
