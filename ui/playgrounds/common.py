"""Pieces shared by the playgrounds: LTR plots with the reader's digits, text boxes in the
learner's direction, a message line for errors, the note on unknown words and spin boxes that
say when they brought a typed value back to their limit. Splitting text into words is
engine.text's (words_with_ids)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QWidget,
)

from hafiza.engine.text import Vocabulary, unknown_words
from hafiza.ui import colours
from hafiza.ui.exercise_spin_boxes import ClampNote, RealSpinBox, WholeSpinBox
from hafiza.ui.i18n import _, current_variety, direction, isolate, number
from hafiza.ui.plots import MINUS, ReaderAxis
from hafiza.ui.theme import error_colour, is_dark

# One colour per curve, readable on light and dark backgrounds.
PALETTE = colours.SERIES
# A message worded when shown, and again after a language change.
Message = Callable[[], str]
def rounded_number(value: float, decimals: int) -> str:
    """``value`` to ``decimals`` places in the reader's digits, never "−0.00": a tiny negative
    value is shown as the zero it rounds to."""
    if np.isfinite(value) and round(value, decimals) == 0:
        value = 0.0
    return number(value, decimals)


def refresh_axes(plot: pg.PlotWidget) -> None:
    """Draws the tick labels again (after a language change: other digits). pyqtgraph keeps
    an axis' picture until its range or label changes."""
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        axis.picture = None
        axis.update()


class ReaderLogAxis(ReaderAxis):
    """A log-scale axis (values are log10) labelled 0.01, 0.1, 1... in the reader's digits;
    beyond 10^±4 as 10^-5, kept left to right."""

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph's name)
        labels = []
        for value in values:
            exponent = round(value * scale)
            if abs(value * scale - exponent) > 1e-6:
                labels.append("")
            elif -4 <= exponent <= 4:
                labels.append(number(10.0 ** exponent, max(0, -exponent)))
            else:
                # Left-to-right marks keep "10^-6" in order with Arabic-Indic digits, and the
                # sign is written here: QLocale puts an Arabic letter mark before "-".
                sign = MINUS if exponent < 0 else ""
                labels.append(f"\u200e{number(10)}\u200e^\u200e{sign}{number(abs(exponent))}"
                              "\u200e")
        return labels

    def tickSpacing(self, minVal, maxVal, size):  # noqa: N802,N803 (pyqtgraph's names)
        span = max(1.0, maxVal - minVal)
        major = max(1.0, float(np.ceil(span / 8)))
        return [(major, 0)]


def make_plot(log_y: bool = False, parent: QWidget | None = None) -> pg.PlotWidget:
    """A plot that stays left to right in an RTL window, axes in the reader's digits."""
    left = ReaderLogAxis("left") if log_y else ReaderAxis("left")
    plot = pg.PlotWidget(parent, axisItems={"bottom": ReaderAxis("bottom"), "left": left})
    plot.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    plot.getPlotItem().setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    plot.setMinimumHeight(180)
    plot.showGrid(x=True, y=True, alpha=0.2)
    for side in ("left", "bottom"):
        plot.getAxis(side).enableAutoSIPrefix(False)
    follow_palette(plot)
    return plot


def follow_palette(plot: pg.PlotWidget) -> None:
    """The plot in the theme's colours (again, after a switch between light and dark)."""
    palette = QApplication.palette()
    plot.setBackground(palette.color(QPalette.ColorRole.Base))
    text = palette.color(QPalette.ColorRole.Text)
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        axis.setPen(pg.mkPen(text))
        axis.setTextPen(pg.mkPen(text))
    plot.getPlotItem().titleLabel.setAttr("color", text.name())
    plot.getPlotItem().titleLabel.setText(plot.getPlotItem().titleLabel.text)


def change_ink(change: float) -> QColor:
    """The colour of a number that pushes towards positive (green) or negative (red),
    readable on the theme's background (WCAG 4.5:1 on white and on the dark theme's base)."""
    if is_dark():
        return QColor("#6fdc8c" if change > 0 else "#ff8a80")
    return QColor("#1e7b3c" if change > 0 else "#b0281a")


def learner_line_edit() -> QLineEdit:
    """A one-line text box written in the learner's variety (and direction)."""
    edit = QLineEdit()
    edit.setLayoutDirection(direction(current_variety()))
    return edit


def learner_text_edit() -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)  # Tab moves on (keyboard access), it does not type a tab
    refresh_direction(edit)
    return edit


def refresh_direction(*widgets: QWidget) -> None:
    """Text boxes follow the learner's variety (again, after a language change). A text
    document needs its own direction: a paragraph starting with a Latin word would otherwise
    run left to right in an RTL window (stack notes)."""
    for widget in widgets:
        layout_direction = direction(current_variety())
        widget.setLayoutDirection(layout_direction)
        if isinstance(widget, QPlainTextEdit):
            option = widget.document().defaultTextOption()
            option.setTextDirection(layout_direction)
            # QPlainTextEdit does not mirror AlignLeft: name the reader's leading edge.
            edge = Qt.AlignmentFlag.AlignRight if current_variety().rtl \
                else Qt.AlignmentFlag.AlignLeft
            option.setAlignment(edge | Qt.AlignmentFlag.AlignAbsolute)
            widget.document().setDefaultTextOption(option)


def with_clamp_note(spin: WholeSpinBox | RealSpinBox) -> QWidget:
    """The spin box and, after it, the note that says a typed value was brought back to the
    limit ("The largest allowed is 500."), as one field. The box keeps its own width; the
    field may grow (a form with ExpandingFieldsGrow) and the note takes that room."""
    field = QWidget()
    field.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    row = QHBoxLayout(field)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(spin)
    row.addWidget(ClampNote(spin), 1)
    row.addStretch(0)  # the room, while the note is hidden (a hidden widget takes none)
    return field


def rtl_mark() -> str:
    """A right-to-left mark to start a label whose first word may be Latin ("LSTM: ..."),
    so the line still runs right to left in an RTL language."""
    return "\u200f" if current_variety().rtl else ""


def message_label() -> QLabel:
    """A line for problems (empty text, unknown words), hidden while there is none."""
    label = QLabel()
    label.setObjectName("playground-message")
    label.setWordWrap(True)
    label.setStyleSheet(
        f"QLabel#playground-message {{ color: {error_colour()}; font-weight: bold; }}")
    label.hide()
    return label


def text_is_rtl(text: str) -> bool:
    """True when the first strong letter of ``text`` is right to left (Arabic script)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return current_variety().rtl


def unknown_words_note(vocab: Vocabulary, pairs: list[tuple[str, list[int]]]
                       ) -> tuple[bool, Message]:
    """(can the model read the text, the note to show) for engine.text.words_with_ids pairs:
    a text of unknown words only cannot be read; otherwise the unknown words are named, or
    the note is empty. The note is worded when shown (Playground.show_message)."""
    unknown = unknown_words(vocab, pairs)
    if len(unknown) == len(pairs):
        return False, lambda: _("The model does not know any of these words. Try words from "
                                "the text it learned from.")
    if unknown:
        return True, lambda: _("Unknown to the model (read as a rare word): {words}").format(
            words=_(", ").join(isolate(word) for word in unknown))
    return True, lambda: ""


def diverging_color(value: float, low: float = -1.0, high: float = 1.0) -> QColor:
    """Red below the middle, white at it, blue above (for values in [low, high])."""
    if not np.isfinite(value):
        return QColor("#999999")
    middle = 0.0 if low < 0 < high else (low + high) / 2
    if value >= middle:
        t = min(1.0, (value - middle) / max(1e-9, high - middle))
        return QColor(int(255 - 208 * t), int(255 - 144 * t), int(255 - 32 * t))
    t = min(1.0, (middle - value) / max(1e-9, middle - low))
    return QColor(int(255 - 63 * t), int(255 - 198 * t), int(255 - 212 * t))


def sequential_color(value: float) -> QColor:
    """White at 0 to blue at 1 (gates)."""
    t = float(np.clip(value, 0.0, 1.0)) if np.isfinite(value) else 0.0
    return QColor(int(255 - 208 * t), int(255 - 144 * t), int(255 - 32 * t))


def text_color_on(background: QColor) -> QColor:
    return QColor("black") if background.lightnessF() > 0.55 else QColor("white")
