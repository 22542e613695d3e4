"""Widgets for lesson blocks, one module per family; `make_block` picks the widget.

`make_block` never raises: a block whose data is not what its widget needs (checked first,
`block_checks`), or whose widget fails while being built, becomes a problem box that says so
in the learner's language, and the rest of the lesson is drawn as usual.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from hafiza.lessonlib import model
from hafiza.ui.blocks.admonition import AdmonitionWidget, ProblemWidget
from hafiza.ui.blocks.block_checks import block_line, block_problem
from hafiza.ui.blocks.code import CodeWidget
from hafiza.ui.blocks.exercise import ExerciseCard
from hafiza.ui.blocks.figure import FigureWidget
from hafiza.ui.blocks.formula import FormulaWidget
from hafiza.ui.blocks.images import PixelBudget
from hafiza.ui.blocks.quiz import QuizWidget
from hafiza.ui.blocks.text import RichText, TextBlockWidget
from hafiza.ui.i18n import _, text_direction

__all__ = ["AdmonitionWidget", "CodeWidget", "ExerciseCard", "FigureWidget", "FormulaWidget",
           "PixelBudget", "ProblemWidget", "QuizWidget", "RichText", "TextBlockWidget",
           "make_block"]

log = logging.getLogger("hafiza.ui.blocks")


def make_block(block: model.Block, variety: str, lesson_id: str,
               images: PixelBudget | None = None, depth: int = 0,
               learner_key: str = "") -> QWidget:
    """The widget for one block of text written in `variety`; a problem box when the block
    cannot be drawn. `images` is the page's pixel budget, shared by all its blocks;
    `learner_key` shuffles a quiz's options the learner's own way."""
    direction = text_direction(variety)
    problem = block_problem(block, depth)
    if problem is None:
        try:
            return _widget(block, variety, lesson_id, images, depth, direction, learner_key)
        except Exception as error:  # a widget that fails must not take the page with it
            log.exception("lesson %s: a %s block could not be drawn", lesson_id,
                          type(block).__name__)
            problem = _("it could not be drawn ({error})").format(error=type(error).__name__)
    return problem_box(problem, block_line(block), direction)


def problem_box(message: str, line: int, direction) -> ProblemWidget:
    widget = ProblemWidget(message, line, direction)
    widget.setLayoutDirection(direction or Qt.LayoutDirection.LeftToRight)
    return widget


def _widget(block: model.Block, variety: str, lesson_id: str, images: PixelBudget | None,
            depth: int, direction, learner_key: str = "") -> QWidget:
    if isinstance(block, model.TextBlock):
        return TextBlockWidget(block.html, direction, block.formulas, block.kind, block.level,
                               block.anchor, images=images)
    if isinstance(block, model.FormulaBlock):
        return FormulaWidget(block.latex)
    if isinstance(block, model.CodeBlock):
        return CodeWidget(block.code, block.language)
    if isinstance(block, model.FigureBlock):
        return FigureWidget(block.path, block.caption_html, block.alt, direction, images)
    if isinstance(block, model.AdmonitionBlock):
        children = [make_block(child, variety, lesson_id, images, depth + 1, learner_key)
                    for child in block.blocks]
        return AdmonitionWidget(block.kind, block.title, direction, children)
    if isinstance(block, model.QuizBlock):
        return QuizWidget(block, direction, images=images, learner_key=learner_key)
    if isinstance(block, model.ExerciseBlock):
        return ExerciseCard(lesson_id, block.exercise_id, block.exercise, direction)
    return problem_box(block.message, block_line(block), direction)  # a ProblemBlock
