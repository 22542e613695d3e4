"""The page's own lines (a lesson's title, its place in the course, a note), as plain text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy

from hafiza.ui.i18n import text_direction


class TextBlock(QLabel):
    """A line of the page's own (a title, the lesson's place in the course) whose direction
    is set explicitly: a paragraph starting with a Latin term ("LSTM ...") would otherwise be
    laid out left to right inside right-to-left text."""

    def __init__(self, text: str, variety: str, role: str = "body") -> None:
        super().__init__(text)
        self.setObjectName(f"block-{role}")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.set_variety(variety)
        if role == "title":
            font = self.font()
            font.setPointSizeF(font.pointSizeF() * 1.7)
            font.setBold(True)
            self.setFont(font)
        elif role == "meta":
            self.setEnabled(False)  # the palette's muted colour, in both themes

    def set_variety(self, variety: str) -> None:
        direction = text_direction(variety)
        self.setLayoutDirection(direction)
        # Alignment follows the text, not the window: "leading" edge of its own direction.
        self.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop)


class NoteBlock(TextBlock):
    def __init__(self, text: str, variety: str) -> None:
        super().__init__(text, variety, role="note")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMargin(10)
