"""The base of every playground: a widget that retranslates, runs long work in a
ui.worker.Task and says when a result is on screen (``computed``, for tests and the app).

A playground only turns its inputs into calls of engine.playgrounds / engine.inspection and
their results into drawings; the computation, and torch, stay in the engine."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from hafiza.ui.i18n import _, isolate
from hafiza.ui.worker import Task


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
            self.show_message(_("This could not be computed: {detail}").format(
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

    # -- to override ---------------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        label = getattr(self, "message", None)
        if label is not None:
            label.setText(text)
            label.setVisible(bool(text))

    def retranslate(self) -> None:
        raise NotImplementedError
