"""Loads the engine (PyTorch) after the window is shown and tells the status bar how it went.

Importing torch takes ~1.6 s and the first Adam optimizer ~1 s more (it imports
torch._dynamo), so both happen in a worker thread once the window is up.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from hafiza.ui.worker import TaskRunner, TaskState


def load_engine(preferred_device: str, state: TaskState) -> dict:
    import torch

    from hafiza.engine import runtime

    runtime.configure_for_app()
    state.check()
    runtime.warm_up()
    device = runtime.use_device(preferred_device)
    runtime.freeze_startup_objects()
    present = [name for name in runtime.DEVICES if runtime.pick_device(name) == name]
    return {"torch": torch.__version__.split("+")[0], "threads": torch.get_num_threads(),
            "device": device, "device_name": runtime.describe_device(device),
            "devices_present": present}


class EngineStatus(TaskRunner, QObject):
    """'loading' → 'ready' or 'failed'; lives in the GUI thread."""

    changed = Signal(str)

    def __init__(self, parent: QObject | None = None, device: str = "auto") -> None:
        super().__init__(parent)
        self.preferred_device = device  # the setting or --device; chosen when torch is in
        self.state = "idle"
        self.info: dict = {}
        self.error = ""

    def start(self) -> None:
        if self.state != "idle":
            return
        self.state = "loading"
        self.changed.emit(self.state)
        self.start_task(load_engine, self.preferred_device)

    def shutdown(self, timeout_ms: int = 5000) -> None:
        self.shutdown_tasks(timeout_ms)

    def choose_device(self, preferred: str) -> None:
        """A new choice from the menu: applied at once when the engine is loaded (runs and
        playgrounds started from now on use it), else when it has loaded."""
        self.preferred_device = preferred
        if self.state == "ready":
            from hafiza.engine import runtime

            device = runtime.use_device(preferred)
            self.info.update(device=device, device_name=runtime.describe_device(device))
            self.changed.emit(self.state)

    def on_done(self, info: dict) -> None:
        self.info = info
        self.state = "ready"
        self.changed.emit(self.state)

    def on_exception(self, error: BaseException) -> None:
        self.error = f"{type(error).__name__}: {error}"
        self.state = "failed"
        self.changed.emit(self.state)
