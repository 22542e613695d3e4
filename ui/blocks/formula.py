"""Formulas: LaTeX drawn by ziamath as SVG, rasterised by QtSvg, always left to right.

The LaTeX is turned into corrected MathML and SVG by `lessonlib.formula_render`
(`formula_mathml`, `formula_svg`), which the checker uses too: what `lessons check` passes
is what this widget draws. Formulas inside prose are drawn in text style; only a display
formula (`$$…$$` on its own) is drawn in display style.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QLabel, QSizePolicy

from hafiza.lessonlib.formula_render import formula_mathml, formula_svg
from hafiza.ui import colours
from hafiza.ui.blocks.plain_text import plain_tooltip
from hafiza.ui.i18n import _

__all__ = ["FormulaWidget", "formula_mathml", "formula_svg", "render_formula"]

# A formula is a line or a few: a larger drawing is scaled down to this (the cache below
# keeps up to 256 of them, so each must stay small).
MAX_FORMULA_SIDE = 4096
MAX_FORMULA_PIXELS = 500_000


@functools.lru_cache(maxsize=256)
def render_formula(latex: str, size_px: float, colour: str, ratio: float = 1.0,
                   display: bool = False) -> QImage:
    """The formula as an image (device pixel ratio applied); a red "?" box when it fails.
    Inline (text style) unless `display`."""
    try:
        svg = formula_svg(latex, size_px, colour, display)
    except Exception:  # ziamath/latex2mathml raise many types; the checker words them
        return _failed(size_px, ratio)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    if not renderer.isValid():
        return _failed(size_px, ratio)
    size = renderer.defaultSize()
    width, height = max(1, size.width()) * ratio, max(1, size.height()) * ratio
    shrink = min(1.0, MAX_FORMULA_SIDE / max(width, height),
                 (MAX_FORMULA_PIXELS / (width * height)) ** 0.5)
    image = QImage(QSize(max(1, round(width * shrink)), max(1, round(height * shrink))),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, image.width(), image.height()))
    painter.end()
    image.setDevicePixelRatio(ratio)
    return image


def _failed(size_px: float, ratio: float) -> QImage:
    side = max(8, round(size_px))
    image = QImage(round(side * ratio), round(side * ratio),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(colours.ERROR))
    painter = QPainter(image)
    painter.setPen(QColor("white"))
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, "?")
    painter.end()
    image.setDevicePixelRatio(ratio)
    return image


class FormulaWidget(QLabel):
    """A display formula, centred, left to right whatever the text around it."""

    def __init__(self, latex: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("block-formula")
        self.latex = latex
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(_("Formula"))
        self.setAccessibleDescription(latex)
        self.setToolTip(plain_tooltip(latex))
        self.render()

    def render(self) -> None:
        colour = self.palette().color(QPalette.ColorRole.Text).name()
        size_px = (self.fontInfo().pixelSize() or 16) * 1.2
        self.image = render_formula(self.latex, size_px, colour, self.devicePixelRatioF(),
                                    display=True)
        self.setPixmap(QPixmap.fromImage(self.image))
        self.setMinimumHeight(round(self.image.height() / self.image.devicePixelRatio()) + 12)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() in (event.Type.FontChange, event.Type.PaletteChange):
            self.render()
