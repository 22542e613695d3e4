"""The page's own lines (a lesson's title, its place in the course, a note), as plain text, and
the muted-but-readable ink of a line about something (`muted_ink`, `MutedLabel`): the lesson's
place in the course, the outline's lesson count, the glossary's term count."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QSizePolicy

from hafiza.ui.i18n import text_direction

MUTED_INK = 0.6  # a muted line's share of the ink colour, the rest being the page's


def muted_ink(palette: QPalette) -> QColor:
    """A quieter ink than the text's, still readable: 60 % of the text colour on the window's
    (about 5.5:1 in both themes; the disabled colour gives 1.6:1 in the light one)."""
    ink = palette.color(QPalette.ColorRole.WindowText)
    paper = palette.color(QPalette.ColorRole.Window)
    return QColor.fromRgbF(*(MUTED_INK * a + (1 - MUTED_INK) * b for a, b in zip(
        ink.getRgbF()[:3], paper.getRgbF()[:3], strict=True)))


def _keep_muted(label: QLabel) -> None:
    """Gives `label` the muted ink of the application's palette (again after a theme switch)."""
    muted = muted_ink(QApplication.palette())
    own = label.palette()
    if own.color(QPalette.ColorRole.WindowText) != muted:  # else done: no second event
        own.setColor(QPalette.ColorRole.WindowText, muted)
        label.setPalette(own)


class MutedLabel(QLabel):
    """A line about something ("7 lessons", "12 terms") in the muted ink, through theme
    switches: where a disabled label's grey was hard to read."""

    def __init__(self, text: str = "", parent=None) -> None:
        super().__init__(text, parent)
        _keep_muted(self)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            _keep_muted(self)  # the theme changed: mix the new ink and paper


class TextBlock(QLabel):
    """A line of the page's own (a title, the lesson's place in the course) whose direction
    is set explicitly: a paragraph starting with a Latin term ("LSTM ...") would otherwise be
    laid out left to right inside right-to-left text."""

    def __init__(self, text: str, variety: str, role: str = "body") -> None:
        super().__init__(text)
        self._plain = text
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
            _keep_muted(self)  # a line about the lesson

    def text(self) -> str:
        """The words shown, without the direction mark `set_variety` puts in front."""
        return self._plain

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.objectName() == "block-meta":
            _keep_muted(self)  # the theme changed: mix the new ink and paper

    def set_variety(self, variety: str) -> None:
        direction = text_direction(variety)
        self.setLayoutDirection(direction)
        # A plain-text label takes its direction from its first strong letter, whatever the
        # layout direction: a Persian title starting with "RNN" would run left to right. An
        # invisible mark of the variety's direction in front settles it.
        rtl = direction == Qt.LayoutDirection.RightToLeft
        self.setText(("\u200f" if rtl else "\u200e") + self._plain)
        # Alignment follows the text, not the window: "leading" edge of its own direction.
        self.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop)


class NoteBlock(TextBlock):
    def __init__(self, text: str, variety: str) -> None:
        super().__init__(text, variety, role="note")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMargin(10)
