"""Once a worker thread runs, Python's cycle collector runs only in the GUI thread (a
collection in a training thread freed a closed window's widget there: a hang, once a
crash, in the test suite)."""

import gc
import threading

from PySide6.QtCore import QObject

from hafiza.ui import gc_guard
from hafiza.ui.worker import TaskRunner


class _Host(TaskRunner, QObject):
    pass


class _Cycle:
    pass


def test_a_task_turns_automatic_collection_off_and_the_gui_thread_collects(qapp, qtbot):
    host = _Host()
    ran_in = []
    host.start_task(lambda state: ran_in.append(threading.current_thread()))
    qtbot.waitUntil(lambda: bool(ran_in), timeout=5000)
    assert ran_in[0] is not threading.main_thread()
    assert gc_guard.collecting_in_gui_thread() and not gc.isenabled()

    collected = []

    def note(phase, _info):
        if phase == "start":
            collected.append(threading.current_thread())

    gc.callbacks.append(note)
    try:
        for _ in range(gc.get_threshold()[0] + 10):  # past generation 0's threshold
            a, b = _Cycle(), _Cycle()
            a.other, b.other = b, a
        gc_guard._collector.collect_if_due()  # what its timer does (tests: between tests)
    finally:
        gc.callbacks.remove(note)
    assert collected and all(thread is threading.main_thread() for thread in collected)
