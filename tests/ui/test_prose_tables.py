"""A table on a right-to-left page reads from the right (its first column on the right, cell
text right-aligned); on an English page from the left. Measured on the laid-out document."""

import pytest
from PySide6.QtCore import Qt

from hafiza.lessonlib import parse_markdown
from hafiza.ui.blocks import TextBlockWidget

SOURCE = """# T

| اول | وسط | آخر |
|---|---|---|
| [[mini-batch|دستهٔ کوچک]] | $|x|$ | یک |
"""


def cell_centres(widget: TextBlockWidget) -> dict[str, float]:
    """Each cell's text -> the x of its centre on screen."""
    document = widget.document()
    table = document.rootFrame().childFrames()[0]
    layout = document.documentLayout()
    centres = {}
    for row in range(table.rows()):
        for column in range(table.columns()):
            block = table.cellAt(row, column).firstCursorPosition().block()
            centres[block.text()] = layout.blockBoundingRect(block).center().x()
    return centres


@pytest.fixture
def table_widget(qtbot):
    def make(direction):
        block = parse_markdown(SOURCE).blocks[1]
        widget = TextBlockWidget(block.html, direction, block.formulas, block.kind)
        qtbot.addWidget(widget)
        widget.resize(600, 200)
        widget.show()
        qtbot.waitExposed(widget)
        return widget
    return make


def test_right_to_left_table_starts_on_the_right(table_widget):
    widget = table_widget(Qt.LayoutDirection.RightToLeft)
    centres = cell_centres(widget)
    assert centres["اول"] > centres["وسط"] > centres["آخر"]
    assert centres["دستهٔ کوچک"] > centres["یک"]  # the body follows its header
    # Cell text starts at the cell's right edge: the cursor before a cell's first letter
    # stands right of the cell's centre.
    table = widget.document().rootFrame().childFrames()[0]
    cell = table.cellAt(1, table.columns() - 1).firstCursorPosition()
    assert cell.block().text() == "دستهٔ کوچک"
    assert widget.cursorRect(cell).x() > centres["دستهٔ کوچک"]


def test_left_to_right_table_starts_on_the_left(table_widget):
    widget = table_widget(Qt.LayoutDirection.LeftToRight)
    centres = cell_centres(widget)
    assert centres["اول"] < centres["وسط"] < centres["آخر"]
