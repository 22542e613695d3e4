"""Python's cyclic garbage collector runs in whichever thread happens to allocate when a
threshold is passed. Once a worker thread trains, that is usually the worker: the collection
may then free a cycle holding a widget of a closed window, and Qt objects must die in the
GUI thread. Seen in the test suite: a training thread stopped for good inside
`QObject::~QObject` (its PySide wrapper waiting for a lock while the GUI thread waited on
the worker), and once a crash. So from the first worker on, automatic collection is off and
the GUI thread collects from a timer, generation by generation as the automatic collector
would (each when its own threshold is passed): the same memory behaviour, in the one thread
allowed to destroy widgets.
"""

from __future__ import annotations

import gc
import os

from PySide6.QtCore import QCoreApplication, QObject, QTimer

# Often enough that garbage never piles up between two looks (the automatic collector
# triggers about as often in a training run), rare enough to cost nothing.
CHECK_MS = 250


class _GuiThreadCollector(QObject):
    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.collect_if_due)
        # The test suite collects between tests instead (tests/conftest.py): inside a test
        # the timer fired while pytest-qt was closing that test's windows.
        if os.environ.get("HAFIZA_GC_BETWEEN_TESTS") != "1":
            self.timer.start()

    def collect_if_due(self) -> None:
        counts = gc.get_count()
        generation = -1
        for level, (count, threshold) in enumerate(zip(counts, self.thresholds, strict=True)):
            if threshold and count > threshold:
                generation = level
            else:
                break
        if generation >= 0:
            gc.collect(generation)


_collector: _GuiThreadCollector | None = None


def collect_in_gui_thread() -> None:
    """From now on, only the GUI thread collects cycles. Call it from the GUI thread before
    starting a worker (ui.worker.Task does); once is enough, later calls do nothing."""
    global _collector
    app = QCoreApplication.instance()
    if _collector is not None or app is None:
        return
    _collector = _GuiThreadCollector(app)


def collecting_in_gui_thread() -> bool:
    return _collector is not None and not gc.isenabled()
