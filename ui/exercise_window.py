"""The window an exercise card opens: a training panel and, once a model is trained (or an
earlier run's model is loaded), the playgrounds that fit it; or a playground on its own.

One window per exercise; it stays open beside the lesson, follows the interface language,
and stops its training thread when closed (asking first while a model trains). It opens at
a size the screen has room for; the training panel scrolls where the window is shorter than
the panel (a 1024x700 laptop).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QMessageBox,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hafiza.ui import playgrounds
from hafiza.ui.blocks.exercise import exercise_title
from hafiza.ui.exercise_panel import ExercisePanel
from hafiza.ui.i18n import _, current_variety, isolate
from hafiza.ui.run_history import LoadedModel, RunRecorder
from hafiza.ui.screen_fit import opening_size
from hafiza.ui.worker import TaskRunner, TaskState

# The size an exercise window asks for, where the screen has room for it.
PREFERRED_SIZE = QSize(980, 860)


def close_keys() -> list[QKeySequence]:
    """Esc, Ctrl+W and the platform's own Close keys, each once (a key bound twice is
    ambiguous to Qt, and then neither binding works)."""
    keys = [QKeySequence(Qt.Key.Key_Escape), QKeySequence("Ctrl+W"),
            *QKeySequence.keyBindings(QKeySequence.StandardKey.Close)]
    unique: dict[str, QKeySequence] = {}
    for key in keys:
        unique.setdefault(key.toString(), key)
    return list(unique.values())


def _read_reviews(_state: TaskState):
    """In a worker thread: the imported reviews, or None when they are not (or no longer)
    imported; the browser then says so."""
    from hafiza.engine.data import imdb, is_imported

    try:
        return imdb.load_corpus() if is_imported("imdb") else None
    except imdb.ImdbError:
        return None


class ExerciseWindow(TaskRunner, QWidget):
    reviews_loaded = Signal()  # the Reviews tab shows the reviews (or why it cannot)

    def __init__(self, lesson_id: str, exercise: dict, recorder: RunRecorder | None = None,
                 parent: QWidget | None = None, *, data_root: Path | None = None) -> None:
        """``data_root`` is the lesson's own folder: the only place the exercise's files
        (a text_file's path, a lessons corpus's folder) are read from; None: none at all."""
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("exercise-window")
        self.lesson_id = lesson_id
        self.exercise = exercise
        self.tabs = QTabWidget()
        self.panel: ExercisePanel | None = None
        self.playground_names: list[str] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tabs)
        if "playground" in exercise:
            self._add_playground(exercise["playground"], None)
        else:
            self.panel = ExercisePanel(exercise, self, recorder, data_root=data_root)
            self.panel.model_ready.connect(self._on_model_ready)
            self.tabs.addTab(self._scrolling(self.panel), "")
        self.reviews = None  # the ReviewBrowser, once the reviews are read
        self._reviews_trouble = ""
        self.reviews_page = self._reviews_page()
        for key in close_keys():
            QShortcut(key, self, self.close)
        self.resize(self._opening_size())
        self.retranslate()

    @staticmethod
    def _scrolling(widget: QWidget) -> QScrollArea:
        """`widget` in a scroll area that scrolls only where the window is smaller than
        the widget's minimum (its plots keep a readable height)."""
        area = QScrollArea()
        area.setObjectName("exercise-scroll")
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(widget)
        return area

    def _opening_size(self) -> QSize:
        return opening_size(self, PREFERRED_SIZE)

    def _reviews_page(self) -> QStackedWidget | None:
        """Data the learner imported (the IMDB reviews) is also shown as the model sees it:
        ids and words. The reviews are read in a worker thread (it can take seconds); the
        tab says so meanwhile."""
        dataset = self.exercise.get("dataset", {})
        from hafiza.engine.data import needs_import

        if not needs_import(dataset.get("name", "")):
            return None
        page = QStackedWidget()
        self.reviews_note = QLabel()
        self.reviews_note.setWordWrap(True)
        self.reviews_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        page.addWidget(self.reviews_note)
        self.tabs.insertTab(1, page, "")
        self.start_task(_read_reviews)
        return page

    def on_done(self, corpus) -> None:
        """The reviews are read (None: not imported): the browser shows them or says why."""
        from hafiza.ui.review_browser import ReviewBrowser

        dataset = self.exercise.get("dataset", {})
        self.reviews = ReviewBrowser(corpus, num_words=dataset.get("num_words", 10_000),
                                     maxlen=dataset.get("maxlen", 200),
                                     padding=dataset.get("padding", "pre"))
        self.reviews_page.addWidget(self.reviews)
        self.reviews_page.setCurrentWidget(self.reviews)
        self.reviews.retranslate()
        self.reviews_loaded.emit()

    def on_exception(self, error: BaseException) -> None:
        self._reviews_trouble = f"{type(error).__name__}: {error}"
        self._show_reviews_note()
        self.reviews_loaded.emit()

    def _show_reviews_note(self) -> None:
        if self._reviews_trouble:
            self.reviews_note.setText(_("The reviews could not be read: {reason}").format(
                reason=isolate(self._reviews_trouble)))
        else:
            self.reviews_note.setText(_("Reading the reviews…"))

    def _first_playground_tab(self) -> int:
        return int(self.panel is not None) + int(self.reviews_page is not None)

    def retranslate(self) -> None:
        """Every text of the window in the current language: its title, tabs, the panel
        (labels, digits, status, log, plots) and each playground that can."""
        name = exercise_title(self.exercise, current_variety().tag)
        self.setWindowTitle(_("Exercise: {name}").format(name=isolate(name)))
        if self.panel is not None:
            self.tabs.setTabText(0, _("Training"))
            self.panel.retranslate()
        if self.reviews_page is not None:
            self.tabs.setTabText(1, _("Reviews"))
            self._show_reviews_note()
        if self.reviews is not None:
            self.reviews.retranslate()
        offset = self._first_playground_tab()
        for index, name in enumerate(self.playground_names):
            self.tabs.setTabText(offset + index, playgrounds.title(name))
            widget = self.tabs.widget(offset + index)
            if hasattr(widget, "retranslate"):
                widget.retranslate()

    @Slot(object)
    def _on_model_ready(self, loaded: LoadedModel) -> None:
        """Replaces the model playgrounds with ones showing the newly trained model; an
        earlier run on the learner's own text makes that text the next run's again."""
        self._reuse_own_text(loaded.exercise)
        self._remove_model_playgrounds()
        for name in playgrounds.names_for(self.exercise, loaded):
            self._add_playground(name, loaded)
        self.retranslate()

    def _reuse_own_text(self, settings: dict) -> None:
        from hafiza.engine.data.text_files import is_own_text

        row = self.panel.own_text if self.panel is not None else None
        if row is not None and is_own_text(settings):
            path = row.texts_folder / settings["dataset"]["path"]
            if path.is_file():
                row.use(path)

    def _add_playground(self, name: str, model) -> None:
        widget = playgrounds.create(name, model)
        self.playground_names.append(name)
        self.tabs.addTab(widget, playgrounds.title(name))

    def _remove_model_playgrounds(self) -> None:
        offset = self._first_playground_tab()
        while self.tabs.count() > offset:
            widget = self.tabs.widget(offset)
            self.tabs.removeTab(offset)
            if hasattr(widget, "shutdown"):
                widget.shutdown()
            widget.deleteLater()
        self.playground_names.clear()

    # -- training and closing ----------------------------------------------------------------
    def is_training(self) -> bool:
        """A model is training (or paused mid-run) in this window."""
        return self.panel is not None and self.panel.is_training()

    def stop_training(self, timeout_ms: int = 10_000) -> bool:
        """Stops the run and waits until it has ended and is recorded (as stopped); True
        when nothing trains any more."""
        return self.panel is None or self.panel.stop_and_wait(timeout_ms)

    def _may_close(self) -> bool:
        """Asks before a close drops a training run; stops it when the learner agrees."""
        if not self.is_training():
            return True
        answer = QMessageBox.question(
            self, _("Training is running"), _("Stop training and close?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.stop_training()
        return True

    def shutdown(self) -> None:
        if self.panel is not None:
            self.panel.shutdown()
        self.shutdown_tasks()  # a QThread must not outlive its window
        for index in range(self.tabs.count()):
            widget = self.tabs.widget(index)
            if widget not in (self.panel, self.reviews_page) and hasattr(widget, "shutdown"):
                widget.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if not self._may_close():
            event.ignore()
            return
        self.shutdown()
        super().closeEvent(event)
