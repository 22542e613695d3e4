"""Widgets for lesson blocks, one module per family; `make_block` picks the widget."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from hafiza.lessonlib import model
from hafiza.ui.blocks.admonition import AdmonitionWidget, ProblemWidget
from hafiza.ui.blocks.code import CodeWidget
from hafiza.ui.blocks.exercise import ExerciseCard
from hafiza.ui.blocks.figure import FigureWidget
from hafiza.ui.blocks.formula import FormulaWidget
from hafiza.ui.blocks.quiz import QuizWidget
from hafiza.ui.blocks.text import RichText, TextBlockWidget
from hafiza.ui.i18n import text_direction

__all__ = ["AdmonitionWidget", "CodeWidget", "ExerciseCard", "FigureWidget", "FormulaWidget",
           "ProblemWidget", "QuizWidget", "RichText", "TextBlockWidget", "make_block"]


def make_block(block: model.Block, variety: str, lesson_id: str) -> QWidget:
    """The widget for one block of text written in `variety`."""
    direction = text_direction(variety)
    if isinstance(block, model.TextBlock):
        return TextBlockWidget(block.html, direction, block.formulas, block.kind, block.level,
                               block.anchor)
    if isinstance(block, model.FormulaBlock):
        return FormulaWidget(block.latex)
    if isinstance(block, model.CodeBlock):
        return CodeWidget(block.code, block.language)
    if isinstance(block, model.FigureBlock):
        return FigureWidget(block.path, block.caption_html, block.alt, direction)
    if isinstance(block, model.AdmonitionBlock):
        children = [make_block(child, variety, lesson_id) for child in block.blocks]
        return AdmonitionWidget(block.kind, block.title, direction, children)
    if isinstance(block, model.QuizBlock):
        return QuizWidget(block, direction)
    if isinstance(block, model.ExerciseBlock):
        return ExerciseCard(lesson_id, block.exercise_id, block.exercise, direction)
    message = block.message if isinstance(block, model.ProblemBlock) else repr(block)
    widget = ProblemWidget(message, block.line, direction)
    widget.setLayoutDirection(direction or Qt.LayoutDirection.LeftToRight)
    return widget
