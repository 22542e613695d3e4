"""ui.crash: an uncaught error is logged and shown in one dialog, from any thread, and the
app goes on. pytest-qt's own capture of errors in slots is off here: this is what replaces
it in the app."""

import logging
import sys
import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from hafiza.ui import i18n
from hafiza.ui.crash import CrashReporter

pytestmark = pytest.mark.qt_no_exception_capture


@pytest.fixture
def reporter(qapp, tmp_path):
    crash = CrashReporter(qapp, tmp_path / "logs" / "hafiza.log")
    crash.install()
    yield crash
    crash.uninstall()
    if crash.box is not None:
        crash.box.close()
    i18n.apply_language(qapp, "en")
    crash.deleteLater()


def crash_dialogs():
    return [widget for widget in QApplication.topLevelWidgets()
            if isinstance(widget, QMessageBox) and widget.objectName() == "crash-dialog"
            and widget.isVisible()]


def raise_in_a_slot(message):
    def slot():
        raise RuntimeError(message)

    QTimer.singleShot(0, slot)


def test_an_error_in_a_slot_is_logged_and_shown_and_the_app_goes_on(qtbot, reporter, caplog,
                                                                     tmp_path):
    caplog.set_level(logging.ERROR, logger="hafiza.crash")
    raise_in_a_slot("boom in a slot")
    qtbot.waitUntil(lambda: reporter.box is not None and reporter.box.isVisible())
    box = reporter.box
    assert str(tmp_path / "logs" / "hafiza.log") in box.text()
    assert "keeps running" in box.text()
    assert "RuntimeError: boom in a slot" in box.detailedText()
    assert "boom in a slot" in caplog.text
    after = []
    QTimer.singleShot(0, lambda: after.append("still processing events"))
    qtbot.waitUntil(lambda: after == ["still processing events"])
    box.close()
    qtbot.waitUntil(lambda: reporter.box is None)


def test_a_flood_of_errors_opens_one_dialog_and_counts_the_rest(qtbot, reporter, caplog):
    caplog.set_level(logging.INFO, logger="hafiza.crash")
    for n in range(20):
        raise_in_a_slot(f"error {n}")
    qtbot.waitUntil(lambda: reporter.unshown == 19)
    assert len(crash_dialogs()) == 1
    assert "(19 so far)" in caplog.text
    reporter.box.close()
    qtbot.waitUntil(lambda: reporter.box is None)
    assert "19 more uncaught exceptions" in caplog.text and reporter.unshown == 0


def test_an_error_in_a_plain_thread_is_logged_and_shown_once_on_the_gui_thread(
        qtbot, reporter, caplog):
    caplog.set_level(logging.ERROR, logger="hafiza.crash")

    def work():
        raise ValueError("lost in a thread")

    thread = threading.Thread(target=work, name="helper-thread")
    thread.start()
    thread.join()
    assert "uncaught exception in thread helper-thread" in caplog.text
    qtbot.waitUntil(lambda: reporter.box is not None)
    assert reporter.box.thread() is QApplication.instance().thread()
    assert "ValueError: lost in a thread" in reporter.box.detailedText()
    assert len(crash_dialogs()) == 1 and reporter.unshown == 0


def test_the_dialog_speaks_the_learners_language(qtbot, qapp, reporter):
    i18n.apply_language(qapp, "fa")
    raise_in_a_slot("boom")
    qtbot.waitUntil(lambda: reporter.box is not None)
    assert reporter.box.text().startswith("مشکلی پیش آمد.")


def test_a_failing_dialog_is_logged_not_reported_again(qtbot, reporter, caplog, monkeypatch):
    def broken(_details):
        raise RuntimeError("no dialog today")

    monkeypatch.setattr(reporter, "_make_box", broken)
    caplog.set_level(logging.ERROR, logger="hafiza.crash")
    with qtbot.waitSignal(reporter.error_raised):
        raise_in_a_slot("first")
    qtbot.waitUntil(lambda: "could not show the error dialog" in caplog.text)
    assert reporter.box is None
    assert caplog.text.count("uncaught exception") == 1  # the dialog's failure is not one


def test_nothing_is_written_to_a_missing_stderr(qtbot, reporter, monkeypatch):
    monkeypatch.setattr(sys, "stderr", None)  # a frozen Windows app without a console
    try:
        raise KeyError("no console")
    except KeyError:
        sys.excepthook(*sys.exc_info())
    qtbot.waitUntil(lambda: reporter.box is not None)  # told all the same


def test_install_and_uninstall_put_the_hooks_back(qapp):
    before = (sys.excepthook, threading.excepthook)
    crash = CrashReporter(qapp, None)
    crash.install()
    assert (sys.excepthook, threading.excepthook) != before
    crash.uninstall()
    assert (sys.excepthook, threading.excepthook) == before
    crash.deleteLater()


def test_without_a_log_file_the_dialog_names_none(qtbot, qapp):
    crash = CrashReporter(qapp, None)
    crash.install()
    try:
        raise_in_a_slot("boom")
        qtbot.waitUntil(lambda: crash.box is not None)
        assert "file" not in crash.box.text()
        crash.box.close()
    finally:
        crash.uninstall()
        crash.deleteLater()
