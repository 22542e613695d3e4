"""Saving a window as a PNG once it is ready (`--screenshot`): the app's main window waits
for the engine, the lesson preview for its first check; both give up waiting after a while
and save what there is."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget


def save_when_ready(app: QApplication, window: QWidget, path: Path,
                    ready: Callable[[], bool], wait_s: float,
                    say: Callable[[str], None]) -> int:
    """Runs the event loop until `ready()` (or `wait_s` seconds), saves `window` to `path`
    and quits; 0 when the file was written, 1 otherwise."""
    result = {"code": 1}
    deadline = time.monotonic() + wait_s

    def grab() -> None:
        if not ready() and time.monotonic() < deadline:
            QTimer.singleShot(100, grab)
            return
        app.processEvents()
        ok = window.grab().save(str(path))
        result["code"] = 0 if ok else 1
        if not ok:
            say(f"could not write {path}")
        app.quit()

    QTimer.singleShot(200, grab)
    app.exec()
    return result["code"]
