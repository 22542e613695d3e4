"""Prose blocks: rich text laid out in its own direction, with formulas drawn inline.

A `RichText` is a read-only QTextBrowser that grows to the height of its text, so a lesson
page is a plain vertical stack of blocks scrolled as one. Every paragraph of a right-to-left
variety gets its direction set explicitly: Qt would otherwise lay out a paragraph that starts
with a Latin word ("LSTM ...") left to right.

The HTML is the lesson parser's (text escaped, raw HTML shown as text). What it may load is
decided here too: `loadResource` draws only local image files, through the page's pixel
budget (`ui.blocks.images`), and never a style sheet or anything else a document may ask for.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl, Signal, Slot
from PySide6.QtGui import (
    QFont,
    QPalette,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextFrameFormat,
    QTextOption,
)
from PySide6.QtWidgets import QFrame, QSizePolicy, QTextBrowser

from hafiza.lessonlib.markdown_tables import mirror_table_columns
from hafiza.safelinks import is_safe_link
from hafiza.ui.blocks.formula import render_formula
from hafiza.ui.blocks.images import (
    ImageRefused,
    PixelBudget,
    charge_drawing,
    open_image,
    refusal_image,
)
from hafiza.ui.blocks.plain_text import plain_tooltip
from hafiza.ui.i18n import ARABIC_FONT_FAMILY, _

INLINE_IMAGE_WIDTH = 800  # logical pixels at most, for an image inside a paragraph

# Noto Sans Arabic's own line spacing is about 2.2 em (tall stacked marks); about 1.75 em reads
# well and keeps the marks clear.
ARABIC_LINE_HEIGHT_PERCENT = 80
LATIN_LINE_HEIGHT_PERCENT = 125


def line_height_percent(font: QFont, rtl: bool) -> int:
    families = font.families() or [font.family()]
    return ARABIC_LINE_HEIGHT_PERCENT if rtl or families[0] == ARABIC_FONT_FAMILY \
        else LATIN_LINE_HEIGHT_PERCENT


class RichText(QTextBrowser):
    """Read-only rich text sized to its content; links go to `link_activated`."""

    link_activated = Signal(QUrl)

    def __init__(self, html: str = "", direction=Qt.LayoutDirection.LeftToRight,
                 formulas: list[str] | None = None, role: str = "body",
                 parent=None, images: PixelBudget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"block-{role}")
        self.role = role
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # arrow keys keep scrolling the page
        self.viewport().setAutoFillBackground(False)
        self.document().setDocumentMargin(2)
        self.anchorClicked.connect(self.link_activated)
        self.highlighted.connect(self._show_address)
        self.images = images if images is not None else PixelBudget()
        self.refused_images: list[str] = []  # reasons, in the learner's language
        self._html = html
        self._formulas = formulas or []
        self._direction = direction
        self.render()

    @property
    def rtl(self) -> bool:
        return self._direction == Qt.LayoutDirection.RightToLeft

    def render(self) -> None:
        """(Re)builds the document: formulas as images at the current font size."""
        document = self.document()
        document.setDefaultFont(self.font())
        colour = self.palette().color(QPalette.ColorRole.Text).name()
        ratio = self.devicePixelRatioF()
        size_px = self.fontInfo().pixelSize() or 16
        for index, latex in enumerate(self._formulas):
            image = render_formula(latex, size_px, colour, ratio)
            document.addResource(QTextDocument.ResourceType.ImageResource,
                                 QUrl(f"formula:{index}"), image)
        option = QTextOption(document.defaultTextOption())
        option.setTextDirection(self._direction)
        option.setAlignment(Qt.AlignmentFlag.AlignLeading)
        document.setDefaultTextOption(option)
        # Qt lays table columns out left to right in any direction: a right-to-left page gets
        # each row's cells reversed, so its first column stands on the right.
        self.setHtml(mirror_table_columns(self._html) if self.rtl else self._html)
        self.setLayoutDirection(self._direction)
        self._apply_block_formats()
        self._fit()

    def _apply_block_formats(self) -> None:
        """Direction and a tightened line height on every paragraph, table cell included."""
        document = self.document()
        percent = line_height_percent(self.font(), self.rtl)
        cursor = QTextCursor(document)
        cursor.beginEditBlock()
        block = document.begin()
        while block.isValid():
            cursor.setPosition(block.position())
            fmt = QTextBlockFormat()
            fmt.setLayoutDirection(self._direction)
            fmt.setLineHeight(percent, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
            cursor.mergeBlockFormat(fmt)
            block = block.next()
        root = document.rootFrame()
        frame_format = root.frameFormat()
        frame_format.setLayoutDirection(self._direction)
        root.setFrameFormat(frame_format)
        for frame in root.childFrames():  # tables sit on the reading side
            child = frame.frameFormat()
            if isinstance(child, QTextFrameFormat):
                child.setLayoutDirection(self._direction)
                if child.isTableFormat():
                    table = child.toTableFormat()
                    table.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute
                                       if self.rtl else Qt.AlignmentFlag.AlignLeft)
                    child = table
                frame.setFrameFormat(child)
        cursor.endEditBlock()

    # -- what the document may load ------------------------------------------------------
    def loadResource(self, kind, url: QUrl):  # noqa: N802 (Qt's name)
        """Only images, only local files (the parser wrote their address, inside the lesson
        folder), within the page's pixel budget; a refused one is replaced by its reason."""
        if getattr(kind, "value", kind) != QTextDocument.ResourceType.ImageResource.value \
                or not url.isLocalFile():
            return None
        key = (self, url.toString())
        try:
            image = open_image(Path(url.toLocalFile()), self.images, key)
        except ImageRefused as refused:
            self.refused_images.append(refused.reason)
            return refusal_image(_("(image not shown: {reason})").format(reason=refused.reason),
                                 self.font(), self.devicePixelRatioF())
        ratio = self.devicePixelRatioF()
        width = min(image.natural.width(), INLINE_IMAGE_WIDTH)
        if image.svg is not None:
            try:
                device_width = charge_drawing(image, round(width * ratio), self.images, key)
            except ImageRefused as refused:
                self.refused_images.append(refused.reason)
                return refusal_image(refused.reason, self.font(), ratio)
            drawn = image.draw(device_width)
            drawn.setDevicePixelRatio(ratio)
            return drawn
        return image.draw(round(width))

    @Slot(QUrl)
    def _show_address(self, url: QUrl) -> None:
        """Hovering a link shows where it leads, before anything opens."""
        address = url.toString()
        self.setToolTip(plain_tooltip(address) if is_safe_link(address) else "")

    # -- height follows the text -----------------------------------------------------------
    def _fit(self) -> None:
        width = self.viewport().width() if self.viewport().width() > 50 else self.width()
        document = self.document()
        document.setTextWidth(max(50, width))
        height = int(document.size().height() + 0.999) + 2 * self.frameWidth()
        if self.height() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._fit()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(super().sizeHint().width(), self.height())

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        # The text's colour, its links' and its formulas' are set when the document is built:
        # a new palette (the theme switched while the page is open) builds it again.
        if event.type() in (event.Type.FontChange, event.Type.PaletteChange):
            self.render()

    def plain_text(self) -> str:
        return self.document().toPlainText()


class TextBlockWidget(RichText):
    """A heading, paragraph, list, table or quote of a lesson."""

    def __init__(self, html: str, direction, formulas: list[str], kind: str, level: int = 0,
                 anchor: str = "", parent=None, images: PixelBudget | None = None) -> None:
        self.kind, self.level, self.anchor = kind, level, anchor
        role = f"heading-{level}" if kind == "heading" else kind
        super().__init__(html, direction, formulas, role, parent, images)
        if kind == "heading":
            font = self.font()
            font.setPointSizeF(font.pointSizeF() * {1: 1.7, 2: 1.35, 3: 1.15}.get(level, 1.05))
            font.setBold(True)
            self.setFont(font)  # re-renders through changeEvent
