"""The window an exercise card opens: a training panel and, once a model is trained (or an
earlier run's model is loaded), the playgrounds that fit it; or a playground on its own.

One window per exercise; it stays open beside the lesson, follows the interface language,
and stops its training thread when closed.
"""

from __future__ import annotations

from hafiza.ui import playgrounds
from hafiza.ui.blocks.exercise import exercise_title
from hafiza.ui.exercise_panel import ExercisePanel
from hafiza.ui.i18n import _, current_variety, isolate
from hafiza.ui.run_history import LoadedModel, RunRecorder
from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget


class ExerciseWindow(QWidget):
    def __init__(self, lesson_id: str, exercise: dict, recorder: RunRecorder | None = None,
                 parent: QWidget | None = None) -> None:
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
            self.panel = ExercisePanel(exercise, self, recorder)
            self.panel.model_ready.connect(self._on_model_ready)
            self.tabs.addTab(self.panel, "")
        self.reviews = self._review_browser()
        self.resize(980, 860)
        self.retranslate()

    def _review_browser(self) -> QWidget | None:
        """The IMDB exercise also shows the reviews as the model sees them: ids and words."""
        dataset = self.exercise.get("dataset", {})
        if dataset.get("name") != "imdb":
            return None
        from hafiza.engine.data import imdb
        from hafiza.ui.review_browser import ReviewBrowser

        try:
            corpus = imdb.load_corpus() if imdb.cache_state() != "missing" else None
        except imdb.ImdbError:
            corpus = None  # the browser says the reviews are not imported
        browser = ReviewBrowser(corpus, num_words=dataset.get("num_words", 10_000),
                                maxlen=dataset.get("maxlen", 200),
                                padding=dataset.get("padding", "pre"))
        self.tabs.insertTab(1, browser, "")
        return browser

    def _first_playground_tab(self) -> int:
        return int(self.panel is not None) + int(self.reviews is not None)

    def retranslate(self) -> None:
        name = exercise_title(self.exercise, current_variety().tag)
        self.setWindowTitle(_("Exercise: {name}").format(name=isolate(name)))
        if self.panel is not None:
            self.tabs.setTabText(0, _("Training"))
            self.panel.retranslate()
        if self.reviews is not None:
            self.tabs.setTabText(1, _("Reviews"))
            self.reviews.retranslate()
        offset = self._first_playground_tab()
        for index, name in enumerate(self.playground_names):
            self.tabs.setTabText(offset + index, playgrounds.title(name))
            widget = self.tabs.widget(offset + index)
            if hasattr(widget, "retranslate"):
                widget.retranslate()

    @Slot(object)
    def _on_model_ready(self, loaded: LoadedModel) -> None:
        """Replaces the model playgrounds with ones showing the newly trained model."""
        self._remove_model_playgrounds()
        for name in playgrounds.names_for(self.exercise, loaded):
            self._add_playground(name, loaded)
        self.retranslate()

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

    def shutdown(self) -> None:
        if self.panel is not None:
            self.panel.shutdown()
        for index in range(self.tabs.count()):
            widget = self.tabs.widget(index)
            if widget not in (self.panel, self.reviews) and hasattr(widget, "shutdown"):
                widget.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.shutdown()
        super().closeEvent(event)
