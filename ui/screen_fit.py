"""Window sizes that fit the learner's screen: a small laptop (1024x700, 1366x768) gets a
smaller window rather than one whose edges, status bar or buttons are off-screen."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# What the window manager's frame and title bar take beyond the window's own size.
FRAME_ALLOWANCE = QSize(16, 40)


def fitting_size(available: QSize, preferred: QSize) -> QSize:
    """The preferred size, made smaller where the screen's free area (without task bars)
    is, leaving room for the window's frame."""
    return preferred.boundedTo(available - FRAME_ALLOWANCE)


def available_size(widget: QWidget) -> QSize | None:
    """The free area of the screen the widget is on (or the primary one); None headless
    without any screen."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return None if screen is None else screen.availableGeometry().size()


def opening_size(widget: QWidget, preferred: QSize) -> QSize:
    available = available_size(widget)
    return preferred if available is None else fitting_size(available, preferred)


def fit_on_screen(widget: QWidget) -> None:
    """Shrinks a window restored from saved geometry (perhaps on a bigger monitor, or the
    classroom's projector) to the screen it is now on, and brings it back onto it."""
    available = available_size(widget)
    if available is None:
        return
    size = fitting_size(available, widget.size())
    if size != widget.size():
        widget.resize(size)
    screen = widget.screen() or QGuiApplication.primaryScreen()
    area = screen.availableGeometry()
    frame = widget.frameGeometry()
    if not area.contains(frame.topLeft()):
        widget.move(area.topLeft())
