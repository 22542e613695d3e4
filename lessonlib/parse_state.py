"""What parsing one Markdown file of a lesson collects as it goes: problems, anchors, the
in-lesson links to check at the end and quiz ids. Shared by the block, inline and quiz parts
of the parser."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hafiza.lessonlib.model import Lesson, Problem
from hafiza.words import _, ngettext

# What one text may ask of the formula renderer. Drawing costs about a millisecond per
# character (ziamath), on the GUI thread when the page shows it and again in the checker: a
# text that turned into formulas (one stray `$$` makes the rest of a lesson one) froze both
# for minutes. The course's longest formula has 164 characters, its most in one text 1,732.
MAX_FORMULA_CHARS = 400
MAX_FORMULA_CHARS_PER_TEXT = 4_000
# And per level of nesting, twice the work (ziamath measures each level's rows again): ten
# `{` cost 3 s, twelve 13 s. The course nests two deep.
MAX_FORMULA_DEPTH = 5


def formula_depth(latex: str) -> int:
    """How deep `{` groups and `\\left` delimiters nest (an unclosed one counts too)."""
    depth = deepest = 0
    for match in _NESTING.finditer(latex):
        if match.group() in ("{", "\\left"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(0, depth - 1)
    return deepest


_NESTING = re.compile(r"\\left(?![A-Za-z])|\\right(?![A-Za-z])|(?<!\\)[{}]")


@dataclass
class ParseState:
    source: str
    path: Path | str
    folder: Path | None  # where images are looked up; None for a pack checked in memory
    lesson: Lesson | None  # glossary terms and exercises are checked against it when given
    image_exists: Callable[[str], bool] | None = None  # without a folder: a pack's files
    # The variety the text is written in: its prose numbers are written in its digits.
    variety: str = "en"
    problems: list[Problem] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    links: list[tuple[str, int]] = field(default_factory=list)  # (#anchor used, line)
    quiz_ids: dict[str, int] = field(default_factory=dict)  # quiz id -> first line
    formula_chars: int = 0  # drawn so far in this text (MAX_FORMULA_CHARS_PER_TEXT)
    formula_budget_spent: bool = False  # and said so, once

    def __post_init__(self) -> None:
        self.lines = self.source.split("\n")

    def problem(self, line: int, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.path, line, message, severity))

    def formula_allowed(self, latex: str, line: int) -> bool:
        """True if `latex` may be drawn; else a problem says why, and the caller shows the
        formula's text as code instead."""
        if len(latex) > MAX_FORMULA_CHARS:
            self.problem(line, _("this formula has {count} characters; at most {most} are "
                                 "drawn (a `$` or `$$` left open?)").format(
                count=len(latex), most=MAX_FORMULA_CHARS))
            return False
        depth = formula_depth(latex)
        if depth > MAX_FORMULA_DEPTH:
            self.problem(line, ngettext("this formula nests {n} levels deep; at most {most} "
                                        "are drawn",
                                        "this formula nests {n} levels deep; at most {most} "
                                        "are drawn", depth).format(n=depth,
                                                                    most=MAX_FORMULA_DEPTH))
            return False
        if self.formula_budget_spent or \
                self.formula_chars + len(latex) > MAX_FORMULA_CHARS_PER_TEXT:
            if not self.formula_budget_spent:
                self.problem(line, _("the formulas of this text pass {most} characters; the "
                                     "rest are shown as text (a `$` left open?)").format(
                    most=MAX_FORMULA_CHARS_PER_TEXT))
            self.formula_budget_spent = True
            return False
        self.formula_chars += len(latex)
        return True
