"""The course outline beside the lesson page: one row per lesson, in course order, each with
its progress mark (not started, in progress, completed) and its quiz score.

The marks are text, so a screen reader reads them as they are seen; each row also carries one
spoken sentence (Qt's accessible text) with the lesson's number, title, length and progress.
The panel knows nothing of the store: the app hands it `LessonStatus` values
(`show_progress`) whenever a lesson is opened, completed or a quiz answered.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from hafiza.store.progress import LessonStatus
from hafiza.ui.blocks.page_text import MutedLabel
from hafiza.ui.course import Outline, OutlineEntry
from hafiza.ui.i18n import _, current_variety, isolate, ngettext, number

# Drawn marks (DejaVu Sans has them for every script); the words beside them say the same.
MARK_COMPLETED = "✓"
MARK_IN_PROGRESS = "◐"
MARK_NOT_STARTED = "○"
NO_PROGRESS = LessonStatus()
# Where a row keeps its lesson's place in the course (1, 2, ...), the number it shows.
POSITION_ROLE = Qt.ItemDataRole.UserRole + 1


def progress_words(status: LessonStatus) -> tuple[str, str]:
    """(mark, words) for a lesson's state, e.g. ("✓", "Completed")."""
    if status.completed:
        return MARK_COMPLETED, _("Completed")
    if status.opened:
        return MARK_IN_PROGRESS, _("In progress")
    return MARK_NOT_STARTED, _("Not started")


def score_words(status: LessonStatus) -> str:
    """"3 of 4 quizzes right" in the reader's digits; empty before any quiz is answered."""
    if status.answered == 0:
        return ""
    return ngettext("{correct} of {n} quiz right", "{correct} of {n} quizzes right",
                    status.answered).format(correct=number(status.correct),
                                            n=number(status.answered))


class OutlinePanel(QWidget):
    """The course outline: one row per lesson, in course order."""

    lesson_chosen = Signal(str)

    def __init__(self, outline: Outline, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outline = outline
        self.statuses: dict[str, LessonStatus] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.heading = QLabel()
        self.heading.setObjectName("outline-heading")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.count = MutedLabel()  # readable, where the disabled grey was not
        self.list = QListWidget()
        self.list.setObjectName("outline-list")
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.heading.setBuddy(self.list)
        layout.addWidget(self.heading)
        layout.addWidget(self.count)
        layout.addWidget(self.list, 1)
        self.list.currentItemChanged.connect(self._on_current_changed)

    def retranslate(self) -> None:
        self.heading.setText(_("&Course"))
        n = len(self.outline.lessons)
        self.count.setText(ngettext("{n} lesson", "{n} lessons", n).format(n=number(n)))
        current = self.current_lesson_id()
        self.list.blockSignals(True)
        self.list.clear()
        for position, entry in enumerate(self.outline.lessons, start=1):
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            item.setData(POSITION_ROLE, position)
            self._describe(item, entry)
            self.list.addItem(item)
            if entry.id == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)

    def show_progress(self, statuses: dict[str, LessonStatus]) -> None:
        """Redraws every row's mark and score in place (the selection and scroll stay)."""
        self.statuses = dict(statuses)
        for row in range(self.list.count()):
            item = self.list.item(row)
            entry = self.outline.find(item.data(Qt.ItemDataRole.UserRole))
            if entry is not None:
                self._describe(item, entry)

    def _describe(self, item: QListWidgetItem, entry: OutlineEntry) -> None:
        title, _tag = entry.title(current_variety().tag)
        minutes = ngettext("{n} minute", "{n} minutes", entry.estimated_minutes).format(
            n=number(entry.estimated_minutes))
        status = self.statuses.get(entry.id, NO_PROGRESS)
        mark, state = progress_words(status)
        details = [f"{mark} {state}", minutes]
        if score := score_words(status):
            details.append(score)
        separator = _(", ")  # Arabic and Persian write "، "
        # Numbered by place in the list, as the page's "Lesson 8 of 8": `order` only sorts
        # (a lesson with order 75 after seven others is lesson 8).
        position = number(item.data(POSITION_ROLE))
        item.setText(f"{position}. {title}\n{separator.join(details)}")
        spoken = _("Lesson {n}: {title}").format(n=position, title=isolate(title))
        item.setData(Qt.ItemDataRole.AccessibleTextRole,
                     separator.join([spoken, state, minutes, *([score] if score else [])]))
        item.setData(Qt.ItemDataRole.ToolTipRole, state if not score else
                     separator.join([state, score]))

    def current_lesson_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def select(self, lesson_id: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == lesson_id:
                self.list.setCurrentRow(row)
                return

    def clear_selection(self) -> None:
        """No lesson chosen (the start page is shown): choosing any lesson opens it again."""
        self.list.blockSignals(True)
        self.list.setCurrentRow(-1)
        self.list.blockSignals(False)

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_current_changed(self, current: QListWidgetItem | None, _previous) -> None:
        if current is not None:
            self.lesson_chosen.emit(current.data(Qt.ItemDataRole.UserRole))
