"""One training run of an exercise, in a worker thread, reported to the GUI through signals.

The engine's `fit` generator runs in a `ui.worker.Task`; its events travel as batched
partial results (10 deliveries a second) and come out here as typed signals in the GUI
thread. Pause, step and stop go to the engine's `TrainControl`, which the loop checks between
batches. Nothing here touches a widget.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from hafiza.ui.worker import Task, TaskState
from PySide6.QtCore import QObject, Signal, Slot

DELIVERY_INTERVAL = 0.1  # seconds between deliveries of training events to the GUI


@dataclass(frozen=True)
class TestResult:
    accuracy: float
    samples: int


class TrainingRun(QObject):
    """Lives in the GUI thread. Signals carry the engine's event records."""

    started = Signal(object)  # engine.events.Started
    batches = Signal(object)  # [BatchEnd, ...] since the previous delivery (see ui.worker)
    epoch_ended = Signal(object)  # EpochEnd
    paused = Signal(object)  # Paused
    finished = Signal(object)  # Finished
    failed = Signal(str, str)  # reason (engine.events: nan_loss, bad_data...), detail
    ended = Signal()  # after finished or failed, once the thread is done
    tested = Signal(object)  # TestResult, for data sets with a held-out test set

    def __init__(self, exercise: dict, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from hafiza.engine.train import TrainControl

        self.exercise = exercise
        self.control = TrainControl()
        self.prepared: Any = None  # engine.exercises.PreparedRun once the data is loaded
        self.outcome: Any = None  # the Finished or Failed record
        self.test_result: TestResult | None = None
        self.started_at = 0.0
        # Batches reach the GUI 10 times a second: each delivery and the repaint it causes
        # take the GIL from the training thread many times over (bench/gui_training.py).
        self._task = Task(self._train, self, min_interval=DELIVERY_INTERVAL)
        self._task.partials.connect(self._on_events)
        self._task.failed.connect(self._on_crash)
        self._task.ended.connect(self._on_ended)

    # -- control, from the GUI thread -----------------------------------------------------------
    def start(self) -> None:
        self.started_at = time.monotonic()
        self._task.start()

    def pause(self) -> None:
        self.control.pause()

    def resume(self) -> None:
        self.control.resume()

    def step(self) -> None:
        self.control.step()

    def stop(self) -> None:
        self.control.stop()
        self._task.cancel()

    def is_running(self) -> bool:
        return self._task.is_running()

    def wait(self, timeout_ms: int = -1) -> bool:
        return self._task.wait(timeout_ms)

    # -- the worker thread ------------------------------------------------------------------------
    def _train(self, state: TaskState) -> None:
        from hafiza.engine.events import BAD_DATA, BatchEnd, EpochEnd, Failed
        from hafiza.engine.exercises import ExerciseError, prepare

        try:
            self.prepared = prepare(self.exercise)
        except ExerciseError as error:
            state.partial(Failed(BAD_DATA, str(error)))
            return
        event = None
        for event in self.prepared.fit(self.control):
            state.partial(event)
            # Batches and epochs wait for the next delivery: a small data set ends an epoch
            # every few milliseconds (seq003: 160 a second). The start, a pause and the end
            # are shown at once.
            if not isinstance(event, (BatchEnd, EpochEnd)):
                state.flush()
        self._test(state, event)

    def _test(self, state: TaskState, last_event) -> None:
        """A data set with a held-out test set (IMDB's 25,000 reviews) is scored at the end
        of a run that finished (not one that failed)."""
        from hafiza.engine.events import Finished

        info = getattr(self.prepared.data, "info", {})
        if "x_test" not in info or not isinstance(last_event, Finished):
            return
        from hafiza.engine.data.imdb import test_accuracy

        state.partial(TestResult(test_accuracy(self.prepared.model, self.prepared.data),
                                 len(info["x_test"])))
        state.flush()

    # -- back in the GUI thread --------------------------------------------------------------------
    @Slot(object)
    def _on_events(self, events: list) -> None:
        from hafiza.engine.events import BatchEnd, EpochEnd, Failed, Finished, Paused, Started

        run: list = []
        for event in events:
            if isinstance(event, BatchEnd):
                run.append(event)
                continue
            if run:
                self.batches.emit(run)
                run = []
            if isinstance(event, Started):
                self.started.emit(event)
            elif isinstance(event, EpochEnd):
                self.epoch_ended.emit(event)
            elif isinstance(event, Paused):
                self.paused.emit(event)
            elif isinstance(event, Finished):
                self.outcome = event
                self.finished.emit(event)
            elif isinstance(event, Failed):
                self.outcome = event
                self.failed.emit(event.reason, event.detail)
            elif isinstance(event, TestResult):
                self.test_result = event
                self.tested.emit(event)
        if run:
            self.batches.emit(run)

    @Slot(str)
    def _on_crash(self, detail: str) -> None:
        # Only a bug in this module gets here: the engine reports its failures as events.
        from hafiza.engine.events import ERROR, Failed

        self.outcome = Failed(ERROR, detail)
        self.failed.emit(ERROR, detail)

    @Slot()
    def _on_ended(self) -> None:
        self.ended.emit()
