"""The lesson model: plain dataclasses for a lesson, its blocks and the problems found in it.

No Qt here. Text blocks carry *safe* HTML produced by `lessonlib.parser` from Markdown tokens
(raw HTML in a lesson is never passed through); formulas carry LaTeX, code carries source.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hafiza import varieties
from hafiza.words import _

# The lesson files of a folder, <tag>.md, in the order of the varieties' table.
VARIETY_TAGS = varieties.TAGS
# The largest lesson text the parser reads. Here, not in the parser, so that the app can
# check a file's size against it without loading markdown-it at start-up.
MAX_MARKDOWN_BYTES = 1024 * 1024


def fallback_chain(variety: str) -> tuple[str, ...]:
    """`variety` and where a lesson missing in it is looked for next (ary → ar → en)."""
    return varieties.fallback_chain(variety)


def text_path(folder: Path, variety: str) -> tuple[Path, str] | None:
    """(path, variety) of the lesson text in `folder` for `variety` or its nearest fallback."""
    for tag in fallback_chain(variety):
        path = folder / f"{tag}.md"
        if path.is_file():
            return path, tag
    return None


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a lesson file, printed as `file:line: message`."""

    path: Path | str
    line: int
    message: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        message = _("warning: {message}").format(message=self.message) \
            if self.severity == "warning" else self.message
        return f"{self.path}:{max(self.line, 1)}: {message}"


class LessonError(Exception):
    """A lesson file that cannot be read at all. The only exception the parser raises."""

    def __init__(self, message: str, path: Path | str = "", line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def problem(self) -> Problem:
        return Problem(self.path, self.line, self.message)

    def __str__(self) -> str:
        return str(self.problem()) if self.path else self.message


# --- blocks -------------------------------------------------------------------------------

@dataclass
class Block:
    line: int  # 1-based line of the block in its Markdown file


@dataclass
class TextBlock(Block):
    """Prose: a heading, paragraph, list, table or quote, as safe HTML.

    `formulas` lists the LaTeX of inline formulas; the HTML refers to formula i as
    `<img src="formula:i">`. `anchor` is set for headings (in-lesson links point to it)."""

    kind: str  # "heading", "paragraph", "list", "table", "quote", "rule"
    html: str
    level: int = 0
    anchor: str = ""
    formulas: list[str] = field(default_factory=list)
    text: str = ""  # plain text, for tests and search


@dataclass
class FormulaBlock(Block):
    latex: str


@dataclass
class CodeBlock(Block):
    code: str
    language: str = ""


@dataclass
class FigureBlock(Block):
    path: Path  # resolved, inside the lesson folder
    caption_html: str = ""
    alt: str = ""


@dataclass
class AdmonitionBlock(Block):
    kind: str  # "note", "tip" or "warning"
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class QuizOption:
    html: str
    correct: bool = False
    explanation_html: str = ""
    text: str = ""


QUIZ_KINDS = ("single", "multiple", "numeric", "order")
# Wrong tries after which the answer is shown: one wrong try says only why the chosen option
# is wrong, so the learner thinks again before being told.
REVEAL_AFTER_WRONG_TRIES = 2


@dataclass(frozen=True)
class QuizFeedback:
    """What a quiz shows after a check: whether it is right, the chosen options that are
    wrong (their explanations say why), and whether the right answer is shown."""

    correct: bool
    wrong_choices: tuple[int, ...] = ()
    reveal: bool = False


@dataclass
class QuizBlock(Block):
    """A question. `kind` is single, multiple, numeric or order.

    single/multiple: `options` with `correct` flags. numeric: `answer` and `tolerance`.
    order: `options` listed in the correct order (shown shuffled)."""

    id: str
    kind: str
    question_html: str
    options: list[QuizOption] = field(default_factory=list)
    answer: float = 0.0
    tolerance: float = 0.0
    explanation_html: str = ""  # shown after any answer
    formulas: list[str] = field(default_factory=list)

    def grade(self, answer: Any) -> bool:
        """True when `answer` is right: an option index (single), a set of indexes
        (multiple), a number (numeric) or a list of option indexes in order (order)."""
        try:
            if self.kind == "single":
                return isinstance(answer, int) and 0 <= answer < len(self.options) and \
                    self.options[answer].correct
            if self.kind == "multiple":
                chosen = set(answer)
                return chosen == {i for i, o in enumerate(self.options) if o.correct}
            if self.kind == "numeric":
                value = float(answer)
                return math.isfinite(value) and abs(value - self.answer) <= self.tolerance + 1e-12
            if self.kind == "order":
                return list(answer) == list(range(len(self.options)))
        except (TypeError, ValueError):
            return False
        return False

    def accepts(self, answer: Any) -> bool:
        """Whether `answer` has the form this quiz's answers take (a saved answer may come
        from an earlier version of the lesson)."""
        n = len(self.options)
        if self.kind == "single":
            return _is_index(answer, n)
        if self.kind == "multiple":
            return isinstance(answer, list) and bool(answer) and \
                all(_is_index(i, n) for i in answer) and len(set(answer)) == len(answer)
        if self.kind == "numeric":
            return isinstance(answer, (int, float)) and not isinstance(answer, bool) \
                and math.isfinite(answer)
        if self.kind == "order":
            return isinstance(answer, list) and all(_is_index(i, n) for i in answer) \
                and sorted(answer) == list(range(n))
        return False

    def feedback(self, answer: Any, wrong_tries: int) -> QuizFeedback:
        """The feedback for `answer`, the learner's `wrong_tries`-th wrong try if wrong
        (counting this one); the answer is revealed from `REVEAL_AFTER_WRONG_TRIES` on."""
        if self.grade(answer):
            return QuizFeedback(True)
        chosen = [answer] if self.kind == "single" else \
            answer if self.kind == "multiple" and isinstance(answer, list) else []
        wrong = tuple(i for i in chosen
                      if _is_index(i, len(self.options)) and not self.options[i].correct)
        return QuizFeedback(False, wrong, wrong_tries >= REVEAL_AFTER_WRONG_TRIES)

    def display_order(self, learner_key: str = "") -> list[int]:
        """The order a choice quiz shows its options in: shuffled, so the authored position
        of the right answer gives nothing away, and the same each time for one learner
        (``learner_key``) and one quiz id, whatever the variety (the options are the same
        question in all five). Other kinds keep their own order (``shuffled_order``)."""
        order = list(range(len(self.options)))
        if self.kind in ("single", "multiple"):
            random.Random(f"{learner_key}\x00{self.id}").shuffle(order)
        return order

    def shuffled_order(self) -> list[int]:
        """A fixed, never-correct starting order for an order quiz (stable across runs)."""
        n = len(self.options)
        if n < 2:
            return list(range(n))
        order = list(range(n))[::-1]  # reversed is never the answer when n >= 2
        # Interleave so the first step isn't just at the bottom: a deterministic shuffle.
        return order[1::2] + order[0::2] if n > 3 else order


def _is_index(value: Any, count: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < count


@dataclass
class ExerciseBlock(Block):
    exercise_id: str
    exercise: dict[str, Any] | None = None  # from lesson.yaml; None when unknown


@dataclass
class ProblemBlock(Block):
    """Stands in for a block the author got wrong; shown to the author, not hidden.
    `about` names the kind of block it stands for ("quiz", "exercise", "image"), whatever
    the language of `message`."""

    message: str
    about: str = ""


@dataclass
class Document:
    """One variety's text of a lesson, parsed."""

    variety: str  # the variety the text is written in
    blocks: list[Block] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    path: Path | None = None


@dataclass
class Lesson:
    """A lesson folder: its `lesson.yaml` data and the Markdown files it has."""

    id: str
    folder: Path
    data: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    # The course glossary (lessonlib.glossary) of the folder the lesson sits in; empty for a
    # lesson checked in memory (a pack), which must bring its own terms.
    course_glossary: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def titles(self) -> dict[str, str]:
        titles = self.data.get("title")
        return {str(k): str(v) for k, v in titles.items()} if isinstance(titles, dict) else {}

    @property
    def exercises(self) -> dict[str, dict[str, Any]]:
        found = {}
        items = self.data.get("exercises")
        for item in items if isinstance(items, list) else ():
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                found[item["id"]] = item
        return found

    @property
    def glossary(self) -> dict[str, dict[str, str]]:
        """The course glossary with the lesson's own `glossary:` entries over it."""
        own = self.data.get("glossary")
        return {**self.course_glossary, **own} if isinstance(own, dict) else self.course_glossary

    def varieties(self) -> list[str]:
        return [tag for tag in VARIETY_TAGS if (self.folder / f"{tag}.md").is_file()]

    def text_path(self, variety: str) -> tuple[Path, str] | None:
        return text_path(self.folder, variety)

    def define(self, term: str, variety: str) -> str:
        """The glossary definition of `term` in `variety` or its nearest fallback."""
        entry = self.glossary.get(term)
        if not isinstance(entry, dict):
            return ""
        for tag in fallback_chain(variety):
            if entry.get(tag):
                return str(entry[tag])
        return ""
