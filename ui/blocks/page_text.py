"""The page's own lines (a lesson's title, its place in the course, a note), as plain text."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QSizePolicy

from hafiza.ui.i18n import text_direction

MUTED_INK = 0.6  # a muted line's share of the ink colour, the rest being the page's


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
            self._mute()

    def _mute(self) -> None:
        """A quieter ink for a line about the lesson, still readable (about 5.5:1 on the page
        in both themes; the disabled colour it had before gave 1.6:1 in the light one)."""
        palette = QApplication.palette()
        ink = palette.color(QPalette.ColorRole.WindowText)
        paper = palette.color(QPalette.ColorRole.Window)
        muted = QColor.fromRgbF(*(MUTED_INK * a + (1 - MUTED_INK) * b for a, b in zip(
            ink.getRgbF()[:3], paper.getRgbF()[:3], strict=True)))
        own = self.palette()
        if own.color(QPalette.ColorRole.WindowText) != muted:  # else done: no second event
            own.setColor(QPalette.ColorRole.WindowText, muted)
            self.setPalette(own)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.objectName() == "block-meta":
            self._mute()  # the theme changed: mix the new ink and paper

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
