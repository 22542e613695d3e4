"""From a lesson's exercise card to a training window and its playgrounds."""

from PySide6.QtWidgets import QPushButton

from hafiza.ui.exercise_panel import ExercisePanel


def card_button(window, exercise_id):
    """The Train (or Open) button of the exercise card for `exercise_id` on the page."""
    for button in window.lesson_page.findChildren(QPushButton, "exercise-train"):
        owner = button
        while owner is not None and not hasattr(owner, "exercise_id"):
            owner = owner.parent()
        if owner is not None and owner.exercise_id == exercise_id:
            return button
    raise AssertionError(f"no card for {exercise_id}")


def test_a_card_opens_a_training_window_whose_model_feeds_the_playgrounds(hafiza, qtbot):
    window = hafiza.create_window("fa")
    qtbot.addWidget(window)
    window.open_lesson("sequences-rnn")
    card_button(window, "sequence-regression").click()
    exercise_window = hafiza.exercise_windows[("sequences-rnn", "sequence-regression")]
    qtbot.addWidget(exercise_window)
    panel = exercise_window.panel
    assert isinstance(panel, ExercisePanel)
    assert exercise_window.tabs.tabText(0) == "آموزش"
    panel.controls.editors["epochs"][0].setValue(30)
    # the run ends, then its model is written in a worker thread and the record closed
    with qtbot.waitSignals([panel.run_finished, panel.recorder.saved], timeout=60_000):
        panel.train()
    # the trained LSTM now shows its predictions for the seed 003 sequence
    assert exercise_window.playground_names == ["regression"]
    assert exercise_window.tabs.count() == 2
    [record] = hafiza.store.runs.list("sequence-regression")
    assert record.status == "finished" and record.lesson_id == "sequences-rnn"
    # the same card raises the same window
    card_button(window, "sequence-regression").click()
    assert len(hafiza.exercise_windows) == 1


def test_a_playground_card_opens_the_playground(hafiza, qtbot):
    window = hafiza.create_window("arz")
    qtbot.addWidget(window)
    window.open_lesson("neurons-activations")
    button = card_button(window, "activations")
    assert button.text() == "افتح الملعب"
    button.click()
    exercise_window = hafiza.exercise_windows[("neurons-activations", "activations")]
    qtbot.addWidget(exercise_window)
    assert exercise_window.panel is None
    assert exercise_window.playground_names == ["activations"]
    hafiza.set_language("en")
    assert exercise_window.tabs.tabText(0) == "Activation functions"


def test_the_next_word_exercise_trains_on_the_learners_variety(hafiza, qtbot):
    window = hafiza.create_window("ary")
    qtbot.addWidget(window)
    window.open_lesson("language-models")
    card_button(window, "next-word").click()
    exercise_window = hafiza.exercise_windows[("language-models", "next-word")]
    qtbot.addWidget(exercise_window)
    assert exercise_window.exercise["dataset"]["variety"] == "ary"
