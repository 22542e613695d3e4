"""The base of every playground: a widget that retranslates, runs long work in a
ui.worker.Task and says when a result is on screen (``computed``, for tests and the app).

Its content sits in a scroll area (``body()``): on a 1024x700 screen, or at a large text
size, every control stays reachable, while plots and tables still stretch when there is room.
``retranslate()`` gives every child the variety's number locale (spin boxes' digits), asks the
playground for its texts again (``translate_texts``), words the message line again and
redraws the plots' tick labels and the spin boxes' notes.

A playground only turns its inputs into calls of engine.playgrounds / engine.inspection and
their results into drawings; the computation, and torch, stay in the engine."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Signal, Slot
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from hafiza.ui.exercise_spin_boxes import ClampNote
from hafiza.ui.i18n import _, current_variety, isolate, qlocale
from hafiza.ui.playgrounds.common import Message, follow_palette, refresh_axes
from hafiza.ui.worker import Task


class _ScrollContent(QWidget):
    """The content of a playground's scroll area. QScrollArea sizes a widget whose layout
    wraps text by its heightForWidth, which a layout answers with its preferred height: the
    plots' preferred height made the content scroll at 1000x640 although it fits. Answering
    with the least height that shows everything lets the content shrink to the window first."""

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        layout = self.layout()
        return layout.minimumHeightForWidth(width) if layout is not None else -1


class Playground(QWidget):
    computed = Signal()  # a result (or a message explaining why there is none) is shown
    name = ""

    @property
    def device(self) -> str:
        """Where the engine runs the playgrounds' models: the session's device, chosen once
        when the engine loads (engine.runtime.use_device); every engine call passes it."""
        from hafiza.engine.runtime import session_device

        return session_device()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks: dict[str, Task] = {}  # the latest task of each kind
        self._running: list[Task] = []
        self._callbacks: dict[QObject, tuple[str, Callable[[Any], None]]] = {}
        self._message: Message | None = None  # what the message line says, worded on demand
        self.scroll_area: QScrollArea | None = None
        self._texts_ready = False  # translate_texts may run: the subclass has made its widgets

    def body(self) -> QVBoxLayout:
        """The layout to fill, inside a scroll area that scrolls only when the window is
        smaller than the content needs (widgetResizable: otherwise the content fills it)."""
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName("playground-scroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        content = _ScrollContent()
        content.setObjectName("playground-content")
        self.scroll_area.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll_area)
        return QVBoxLayout(content)

    # -- long work -----------------------------------------------------------------------------
    def run_task(self, kind: str, fn: Callable[[], Any], done: Callable[[Any], None]) -> Task:
        """Runs ``fn()`` in a worker thread; ``done(result)`` runs in the GUI thread, unless a
        newer task of the same kind was started meanwhile (its result alone is shown)."""
        task = Task(lambda _state: fn(), self)
        self._tasks[kind] = task
        self._running.append(task)
        self._callbacks[task] = (kind, done)
        task.succeeded.connect(self._on_task_succeeded)
        task.failed.connect(self._on_task_failed)
        task.ended.connect(self._on_task_ended)
        task.start()
        return task

    def forget_task(self, kind: str) -> None:
        """Drops the latest task of ``kind`` unseen: its result is no longer wanted (the input
        changed to one that needs no computation). It runs to its end in its thread."""
        self._tasks.pop(kind, None)

    def is_busy(self, kind: str | None = None) -> bool:
        """Whether the latest task of ``kind`` runs; without a kind, whether any task has yet
        to end here (its result, wanted or not, is delivered by then)."""
        if kind is None:
            return bool(self._running)
        task = self._tasks.get(kind)
        return task is not None and task.is_running()

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Waits for the worker threads (before the widget goes away)."""
        return all(task.wait(timeout_ms) for task in list(self._running))

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.shutdown()
        super().closeEvent(event)

    @Slot(object)
    def _on_task_succeeded(self, result: Any) -> None:
        task = self.sender()
        kind, done = self._callbacks.get(task, ("", None))
        if done is not None and self._tasks.get(kind) is task:
            done(result)
            self.computed.emit()

    @Slot(str)
    def _on_task_failed(self, detail: str) -> None:
        task = self.sender()
        kind, _done = self._callbacks.get(task, ("", None))
        if self._tasks.get(kind) is task:
            short = detail.strip().splitlines()[-1] if detail.strip() else ""
            self.show_message(lambda: _("This could not be computed: {detail}").format(
                detail=isolate(short)))
            self.computed.emit()

    @Slot()
    def _on_task_ended(self) -> None:
        task = self.sender()
        if task in self._running:
            self._running.remove(task)
        self._callbacks.pop(task, None)
        self.task_ended()

    def task_ended(self) -> None:
        """Override to re-enable buttons."""

    # -- language ------------------------------------------------------------------------------
    def show_message(self, message: Message | str) -> None:
        """Shows ``message`` on the message line (hidden when empty). A function giving the
        text is called again after a language change, so the line follows the language."""
        self._message = message if callable(message) else (lambda: message)
        self._word_message()

    def _word_message(self) -> None:
        label = getattr(self, "message", None)
        if label is not None and self._message is not None:
            text = self._message()
            label.setText(text)
            label.setVisible(bool(text))

    def retranslate(self) -> None:
        """Everything in the current language: texts, tooltips, the message line, the digits
        of spin boxes and their notes (a widget's locale is fixed when it is made; setLocale
        here reaches every child that has none of its own) and of the plots' tick labels."""
        self.setLocale(qlocale(current_variety()))
        self.translate_texts()
        self._texts_ready = True
        self._word_message()
        for note in self.findChildren(ClampNote):  # "The largest allowed is 500."
            note.retranslate()
        for plot in self.findChildren(pg.PlotWidget):
            refresh_axes(plot)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        """A switch between light and dark: the plots' backgrounds and inks, and the cells
        coloured by value (drawn again by translate_texts), follow the new palette."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._texts_ready:
            for plot in self.findChildren(pg.PlotWidget):
                follow_palette(plot)
            self.translate_texts()

    # -- to override ---------------------------------------------------------------------------
    def translate_texts(self) -> None:
        """Sets every text, tooltip and number shown, from ``_()`` and ``number()``."""
        raise NotImplementedError
