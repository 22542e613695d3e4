"""The learner's progress, shown: marks and quiz scores in the outline, answered quizzes as
they were left, and "continue where you left off" (Go menu, start page).

The app saves progress (ui.app: lessons opened, reading position, quiz answers); this object
reads it back (store.progress) and puts it on screen after every change. A store that cannot
be read shows no progress rather than stopping the window: learning goes on.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from hafiza.store import StoreError
from hafiza.store.progress import Progress
from hafiza.ui.i18n import _, isolate

if TYPE_CHECKING:
    from hafiza.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def continue_block(lesson_title: str, clicked: Signal) -> QWidget:
    """The start page's button that continues in the lesson `lesson_title`."""
    button = QPushButton(_("Continue where you left off: {lesson}").format(
        lesson=isolate(lesson_title)))
    button.setObjectName("continue-button")
    button.clicked.connect(clicked)
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(button)
    layout.addStretch(1)
    return row


class ProgressShown(QObject):
    """Keeps the window's outline marks, quizzes and "continue" offer in step with the
    store."""

    def __init__(self, progress: Progress, window: MainWindow) -> None:
        super().__init__(window)
        self.progress = progress
        self.window = window
        page = window.lesson_page
        page.rendered.connect(self.restore_answers)
        page.resume_requested.connect(self.continue_learning)
        window.continue_requested.connect(self.continue_learning)
        # Connected after the app's slots that save, so each refresh reads what they wrote.
        page.reading_position_changed.connect(self.refresh)
        page.quiz_answered.connect(self.refresh)
        window.outline_panel.lesson_chosen.connect(self.refresh)
        self.refresh()

    def _course_order(self) -> list[str]:
        return [entry.id for entry in self.window.outline.lessons]

    @Slot()
    def refresh(self) -> None:
        """The outline's marks and the start page's offer, read again from the store."""
        try:
            statuses = self.progress.statuses()
            resume = self.progress.resume_point(self._course_order())
        except StoreError as error:
            log.warning("progress not shown: %s", error)
            return
        self.window.outline_panel.show_progress(statuses)
        self.window.lesson_page.set_resume(resume[0] if resume else None)
        self.window.continue_action.setEnabled(resume is not None)

    @Slot()
    def restore_answers(self) -> None:
        """After the page drew a lesson (opened, retranslated, reloaded): its quizzes as the
        learner last answered them."""
        lesson = self.window.lesson_page.lesson
        if lesson is None:
            return
        try:
            latest = self.progress.latest_answers(lesson.id)
        except StoreError as error:
            log.warning("quiz answers not restored: %s", error)
            return
        if latest:
            self.window.lesson_page.restore_answers(
                {quiz_id: (answer.answer, answer.correct) for quiz_id, answer in latest.items()})

    @Slot()
    def continue_learning(self) -> None:
        """Opens the lesson to continue in, at the place the learner had read to."""
        try:
            resume = self.progress.resume_point(self._course_order())
        except StoreError:
            return
        if resume is None:
            return
        lesson_id, fraction = resume
        self.window.open_lesson(lesson_id)
        page = self.window.lesson_page
        if fraction > 0:  # after the page has settled (open_lesson may draw it again)
            QTimer.singleShot(0, lambda: page.lesson is not None and page.lesson.id == lesson_id
                              and page.restore_reading_position(fraction))
