"""Windows that fit the learner's screen: the main window's first size and a size restored
from a bigger monitor are brought inside the screen's free area (ui.screen_fit)."""

from PySide6.QtCore import QRect, QSize

from hafiza.ui import screen_fit
from hafiza.ui.app import MAIN_WINDOW_SIZE


def test_the_first_main_window_fits_the_screen(hafiza, qtbot, monkeypatch):
    monkeypatch.setattr(screen_fit, "available_size", lambda widget: QSize(1024, 668))
    window = hafiza.create_window("fa")
    qtbot.addWidget(window)
    assert window.size().width() <= 1024 - screen_fit.FRAME_ALLOWANCE.width()
    assert window.size().height() <= 668 - screen_fit.FRAME_ALLOWANCE.height()


def test_the_first_main_window_keeps_its_size_on_a_big_screen(hafiza, qtbot, monkeypatch):
    monkeypatch.setattr(screen_fit, "available_size", lambda widget: QSize(1920, 1040))
    window = hafiza.create_window("en")
    qtbot.addWidget(window)
    assert window.size() == MAIN_WINDOW_SIZE


def test_a_window_restored_from_a_bigger_monitor_shrinks_to_this_one(qtbot, monkeypatch):
    from PySide6.QtWidgets import QWidget

    monkeypatch.setattr(screen_fit, "available_size", lambda widget: QSize(1024, 668))
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.setGeometry(QRect(0, 0, 1600, 1000))
    screen_fit.fit_on_screen(widget)
    assert widget.size() == QSize(1024 - 16, 668 - 40)
