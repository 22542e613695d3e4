"""PySide6 6.12.0 leaked a reference to True on every emit and aborted Python 3.11 after
about 10,000 emits (stack notes). This guards the pin in pyproject.toml."""

import sys

from PySide6.QtCore import QObject, Signal, Slot


class Emitter(QObject):
    flag = Signal(bool)


class Receiver(QObject):
    def __init__(self):
        super().__init__()
        self.count = 0

    @Slot(bool)
    def on_flag(self, value):
        self.count += value


def test_50000_emits_keep_the_reference_count_of_true(qapp):
    emitter, receiver = Emitter(), Receiver()
    emitter.flag.connect(receiver.on_flag)
    before = sys.getrefcount(True)
    for _ in range(50_000):
        emitter.flag.emit(True)
    after = sys.getrefcount(True)
    assert receiver.count == 50_000
    assert after >= before - 10, f"refcount of True fell from {before} to {after}"


def test_pyside_version_is_pinned_below_6_12():
    import PySide6

    major, minor = (int(part) for part in PySide6.__version__.split(".")[:2])
    assert (major, minor) == (6, 11)
