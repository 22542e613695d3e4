"""Is a block's data what its widget expects? Asked before any widget is built.

The parser builds the blocks, but an exercise's data comes straight from `lesson.yaml`, and a
library lesson may never have met the checker. A widget built from a wrong type would fail
halfway, or later (a font change re-renders, a click grades), where nothing catches it; so
every field is checked first, and a block that fails is shown as a problem box instead.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from hafiza.lessonlib import model
from hafiza.ui.i18n import _

MAX_NESTING = 16  # admonitions inside admonitions; the parser never goes near it


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) \
        and abs(value) < 1e300 and math.isfinite(value)


def _list_of(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, list) and all(check(item) for item in value)


def _option(value: Any) -> bool:
    return isinstance(value, model.QuizOption) and _text(value.html) \
        and isinstance(value.correct, bool) and _text(value.explanation_html) \
        and _text(value.text)


# For each kind of block, what each field its widget reads must be.
FIELD_CHECKS: dict[type, dict[str, Callable[[Any], bool]]] = {
    model.TextBlock: {"kind": _text, "html": _text, "level": _whole, "anchor": _text,
                      "formulas": _list_of(_text)},
    model.FormulaBlock: {"latex": _text},
    model.CodeBlock: {"code": _text, "language": _text},
    model.FigureBlock: {"path": lambda value: isinstance(value, (str, PurePath)),
                        "caption_html": _text, "alt": _text},
    model.AdmonitionBlock: {"kind": _text, "title": _text,
                            "blocks": _list_of(lambda value: isinstance(value, model.Block))},
    model.QuizBlock: {"id": _text, "kind": lambda value: value in model.QUIZ_KINDS
                      if isinstance(value, str) else False,
                      "question_html": _text, "options": _list_of(_option), "answer": _number,
                      "tolerance": _number, "explanation_html": _text,
                      "formulas": _list_of(_text)},
    model.ExerciseBlock: {"exercise_id": _text,
                          "exercise": lambda value: value is None or isinstance(value, dict)},
    model.ProblemBlock: {"message": _text},
}


def block_problem(block: Any, depth: int = 0) -> str | None:
    """What is wrong with `block` for drawing it, in the learner's language; None if nothing."""
    if depth > MAX_NESTING:
        return _("the boxes are nested more than {n} deep").format(n=MAX_NESTING)
    for kind, checks in FIELD_CHECKS.items():
        if isinstance(block, kind):
            for name, check in checks.items():
                if not check(getattr(block, name, None)):
                    return _("its field “{field}” does not hold what this kind of part "
                             "needs").format(field=name)
            return None
    return _("Hafiza does not know this kind of part ({kind})").format(
        kind=type(block).__name__)


def block_line(block: Any) -> int:
    """The block's line in its file, or 0 when it has none worth showing."""
    line = getattr(block, "line", 0)
    return line if _whole(line) else 0


def count_blocks(block: Any, depth: int = 0) -> int:
    """The widgets a block becomes: itself and, for a box, what it holds."""
    inner = block.blocks if isinstance(block, model.AdmonitionBlock) \
        and depth <= MAX_NESTING else None
    return 1 + (sum(count_blocks(child, depth + 1) for child in inner)
                if isinstance(inner, list) else 0)
