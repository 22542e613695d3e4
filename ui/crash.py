"""What happens to an error nobody caught: it goes to the log, and the learner is told.

`CrashReporter.install()` takes over `sys.excepthook` (errors on the GUI thread, slots
included: PySide prints them through it) and `threading.excepthook` (plain Python threads).
The traceback is logged at once, on whatever thread raised it; the dialog is always shown
later, from the event loop on the GUI thread (a queued signal), so it is never opened from
inside another thread or from the middle of a half-finished slot.

One dialog at a time: errors that arrive while it is open (a timer raising every few
milliseconds would otherwise stack up a hundred boxes) are only logged and counted. If
making the dialog fails in turn, that is logged too and nothing is retried, so an error
can never call itself. Nothing here writes to `sys.stderr` when it is None (a frozen
Windows app without a console).
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox

from hafiza.ui.i18n import _, isolate

log = logging.getLogger("hafiza.crash")


def error_text(log_file: Path | None) -> str:
    """The dialog's sentence in the learner's language, with where the details are."""
    text = _("Something went wrong. Hafiza keeps running, but what you were doing may not "
             "have finished.")
    if log_file is not None:
        text += "\n\n" + _("The details are saved in this file:") + "\n" + isolate(str(log_file))
    return text


class CrashReporter(QObject):
    """Owns the two hooks while installed, and the one error dialog."""

    # The formatted traceback, carried to the GUI thread.
    error_raised = Signal(str)

    def __init__(self, app: QApplication, log_file: Path | None) -> None:
        super().__init__(app)
        self.log_file = log_file
        self.box: QMessageBox | None = None
        self.unshown = 0  # errors that came while the dialog was open
        self._previous_excepthook = None
        self._previous_threading_hook = None
        self.error_raised.connect(self._show, Qt.ConnectionType.QueuedConnection)

    @property
    def installed(self) -> bool:
        return self._previous_excepthook is not None

    def install(self) -> None:
        if self.installed:
            return
        self._previous_excepthook = sys.excepthook
        self._previous_threading_hook = threading.excepthook
        sys.excepthook = self._on_exception
        threading.excepthook = self._on_thread_exception

    def uninstall(self) -> None:
        """Puts the hooks back as they were (tests, and the app on its way out)."""
        if not self.installed:
            return
        if sys.excepthook == self._on_exception:
            sys.excepthook = self._previous_excepthook
        if threading.excepthook == self._on_thread_exception:
            threading.excepthook = self._previous_threading_hook
        self._previous_excepthook = None
        self._previous_threading_hook = None

    # -- the hooks: any thread -------------------------------------------------------------
    def _on_exception(self, exc_type, exc, tb) -> None:
        previous = self._previous_excepthook
        if issubclass(exc_type, KeyboardInterrupt):  # Ctrl+C in a terminal is not a crash
            if previous is not None:
                previous(exc_type, exc, tb)
            return
        self._report(exc_type, exc, tb, "uncaught exception")
        if previous is not None and sys.stderr is not None:
            previous(exc_type, exc, tb)  # a terminal still sees the traceback

    def _on_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:  # a thread that ends itself, as threading's own hook
            return
        name = args.thread.name if args.thread is not None else "?"
        self._report(args.exc_type, args.exc_value, args.exc_traceback,
                     f"uncaught exception in thread {name}")

    def _report(self, exc_type, exc, tb, what: str) -> None:
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("%s\n%s", what, details.rstrip())
        try:
            self.error_raised.emit(details)
        except RuntimeError:  # the application is already gone: the log has it
            pass

    # -- the dialog: GUI thread only -------------------------------------------------------
    @Slot(str)
    def _show(self, details: str) -> None:
        if self.box is not None:
            self.unshown += 1
            log.warning("another uncaught exception while the error dialog is open "
                        "(%d so far)", self.unshown)
            return
        try:
            self.box = self._make_box(details)
            self.box.show()
        except Exception:  # the dialog itself failed: log it, never report it again
            log.exception("could not show the error dialog")
            self.box = None

    def _make_box(self, details: str) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Critical, "Hafiza", error_text(self.log_file),
                          QMessageBox.StandardButton.Ok)
        box.setObjectName("crash-dialog")
        box.setDetailedText(details)  # under Qt's own (translated) "Show Details..."
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # The learner may carry on (or save their work) with the dialog open.
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._on_closed)
        return box

    @Slot()
    def _on_closed(self) -> None:
        if self.unshown:
            log.info("the error dialog was closed; %d more uncaught exceptions came while it "
                     "was open (above)", self.unshown)
        self.unshown = 0
        self.box = None
