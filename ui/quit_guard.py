"""Quitting: File > Quit, Ctrl+Q from any window, or closing the main window ends the app.

If exercises are training, the learner is asked once for all of them ("Training is running in
2 windows: stop and quit?"); the runs are stopped cleanly (each window's `stop_training`)
and every exercise window is shut down and closed, so the last window closes and the process
ends. Each exercise window offers `is_training()` and `stop_training()` (ui.exercise_window).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtWidgets import QMessageBox, QWidget

from hafiza.ui.i18n import _, ngettext, number


def ask_to_stop_training(parent: QWidget | None, windows: int) -> bool:
    """True when the learner agrees to stop `windows` training runs and quit."""
    box = QMessageBox(QMessageBox.Icon.Question, _("Quit Hafiza"),
                      ngettext("Training is running in {n} window: stop it and quit?",
                               "Training is running in {n} windows: stop them and quit?",
                               windows).format(n=number(windows)),
                      QMessageBox.StandardButton.NoButton, parent)
    stop = box.addButton(_("Stop and quit"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("Keep training"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(stop)
    box.exec()
    return box.clickedButton() is stop


class QuitGuard:
    """The main window's `may_close`: asks before stopping training, once per quit.

    `exercise_windows` gives the open exercise windows each time it is called; `ask` is
    ask_to_stop_training unless a test puts an answer in its place."""

    def __init__(self, exercise_windows: Callable[[], Iterable[QWidget]],
                 parent: QWidget | None = None,
                 ask: Callable[[QWidget | None, int], bool] = ask_to_stop_training) -> None:
        self.exercise_windows = exercise_windows
        self.parent = parent
        self.ask = ask
        self.agreed = False  # the learner agreed once: a second close in this quit asks not

    def __call__(self) -> bool:
        windows = list(self.exercise_windows())
        training = [window for window in windows if window.is_training()]
        if training and not self.agreed and not self.ask(self.parent, len(training)):
            return False
        self.agreed = True
        for window in training:
            window.stop_training()
        for window in windows:  # waits for their threads, then closes: the process can end
            window.shutdown()
            window.close()
        return True
