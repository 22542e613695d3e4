"""The one way to run long work: a plain function in its own thread, reporting through signals.

A task is `fn(state) -> result`, as in Orange's `TaskState` pattern. `fn` never touches a
widget: it calls `state.progress()`, `state.partial()` and checks `state.interrupted`
(or `state.wait_if_paused()`) between steps. The signals are queued to the GUI thread.
Connect them only to `@Slot` methods of objects living in the GUI thread: PySide runs a
plain function or lambda slot in the *emitting* thread, even with a queued connection.

Partial results are batched: at most one `partials` emission every `min_interval` seconds
(20 Hz by default), because a signal per training batch made a small model 6x slower.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot


class Interrupted(Exception):
    """Raised inside a task by `state.check()` once the task was asked to stop."""


class TaskState:
    """What a running task sees: report progress and partial results, obey pause and stop."""

    def __init__(self, task: Task, min_interval: float) -> None:
        self._task = task
        self._min_interval = min_interval
        self._stop = threading.Event()
        self._running = threading.Event()  # cleared while paused
        self._running.set()
        self._buffer: list[Any] = []
        self._last_emit = 0.0
        self._last_progress = -1.0

    @property
    def interrupted(self) -> bool:
        return self._stop.is_set()

    def check(self) -> None:
        """Blocks while paused; raises Interrupted once stopped. Call between steps."""
        self.wait_if_paused()
        if self._stop.is_set():
            raise Interrupted

    def wait_if_paused(self) -> None:
        while not self._running.wait(0.1):
            if self._stop.is_set():
                return

    def progress(self, fraction: float) -> None:
        """Fraction done in [0, 1]; emitted at most at the batching rate."""
        now = time.monotonic()
        if fraction >= 1.0 or now - self._last_emit >= self._min_interval:
            if fraction != self._last_progress:
                self._last_progress = fraction
                self._task.progressed.emit(float(fraction))
            self._flush(now)

    def partial(self, item: Any) -> None:
        self._buffer.append(item)
        now = time.monotonic()
        if now - self._last_emit >= self._min_interval:
            self._flush(now)

    def flush(self) -> None:
        self._flush(time.monotonic())

    def _flush(self, now: float) -> None:
        self._last_emit = now
        if self._buffer:
            batch, self._buffer = self._buffer, []
            self._task.partials.emit(batch)

    # Called from the GUI thread through Task.
    def _request_stop(self) -> None:
        self._stop.set()
        self._running.set()

    def _pause(self) -> None:
        self._running.clear()

    def _resume(self) -> None:
        self._running.set()


class _Thread(QThread):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:
        self._task._run_in_thread()


class Task(QObject):
    """Owns one thread running `fn(state)`; lives in the GUI thread."""

    progressed = Signal(float)
    # `object`, not `list`: PySide converts a `list` argument item by item to a QVariantList
    # and back, which cost 2.5 ms per delivery of a few dozen training events (profiled).
    partials = Signal(object)  # a list of the items passed to state.partial()
    succeeded = Signal(object)  # fn's return value
    failed = Signal(str)  # a developer detail (traceback); the UI words the message
    cancelled = Signal()
    ended = Signal()  # after any of the three above, once the thread has finished

    def __init__(
        self,
        fn: Callable[[TaskState], Any],
        parent: QObject | None = None,
        min_interval: float = 0.05,
    ) -> None:
        super().__init__(parent)
        self._fn = fn
        self.state = TaskState(self, min_interval)
        self._thread = _Thread(self)
        # `ended` comes from QThread.finished, not from the end of the task's function: a
        # slot of `ended` then sees is_running() False (emitted from the function, it raced
        # with the thread's exit and could leave the Train button disabled).
        self._thread.finished.connect(self._on_thread_finished)

    def start(self) -> None:
        self._thread.start()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def pause(self) -> None:
        self.state._pause()

    def resume(self) -> None:
        self.state._resume()

    def cancel(self) -> None:
        self.state._request_stop()

    def wait(self, timeout_ms: int = -1) -> bool:
        """Blocks until the thread has finished; True if it did within the timeout."""
        if timeout_ms < 0:
            return self._thread.wait()
        return self._thread.wait(timeout_ms)

    def _run_in_thread(self) -> None:
        try:
            result = self._fn(self.state)
        except Interrupted:
            self.state.flush()
            self.cancelled.emit()
        except BaseException:  # reported to the GUI, which keeps working
            self.state.flush()
            self.failed.emit(traceback.format_exc())
        else:
            self.state.flush()
            if self.state.interrupted:
                self.cancelled.emit()
            else:
                self.succeeded.emit(result)

    @Slot()
    def _on_thread_finished(self) -> None:
        self.ended.emit()
