"""An exercise window closes with Esc and Ctrl+W; closed while a model trains, it asks first,
and stops the run cleanly when the learner agrees."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from hafiza.engine.exercises import get_exercise
from hafiza.ui.exercise_window import ExerciseWindow


@pytest.fixture
def window(qtbot):
    exercise = get_exercise("mlp_xor")
    exercise["hyperparameters"]["epochs"] = 100_000  # trains until it is stopped
    made = ExerciseWindow("lesson", exercise)
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    return made


def start_training(qtbot, window):
    window.panel.train()
    qtbot.waitUntil(lambda: len(window.panel.history) > 0, timeout=60_000)  # an epoch is done
    assert window.is_training()


@pytest.mark.parametrize("keys", [(Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
                                  (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)])
def test_esc_and_ctrl_w_close_the_window(qtbot, window, keys):
    window.activateWindow()
    qtbot.keyClick(window.panel.controls.editors["epochs"][0], *keys)
    assert not window.isVisible()


def test_closing_mid_training_asks_and_no_keeps_it_training(qtbot, window, monkeypatch):
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args: asked.append(args[2]) or QMessageBox.StandardButton.No)
    start_training(qtbot, window)
    window.close()
    assert asked == ["Stop training and close?"]
    assert window.isVisible() and window.is_training()
    assert window.stop_training() and not window.is_training()


def test_closing_mid_training_and_agreeing_stops_the_run_cleanly(qtbot, window, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args: QMessageBox.StandardButton.Yes)
    start_training(qtbot, window)
    window.close()
    assert not window.isVisible() and not window.is_training()
    run = window.panel.run
    assert run.outcome.stopped_by_user  # stopped by the engine's loop, not torn down
    assert "Stopped." in window.panel.log.toPlainText()


def test_a_window_that_is_not_training_closes_without_asking(window, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *args: pytest.fail("asked"))
    assert not window.is_training()
    window.close()
    assert not window.isVisible()


def test_stop_training_stops_the_run_and_returns_when_it_has_ended(qtbot, window):
    start_training(qtbot, window)
    assert window.stop_training()
    assert not window.is_training()
    assert window.panel.run.outcome.stopped_by_user
    assert window.panel.train_button.isEnabled()  # ready for another run
