"""Qt helpers of the screen atlas (tools/screens.py): waiting on conditions, catching the
window a click opens (a modal dialog's exec() blocks the caller, so it is grabbed from inside
its own event loop), telling a blank image, and finding widgets a small screen cuts off."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QDialog,
    QLabel,
    QWidget,
)

# Only real windows and dialogs count as "a new window": not tooltips, menus or popups.
WINDOW_TYPES = (Qt.WindowType.Window, Qt.WindowType.Dialog)
# Pixels a widget may reach past its window unseen (a splitter's mirrored edge lands one out).
FIT_TOLERANCE = 2
# The longest a worker may take to answer with a window (a lesson check, an export).
LONGEST_WORK_S = 120
# Side of the thumbnail a blank test samples; one colour over all of it is a blank screen.
BLANK_SAMPLE = 48


def wait_until(condition: Callable[[], bool], timeout_s: float) -> bool:
    """Runs the event loop until `condition()` holds (True) or the time is up (False)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        QTest.qWait(20)
    return True


def settle(rounds: int = 3) -> None:
    """Lets queued layouts, resizes and paints happen before a grab."""
    for _round in range(rounds):
        QApplication.processEvents()
        QTest.qWait(10)


def visible_windows() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets()
            if w.isVisible() and w.windowType() in WINDOW_TYPES]


def dismiss(window: QWidget) -> None:
    """Closes what a capture found without choosing anything in it: a dialog is rejected
    (a message box's exec() returns as for Escape), any other window closed."""
    if isinstance(window, QDialog):
        window.reject()
    if window.isVisible():
        window.close()


def capture_new_window(trigger: Callable[[], object], handle: Callable[[QWidget], None],
                       timeout_s: float = 3.0,
                       wanted: Callable[[QWidget], bool] = lambda _w: True,
                       working: Callable[[], bool] = lambda: False) -> bool:
    """Calls `trigger`, and `handle(window)` on the first new window it opens, which is then
    dismissed. Works whether the window is shown with exec() (the poll runs inside the
    dialog's own loop) or show()/open(). False when none opened within `timeout_s`, or
    later while `working()` (a worker whose answer opens it); an error in `handle` is raised
    here, after the window is closed."""
    before = {id(w) for w in visible_windows()}
    state: dict[str, object] = {"found": False, "done": False, "error": None}
    deadline = time.monotonic() + timeout_s

    def poll() -> None:
        if state["done"]:
            return
        new = [w for w in visible_windows() if id(w) not in before and wanted(w)]
        if new:
            state["found"] = state["done"] = True
            try:
                settle()
                handle(new[-1])
            except Exception as error:  # raised in the caller, not in Qt's event loop
                state["error"] = error
            finally:
                dismiss(new[-1])
        elif time.monotonic() > deadline and not working():
            state["done"] = True
        else:
            QTimer.singleShot(50, poll)

    QTimer.singleShot(50, poll)
    trigger()
    wait_until(lambda: bool(state["done"]), timeout_s + LONGEST_WORK_S)
    if state["error"] is not None:
        raise state["error"]  # type: ignore[misc]
    return bool(state["found"])


def workers() -> list:
    """The workers (ui.worker.TaskRunner) of the application and its windows, now. Scanned
    once, not at each poll: walking every widget holds the GIL the worker needs."""
    from hafiza.ui.worker import TaskRunner

    roots = [QApplication.instance(), *QApplication.topLevelWidgets()]
    return [o for root in roots for o in [root, *root.findChildren(QObject)]
            if isinstance(o, TaskRunner)]


def is_blank(image: QImage) -> bool:
    """True when the image is one colour (a window that drew nothing)."""
    if image.isNull():
        return True
    small = image.scaled(BLANK_SAMPLE, BLANK_SAMPLE)
    first = small.pixel(0, 0)
    return all(small.pixel(x, y) == first
               for y in range(small.height()) for x in range(small.width()))


def _clipped_by_scrolling(widget: QWidget, window: QWidget) -> bool:
    """Inside a scroll area's viewport: out of view there is scrolled to, not cut off."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        area = parent.parentWidget()
        if isinstance(area, QAbstractScrollArea) and area.viewport() is parent:
            return True
        parent = parent.parentWidget()
    return False


def describe(widget: QWidget) -> str:
    """A widget as a reader of the report finds it: class, object name, its text."""
    words = [type(widget).__name__]
    if widget.objectName():
        words.append(f"#{widget.objectName()}")
    if isinstance(widget, (QAbstractButton, QLabel)) and widget.text():
        text = " ".join(widget.text().split())
        words.append(repr(text[:40]))
    return " ".join(words)


def misfits(window: QWidget, width: int, height: int) -> list[str]:
    """What a screen of `width` x `height` would not show of `window`: the window itself when
    it is larger, and each outermost visible widget reaching past the screen or the window
    (widgets in a scroll area's viewport excepted: the learner scrolls to them)."""
    found = []
    if window.width() > width or window.height() > height:
        found.append(f"the window is {window.width()}x{window.height()}, more than "
                     f"{width}x{height}")
    bounds = QRect(0, 0, min(width, window.width()), min(height, window.height())).adjusted(
        -FIT_TOLERANCE, -FIT_TOLERANCE, FIT_TOLERANCE, FIT_TOLERANCE)
    outside: set[int] = set()
    for widget in window.findChildren(QWidget):
        if widget.isWindow() or not widget.isVisible() or widget.width() <= 0 \
                or widget.height() <= 0 or _clipped_by_scrolling(widget, window):
            continue
        rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        if bounds.contains(rect):
            continue
        outside.add(id(widget))
        parent = widget.parentWidget()
        while parent is not None and parent is not window and id(parent) not in outside:
            parent = parent.parentWidget()
        if parent is None or parent is window:  # no ancestor already reported
            found.append(f"{describe(widget)} at {rect.x()},{rect.y()} "
                         f"{rect.width()}x{rect.height()}")
    return found
