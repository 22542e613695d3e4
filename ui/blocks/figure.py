"""Figures: an image from the lesson folder, drawn at the page width, with its caption.

The image is opened through `ui.blocks.images` (its pixels counted against the page's budget,
an SVG cleaned first); a refused image leaves a note that says why.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from hafiza.ui.blocks.images import (
    ImageRefused,
    LessonImage,
    PixelBudget,
    charge_drawing,
    open_image,
)
from hafiza.ui.blocks.plain_text import plain_tooltip
from hafiza.ui.blocks.text import RichText
from hafiza.ui.i18n import _, isolate
from hafiza.ui.theme import error_colour

FALLBACK_WIDTH = 600  # logical pixels, before the page has laid the figure out


class ImageLabel(QLabel):
    def __init__(self, path: Path, alt: str, budget: PixelBudget | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setTextFormat(Qt.TextFormat.PlainText)  # a file name is never markup
        self.setWordWrap(True)
        self.setAccessibleName(alt or _("Figure"))
        self.name = Path(path).name
        self.budget = budget if budget is not None else PixelBudget()
        self.image: LessonImage | None = None
        self.refusal = ""
        try:
            self.image = open_image(Path(path), self.budget, self)
        except ImageRefused as refused:
            self._refuse(refused.reason)
            if refused.detail:
                self.setToolTip(plain_tooltip(refused.detail))
        self._scale()

    @property
    def original(self) -> QPixmap:
        """What is drawn now (a null pixmap when the image was refused)."""
        return self.pixmap() if self.image is not None else QPixmap()

    def _refuse(self, reason: str) -> None:
        self.image = None
        self.refusal = reason
        self.budget.release(self)
        self.clear()
        self.setMinimumHeight(0)
        self.setMaximumHeight(16777215)
        self.setText(_("The image {name} could not be shown: {reason}.").format(
            name=isolate(self.name), reason=reason))
        self.setStyleSheet(f"color: {error_colour()}")

    def _scale(self) -> None:
        if self.image is None:
            return
        ratio = self.devicePixelRatioF()
        natural = self.image.natural.width()
        if self.image.raster is not None:
            natural /= max(1.0, self.image.raster.devicePixelRatio())
        page = self.width() if self.width() > 50 else FALLBACK_WIDTH
        width = max(50, min(natural, page))
        try:
            device_width = charge_drawing(self.image, round(width * ratio), self.budget, self)
        except ImageRefused as refused:
            self._refuse(refused.reason)
            return
        pixmap = QPixmap.fromImage(self.image.draw(device_width))
        pixmap.setDevicePixelRatio(ratio)
        self.setPixmap(pixmap)
        self.setFixedHeight(round(pixmap.height() / ratio))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._scale()


class FigureWidget(QWidget):
    def __init__(self, path: Path, caption_html: str, alt: str, direction,
                 budget: PixelBudget | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("block-figure")
        self.path = path
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        self.image = ImageLabel(path, alt, budget)
        layout.addWidget(self.image)
        self.caption = None
        if caption_html:
            # The caption is the parser's safe HTML, like every paragraph's.
            self.caption = RichText(f'<p align="center"><i>{caption_html}</i></p>', direction,
                                    role="caption", images=budget)
            layout.addWidget(self.caption)
