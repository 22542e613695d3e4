"""The generator form of a task (napari's thread_worker) and the TaskRunner mixin (Orange's
ConcurrentWidgetMixin): what a widget that runs long work can count on."""

import threading

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from hafiza.engine.control import TrainControl
from hafiza.ui.worker import TaskRunner


class Runner(TaskRunner, QObject):
    """Records what reaches each hook, in the GUI thread."""

    ended = Signal()

    def __init__(self):
        super().__init__()
        self.partials, self.results, self.errors, self.busy = [], [], [], []
        self.cancelled = 0
        self.hook_threads = set()

    def _seen(self):
        self.hook_threads.add(threading.get_ident())

    def on_partial_result(self, value):
        self._seen()
        self.partials.append(value)

    def on_done(self, result):
        self._seen()
        self.results.append(result)

    def on_exception(self, error):
        self._seen()
        self.errors.append(error)

    def on_cancelled(self):
        self.cancelled += 1

    def on_busy_changed(self, busy):
        self.busy.append(busy)
        if not busy:
            self.ended.emit()


class RunnerWidget(TaskRunner, QWidget):  # the mixin first, as it asks
    def __init__(self):
        super().__init__()
        self.results = []

    def on_done(self, result):
        self.results.append(result)


@pytest.fixture
def runner(qapp):
    made = Runner()
    yield made
    made.shutdown_tasks()


def paused_control():
    control = TrainControl()
    control.pause()  # a task started with it holds at its first yield
    return control


def counting(n, produced, state):
    """Yields 0..n-1, noting each value just before it is yielded."""
    for value in range(n):
        produced.append(value)
        yield value
    return f"counted {n}"


def test_yields_arrive_in_order_and_the_return_value_is_the_result(runner, qtbot):
    produced = []
    with qtbot.waitSignal(runner.ended, timeout=10_000):
        runner.start_task(counting, 500, produced)
        assert runner.task_busy
    assert runner.partials == list(range(500))
    assert runner.results == ["counted 500"]
    assert runner.busy == [True, False] and not runner.task_busy
    assert runner.hook_threads == {threading.get_ident()}  # every hook ran in the GUI thread


def test_pause_holds_a_generator_between_yields(runner, qtbot):
    produced = []
    control = paused_control()
    task = runner.start_task(counting, 100, produced, control=control)
    assert task.control is control
    # Held after its first yield, which is delivered while the pause lasts.
    qtbot.waitUntil(lambda: runner.partials == [0], timeout=5000)
    assert produced == [0]
    task.step()
    qtbot.waitUntil(lambda: runner.partials == [0, 1], timeout=5000)
    assert produced == [0, 1]  # one more yield, then held again
    with qtbot.waitSignal(runner.ended, timeout=10_000):
        task.resume()
    assert runner.partials == list(range(100)) and runner.results == ["counted 100"]


def test_stop_ends_a_generator_with_no_further_yields(runner, qtbot):
    produced, closed = [], []

    def endless(state):
        try:
            for value in range(10**9):
                produced.append(value)
                yield value
        finally:
            closed.append(True)

    runner.start_task(endless, control=paused_control())
    qtbot.waitUntil(lambda: runner.partials == [0], timeout=5000)
    with qtbot.waitSignal(runner.ended, timeout=5000):
        runner.cancel_task()
    assert runner.cancelled == 1 and runner.results == []
    assert produced == [0] and runner.partials == [0]  # nothing yielded after the stop
    assert closed == [True]  # the generator was closed: its finally ran


def test_an_exception_arrives_in_on_exception(runner, qtbot):
    def failing(state):
        yield "first"
        raise ValueError("bad row 3")

    with qtbot.waitSignal(runner.ended, timeout=5000):
        runner.start_task(failing)
    assert runner.partials == ["first"] and runner.results == []
    assert len(runner.errors) == 1
    assert isinstance(runner.errors[0], ValueError) and str(runner.errors[0]) == "bad row 3"


def test_a_plain_function_takes_its_arguments_then_the_state(runner, qtbot):
    def add(a, b, state):
        state.partial(a)
        return a + b

    with qtbot.waitSignal(runner.ended, timeout=5000):
        runner.start_task(add, 2, 3)
    assert runner.partials == [2] and runner.results == [5]


def test_a_second_start_cancels_the_first_and_drops_its_results(runner, qtbot):
    release = threading.Event()

    def first(state):
        yield "first began"
        release.wait(10)  # in the middle of its work when the second starts
        yield "first, too late"
        return "first result"

    def second(state):
        return "second result"

    first_task = runner.start_task(first)
    qtbot.waitUntil(lambda: runner.partials == ["first began"], timeout=5000)
    with qtbot.waitSignal(first_task.ended, timeout=10_000):
        runner.start_task(second)
        assert first_task.state.interrupted  # asked to stop at once
        release.set()
    qtbot.waitUntil(lambda: not runner.task_busy, timeout=5000)
    assert runner.results == ["second result"]
    assert runner.partials == ["first began"] and runner.cancelled == 0
    assert runner.busy == [True, False]  # one busy stretch across both


def test_closing_a_widget_stops_its_task_and_waits_for_it(qapp, qtbot):
    widget = RunnerWidget()
    qtbot.addWidget(widget)
    widget.show()
    closed = []

    def endless(state):
        try:
            while True:
                yield None
        finally:
            closed.append(True)

    task = widget.start_task(endless)
    widget.close()
    assert closed == [True]  # stopped and waited for before close() returned
    assert not task.is_running() and task.state.interrupted
    assert widget.results == []
