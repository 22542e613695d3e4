"""Loads the engine (PyTorch) after the window is shown and tells the status bar how it went.

Importing torch takes ~1.6 s and the first Adam optimizer ~1 s more (it imports
torch._dynamo), so both happen in a worker thread once the window is up.
"""

from __future__ import annotations

from hafiza.ui.worker import Task, TaskState
from PySide6.QtCore import QObject, Signal, Slot


def load_engine(state: TaskState) -> dict:
    import torch
    from hafiza.engine import runtime

    runtime.configure_for_app()
    state.check()
    runtime.warm_up()
    return {"torch": torch.__version__.split("+")[0], "threads": torch.get_num_threads()}


class EngineStatus(QObject):
    """'loading' → 'ready' or 'failed'; lives in the GUI thread."""

    changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = "idle"
        self.info: dict = {}
        self.error = ""
        self._task: Task | None = None

    def start(self) -> None:
        if self._task is not None:
            return
        self._task = Task(load_engine, self)
        self._task.succeeded.connect(self._on_ready)
        self._task.failed.connect(self._on_failed)
        self.state = "loading"
        self.changed.emit(self.state)
        self._task.start()

    def shutdown(self, timeout_ms: int = 5000) -> None:
        if self._task is not None and self._task.is_running():
            self._task.cancel()
            self._task.wait(timeout_ms)

    @Slot(object)
    def _on_ready(self, info: dict) -> None:
        self.info = info
        self.state = "ready"
        self.changed.emit(self.state)

    @Slot(str)
    def _on_failed(self, detail: str) -> None:
        self.error = detail.strip().splitlines()[-1] if detail.strip() else ""
        self.state = "failed"
        self.changed.emit(self.state)
