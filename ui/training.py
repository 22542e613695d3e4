"""One training run of an exercise, in a worker thread, reported to the GUI through signals.

The engine's `fit` generator runs as a `ui.worker` generator task; its events travel as
batched partial results (5 deliveries a second) and come out here as typed signals in the
GUI thread. Pause, step and stop go to the task's `TrainControl`, which the engine's loop
itself polls between batches (and reports as a `Paused` event). Nothing here touches a
widget, and nothing here computes: the test accuracy comes from the engine as `Tested`.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from hafiza.engine.control import TrainControl
from hafiza.ui.worker import Task, TaskRunner, TaskState

DELIVERY_INTERVAL = 0.2  # seconds between deliveries to the GUI (5 Hz: ui.exercise_panel)


class TrainingRun(TaskRunner, QObject):
    """Lives in the GUI thread. Signals carry the engine's event records."""

    started = Signal(object)  # engine.events.Started
    batches = Signal(object)  # [BatchEnd, ...] since the previous delivery (see ui.worker)
    epoch_ended = Signal(object)  # EpochEnd
    paused = Signal(object)  # Paused
    finished = Signal(object)  # Finished
    failed = Signal(str, str)  # reason (engine.events: nan_loss, bad_data...), detail
    ended = Signal()  # after finished or failed, once the thread is done
    tested = Signal(object)  # engine.events.Tested, for data with a held-out test set
    baseline = Signal(object)  # engine.events.Baseline, for a language model's text
    entities_found = Signal(object)  # engine.events.EntitiesFound, for a tagger

    def __init__(self, exercise: dict, parent: QObject | None = None, *,
                 data_root: Path | None = None) -> None:
        super().__init__(parent)
        self.exercise = exercise
        self.data_root = data_root  # the lesson folder whose files the exercise may read
        self.refusal: Any = None  # the engine's ExerciseError when it refused to start
        self.control = TrainControl()  # the task's and the engine loop's, one object
        self.prepared: Any = None  # engine.exercises.PreparedRun once the data is loaded
        self.outcome: Any = None  # the Finished or Failed record
        self.test_result: Any = None  # the Tested record, for data with a test set
        self.started_at = 0.0
        self._task: Task | None = None

    # -- control, from the GUI thread -----------------------------------------------------------
    def start(self) -> None:
        self.started_at = time.monotonic()
        # Batches reach the GUI 5 times a second: each delivery and the repaint it causes
        # take the GIL from the training thread many times over (bench/gui_training.py).
        self._task = self.start_task(self._train, control=self.control,
                                     min_interval=DELIVERY_INTERVAL, obeys_control=True)

    def pause(self) -> None:
        self.control.pause()

    def resume(self) -> None:
        self.control.resume()

    def step(self) -> None:
        self.control.step()

    def stop(self) -> None:
        self.control.stop()

    def is_running(self) -> bool:
        return self.task_busy

    def wait(self, timeout_ms: int = -1) -> bool:
        return self.wait_tasks(timeout_ms)

    # -- the worker thread ------------------------------------------------------------------------
    def _train(self, state: TaskState):
        """The engine's events, as a generator task (the engine obeys the control itself)."""
        from hafiza.engine.events import BAD_DATA, BatchEnd, EpochEnd, Failed
        from hafiza.engine.exercises import ExerciseError, prepare
        from hafiza.engine.runtime import session_device

        files = {"data_root": self.data_root} if self.data_root is not None else {}
        try:
            self.prepared = prepare(self.exercise, device=session_device(), **files)
        except ExerciseError as error:
            self.refusal = error  # set before the event leaves: the GUI reads it on failed
            yield Failed(BAD_DATA, str(error))
            return
        for event in self.prepared.fit(state.control):
            yield event
            # Batches and epochs wait for the next delivery: a small data set ends an epoch
            # every few milliseconds (seq003: 160 a second). The start, a pause, the end and
            # the test score are shown at once.
            if not isinstance(event, (BatchEnd, EpochEnd)):
                state.flush()

    # -- back in the GUI thread --------------------------------------------------------------------
    def on_partial_results(self, events: list) -> None:
        from hafiza.engine.events import (
            Baseline,
            BatchEnd,
            EntitiesFound,
            EpochEnd,
            Failed,
            Finished,
            Paused,
            Started,
            Tested,
        )

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
            elif isinstance(event, Tested):
                self.test_result = event
                self.tested.emit(event)
            elif isinstance(event, Baseline):
                self.baseline.emit(event)
            elif isinstance(event, EntitiesFound):
                self.entities_found.emit(event)
        if run:
            self.batches.emit(run)

    def on_exception(self, error: BaseException) -> None:
        # Only a bug in this module gets here: the engine reports its failures as events.
        import traceback

        from hafiza.engine.events import ERROR, Failed

        detail = "".join(traceback.format_exception(error))
        self.outcome = Failed(ERROR, detail)
        self.failed.emit(ERROR, detail)

    def on_busy_changed(self, busy: bool) -> None:
        if not busy:
            self.ended.emit()
