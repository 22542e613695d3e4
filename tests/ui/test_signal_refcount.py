"""PySide6 6.12.0 leaked a reference to True on every emit and aborted Python 3.11 after
about 10,000 emits (stack notes). This guards the pin in pyproject.toml.

The emits run in a child process so that the abort shows up as a failed test (checked
against 6.12.0: the child dies with SIGABRT) instead of killing the whole test run.
"""

import os
import subprocess
import sys

from conftest import ROOT

EMITS = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

class Emitter(QObject):
    flag = Signal(bool)

class Receiver(QObject):
    count = 0
    @Slot(bool)
    def on_flag(self, value):
        self.count += value

app = QCoreApplication([])
emitter, receiver = Emitter(), Receiver()
emitter.flag.connect(receiver.on_flag)
before = sys.getrefcount(True)
for _ in range(50_000):
    emitter.flag.emit(True)
print(receiver.count, before, sys.getrefcount(True))
"""


def test_50000_emits_keep_the_reference_count_of_true():
    result = subprocess.run(
        [sys.executable, "-c", EMITS], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, f"emitting signals crashed Python: {result.stderr[-500:]}"
    count, before, after = (int(x) for x in result.stdout.split())
    assert count == 50_000
    assert after >= before - 10, f"refcount of True fell from {before} to {after}"


def test_pyside_version_is_pinned_below_6_12():
    import PySide6

    major, minor = (int(part) for part in PySide6.__version__.split(".")[:2])
    assert (major, minor) == (6, 11)
