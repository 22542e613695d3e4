"""Loads the engine (PyTorch) after the window is shown and tells the status bar how it went.

Importing torch takes ~1.6 s and the first Adam optimizer ~1 s more (it imports
torch._dynamo), so both happen in a worker thread once the window is up.
"""

from __future__ import annotations

from hafiza.ui.worker import TaskRunner, TaskState
from PySide6.QtCore import QObject, Signal


def load_engine(state: TaskState) -> dict:
    import torch
    from hafiza.engine import runtime

    runtime.configure_for_app()
    state.check()
    runtime.warm_up()
    return {"torch": torch.__version__.split("+")[0], "threads": torch.get_num_threads()}


class EngineStatus(TaskRunner, QObject):
    """'loading' → 'ready' or 'failed'; lives in the GUI thread."""

    changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = "idle"
        self.info: dict = {}
        self.error = ""

    def start(self) -> None:
        if self.state != "idle":
            return
        self.state = "loading"
        self.changed.emit(self.state)
        self.start_task(load_engine)

    def shutdown(self, timeout_ms: int = 5000) -> None:
        self.shutdown_tasks(timeout_ms)

    def on_done(self, info: dict) -> None:
        self.info = info
        self.state = "ready"
        self.changed.emit(self.state)

    def on_exception(self, error: BaseException) -> None:
        self.error = f"{type(error).__name__}: {error}"
        self.state = "failed"
        self.changed.emit(self.state)
