"""Where Qt draws a character of a line of text: for tests of bidirectional order (a minus
on the left of its digits, a formula kept left to right inside a right-to-left sentence)."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextLayout, QTextOption


def drawn_x(text: str, index: int, direction=Qt.LayoutDirection.RightToLeft) -> float:
    """The left edge of the glyph of `text[index]` when `text` is laid out as one line in
    `direction` (a cursor position is ambiguous where two directions meet: a glyph is not)."""
    layout = QTextLayout(text, QFont())
    option = QTextOption()
    option.setTextDirection(direction)
    layout.setTextOption(option)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    (run,) = layout.glyphRuns(index, 1)
    return run.positions()[0].x()
