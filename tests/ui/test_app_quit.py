"""Quitting: Ctrl+Q from any window, asking once when exercises train, the runs stopped."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from hafiza.ui.quit_guard import QuitGuard


class FakeExerciseWindow(QWidget):
    """An exercise window as the quit sees it (ui.exercise_window.ExerciseWindow)."""

    def __init__(self, training: bool) -> None:
        super().__init__()
        self.training = training
        self.calls: list[str] = []

    def is_training(self) -> bool:
        return self.training

    def stop_training(self) -> bool:
        self.calls.append("stop")
        self.training = False
        return True

    def shutdown(self) -> None:
        self.calls.append("shutdown")


def open_window(hafiza, qtbot):
    window = hafiza.create_window("en")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_quit_is_an_application_wide_shortcut(hafiza, qtbot):
    window = open_window(hafiza, qtbot)
    assert window.quit_action.shortcutContext() == Qt.ShortcutContext.ApplicationShortcut
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"


def test_ctrl_q_in_another_window_closes_everything(hafiza, qtbot):
    window = open_window(hafiza, qtbot)
    other = FakeExerciseWindow(training=False)
    qtbot.addWidget(other)
    hafiza.exercise_windows[("lesson", "exercise")] = other
    other.show()
    qtbot.waitExposed(other)
    other.activateWindow()
    qtbot.waitUntil(lambda: other.isActiveWindow(), timeout=2000)
    qtbot.keyClick(other, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=2000)
    assert not other.isVisible() and other.calls == ["shutdown"]


def test_training_asks_once_then_stops_every_run(hafiza, qtbot):
    window = open_window(hafiza, qtbot)
    training = [FakeExerciseWindow(True), FakeExerciseWindow(True)]
    idle = FakeExerciseWindow(False)
    for index, other in enumerate([*training, idle]):
        qtbot.addWidget(other)
        other.show()
        hafiza.exercise_windows[("lesson", str(index))] = other
    asked = []
    window.may_close.ask = lambda parent, n: asked.append(n) or False
    window.quit_action.trigger()  # the learner keeps training: nothing closes
    assert asked == [2] and window.isVisible()
    assert all(other.isVisible() and other.training for other in training)

    window.may_close.ask = lambda parent, n: asked.append(n) or True
    window.quit_action.trigger()
    assert asked == [2, 2]
    assert not window.isVisible()
    assert [other.calls for other in training] == [["stop", "shutdown"]] * 2
    assert idle.calls == ["shutdown"] and not idle.isVisible()


def test_the_question_counts_the_windows_in_the_learners_language(hafiza, qtbot):
    hafiza.create_window("fa")
    guard = QuitGuard(lambda: [FakeExerciseWindow(True)] * 3)
    texts = []

    def ask(parent, n):
        from hafiza.ui.i18n import ngettext, number

        texts.append(ngettext("Training is running in {n} window: stop it and quit?",
                              "Training is running in {n} windows: stop them and quit?",
                              n).format(n=number(n)))
        return False

    guard.ask = ask
    assert guard() is False
    assert texts == ["آموزش در ۳ پنجره در جریان است: متوقفشان کنیم و خارج شویم؟"]
