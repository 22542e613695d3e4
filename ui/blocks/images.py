"""Lesson images, opened and drawn within budgets: what a pack brings cannot fill the memory.

A lesson image comes from a stranger's pack. A 2 KB PNG header can claim 100,000 x 100,000
pixels, and an SVG can declare any size and refer to the learner's own files. So:

- a raster image's size is read from its header before anything is decoded, and one larger
  than `MAX_IMAGE_SIDE` on a side or `MAX_IMAGE_PIXELS` in all is refused; its format is
  read from its content, not its name (a "figure.png" holding an SVG is an SVG);
- an SVG is drawn only after `lessonlib.svg_safety.clean_svg` (no outside references, no
  scripts, no entities, a size cap), and at the width the page gives it, never at the size
  it declares, capped like a raster image;
- every image of a page charges what it keeps decoded to the page's `PixelBudget`; once the
  page's budget is spent, further images are refused.

A refusal is an `ImageRefused` whose `reason` is already in the learner's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QImageReader, QPainter
from PySide6.QtSvg import QSvgRenderer

from hafiza.lessonlib.svg_safety import MAX_SVG_BYTES, SvgRefused, clean_svg
from hafiza.ui import colours
from hafiza.ui.i18n import N_, _, number

MAX_IMAGE_SIDE = 4096
MAX_IMAGE_PIXELS = MAX_IMAGE_SIDE * MAX_IMAGE_SIDE  # 16.7 Mpx: 64 MB decoded as ARGB32
MAX_PAGE_PIXELS = 3 * MAX_IMAGE_PIXELS  # about 200 MB of decoded images per lesson page
# Qt's own last line of defence, for a decoder that misreports its size in the header.
ALLOCATION_LIMIT_MB = MAX_IMAGE_PIXELS * 4 // (1024 * 1024) + 1
RASTER_FORMATS = {"png", "jpeg", "jpg", "gif", "webp"}
SVG_FORMATS = {"svg", "svgz"}


class ImageRefused(Exception):
    """An image that is not drawn; `reason` is translated, ready for the page, and `detail`
    (when there is one) is the sanitiser's English sentence for the author."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


class PixelBudget:
    """The decoded pixels one lesson page may hold. Each image charges under its own key;
    charging a key again (an SVG drawn anew for a wider window) replaces its old charge."""

    def __init__(self, limit: int = MAX_PAGE_PIXELS) -> None:
        self.limit = limit
        self._charges: dict[object, int] = {}

    @property
    def used(self) -> int:
        return sum(self._charges.values())

    def available(self, key: object) -> int:
        return self.limit - self.used + self._charges.get(key, 0)

    def charge(self, key: object, pixels: int) -> bool:
        """Records `pixels` for `key`; False (nothing recorded) when over the budget."""
        if pixels > self.available(key):
            return False
        self._charges[key] = pixels
        return True

    def release(self, key: object) -> None:
        self._charges.pop(key, None)


@dataclass
class LessonImage:
    """An opened image: a decoded raster (`raster`) or a cleaned SVG (`svg`) drawn on demand
    by `draw(width)`."""

    name: str
    raster: QImage | None = None
    svg: QSvgRenderer | None = None
    natural: QSizeF = field(default_factory=QSizeF)

    def draw(self, width_px: int) -> QImage:
        """The image `width_px` device pixels wide at most, within `MAX_IMAGE_SIDE`."""
        size = fitted_size(self.natural, width_px)
        if self.raster is not None:
            if size == self.raster.size():
                return self.raster
            return self.raster.scaled(size, Qt.AspectRatioMode.IgnoreAspectRatio,
                                      Qt.TransformationMode.SmoothTransformation)
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        self.svg.render(painter, QRectF(0, 0, size.width(), size.height()))
        painter.end()
        return image


def fitted_size(natural: QSizeF, width_px: int) -> QSize:
    """`natural`'s shape, `width_px` wide, scaled down until both sides are within
    `MAX_IMAGE_SIDE` (a 1 x 10,000 SVG drawn 800 wide would be 8 million pixels tall)."""
    aspect = natural.height() / natural.width()
    width = float(max(1, min(width_px, MAX_IMAGE_SIDE)))
    height = width * aspect
    if height > MAX_IMAGE_SIDE:
        width, height = width * MAX_IMAGE_SIDE / height, float(MAX_IMAGE_SIDE)
    return QSize(max(1, round(width)), max(1, round(height)))


def open_image(path: Path, budget: PixelBudget, key: object) -> LessonImage:
    """The image at `path`, its decoded pixels charged to `budget` under `key` (an SVG
    charges when drawn, see `charge_drawing`). Raises ImageRefused."""
    path = Path(path)
    reader = QImageReader(str(path))
    reader.setDecideFormatFromContent(True)  # the content says what it is, not the name
    kind = bytes(reader.format().data()).decode("ascii", "replace").lower()
    if kind in SVG_FORMATS or (not kind and path.suffix.lower() == ".svg"):
        return _open_svg(path)
    if kind not in RASTER_FORMATS:
        raise ImageRefused(_("it is not a PNG, JPEG, GIF, WebP or SVG image"))
    size = reader.size()
    if not size.isValid() or size.isEmpty():
        raise ImageRefused(_("its size cannot be read"))
    width, height = size.width(), size.height()
    if max(width, height) > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
        raise ImageRefused(_("it is {width} × {height} pixels; the limit is {side} × {side}")
                           .format(width=number(width), height=number(height),
                                   side=number(MAX_IMAGE_SIDE)))
    if not budget.charge(key, width * height):
        raise ImageRefused(_("this page already holds as many large images as it can"))
    QImageReader.setAllocationLimit(ALLOCATION_LIMIT_MB)
    image = reader.read()
    if image.isNull():
        budget.release(key)
        raise ImageRefused(_("the file is damaged"))
    return LessonImage(path.name, raster=image, natural=QSizeF(image.size()))


def _open_svg(path: Path) -> LessonImage:
    try:
        with path.open("rb") as file:
            data = file.read(MAX_SVG_BYTES + 1)
    except OSError:
        raise ImageRefused(_("the file cannot be read")) from None
    if len(data) > MAX_SVG_BYTES:
        raise ImageRefused(_("the drawing is larger than {size} KB").format(
            size=number(MAX_SVG_BYTES // 1024)))
    try:
        cleaned = clean_svg(data)
    except SvgRefused as refusal:
        raise ImageRefused(svg_refusal_text(refusal), str(refusal.reason)) from None
    renderer = QSvgRenderer(QByteArray(cleaned))
    if not renderer.isValid():
        raise ImageRefused(_("the drawing is damaged"))
    natural = QSizeF(renderer.defaultSize())
    if natural.isEmpty():
        natural = renderer.viewBoxF().size()
    if natural.isEmpty() or not all(0 < side < 1e9 for side in (natural.width(),
                                                                   natural.height())):
        raise ImageRefused(_("the drawing has no size"))
    return LessonImage(path.name, svg=renderer, natural=natural)


# The sanitiser words its reasons in English for the author (the checker prints them);
# the learner reads one of these, picked by what the reason is about.
SVG_REFUSALS = (
    (("svgz",), N_("compressed drawings (svgz) are not accepted")),
    (("larger than",), N_("the drawing's file is too large")),
    (("doctype", "entit", "processing instruction"),
     N_("the drawing declares XML entities, which are not accepted")),
    (("elements", "nests", "<use>", "cycle"), N_("the drawing is too complex to draw")),
    (("width", "height", "viewbox"), N_("the drawing's size is too large or unreadable")),
    (("well-formed", "not an svg", "no svg element"), N_("the file is not an SVG drawing")),
)


def svg_refusal_text(refusal: SvgRefused) -> str:
    """Why the sanitiser refused a drawing, in the learner's language."""
    reason = str(getattr(refusal, "reason", "") or refusal).lower()
    for words, message in SVG_REFUSALS:
        if any(word in reason for word in words):
            return _(message)
    return _("the drawing cannot be made safe to show")


def charge_drawing(image: LessonImage, width_px: int, budget: PixelBudget,
                   key: object) -> int:
    """The width to draw `image` at so that the page's budget holds; charges it. A raster
    image was charged whole when opened. Raises ImageRefused when nothing fits."""
    if image.raster is not None:
        return width_px
    size = fitted_size(image.natural, width_px)
    available = budget.available(key)
    if size.width() * size.height() > available:  # draw it smaller, as large as still fits
        shrink = (available / max(1, size.width() * size.height())) ** 0.5
        size = fitted_size(image.natural, int(size.width() * shrink))
    if size.width() < 16 or not budget.charge(key, size.width() * size.height()):
        raise ImageRefused(_("this page already holds as many large images as it can"))
    return size.width()


def refusal_image(text: str, font: QFont, ratio: float = 1.0) -> QImage:
    """A small picture of `text` in the error colour: what an inline image that was refused
    leaves in its paragraph, so the reader sees why something is missing."""
    metrics = QFontMetrics(font)
    width = min(metrics.horizontalAdvance(text) + 8, 900)
    height = metrics.height() + 4
    image = QImage(round(width * ratio), round(height * ratio),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    image.setDevicePixelRatio(ratio)
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(QColor(colours.ERROR))
    painter.drawText(QRectF(0, 0, width, height), Qt.AlignmentFlag.AlignCenter,
                     metrics.elidedText(text, Qt.TextElideMode.ElideRight, width - 8))
    painter.end()
    return image
