"""Formulas: LaTeX drawn by ziamath as SVG, rasterised by QtSvg, always left to right.

ziamath's default SVG 2 output renders blank in Qt (QSvgRenderer still says it is valid),
so `ziamath.config.svg2` is switched off before anything is drawn.

The LaTeX goes to MathML first (ziamath's own `tex2mml`), and two faults of ziamath 0.13 are
corrected in the MathML before it is drawn (`formula_mathml`):
- A large operator (Σ, Π…) is marked stretchy in its operator table. Inside `\\left( …
  \\right)` ziamath measures the row without its stretchy members to size the fences; a Σ
  with a subscript only then has an empty box (±999 units) and the fences grow to 2,000 px.
  A large operator has its own display size and is never stretched by TeX either, so it is
  marked not stretchy.
- A minus (or plus) that starts a row or follows an opening fence, a relation or another
  operator (`(-0.6)`, `= -0.4`) is a sign, not a subtraction, but ziamath spaces every `−`
  as a binary operator unless its MathML says `form="prefix"`.
Formulas inside prose are drawn in text style (a Σ keeps its limits at its side and a
fraction is small), so an inline formula does not push its line apart; only a display
formula (`$$…$$` on its own) is drawn in display style.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QLabel, QSizePolicy

from hafiza.ui import colours
from hafiza.ui.blocks.plain_text import plain_tooltip
from hafiza.ui.i18n import _

# A formula is a line or a few: a larger drawing is scaled down to this (the cache below
# keeps up to 256 of them, so each must stay small).
MAX_FORMULA_SIDE = 4096
MAX_FORMULA_PIXELS = 500_000

# MathML elements whose children are laid out one after the other, as a row; in any other
# element (msub, mfrac…) each child is an argument on its own.
ROW_ELEMENTS = {"math", "mrow", "mstyle", "mtd", "msqrt", "mpadded", "mphantom", "menclose"}
SIGNS = {"−", "-", "+", "±", "∓"}
# After these a sign is a subtraction again: closing fences and postfix operators end an
# operand, as in `(a) - b` or `n! - 1`.
ENDS_OPERAND = set(")]}|‖⟩⌉⌋!′″%°")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def formula_mathml(latex: str, display: bool) -> ET.Element:
    """The MathML ziamath draws for `latex`, with its two faults corrected (module doc)."""
    from ziamath import operators
    from ziamath.tex import tex2mml

    root = ET.fromstring(tex2mml(latex, inline=not display))
    for parent in root.iter():
        in_row = _local(parent.tag) in ROW_ELEMENTS
        before: ET.Element | None = None  # the previous child that is not a space
        for child in parent:
            if _local(child.tag) == "mo":
                text = (child.text or "").strip()
                if operators.get_params(text, "prefix").get("largeop") == "true":
                    child.set("stretchy", "false")
                if in_row and text in SIGNS and _starts_operand(before):
                    child.set("form", "prefix")
            if _local(child.tag) != "mspace":
                before = child
    return root


def _starts_operand(before: ET.Element | None) -> bool:
    """Whether what comes after `before` in a row is a new operand (a sign may start it)."""
    if before is None:
        return True
    if _local(before.tag) != "mo" or before.get("form") == "postfix":
        return False
    return (before.text or "").strip() not in ENDS_OPERAND


def formula_svg(latex: str, size_px: float, colour: str, display: bool = True) -> str:
    import ziamath

    ziamath.config.svg2 = False
    mathml = formula_mathml(latex, display)
    mathml.set("mathcolor", colour)
    return ziamath.Math(mathml, size=size_px).svg()


@functools.lru_cache(maxsize=256)
def render_formula(latex: str, size_px: float, colour: str, ratio: float = 1.0,
                   display: bool = False) -> QImage:
    """The formula as an image (device pixel ratio applied); a red "?" box when it fails.
    Inline (text style) unless `display`."""
    try:
        svg = formula_svg(latex, size_px, colour, display)
    except Exception:  # ziamath/latex2mathml raise many types; the checker names them
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
