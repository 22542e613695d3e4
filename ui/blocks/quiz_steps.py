"""The steps of an order quiz: a list the learner reorders by dragging or with buttons, each
row drawn as the lesson's rich text, formulas included.

A row's text is a `RichText` that is never shown: the delegate paints its document into the
row. So a step is drawn exactly as a paragraph of the page is (its direction, its font, its
formulas as images, redrawn on a font or theme change), and dragging rows keeps working,
which widgets set on the rows would not survive.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPointF, QSize, Qt, Slot
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from hafiza.lessonlib.model import QuizBlock
from hafiza.ui.blocks.images import PixelBudget
from hafiza.ui.blocks.text import RichText

PADDING = 6  # px around a step's text
SELECTED_TINT = 48  # alpha of the highlight behind the chosen step: its text stays readable


class RichStepDelegate(QStyledItemDelegate):
    """Paints row i with the document of `texts[i's option]`."""

    def __init__(self, texts: list[RichText], parent: QWidget) -> None:
        super().__init__(parent)
        self.texts = texts

    def _text(self, index: QModelIndex) -> RichText | None:
        option = index.data(Qt.ItemDataRole.UserRole)
        return self.texts[option] if isinstance(option, int) and \
            0 <= option < len(self.texts) else None

    def _laid_out(self, index: QModelIndex, width: int):
        text = self._text(index)
        if text is None:
            return None
        document = text.document()
        document.setTextWidth(max(50, width - 2 * PADDING))
        return document

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        width = option.rect.width() or self.parent().viewport().width()
        document = self._laid_out(index, width)
        if document is None:
            return super().sizeHint(option, index)
        return QSize(width, round(document.size().height()) + 2 * PADDING)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex) -> None:
        document = self._laid_out(index, option.rect.width())
        if document is None:
            super().paint(painter, option, index)
            return
        palette = option.palette
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:  # a tint and an edge, not the style's solid highlight: the text and
            # its formulas keep the text colour they were drawn in
            tint = QColor(palette.color(QPalette.ColorRole.Highlight))
            painter.setPen(QPen(tint, 2))
            tint.setAlpha(SELECTED_TINT)
            painter.setBrush(tint)
            painter.drawRoundedRect(option.rect.adjusted(1, 1, -1, -1), 3, 3)
        else:
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
            painter.drawLine(option.rect.bottomLeft(), option.rect.bottomRight())
        painter.translate(QPointF(option.rect.topLeft()) + QPointF(PADDING, PADDING))
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette = palette
        document.documentLayout().draw(painter, context)
        painter.restore()


class StepList(QListWidget):
    """The steps, reorderable; `order()` is the option indexes from top to bottom."""

    def __init__(self, quiz: QuizBlock, direction, images: PixelBudget | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quiz-steps")
        self.setLayoutDirection(direction)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWordWrap(True)
        self.setSpacing(1)
        self.texts = []
        for option in quiz.options:
            text = RichText(option.html, direction, quiz.formulas, "step", parent=self,
                            images=images)
            text.hide()
            self.texts.append(text)
        self.setItemDelegate(RichStepDelegate(self.texts, self))
        for index in quiz.shuffled_order():
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, index)
            # what a screen reader says: the step's text, formulas as their LaTeX
            item.setData(Qt.ItemDataRole.AccessibleTextRole, quiz.options[index].text)
            self.addItem(item)
        self.model().rowsMoved.connect(self._fit)
        self._fit()

    def order(self) -> list[int]:
        return [self.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.count())]

    def set_order(self, order: list[int]) -> None:
        """Puts the rows in `order` (option indexes, top to bottom)."""
        items = {}
        while self.count():
            item = self.takeItem(0)
            items[item.data(Qt.ItemDataRole.UserRole)] = item
        for index in order:
            self.addItem(items.pop(index))
        for item in items.values():  # any `order` left out stays, below
            self.addItem(item)
        self._fit()

    def move_current(self, step: int) -> None:
        row = self.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.count():
            return
        item = self.takeItem(row)
        self.insertItem(target, item)
        self.setCurrentRow(target)

    @Slot()
    def _fit(self) -> None:
        """Rows as tall as their wrapped text, the list as tall as its rows (no scrolling)."""
        self.scheduleDelayedItemsLayout()
        self.doItemsLayout()
        rows = sum(self.sizeHintForRow(r) + 2 * self.spacing() for r in range(self.count()))
        height = rows + 2 * self.frameWidth() + 4
        if self.height() != height:
            self.setFixedHeight(height)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        # the step texts, children, have been drawn again at the new size or colours
        if event.type() in (event.Type.FontChange, event.Type.PaletteChange):
            self._fit()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._fit()
