"""The one way to run long work: a function or a generator in its own thread, reporting
through signals queued to the GUI thread.

Two forms, one `Task`:

- a function `fn(state) -> result`, as in Orange's `TaskState` pattern: it calls
  `state.progress()` and `state.partial()`, and `state.check()` between steps;
- a generator, as in napari's `thread_worker`: `fn(state)` returns a generator; each value it
  yields is a partial result and a point where pause, step and stop are obeyed, and its
  `return` value is the result.

Pause, step and stop go through a `hafiza.engine.control.TrainControl`, the training loop's own
state machine: a training run passes its task's control to the engine's `fit`, so the run and
any other task obey the same object. `fn` never touches a widget.

Connect the signals only to `@Slot` methods of objects living in the GUI thread: PySide runs a
plain function or lambda slot in the *emitting* thread, even with a queued connection.
Widgets use `TaskRunner` below, which does that for them.

Partial results are batched: at most one `partials` emission every `min_interval` seconds
(20 Hz by default), because a signal per training batch made a small model 6x slower.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Generator
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from hafiza.engine.control import TrainControl
from hafiza.ui.gc_guard import collect_in_gui_thread


class Interrupted(Exception):
    """Raised inside a task by `state.check()` once the task was asked to stop."""


class TaskState:
    """What a running task sees: report progress and partial results, obey pause and stop.

    Everything here but `control` is called from the task's own thread only."""

    def __init__(self, task: Task, min_interval: float, control: TrainControl) -> None:
        self._task = task
        self._min_interval = min_interval
        self.control = control
        self._buffer: list[Any] = []
        self._last_emit = 0.0
        self._last_progress = -1.0

    @property
    def interrupted(self) -> bool:
        return self.control.stopped

    def check(self) -> None:
        """Blocks while paused (a step lets one step through); raises Interrupted once
        stopped. Call between steps."""
        if self._take_turn() == "stop":
            raise Interrupted

    def wait_if_paused(self) -> None:
        """Like check(), but returns once stopped (look at `interrupted`)."""
        self._take_turn()

    def _take_turn(self) -> str:
        control = self.control
        if not control.attention:  # one attribute read while nobody asked for anything
            return "go"
        verdict = control.poll()
        if verdict == "wait":
            self.flush()  # what came before the pause is on screen while it lasts
        while verdict == "wait":
            control.wait()
            verdict = control.poll()
        return verdict

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
        """Delivers the partial results gathered so far now, not at the next batch."""
        self._flush(time.monotonic())

    def _flush(self, now: float) -> None:
        self._last_emit = now
        if self._buffer:
            batch, self._buffer = self._buffer, []
            self._task.partials.emit(batch)


class _Thread(QThread):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:
        self._task._run_in_thread()


class Task(QObject):
    """Owns one thread running `fn(state)`; lives in the GUI thread.

    `control`: the pause/step/stop state machine to obey (a new one when None).
    `obeys_control`: the generator polls `state.control` itself (the engine's `fit` does, and
    reports a pause as an event), so the worker neither holds nor stops it between yields."""

    progressed = Signal(float)
    # `object`, not `list`: PySide converts a `list` argument item by item to a QVariantList
    # and back, which cost 2.5 ms per delivery of a few dozen training events (profiled).
    partials = Signal(object)  # a list of the items passed to state.partial() or yielded
    succeeded = Signal(object)  # fn's return value (a generator's `return` value)
    failed = Signal(str)  # a developer detail (traceback); the UI words the message
    raised = Signal(object)  # the exception itself, right after `failed`
    cancelled = Signal()
    ended = Signal()  # after any of the above, once the thread has finished

    def __init__(
        self,
        fn: Callable[[TaskState], Any],
        parent: QObject | None = None,
        min_interval: float = 0.05,
        *,
        control: TrainControl | None = None,
        obeys_control: bool = False,
    ) -> None:
        super().__init__(parent)
        self._fn = fn
        self._obeys_control = obeys_control
        self.state = TaskState(self, min_interval, control or TrainControl())
        self._thread = _Thread(self)
        # `ended` comes from QThread.finished, not from the end of the task's function: a
        # slot of `ended` then sees is_running() False (emitted from the function, it raced
        # with the thread's exit and could leave the Train button disabled).
        self._thread.finished.connect(self._on_thread_finished)

    @property
    def control(self) -> TrainControl:
        return self.state.control

    def start(self) -> None:
        # A worker must never be where Python's cycle collector frees a widget.
        collect_in_gui_thread()
        self._thread.start()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def pause(self) -> None:
        self.control.pause()

    def resume(self) -> None:
        self.control.resume()

    def step(self) -> None:
        """One more step (one more yield of a generator), then paused again."""
        self.control.step()

    def cancel(self) -> None:
        self.control.stop()

    def wait(self, timeout_ms: int = -1) -> bool:
        """Blocks until the thread has finished; True if it did within the timeout."""
        if timeout_ms < 0:
            return self._thread.wait()
        return self._thread.wait(timeout_ms)

    def _run_in_thread(self) -> None:
        try:
            result = self._fn(self.state)
            if isinstance(result, Generator):
                result = self._drive(result)
        except Interrupted:
            self.state.flush()
            self.cancelled.emit()
        except BaseException as error:  # reported to the GUI, which keeps working
            self.state.flush()
            self.failed.emit(traceback.format_exc())
            self.raised.emit(error)
        else:
            self.state.flush()
            if self.state.interrupted:
                self.cancelled.emit()
            else:
                self.succeeded.emit(result)

    def _drive(self, generator: Generator) -> Any:
        """Runs a generator to its end: each yield is a partial result, then a turn to obey
        pause, step and stop (a stop closes the generator: it runs its `finally`, no more)."""
        state = self.state
        try:
            while True:
                try:
                    item = next(generator)
                except StopIteration as end:
                    return end.value
                state.partial(item)
                if not self._obeys_control:
                    state.check()
        finally:
            generator.close()

    @Slot()
    def _on_thread_finished(self) -> None:
        self.ended.emit()


class _TaskWatcher(QObject):
    """Receives a runner's task signals in the GUI thread (its slots are `@Slot`s of an object
    living there) and passes those of the current task to the runner; a task that a newer
    one replaced is still waited for, but nothing it reports reaches the runner."""

    def __init__(self, runner: TaskRunner) -> None:
        super().__init__(runner)
        self.runner = runner
        self.current: Task | None = None
        self.running: list[Task] = []

    def watch(self, task: Task) -> None:
        task.progressed.connect(self._on_progressed)
        task.partials.connect(self._on_partials)
        task.succeeded.connect(self._on_succeeded)
        task.raised.connect(self._on_raised)
        task.cancelled.connect(self._on_cancelled)
        task.ended.connect(self._on_ended)
        self.running.append(task)
        self.current = task

    def _from_current(self) -> bool:
        return self.current is not None and self.sender() is self.current

    @Slot(float)
    def _on_progressed(self, fraction: float) -> None:
        if self._from_current():
            self.runner.on_progress(fraction)

    @Slot(object)
    def _on_partials(self, items: list) -> None:
        if self._from_current():
            self.runner.on_partial_results(items)

    @Slot(object)
    def _on_succeeded(self, result: Any) -> None:
        if self._from_current():
            self.runner.on_done(result)

    @Slot(object)
    def _on_raised(self, error: BaseException) -> None:
        if self._from_current():
            self.runner.on_exception(error)

    @Slot()
    def _on_cancelled(self) -> None:
        if self._from_current():
            self.runner.on_cancelled()

    @Slot()
    def _on_ended(self) -> None:
        task = self.sender()
        if task in self.running:
            self.running.remove(task)
        task.wait()  # the thread is past its last line: returns at once
        task.deleteLater()
        if task is self.current:
            self.current = None
            self.runner.on_busy_changed(False)


class TaskRunner:
    """A mixin for a QObject (a widget, a dialog, a controller) that runs long work, as
    Orange's `ConcurrentWidgetMixin`: one current task at a time.

    `start_task(fn, *args)` runs `fn(*args, state)` (a function or a generator, see Task) in a
    worker thread. Its partial results, result, error or cancellation come back to the
    overridable `on_...` methods in the GUI thread. Starting a new task stops the current one
    and drops whatever it still reports; closing a widget stops its tasks and waits for them.
    List the mixin before the Qt class, so that its `closeEvent` is the one Qt calls. Its
    method names carry `task` because hosts have their own start(), cancel() and shutdown().
    """

    _task_watcher: _TaskWatcher | None = None  # made on first use: the mixin needs no __init__

    def _watcher(self) -> _TaskWatcher:
        if self._task_watcher is None:
            self._task_watcher = _TaskWatcher(self)
        return self._task_watcher

    # -- driving -------------------------------------------------------------------------------
    def start_task(self, fn: Callable[..., Any], *args: Any, control: TrainControl | None = None,
                   min_interval: float = 0.05, obeys_control: bool = False) -> Task:
        """Stops (and drops) the current task, then runs `fn(*args, state)`."""
        watcher = self._watcher()
        was_busy = watcher.current is not None
        if was_busy:
            watcher.current.cancel()
        task = Task(lambda state: fn(*args, state), self, min_interval, control=control,
                    obeys_control=obeys_control)
        watcher.watch(task)
        task.start()
        if not was_busy:
            self.on_busy_changed(True)
        return task

    @property
    def current_task(self) -> Task | None:
        return self._watcher().current

    @property
    def task_busy(self) -> bool:
        """True from start_task() until the current task's thread has ended."""
        return self._watcher().current is not None

    def cancel_task(self) -> None:
        """Asks the current task to stop; it ends through on_cancelled() (or on_done(), had it
        just finished) and stays busy until its thread is done."""
        if self.current_task is not None:
            self.current_task.cancel()

    def wait_tasks(self, timeout_ms: int = -1) -> bool:
        """Blocks until every task thread has ended; True if they did within the timeout."""
        return all(task.wait(timeout_ms) for task in list(self._watcher().running))

    def shutdown_tasks(self, timeout_ms: int = 10_000) -> bool:
        """Stops every task and waits for its thread (before the host goes away); nothing they
        report afterwards reaches the hooks."""
        watcher = self._watcher()
        watcher.current = None
        for task in watcher.running:
            task.cancel()
        return self.wait_tasks(timeout_ms)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.shutdown_tasks()
        super().closeEvent(event)

    # -- to override (called in the GUI thread) -----------------------------------------------
    def on_progress(self, fraction: float) -> None:
        """The fraction done, from state.progress()."""

    def on_partial_results(self, items: list) -> None:
        """A batch of partial results, in order; calls on_partial_result for each."""
        for item in items:
            self.on_partial_result(item)

    def on_partial_result(self, value: Any) -> None:
        """One value passed to state.partial() or yielded by a generator."""

    def on_done(self, result: Any) -> None:
        """The task's return value."""

    def on_exception(self, error: BaseException) -> None:
        """The exception that ended the task."""

    def on_cancelled(self) -> None:
        """The task stopped because it was asked to."""

    def on_busy_changed(self, busy: bool) -> None:
        """True when a task starts while none runs; False once the current task's thread is
        done (after its result, error or cancellation)."""
