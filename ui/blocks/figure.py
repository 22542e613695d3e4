"""Figures: an image from the lesson folder, scaled to the page width, with its caption."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImageReader, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from hafiza.ui.blocks.text import RichText
from hafiza.ui.i18n import _

MAX_IMAGE_PIXELS = 40_000_000  # a 10 MB PNG can still claim 100,000 x 100,000 pixels


class ImageLabel(QLabel):
    def __init__(self, path: Path, alt: str, parent=None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(alt or _("Figure"))
        self.original = QPixmap()
        reader = QImageReader(str(path))
        size = reader.size()
        if size.isValid() and size.width() * size.height() <= MAX_IMAGE_PIXELS:
            image = reader.read()
            if not image.isNull():
                self.original = QPixmap.fromImage(image)
        if self.original.isNull():
            self.setText(_("The image {name} could not be shown.").format(name=path.name))
        self._scale()

    def _scale(self) -> None:
        if self.original.isNull():
            return
        ratio = self.devicePixelRatioF()
        natural = self.original.width() / max(1.0, self.original.devicePixelRatio())
        width = max(50, min(natural, self.width() if self.width() > 50 else natural))
        pixmap = self.original.scaledToWidth(round(width * ratio),
                                             Qt.TransformationMode.SmoothTransformation)
        pixmap.setDevicePixelRatio(ratio)
        self.setPixmap(pixmap)
        self.setFixedHeight(round(pixmap.height() / ratio))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._scale()


class FigureWidget(QWidget):
    def __init__(self, path: Path, caption_html: str, alt: str, direction, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("block-figure")
        self.path = path
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        self.image = ImageLabel(path, alt)
        layout.addWidget(self.image)
        self.caption = None
        if caption_html:
            self.caption = RichText(f'<p align="center"><i>{caption_html}</i></p>', direction,
                                    role="caption")
            layout.addWidget(self.caption)
