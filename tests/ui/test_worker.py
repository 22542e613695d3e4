"""The one worker pattern: a function in a thread, signals queued to the GUI thread."""

import itertools
import threading
import time

import pytest
from PySide6.QtCore import QObject, QThread, Slot

from hafiza.engine.control import TrainControl
from hafiza.ui.worker import Task


class Recorder(QObject):
    """Lives in the GUI thread; records which thread each slot ran in."""

    def __init__(self):
        super().__init__()
        self.progress, self.partials, self.results, self.failures = [], [], [], []
        self.cancelled = 0
        self.threads = set()

    def _seen(self):
        self.threads.add(QThread.currentThread())

    @Slot(float)
    def on_progress(self, value):
        self._seen()
        self.progress.append(value)

    @Slot(list)
    def on_partials(self, batch):
        self._seen()
        self.partials.append(batch)

    @Slot(object)
    def on_result(self, value):
        self._seen()
        self.results.append(value)

    @Slot(str)
    def on_failed(self, detail):
        self._seen()
        self.failures.append(detail)

    @Slot()
    def on_cancelled(self):
        self._seen()
        self.cancelled += 1


def connect(task, recorder):
    task.progressed.connect(recorder.on_progress)
    task.partials.connect(recorder.on_partials)
    task.succeeded.connect(recorder.on_result)
    task.failed.connect(recorder.on_failed)
    task.cancelled.connect(recorder.on_cancelled)


@pytest.fixture
def recorder(qapp):
    return Recorder()


def delivered(recorder):
    return [item for batch in recorder.partials for item in batch]


def run_to_end(qtbot, task):
    with qtbot.waitSignal(task.ended, timeout=10_000):
        task.start()
    assert task.wait(5000)


def test_results_and_batched_partials_arrive_in_the_gui_thread(qtbot, recorder, qapp):
    worker_threads = []

    def work(state):
        worker_threads.append(threading.get_ident())
        for step in range(2000):
            state.partial(step)
            state.progress((step + 1) / 2000)
            if step % 200 == 0:
                time.sleep(0.02)
        return "done"

    task = Task(work, min_interval=0.05)
    connect(task, recorder)
    run_to_end(qtbot, task)
    qtbot.waitUntil(lambda: recorder.results == ["done"], timeout=2000)
    assert worker_threads[0] != threading.get_ident()
    assert recorder.threads == {qapp.thread()}
    assert delivered(recorder) == list(range(2000))  # nothing lost, in order
    assert len(recorder.partials) < 100  # batched, not one signal per item
    assert recorder.progress[-1] == 1.0


def test_cancel_stops_between_steps(qtbot, recorder):
    steps = []

    def work(state):
        for step in itertools.count():
            state.check()
            steps.append(step)

    task = Task(work)
    connect(task, recorder)
    with qtbot.waitSignal(task.ended, timeout=10_000):
        task.start()
        qtbot.waitUntil(lambda: len(steps) > 5, timeout=5000)
        task.cancel()
    assert recorder.cancelled == 1 and recorder.results == []


def test_pause_holds_the_task_a_step_lets_one_through_and_resume_lets_it_finish(qtbot,
                                                                             recorder):
    steps = []

    def work(state):
        for step in range(50):
            steps.append(step)
            state.partial(step)
            state.check()
        return len(steps)

    task = Task(work)
    connect(task, recorder)
    task.pause()  # before the first step: the task holds at its first check
    task.start()
    # A task about to wait delivers what it has: the first step is on screen while it holds.
    qtbot.waitUntil(lambda: delivered(recorder) == [0], timeout=5000)
    assert steps == [0]
    task.step()
    qtbot.waitUntil(lambda: delivered(recorder) == [0, 1], timeout=5000)
    assert steps == [0, 1]  # exactly one more step, then held again
    with qtbot.waitSignal(task.ended, timeout=10_000):
        task.resume()
    qtbot.waitUntil(lambda: recorder.results == [50], timeout=2000)
    assert delivered(recorder) == list(range(50))


def test_stop_while_paused_ends_promptly(qtbot, recorder):
    def work(state):
        while True:
            state.partial("holding")
            state.check()

    task = Task(work)
    connect(task, recorder)
    task.pause()
    task.start()
    qtbot.waitUntil(lambda: delivered(recorder) == ["holding"], timeout=5000)
    with qtbot.waitSignal(task.ended, timeout=5000):
        task.cancel()
    assert recorder.cancelled == 1 and recorder.results == []


def test_a_task_obeys_the_control_it_is_given(qtbot, recorder):
    """A training run and its task share one TrainControl: stopping it stops the task."""
    control = TrainControl()
    task = Task(lambda state: state.check(), control=control)
    assert task.control is control and task.state.control is control
    connect(task, recorder)
    control.stop()
    run_to_end(qtbot, task)
    qtbot.waitUntil(lambda: recorder.cancelled == 1, timeout=2000)
    assert recorder.results == []


def test_an_exception_becomes_a_failure_and_the_app_goes_on(qtbot, recorder):
    def work(state):
        raise ValueError("bad data in row 3")

    task = Task(work)
    connect(task, recorder)
    run_to_end(qtbot, task)
    qtbot.waitUntil(lambda: len(recorder.failures) == 1, timeout=2000)
    assert "ValueError: bad data in row 3" in recorder.failures[0]
